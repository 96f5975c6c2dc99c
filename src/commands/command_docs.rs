//! How COMMAND INFO and COMMAND DOCS describe one command: the reply
//! layouts of Redis's addReplyCommandInfo and addReplyCommandDocs, read
//! off the command table.

use super::table::{BeginSearch, Command, Entry, FindKeys, KeySpec, acl, doc_flag, flag};
use crate::protocol::ReplyBuffer;

/// COMMAND INFO's ten fields: name, arity, flags, first key, last key,
/// step, ACL categories, tips, key specs, subcommands.
pub fn reply_info(r: &mut ReplyBuffer, cmd: &Command, full_name: &str) {
    r.array(10);
    r.bulk(full_name.as_bytes());
    r.int(i64::from(cmd.arity));
    let flags = cmd.visible_flags();
    reply_bit_names(r, flags, &flag::NAMES, "");
    r.int(i64::from(cmd.first_key));
    r.int(i64::from(cmd.last_key));
    r.int(i64::from(cmd.key_step));
    reply_bit_names(r, cmd.acl_categories(), &acl::NAMES, "@");
    r.set(cmd.tips.len());
    for tip in cmd.tips {
        r.bulk(tip.as_bytes());
    }
    r.array(cmd.key_specs.len());
    for spec in cmd.key_specs {
        reply_key_spec(r, spec);
    }
    r.array(cmd.subcommands.len());
    for sub in cmd.subcommands {
        reply_info(r, sub, &format!("{}|{}", cmd.name, sub.name));
    }
}

/// The names of the set bits, as a set of status replies.
fn reply_bit_names(r: &mut ReplyBuffer, bits: u32, names: &[&str], prefix: &str) {
    let set: Vec<&str> = names
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, n)| *n)
        .collect();
    r.set(set.len());
    for name in set {
        r.simple(&format!("{prefix}{name}"));
    }
}

/// Key-spec flags as a set of status replies (also COMMAND
/// GETKEYSANDFLAGS's per-key flags).
pub fn reply_key_flags(r: &mut ReplyBuffer, flags: &[&str]) {
    r.set(flags.len());
    for f in flags {
        r.simple(f);
    }
}

fn reply_key_spec(r: &mut ReplyBuffer, spec: &KeySpec) {
    r.map(3 + usize::from(spec.notes.is_some()));
    if let Some(notes) = spec.notes {
        r.bulk(b"notes");
        r.bulk(notes.as_bytes());
    }
    r.bulk(b"flags");
    reply_key_flags(r, spec.flags);
    r.bulk(b"begin_search");
    r.map(2);
    r.bulk(b"type");
    match spec.begin {
        BeginSearch::Index(pos) => {
            r.bulk(b"index");
            r.bulk(b"spec");
            r.map(1);
            r.bulk(b"index");
            r.int(i64::from(pos));
        }
        BeginSearch::Keyword { keyword, startfrom } => {
            r.bulk(b"keyword");
            r.bulk(b"spec");
            r.map(2);
            r.bulk(b"keyword");
            r.bulk(keyword.as_bytes());
            r.bulk(b"startfrom");
            r.int(i64::from(startfrom));
        }
        BeginSearch::Unknown => {
            r.bulk(b"unknown");
            r.bulk(b"spec");
            r.map(0);
        }
    }
    r.bulk(b"find_keys");
    r.map(2);
    r.bulk(b"type");
    match spec.find {
        FindKeys::Range {
            lastkey,
            step,
            limit,
        } => {
            r.bulk(b"range");
            r.bulk(b"spec");
            r.map(3);
            for (name, v) in [("lastkey", lastkey), ("keystep", step), ("limit", limit)] {
                r.bulk(name.as_bytes());
                r.int(i64::from(v));
            }
        }
        FindKeys::Keynum {
            keynumidx,
            firstkey,
            step,
        } => {
            r.bulk(b"keynum");
            r.bulk(b"spec");
            r.map(3);
            for (name, v) in [
                ("keynumidx", keynumidx),
                ("firstkey", firstkey),
                ("keystep", step),
            ] {
                r.bulk(name.as_bytes());
                r.int(i64::from(v));
            }
        }
        FindKeys::Unknown => {
            r.bulk(b"unknown");
            r.bulk(b"spec");
            r.map(0);
        }
    }
}

/// COMMAND DOCS's map for one command: summary, since, group,
/// complexity, doc flags, deprecation, history and subcommands, each
/// only when the table has it. Argument descriptions are not in the
/// table, so `arguments` is never given.
pub fn reply_docs(r: &mut ReplyBuffer, cmd: &Command) {
    let present = [
        !cmd.summary.is_empty(),
        !cmd.since.is_empty(),
        true, // group
        !cmd.complexity.is_empty(),
        cmd.doc_flags != 0,
        !cmd.deprecated_since.is_empty(),
        !cmd.replaced_by.is_empty(),
        !cmd.history.is_empty(),
        cmd.is_container(),
    ];
    r.map(present.iter().filter(|&&p| p).count());
    let field = |r: &mut ReplyBuffer, name: &str, value: &str| {
        if !value.is_empty() {
            r.bulk(name.as_bytes());
            r.bulk(value.as_bytes());
        }
    };
    field(r, "summary", cmd.summary);
    field(r, "since", cmd.since);
    field(r, "group", cmd.group.name());
    field(r, "complexity", cmd.complexity);
    if cmd.doc_flags != 0 {
        r.bulk(b"doc_flags");
        let names: Vec<&str> = [
            (doc_flag::DEPRECATED, "deprecated"),
            (doc_flag::SYSCMD, "syscmd"),
        ]
        .iter()
        .filter(|(f, _)| cmd.doc_flags & f != 0)
        .map(|(_, n)| *n)
        .collect();
        r.set(names.len());
        for n in names {
            r.simple(n);
        }
    }
    field(r, "deprecated_since", cmd.deprecated_since);
    field(r, "replaced_by", cmd.replaced_by);
    if !cmd.history.is_empty() {
        r.bulk(b"history");
        r.array(cmd.history.len());
        for (version, change) in cmd.history {
            r.array(2);
            r.bulk(version.as_bytes());
            r.bulk(change.as_bytes());
        }
    }
    if cmd.is_container() {
        r.bulk(b"subcommands");
        r.map(cmd.subcommands.len());
        for sub in cmd.subcommands {
            r.bulk(format!("{}|{}", cmd.name, sub.name).as_bytes());
            reply_docs(r, sub);
        }
    }
}

/// COMMAND DOCS's entry for a table entry: its full name, then its docs.
pub fn reply_named_docs(r: &mut ReplyBuffer, e: &Entry) {
    r.bulk(e.full_name.as_bytes());
    reply_docs(r, e.cmd);
}
