//! One connection: its socket, query buffer and parser, reply buffer, and
//! the engine-side state of the client.

use crate::commands::{ClientState, ConnInfo};
use crate::protocol::{Parser, ReplyBuffer};
use bytes::{Bytes, BytesMut};
use mio::net::TcpStream;
use std::os::fd::AsRawFd;

/// A connected client.
pub struct Client {
    pub socket: TcpStream,
    /// Bytes received and not yet parsed (Redis's querybuf).
    pub query: BytesMut,
    pub parser: Parser,
    /// Arguments of the command being received or run.
    pub args: Vec<Bytes>,
    pub state: ClientState,
    pub reply: ReplyBuffer,
    /// WRITABLE interest is registered (only while output is pending and
    /// the socket would not take it).
    pub wants_writable: bool,
    /// Queued in the server's pending-write list.
    pub queued_write: bool,
    /// Queued in the server's pending-read list.
    pub queued_read: bool,
}

impl Client {
    pub fn new(socket: TcpStream, state: ClientState) -> Client {
        Client {
            socket,
            query: BytesMut::new(),
            parser: Parser::new(),
            args: Vec::new(),
            state,
            reply: ReplyBuffer::new(),
            wants_writable: false,
            queued_write: false,
            queued_read: false,
        }
    }

    /// Connection facts for CLIENT LIST.
    pub fn conn_info(&self) -> ConnInfo {
        ConnInfo {
            fd: self.socket.as_raw_fd(),
            qbuf: self.query.len(),
            qbuf_free: self.query.capacity() - self.query.len(),
            // Arguments count only while a request is partly received;
            // a finished command's are gone, as Redis frees its argv.
            argv_mem: if self.parser.in_request() {
                self.parser.args_len
            } else {
                0
            },
            events: if self.wants_writable { "rw" } else { "r" },
        }
    }

    /// Reads up to `want` bytes from the socket onto the end of the query
    /// buffer. The bytes land in the buffer's spare capacity directly:
    /// zeroing 16 KiB before every read, which a safe `read` into a
    /// resized buffer needs, cost more than parsing a short command.
    pub fn read_query(&mut self, want: usize) -> std::io::Result<usize> {
        self.query.reserve(want);
        let spare = self.query.spare_capacity_mut();
        let want = want.min(spare.len());
        // SAFETY: recv writes at most `want` bytes into the spare capacity,
        // which is valid for writes of that length.
        let n = unsafe { libc::recv(self.socket.as_raw_fd(), spare.as_mut_ptr().cast(), want, 0) };
        let n = usize::try_from(n).map_err(|_| std::io::Error::last_os_error())?;
        // SAFETY: the kernel initialised the first `n` spare bytes.
        unsafe { self.query.set_len(self.query.len() + n) };
        Ok(n)
    }

    /// Whether the connection should be closed now: it asked to be, and
    /// everything it is owed has been written.
    pub fn done(&self) -> bool {
        self.state.close_after_reply && !self.reply.has_pending()
    }
}
