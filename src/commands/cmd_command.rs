//! COMMAND and its subcommands: the command table, as data, to clients.

use super::table::Command;

pub static COMMANDS: &[Command] = &[];
