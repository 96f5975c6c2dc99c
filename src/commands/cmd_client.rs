//! CLIENT subcommands: the connection's own settings (ID, SETNAME,
//! GETNAME, REPLY, SETINFO, INFO) and the view of every connection (LIST,
//! KILL).

use super::blocking::Release;
use super::client_list::{self, ClientType, client_type};
use super::table::{Command, Group, acl, flag};
use super::{ClientState, CmdError, CmdResult, ConnInfo, Ctx, is};
use bytes::Bytes;

const CONN: u32 = flag::NOSCRIPT | flag::LOADING | flag::STALE | flag::SENTINEL;
const ADMIN: u32 = flag::ADMIN | CONN;
const ACL: u32 = acl::SLOW | acl::CONNECTION;
const ADMIN_ACL: u32 = acl::ADMIN | acl::SLOW | acl::DANGEROUS | acl::CONNECTION;

static SUBCOMMANDS: &[Command] = &[
    Command::new("id", 2, client_id).flags(CONN).acl(ACL).doc(
        Group::Connection,
        "5.0.0",
        "O(1)",
        "Returns the unique id of the connection.",
    ),
    Command::new("info", 2, client_info)
        .flags(CONN)
        .acl(ACL)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Connection,
            "6.2.0",
            "O(1)",
            "Describes the calling connection, in CLIENT LIST's format.",
        ),
    Command::new("list", -2, client_list)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .tips(&["nondeterministic_output"])
        .doc(
            Group::Connection,
            "2.4.0",
            "O(N) where N is the number of client connections",
            "Describes every connection, one line each.",
        )
        .history(&[
            ("2.8.12", "Added the `id` field."),
            ("5.0.0", "Added the `TYPE` filter."),
            ("6.0.0", "Added the `user` field."),
            (
                "6.2.0",
                "Added the `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the `ID` filter.",
            ),
            (
                "7.0.0",
                "Added the `resp`, `multi-mem`, `rbs` and `rbp` fields.",
            ),
            ("7.0.3", "Added the `ssub` field."),
        ]),
    Command::new("unblock", -3, client_unblock)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            Group::Connection,
            "5.0.0",
            "O(log N) where N is the number of client connections",
            "Lets a client blocked on keys go, with a timeout reply or an error.",
        ),
    Command::new("kill", -3, client_kill)
        .flags(ADMIN)
        .acl(ADMIN_ACL)
        .doc(
            Group::Connection,
            "2.4.0",
            "O(N) where N is the number of client connections",
            "Closes connections chosen by address or by filters.",
        )
        .history(&[
            ("2.8.12", "Added the filter form."),
            ("2.8.12", "Added the `ID` filter."),
            ("3.2.0", "Added the `master` type to the `TYPE` filter."),
            (
                "5.0.0",
                "Renamed the `slave` type `replica`; `slave` is still accepted.",
            ),
            ("6.2.0", "Added the `LADDR` filter."),
            ("7.4.0", "Added the `MAXAGE` filter."),
        ]),
    Command::new("getname", 2, client_getname)
        .flags(CONN)
        .acl(ACL)
        .doc(
            Group::Connection,
            "2.6.9",
            "O(1)",
            "Returns the name given to the connection, if any.",
        ),
    Command::new("setname", 3, client_setname)
        .flags(CONN)
        .acl(ACL)
        .doc(
            Group::Connection,
            "2.6.9",
            "O(1)",
            "Names the connection (an empty name removes it).",
        ),
    Command::new("setinfo", 4, client_setinfo)
        .flags(CONN)
        .acl(ACL)
        .doc(
            Group::Connection,
            "7.2.0",
            "O(1)",
            "Records the client library's name or version for CLIENT LIST.",
        ),
    Command::new("reply", 3, client_reply)
        .flags(CONN)
        .acl(ACL)
        .doc(
            Group::Connection,
            "3.2.0",
            "O(1)",
            "Turns the replies to this connection on or off, or skips the next one.",
        ),
    Command::new("help", 2, client_help)
        .flags(flag::LOADING | flag::STALE | flag::SENTINEL)
        .acl(ACL)
        .doc(
            Group::Connection,
            "5.0.0",
            "O(1)",
            "Lists the CLIENT subcommands.",
        ),
];

