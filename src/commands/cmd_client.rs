//! CLIENT subcommands.

use super::table::Command;
use super::{ClientState, CmdError};
use bytes::Bytes;

pub static COMMANDS: &[Command] = &[];

/// CLIENT SETNAME's rules: no spaces or newlines (an empty name clears it).
pub fn set_name(client: &mut ClientState, name: &Bytes) -> Result<(), CmdError> {
    if name.iter().any(|&b| !(b'!'..=b'~').contains(&b)) {
        return Err(CmdError::text(
            "ERR Client names cannot contain spaces, newlines or special characters.",
        ));
    }
    client.name = name.to_vec();
    Ok(())
}
