"""What the bench scripts ask of this machine: a free loopback port for a
server to start on, and a server's CPU time so far."""

import socket


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ns(pid: int) -> int:
    """CPU time in nanoseconds (/proc/PID/schedstat's first field), the
    steadiest figure on a shared machine."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])