pub static COMMANDS: &[Command] = &[Command::container("client", -2, SUBCOMMANDS)
    .flags(flag::SENTINEL)
    .doc(
        Group::Connection,
        "2.4.0",
        "Depends on subcommand.",
        "A container for commands about client connections.",
    )];

/// CLIENT SETNAME's rules: printable ASCII without spaces, so CLIENT LIST
/// stays splittable on spaces (an empty name clears it).
pub fn set_name(client: &mut ClientState, name: &Bytes) -> Result<(), CmdError> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CmdError::text(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    client.name = name.to_vec();
    Ok(())
}

fn client_id(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    ctx.reply.int(ctx.client.id as i64);
    Ok(())
}

fn client_getname(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    if ctx.client.name.is_empty() {
        ctx.reply.null();
    } else {
        ctx.reply.bulk(&ctx.client.name);
    }
    Ok(())
}

fn client_setname(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    set_name(ctx.client, &args[2])?;
    ctx.reply.ok();
    Ok(())
}

/// Redis 7.2's CLIENT SETINFO: LIB-NAME or LIB-VER, printable without
/// spaces (checked, as Redis does, only up to a NUL byte); empty clears.
fn client_setinfo(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let (attr, value) = (&args[2], &args[3]);
    let slot = if is(attr, "lib-name") {
        &mut ctx.client.lib_name
    } else if is(attr, "lib-ver") {
        &mut ctx.client.lib_ver
    } else {
        return Err(CmdError::quoting("ERR Unrecognized option '", attr, "'"));
    };
    if value
        .iter()
        .take_while(|&&b| b != 0)
        .any(|&b| !(b'!'..=b'~').contains(&b))
    {
        return Err(CmdError::quoting(
            "ERR ",
            attr,
            " cannot contain spaces, newlines or special characters.",
        ));
    }
    *slot = value.to_vec();
    ctx.reply.ok();
    Ok(())
}

fn client_info(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut out = String::with_capacity(320);
    let conn = client_list::current_conn(ctx, args);
    client_list::write_line(&mut out, ctx.client, ctx.reply, &conn, ctx.now_ms);
    out.push('\n');
    ctx.reply.verbatim(out.as_bytes(), "txt");
    Ok(())
}

/// CLIENT LIST [TYPE type] | [ID id ...]: clients in connection order;
/// with IDs, in the order asked, an id given twice listed twice.
fn client_list(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mut ty = None;
    let mut ids = None;
    match args {
        [_, _] => {}
        [_, _, opt, name] if is(opt, "type") => {
            ty = Some(ClientType::by_name(name).ok_or_else(|| unknown_type(name))?);
        }
        [_, _, opt, list @ ..] if is(opt, "id") && !list.is_empty() => {
            let parsed: Option<Vec<i64>> = list.iter().map(|a| crate::util::parse_i64(a)).collect();
            ids = Some(parsed.ok_or(CmdError::text("ERR Invalid client ID"))?);
        }
        _ => return Err(CmdError::SYNTAX),
    }
    let now = ctx.now_ms;
    let mut lines: Vec<(u64, String)> = Vec::new();
    client_list::for_each_client(ctx, args, &mut |c, reply, conn| {
        if ty.is_none_or(|t| client_type(c) == t) {
            let mut line = String::with_capacity(320);
            client_list::write_line(&mut line, c, reply, conn, now);
            line.push('\n');
            lines.push((c.id, line));
        }
    });
    // Ids grow with each connection, so they give Redis's list order.
    lines.sort_unstable_by_key(|(id, _)| *id);
    let out: String = match ids {
        None => lines.into_iter().map(|(_, l)| l).collect(),
        Some(ids) => ids
            .iter()
            .filter_map(|&id| {
                let found = lines.binary_search_by_key(&(id as u64), |(i, _)| *i).ok()?;
                Some(lines[found].1.as_str())
            })
            .collect(),
    };
    ctx.reply.verbatim(out.as_bytes(), "txt");
    Ok(())
}

