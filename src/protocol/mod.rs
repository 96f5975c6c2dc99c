//! The wire protocol: requests in (RESP2 multibulk and inline), replies out.
//!
//! Nothing here knows about sockets or commands. The request parser turns
//! bytes of a client's query buffer into argument vectors; the reply writer
//! turns values into RESP bytes in a client's reply buffer.

pub mod parser;
pub mod reply;

pub use parser::{ParseError, Parser};
pub use reply::{Protocol, ReplyBuffer};
