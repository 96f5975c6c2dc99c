//! Opening the listening sockets named by `bind` and `port`.

use mio::net::TcpListener;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// One address of the `bind` list: `*` is every IPv4 address, `::*` every
/// IPv6 one, and a leading `-` marks an address that may be unavailable
/// (skipped instead of failing start-up), as in Redis.
fn parse_bind(addr: &str) -> Option<(IpAddr, bool)> {
    let (optional, addr) = match addr.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, addr),
    };
    let ip = match addr {
        "*" => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
        "::*" => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
        other => other.parse().ok()?,
    };
    Some((ip, optional))
}

/// Binds every address of `bind` on `port` with the given backlog.
/// Port 0 means no TCP listener, as in Redis.
pub fn bind_all(bind: &[String], port: u16, backlog: i32) -> Result<Vec<TcpListener>, String> {
    let mut out = Vec::new();
    if port == 0 {
        return Ok(out);
    }
    let default = ["*".to_string(), "-::*".to_string()];
    let addrs = if bind.is_empty() { &default[..] } else { bind };
    for a in addrs {
        let Some((ip, optional)) = parse_bind(a) else {
            return Err(format!("Invalid bind address '{a}'"));
        };
        match listen(SocketAddr::new(ip, port), backlog) {
            Ok(l) => out.push(l),
            // An optional address that this host lacks (no IPv6, say) is
            // skipped; one that is taken is still an error.
            Err(e) if optional && e.kind() != std::io::ErrorKind::AddrInUse => {
                log::debug!("Skipping optional bind address {a}: {e}");
            }
            Err(e) => {
                return Err(format!(
                    "Warning: Could not create server TCP listening socket {}:{port}: {e}",
                    a.trim_start_matches('-')
                ));
            }
        }
    }
    if out.is_empty() {
        return Err("Failed listening on port: no address could be bound".into());
    }
    Ok(out)
}

fn listen(addr: SocketAddr, backlog: i32) -> std::io::Result<TcpListener> {
    use socket2::{Domain, Socket, Type};
    let socket = Socket::new(Domain::for_address(addr), Type::STREAM, None)?;
    if addr.is_ipv6() {
        // Keep IPv6 sockets to IPv6 so `*` and `::*` can both bind the port.
        socket.set_only_v6(true)?;
    }
    socket.set_reuse_address(true)?;
    socket.set_nonblocking(true)?;
    socket.bind(&addr.into())?;
    socket.listen(backlog)?;
    Ok(TcpListener::from_std(socket.into()))
}

/// Sets the options Redis sets on every accepted connection: no Nagle
/// delay, and TCP keepalive probes after `keepalive` seconds.
pub fn tune_accepted(stream: &mio::net::TcpStream, keepalive: i64) {
    let _ = stream.set_nodelay(true);
    if keepalive > 0 {
        let sock = socket2::SockRef::from(stream);
        let secs = std::time::Duration::from_secs(keepalive as u64);
        let ka = socket2::TcpKeepalive::new()
            .with_time(secs)
            .with_interval(std::time::Duration::from_secs(
                (keepalive as u64 / 3).max(1),
            ))
            .with_retries(3);
        let _ = sock.set_tcp_keepalive(&ka);
    }
}