fn unknown_type(name: &[u8]) -> CmdError {
    CmdError::quoting("ERR Unknown client type '", name, "'")
}

/// Which clients CLIENT KILL closes.
#[derive(Default)]
struct KillFilter<'a> {
    addr: Option<&'a [u8]>,
    laddr: Option<&'a [u8]>,
    id: Option<u64>,
    ty: Option<ClientType>,
    /// Older than this many seconds (Redis 7.4's MAXAGE).
    max_age: Option<i64>,
    skip_me: bool,
}

impl KillFilter<'_> {
    fn matches(&self, c: &ClientState, now_ms: i64) -> bool {
        self.addr.is_none_or(|a| a == c.addr.as_bytes())
            && self.laddr.is_none_or(|a| a == c.laddr.as_bytes())
            && self.id.is_none_or(|id| id == c.id)
            && self.ty.is_none_or(|t| t == client_type(c))
            && self
                .max_age
                .is_none_or(|age| now_ms / 1000 - c.created_ms / 1000 >= age)
    }
}

/// CLIENT KILL ip:port (the old form: `+OK` or an error), or CLIENT KILL
/// with filter pairs (the new form: how many were closed). The caller can
/// close itself (old form, or SKIPME NO): it gets its reply first.
/// CLIENT UNBLOCK id [TIMEOUT|ERROR]: 1 if the client was blocked and is
/// now released, 0 otherwise.
fn client_unblock(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let id = super::arg_i64(&args[2])?;
    let how = match args.get(3) {
        None => Release::Timeout,
        Some(r) if is(r, "timeout") => Release::Timeout,
        Some(r) if is(r, "error") => Release::Error,
        Some(_) => {
            return Err(CmdError::text(
                "ERR CLIENT UNBLOCK reason should be TIMEOUT or ERROR",
            ));
        }
    };
    let released = u64::try_from(id).is_ok_and(|id| ctx.engine.release(id, how, ctx.clients));
    ctx.reply.int(i64::from(released));
    Ok(())
}

fn client_kill(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let old_form = args.len() == 3;
    let filter = if old_form {
        KillFilter {
            addr: Some(&args[2]),
            ..KillFilter::default()
        }
    } else {
        parse_kill_filter(&args[2..])?
    };
    let now = ctx.now_ms;
    let mut killed = ctx
        .clients
        .kill(&mut |c: &ClientState, _: &ConnInfo| filter.matches(c, now));
    let kill_self = !filter.skip_me && filter.matches(ctx.client, now);
    if kill_self {
        killed += 1;
    }
    if old_form {
        if killed == 0 {
            return Err(CmdError::text("ERR No such client"));
        }
        ctx.reply.ok();
    } else {
        ctx.reply.int(killed as i64);
    }
    if kill_self {
        ctx.client.close_after_reply = true;
    }
    Ok(())
}

fn parse_kill_filter(opts: &[Bytes]) -> Result<KillFilter<'_>, CmdError> {
    let mut f = KillFilter {
        skip_me: true,
        ..KillFilter::default()
    };
    for pair in opts.chunks(2) {
        let [opt, value] = pair else {
            return Err(CmdError::SYNTAX);
        };
        if is(opt, "id") {
            let id = crate::util::parse_i64(value)
                .filter(|&n| n >= 1)
                .ok_or(CmdError::text("ERR client-id should be greater than 0"))?;
            f.id = Some(id as u64);
        } else if is(opt, "type") {
            f.ty = Some(ClientType::by_name(value).ok_or_else(|| unknown_type(value))?);
        } else if is(opt, "addr") {
            f.addr = Some(value);
        } else if is(opt, "laddr") {
            f.laddr = Some(value);
        } else if is(opt, "user") {
            // The default user is the only one ferredis has.
            if value.as_ref() != b"default" {
                return Err(CmdError::quoting("ERR No such user '", value, "'"));
            }
        } else if is(opt, "skipme") {
            f.skip_me = match () {
                _ if is(value, "yes") => true,
                _ if is(value, "no") => false,
                _ => return Err(CmdError::SYNTAX),
            };
        } else if is(opt, "maxage") {
            let age = crate::util::parse_i64(value).ok_or(CmdError::text(
                "ERR maxage is not an integer or out of range",
            ))?;
            if age <= 0 {
                return Err(CmdError::text("ERR maxage should be greater than 0"));
            }
            f.max_age = Some(age);
        } else {
            return Err(CmdError::SYNTAX);
        }
    }
    Ok(f)
}

