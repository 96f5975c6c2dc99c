#!/usr/bin/env python3
"""Times the set commands that touch many members, at two sizes, to show
none of them is accidentally quadratic: going from N/4 to N members should
cost about 4x (a little more for cache misses), not 16x.

Usage: scripts/sets-scale.py PORT [N [PID]]   (N defaults to 1,000,000)

With the server's PID (same machine) the times are the server's CPU time
(user + system, from /proc), which neither this client's own parsing nor
other load on the machine inflates; without it they are wall-clock times.

Run it against ferredis and against redis-server alike and compare. It
overwrites the keys scale:* on the server at 127.0.0.1:PORT.
"""

import os
import socket
import sys
import time


class Conn:
    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.buf = b""
        self.pos = 0

    def send(self, *cmds):
        out = []
        for cmd in cmds:
            out.append(b"*%d\r\n" % len(cmd))
            for a in cmd:
                a = a if isinstance(a, bytes) else str(a).encode()
                out.append(b"$%d\r\n%s\r\n" % (len(a), a))
        self.sock.sendall(b"".join(out))

    # Replies are parsed at an offset into the buffer, which is compacted
    # only when refilled: slicing per reply made reading a million-member
    # reply quadratic in this client.
    def _line(self):
        while True:
            end = self.buf.find(b"\r\n", self.pos)
            if end >= 0:
                line, self.pos = self.buf[self.pos : end], end + 2
                return line
            self._more()

    def _more(self):
        chunk = self.sock.recv(1 << 20)
        if not chunk:
            raise ConnectionError("server closed the connection")
        self.buf = self.buf[self.pos :] + chunk
        self.pos = 0

    def reply(self):
        line = self._line()
        kind, rest = line[:1], line[1:]
        if kind in (b"+", b":"):
            return int(rest) if kind == b":" else rest
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            while len(self.buf) < self.pos + n + 2:
                self._more()
            data = self.buf[self.pos : self.pos + n]
            self.pos += n + 2
            return data
        if kind in (b"*", b"~"):
            n = int(rest)
            return None if n < 0 else [self.reply() for _ in range(n)]
        raise RuntimeError(f"unexpected reply {line!r}")

    def call(self, *cmd):
        self.send(cmd)
        return self.reply()

    def pipeline(self, cmds, batch=1000):
        for i in range(0, len(cmds), batch):
            chunk = cmds[i : i + batch]
            self.send(*chunk)
            for _ in chunk:
                self.reply()


def load(c, key, members, per_cmd=1000):
    c.call("DEL", key)
    cmds = [
        ["SADD", key] + members[i : i + per_cmd]
        for i in range(0, len(members), per_cmd)
    ]
    c.pipeline(cmds, batch=20)


SERVER_PID = None


def clock():
    """The server's CPU seconds if its PID is known, else wall time."""
    if SERVER_PID is None:
        return time.perf_counter()
    with open(f"/proc/{SERVER_PID}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed(label, f, results):
    t = clock()
    f()
    results[label] = clock() - t
    print(f"  {label}: {results[label]:.3f}s", file=sys.stderr, flush=True)


def run(c, n):
    r = {}
    ints = [str(i) for i in range(n)]
    strs = [f"m:{i}" for i in range(n)]
    # Members shared by the two string sets: every other one.
    other = [f"m:{i}" for i in range(0, 2 * n, 2)]

    timed("SADD n strings (1000 a command)", lambda: load(c, "scale:a", strs), r)
    timed("SADD n integers (1000 a command)", lambda: load(c, "scale:i", ints), r)
    timed(
        "SADD n/4 one at a time",
        lambda: c.pipeline([["SADD", "scale:one", m] for m in strs[: n // 4]]),
        r,
    )
    load(c, "scale:b", other)
    timed("SINTER a b", lambda: c.call("SINTER", "scale:a", "scale:b"), r)
    timed("SINTERCARD 2 a b", lambda: c.call("SINTERCARD", 2, "scale:a", "scale:b"), r)
    timed("SUNIONSTORE u a b", lambda: c.call("SUNIONSTORE", "scale:u", "scale:a", "scale:b"), r)
    timed("SDIFFSTORE d a b", lambda: c.call("SDIFFSTORE", "scale:d", "scale:a", "scale:b"), r)
    timed("SMEMBERS a", lambda: c.call("SMEMBERS", "scale:a"), r)
    timed("SRANDMEMBER a n/2", lambda: c.call("SRANDMEMBER", "scale:a", n // 2), r)
    timed("SRANDMEMBER a 9n/10", lambda: c.call("SRANDMEMBER", "scale:a", n * 9 // 10), r)
    timed("SRANDMEMBER a -n", lambda: c.call("SRANDMEMBER", "scale:a", -n), r)

    def sscan_all():
        cursor, seen = b"0", 0
        while True:
            cursor, items = c.call("SSCAN", "scale:a", cursor, "COUNT", 100)
            seen += len(items)
            if cursor == b"0":
                break
        assert seen >= n, seen

    timed("SSCAN a to completion (COUNT 100)", sscan_all, r)
    c.call("COPY", "scale:a", "scale:p1", "REPLACE")
    c.call("COPY", "scale:a", "scale:p2", "REPLACE")
    timed("SPOP copy n/10", lambda: c.call("SPOP", "scale:p1", n // 10), r)
    timed("SPOP copy 9n/10", lambda: c.call("SPOP", "scale:p2", n * 9 // 10), r)

    def pop_all():
        c.pipeline([["SPOP", "scale:a"] for _ in range(n)])
        assert c.call("EXISTS", "scale:a") == 0

    timed("SPOP one at a time until empty", pop_all, r)

    def pop_ints():
        c.pipeline([["SPOP", "scale:i"] for _ in range(n)])
        assert c.call("EXISTS", "scale:i") == 0

    timed("SPOP integers one at a time until empty", pop_ints, r)
    c.call("DEL", "scale:a", "scale:b", "scale:i", "scale:one", "scale:u", "scale:d", "scale:p1", "scale:p2")
    return r


def main():
    port = int(sys.argv[1])
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 1_000_000
    global SERVER_PID
    SERVER_PID = int(sys.argv[3]) if len(sys.argv) > 3 else None
    c = Conn(port)
    small, big = run(c, n // 4), run(c, n)
    unit = "cpu s" if SERVER_PID else "s"
    print(f"{'operation':44} {'N/4 ' + unit:>9} {'N ' + unit:>9} {'ratio':>6}")
    for label, t in big.items():
        s = small[label]
        print(f"{label:44} {s:9.2f} {t:9.2f} {t / max(s, 1e-9):6.1f}")


if __name__ == "__main__":
    main()
