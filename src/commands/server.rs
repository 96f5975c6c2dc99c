//! Server commands.

use super::Ctx;
use super::table::Command;

pub static COMMANDS: &[Command] = &[];

/// Replies to a HELP subcommand: Redis's layout, a header line, the given
/// lines, and the closing HELP line.
pub fn reply_help(ctx: &mut Ctx, container: &str, lines: &[&str]) {
    ctx.reply.array(lines.len() + 3);
    ctx.reply.simple(&format!(
        "{container} <subcommand> [<arg> [value] [opt] ...]. Subcommands are:"
    ));
    for l in lines {
        ctx.reply.simple(l);
    }
    ctx.reply.simple("HELP");
    ctx.reply.simple("    Prints this help.");
}
