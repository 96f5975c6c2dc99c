"""The RESP2 client and command line shared by the scale scripts beside it.

Each script is run as `scripts/scale/<type>.py PORT [--n N] [--pid PID]`
against a server on 127.0.0.1:PORT.
"""

import argparse
import os
import socket
import time


class ReplyError(Exception):
    """An error reply (-ERR ...): read as a value, so that the rest of a
    pipeline's replies are still read before it is raised."""


def encode(args):
    out = [b"*%d\r\n" % len(args)]
    for a in args:
        a = a if isinstance(a, bytes) else str(a).encode()
        out.append(b"$%d\r\n%s\r\n" % (len(a), a))
    return b"".join(out)


class Conn:
    """Replies are parsed at an offset into the buffer, which is compacted
    only when refilled: slicing the buffer per reply makes reading a
    million-element reply quadratic in the client."""

    def __init__(self, port, timeout=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
        self.buf = b""
        self.pos = 0

    def close(self):
        self.sock.close()

    def _fill(self):
        chunk = self.sock.recv(1 << 22)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0

    def _line(self):
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                line, self.pos = self.buf[self.pos : end], end + 2
                return line
            self._fill()

    def read(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind == b"+":
            return rest
        if kind == b"-":
            return ReplyError(rest.decode(errors="replace"))
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) - self.pos < n + 2:
                self._fill()
            data = self.buf[self.pos : self.pos + n]
            self.pos += n + 2
            return data
        if kind in (b"*", b"~"):
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise RuntimeError(f"unexpected reply {line!r}")

    def pipeline(self, cmds, batch=1000):
        """Sends cmds `batch` at a time and returns all their replies; raises
        the first error reply once every reply has been read."""
        replies = []
        for i in range(0, len(cmds), batch):
            chunk = cmds[i : i + batch]
            self.sock.sendall(b"".join(encode(c) for c in chunk))
            replies += [self.read() for _ in chunk]
        for r in replies:
            if isinstance(r, ReplyError):
                raise r
        return replies

    def call(self, *args):
        return self.pipeline([args])[0]


# The resolution of server_cpu: /proc counts CPU time in clock ticks.
CPU_TICK = 1 / os.sysconf("SC_CLK_TCK")


def server_cpu(pid):
    """User + system CPU seconds of process pid, from /proc (same machine).
    Unlike wall time, neither this client's parsing nor other load on the
    machine inflates it; it counts in CPU_TICKs (usually 10 ms)."""
    with open(f"/proc/{pid}/stat") as f:
        # Fields after the command name, which is in parentheses and may
        # itself contain spaces; utime and stime are the 12th and 13th.
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) * CPU_TICK


def clock(pid):
    """What the scripts time with: the server's CPU seconds if its PID is
    known, else wall time."""
    return time.perf_counter() if pid is None else server_cpu(pid)


def options(doc):
    """Parses the command line every scale script takes."""
    parser = argparse.ArgumentParser(
        description=doc, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("port", type=int, help="the server, on 127.0.0.1")
    parser.add_argument("--n", type=int, default=1_000_000, help="elements in the big key (default 1,000,000)")
    parser.add_argument("--pid", type=int, help="the server's PID: time its CPU seconds, not wall time")
    return parser.parse_args()
