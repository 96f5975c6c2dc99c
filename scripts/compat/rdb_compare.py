#!/usr/bin/env python3
"""Compares the whole data set of two servers key by key: TYPE, OBJECT
ENCODING, PEXPIRETIME, the value (sorted for sets and hashes) and DUMP
bytes (except hash tables, whose order is the hash function's).

Usage: rdb_compare.py PORT_A PORT_B   (exit 1 on any difference)"""
import socket
import sys


class Conn:
    def __init__(self, port):
        self.s = socket.create_connection(("127.0.0.1", port))
        self.f = self.s.makefile("rb")

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a if isinstance(a, bytes) else str(a).encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.s.sendall(out)
        return self.read()

    def read(self):
        line = self.f.readline()
        kind, rest = line[:1], line[1:-2]
        if kind in (b"+", b"-"):
            return rest
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.f.read(n + 2)
            return data[:-2]
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self.read() for _ in range(n)]
        raise ValueError(line)


def keys(c):
    cursor, out = b"0", set()
    while True:
        cursor, batch = c.call("SCAN", cursor, "COUNT", 1000)
        out.update(batch)
        if cursor == b"0":
            return out


def value(c, key, kind):
    read = {
        b"string": ("GET",),
        b"list": ("LRANGE", 0, -1),
        b"set": ("SMEMBERS",),
        b"hash": ("HGETALL",),
        b"zset": ("ZRANGE", 0, -1, "WITHSCORES"),
        b"stream": ("XRANGE", "-", "+"),
    }[kind]
    v = c.call(read[0], key, *read[1:])
    if kind == b"set":
        return sorted(v)
    if kind == b"hash":
        return sorted(zip(v[::2], v[1::2]))
    if kind == b"stream":
        return [v, c.call("XINFO", "STREAM", key, "FULL")]
    return v


def main():
    a, b = Conn(int(sys.argv[1])), Conn(int(sys.argv[2]))
    checked, differ = 0, 0
    for db in range(16):
        a.call("SELECT", db)
        b.call("SELECT", db)
        ka, kb = keys(a), keys(b)
        if ka != kb:
            print(f"db {db}: keys differ: only in A {sorted(ka - kb)[:5]}, only in B {sorted(kb - ka)[:5]}")
            differ += 1
        for key in sorted(ka & kb):
            kind = a.call("TYPE", key)
            fields = {
                "type": (kind, b.call("TYPE", key)),
                "encoding": (a.call("OBJECT", "ENCODING", key), b.call("OBJECT", "ENCODING", key)),
                "expiretime": (a.call("PEXPIRETIME", key), b.call("PEXPIRETIME", key)),
                "value": (value(a, key, kind), value(b, key, kind)),
            }
            if fields["encoding"][0] != b"hashtable":
                fields["dump"] = (a.call("DUMP", key), b.call("DUMP", key))
            for name, (x, y) in fields.items():
                checked += 1
                if x != y:
                    differ += 1
                    print(f"db {db} key {key!r}: {name} differs: {str(x)[:120]} vs {str(y)[:120]}")
    print(f"rdb_compare: {checked} checks, {differ} differences")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
