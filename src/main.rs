//! Start-up: read the configuration, set up logging, run the event loop.

use ferredis::commands::Engine;
use ferredis::commands::persist::Loaded;
use ferredis::config::Config;
use ferredis::server::Server;
use std::process::ExitCode;

fn usage() {
    eprintln!(
        "Usage: ferredis [/path/to/redis.conf] [options] [-]\n       \
         ferredis - (read config from stdin)\n       \
         ferredis -v or --version\n       \
         ferredis -h or --help\n\n\
         Examples:\n       \
         ferredis (run the server with default config)\n       \
         ferredis /etc/redis/6379.conf\n       \
         ferredis --port 7777\n       \
         ferredis /etc/myredis.conf --loglevel verbose\n       \
         ferredis --bind 127.0.0.1 --port 6380 --save ''"
    );
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("-v" | "--version") => {
            println!(
                "ferredis v={} (Redis {} compatible) bits=64",
                env!("CARGO_PKG_VERSION"),
                ferredis::REDIS_VERSION
            );
            return ExitCode::SUCCESS;
        }
        Some("-h" | "--help") => {
            usage();
            return ExitCode::SUCCESS;
        }
        _ => {}
    }
    let config = match Config::from_args(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{}", e.0);
            return ExitCode::FAILURE;
        }
    };
    if let Err(e) = ferredis::logging::init(config.loglevel, &config.logfile) {
        eprintln!("Can't open the log file: {e}");
        return ExitCode::FAILURE;
    }
    log::warn!("oO0OoO0OoO0Oo ferredis is starting oO0OoO0OoO0Oo");
    log::warn!(
        "ferredis version={} (Redis {} compatible), bits=64, pid={}, just started",
        env!("CARGO_PKG_VERSION"),
        ferredis::REDIS_VERSION,
        std::process::id()
    );
    log::warn!("Configuration loaded");
    for name in config.passive_overrides() {
        log::warn!(
            "Directive '{name}' is accepted for compatibility but has no effect in ferredis yet"
        );
    }
    ferredis::alloc::set_background_thread(config.jemalloc_bg_thread);
    let pidfile = config.pidfile.clone();
    ferredis::util::collate::init_collation();
    let engine = Engine::new(config);
    let mut server = match Server::new(engine) {
        Ok(s) => s,
        Err(e) => {
            log::warn!("{e}");
            return ExitCode::FAILURE;
        }
    };
    if !pidfile.is_empty()
        && let Err(e) = std::fs::write(&pidfile, format!("{}\n", std::process::id()))
    {
        log::warn!("Failed to write PID file: {e}");
    }
    let port = server.engine.config.port;
    log::info!("Running mode=standalone, port={port}.");
    log::warn!("Server initialized");
    if let Err(lines) = server.engine.load_manifest_from_disk() {
        for line in lines {
            log::warn!("{line}");
        }
        return ExitCode::FAILURE;
    }
    let start = std::time::Instant::now();
    if server.engine.config.appendonly {
        // With the AOF on, it alone is the data set (dump.rdb is ignored).
        server.engine.aof.state = ferredis::persistence::aof::AofState::On;
        let loaded = server.engine.load_append_only_files();
        if loaded.failed() {
            return ExitCode::FAILURE;
        }
        if loaded != ferredis::commands::aof_load::AofLoad::NotExist {
            log::info!(
                "DB loaded from append only file: {:.3} seconds",
                start.elapsed().as_secs_f64()
            );
        }
    } else {
        match server.engine.load_rdb() {
            Ok(Loaded::NoFile) => {}
            Ok(Loaded::Keys { loaded, expired }) => {
                log::info!("Done loading RDB, keys loaded: {loaded}, keys expired: {expired}.");
                log::info!(
                    "DB loaded from disk: {:.3} seconds",
                    start.elapsed().as_secs_f64()
                );
            }
            Err(e) => {
                // A damaged file stops start-up, as in Redis: serving
                // without the data would look like data loss to every
                // client.
                log::warn!("{e}");
                log::warn!("Fatal error loading the DB. Exiting.");
                return ExitCode::FAILURE;
            }
        }
    }
    if let Err(e) = server.engine.open_aof_on_start() {
        log::warn!("{e}");
        return ExitCode::FAILURE;
    }
    server.engine.delete_history_files();
    log::info!("Ready to accept connections tcp");
    let result = server.run();
    if !pidfile.is_empty() {
        log::info!("Removing the pid file.");
        let _ = std::fs::remove_file(&pidfile);
    }
    if let Err(e) = result {
        log::warn!("Event loop failed: {e}");
        return ExitCode::FAILURE;
    }
    log::warn!("ferredis is now ready to exit, bye bye...");
    ExitCode::SUCCESS
}