/// CLIENT REPLY ON|OFF|SKIP. OFF and SKIP are silent by nature; ON
/// answers at once, even though the reply was muted when it began.
fn client_reply(ctx: &mut Ctx, args: &[Bytes]) -> CmdResult {
    let mode = &args[2];
    let c = &mut *ctx.client;
    if is(mode, "on") {
        c.reply_off = false;
        c.reply_skip = false;
        ctx.reply.muted = false;
        ctx.reply.ok();
    } else if is(mode, "off") {
        c.reply_off = true;
    } else if is(mode, "skip") {
        if !c.reply_off {
            c.reply_skip_next = true;
        }
    } else {
        return Err(CmdError::SYNTAX);
    }
    Ok(())
}

fn client_help(ctx: &mut Ctx, _: &[Bytes]) -> CmdResult {
    super::server::reply_help(
        ctx,
        "CLIENT",
        &[
            "GETNAME",
            "    Return the name of the current connection.",
            "ID",
            "    Return the ID of the current connection.",
            "INFO",
            "    Return information about the current client connection.",
            "KILL <ip:port>",
            "    Kill connection made from <ip:port>.",
            "KILL <option> <value> [<option> <value> [...]]",
            "    Kill connections. Options are:",
            "    * ADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made from the specified address",
            "    * LADDR (<ip:port>|<unixsocket>:0)",
            "      Kill connections made to specified local address",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Kill connections by type.",
            "    * USER <username>",
            "      Kill connections authenticated by <username>.",
            "    * SKIPME (YES|NO)",
            "      Skip killing current connection (default: yes).",
            "    * ID <client-id>",
            "      Kill connections by client id.",
            "    * MAXAGE <maxage>",
            "      Kill connections older than <maxage> seconds.",
            "LIST [options ...]",
            "    Return information about client connections. Options:",
            "    * TYPE (NORMAL|MASTER|REPLICA|PUBSUB)",
            "      Return clients of specified type.",
            "    * ID <client-id> [<client-id> ...]",
            "      Return clients with the given ids.",
            "REPLY (ON|OFF|SKIP)",
            "    Control the replies sent to the current connection.",
            "SETNAME <name>",
            "    Assign the name <name> to the current connection.",
            "UNBLOCK <clientid> [TIMEOUT|ERROR]",
            "    Unblock the specified blocked client.",
            "SETINFO <option> <value>",
            "    Record facts about the client library. Options are:",
            "    * LIB-NAME <name>",
            "      The name of the client library.",
            "    * LIB-VER <version>",
            "      The version of the client library.",
        ],
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::commands::tests::{TestClients, run, run_with, setup};

    /// The lines of a CLIENT LIST bulk reply, each of which ends in "\n".
    fn bulk_lines(reply: Vec<u8>) -> Vec<String> {
        let text = String::from_utf8(reply).unwrap();
        let (_, body) = text.split_once("\r\n").unwrap();
        let body = body.strip_suffix("\r\n").unwrap();
        assert!(body.is_empty() || body.ends_with('\n'));
        body.lines().map(str::to_string).collect()
    }

    // Expected replies were read off redis-server 7.0.15.
    #[test]
    fn names_and_ids() {
        let (mut e, mut c) = setup();
        assert_eq!(run(&mut e, &mut c, &[b"client", b"id"]), b":1\r\n");
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"id", b"x"]),
            b"-ERR wrong number of arguments for 'client|id' command\r\n"
        );
        assert_eq!(run(&mut e, &mut c, &[b"client", b"getname"]), b"$-1\r\n");
        for bad in [&b"a b"[..], b"a\nb", b"\xc3\xa9", b"a\0b", b"\x7f"] {
            assert_eq!(
                run(&mut e, &mut c, &[b"client", b"setname", bad]),
                b"-ERR Client names cannot contain spaces, newlines or special characters.\r\n"
            );
        }
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"setname", b"~!x"]),
            b"+OK\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"getname"]),
            b"$3\r\n~!x\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"setname", b""]),
            b"+OK\r\n"
        );
        assert_eq!(run(&mut e, &mut c, &[b"client", b"getname"]), b"$-1\r\n");
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"foo"]),
            b"-ERR unknown subcommand 'foo'. Try CLIENT HELP.\r\n"
        );
    }

    /// Redis 7.2's CLIENT SETINFO.
    #[test]
    fn setinfo() {
        let (mut e, mut c) = setup();
        assert_eq!(
            run(
                &mut e,
                &mut c,
                &[b"client", b"setinfo", b"LIB-NAME", b"redis-py"]
            ),
            b"+OK\r\n"
        );
        assert_eq!(
            run(
                &mut e,
                &mut c,
                &[b"client", b"setinfo", b"lib-ver", b"5.0.1"]
            ),
            b"+OK\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"setinfo", b"lib-ver", b"1 2"]),
            b"-ERR lib-ver cannot contain spaces, newlines or special characters.\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"setinfo", b"foo", b"x"]),
            b"-ERR Unrecognized option 'foo'\r\n"
        );
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"setinfo", b"lib-name"]),
            b"-ERR wrong number of arguments for 'client|setinfo' command\r\n"
        );
        let info = String::from_utf8(run(&mut e, &mut c, &[b"client", b"info"])).unwrap();
        assert!(info.ends_with(" resp=2 lib-name=redis-py lib-ver=5.0.1\n\r\n"));
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"setinfo", b"lib-name", b""]),
            b"+OK\r\n"
        );
        let info = String::from_utf8(run(&mut e, &mut c, &[b"client", b"info"])).unwrap();
        assert!(info.contains(" lib-name= lib-ver=5.0.1\n"));
    }

    #[test]
    fn list_and_info() {
        let (mut e, mut c) = setup();
        let mut others = TestClients::default();
        let b = others.add(&mut e, "127.0.0.1:2000");
        let info = String::from_utf8(run(&mut e, &mut c, &[b"client", b"info"])).unwrap();
        assert!(info.starts_with("$"), "a bulk string in RESP2");
        assert!(
            info.contains("\r\nid=1 addr=127.0.0.1:1000 laddr=127.0.0.1:6379 fd=-1 name= age=")
        );
        assert!(info.contains(" cmd=client|info user=default redir=-1 resp=2 "));
        // Redis counts the running command's arguments: "client" + "info".
        assert!(info.contains(" argv-mem=10 multi-mem=0 "));
        let list = bulk_lines(run_with(&mut e, &mut c, &mut others, &[b"client", b"list"]));
        assert_eq!(list.len(), 2);
        assert!(list[0].starts_with("id=1 addr=127.0.0.1:1000 laddr=127.0.0.1:6379 fd=-1 "));
        assert!(list[0].contains(" flags=N db=0 sub=0 psub=0 ssub=0 multi=-1 "));
        assert!(list[1].starts_with(&format!("id={b} addr=127.0.0.1:2000 ")));
        // IDs in the order asked, repeats repeated, unknown ones skipped.
        let list = bulk_lines(run_with(
            &mut e,
            &mut c,
            &mut others,
            &[b"client", b"list", b"id", b"2", b"1", b"2", b"99", b"-1"],
        ));
        let ids: Vec<&str> = list.iter().filter_map(|l| l.split(' ').next()).collect();
        assert_eq!(ids, ["id=2", "id=1", "id=2"]);
        let cases: [(&[&[u8]], &[u8]); 8] = [
            (&[b"type", b"normal", b"x"], b"-ERR syntax error\r\n"),
            (&[b"id"], b"-ERR syntax error\r\n"),
            (&[b"foo"], b"-ERR syntax error\r\n"),
            (&[b"type"], b"-ERR syntax error\r\n"),
            (&[b"type", b"foo"], b"-ERR Unknown client type 'foo'\r\n"),
            (&[b"id", b"a"], b"-ERR Invalid client ID\r\n"),
            (
                &[b"id", b"1", b"type", b"normal"],
                b"-ERR Invalid client ID\r\n",
            ),
            (&[b"type", b"pubsub"], b"$0\r\n\r\n"),
        ];
        for (opts, want) in cases {
            let mut args: Vec<&[u8]> = vec![b"client", b"list"];
            args.extend_from_slice(opts);
            assert_eq!(
                run_with(&mut e, &mut c, &mut others, &args),
                want,
                "{opts:?}"
            );
        }
    }

    #[test]
    fn kill_forms() {
        let (mut e, mut c) = setup();
        let mut others = TestClients::default();
        let b = others.add(&mut e, "127.0.0.1:2000");
        others.add(&mut e, "127.0.0.1:3000");
        let cases: [(&[&[u8]], &[u8]); 14] = [
            (&[b"1.2.3.4:5"], b"-ERR No such client\r\n"),
            (&[b"id"], b"-ERR No such client\r\n"),
            (
                &[b"id", b"abc"],
                b"-ERR client-id should be greater than 0\r\n",
            ),
            (
                &[b"id", b"0"],
                b"-ERR client-id should be greater than 0\r\n",
            ),
            (&[b"id", b"99999"], b":0\r\n"),
            (&[b"addr", b"1.2.3.4:5"], b":0\r\n"),
            (&[b"type", b"foo"], b"-ERR Unknown client type 'foo'\r\n"),
            (
                &[b"type", b"normal", b"skipme", b"maybe"],
                b"-ERR syntax error\r\n",
            ),
            (&[b"user", b"nobody"], b"-ERR No such user 'nobody'\r\n"),
            (&[b"a", b"b"], b"-ERR syntax error\r\n"),
            (&[b"id", b"1", b"x"], b"-ERR syntax error\r\n"),
            (
                &[b"maxage", b"x"],
                b"-ERR maxage is not an integer or out of range\r\n",
            ),
            (&[b"type", b"master"], b":0\r\n"),
            (&[b"id", b"2"], b":1\r\n"),
        ];
        for (opts, want) in cases {
            let mut args: Vec<&[u8]> = vec![b"client", b"kill"];
            args.extend_from_slice(opts);
            assert_eq!(
                run_with(&mut e, &mut c, &mut others, &args),
                want,
                "{opts:?}"
            );
        }
        assert!(others.others.iter().all(|(o, _, _)| o.id != b));
        assert_eq!(
            run_with(
                &mut e,
                &mut c,
                &mut others,
                &[b"client", b"kill", b"127.0.0.1:3000"]
            ),
            b"+OK\r\n"
        );
        assert!(others.others.is_empty() && !c.close_after_reply);
        // SKIPME NO: the caller is killed too, after its reply.
        assert_eq!(
            run_with(
                &mut e,
                &mut c,
                &mut others,
                &[b"client", b"kill", b"type", b"normal", b"skipme", b"no"]
            ),
            b":1\r\n"
        );
        assert!(c.close_after_reply);
    }

    #[test]
    fn reply_modes() {
        let (mut e, mut c) = setup();
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"reply", b"foo"]),
            b"-ERR syntax error\r\n"
        );
        assert_eq!(run(&mut e, &mut c, &[b"client", b"reply", b"skip"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"ping", b"a"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"ping", b"b"]), b"$1\r\nb\r\n");
        assert_eq!(run(&mut e, &mut c, &[b"client", b"reply", b"off"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"ping", b"c"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"client", b"reply", b"skip"]), b"");
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"reply", b"on"]),
            b"+OK\r\n"
        );
        assert_eq!(run(&mut e, &mut c, &[b"ping", b"d"]), b"$1\r\nd\r\n");
        // A skipped CLIENT REPLY ON still answers: it turns replies on first.
        assert_eq!(run(&mut e, &mut c, &[b"client", b"reply", b"skip"]), b"");
        assert_eq!(
            run(&mut e, &mut c, &[b"client", b"reply", b"on"]),
            b"+OK\r\n"
        );
        // An error is skipped like any reply.
        assert_eq!(run(&mut e, &mut c, &[b"client", b"reply", b"skip"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"get"]), b"");
        assert_eq!(run(&mut e, &mut c, &[b"ping"]), b"+PONG\r\n");
    }
}
