"""What the bench scripts ask of this machine: a free loopback port for a
server to start on, a server process to start and stop, and its CPU time
and resident memory so far."""

import os
import socket
import subprocess
import time


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_ns(pid: int) -> int:
    """CPU time in nanoseconds (/proc/PID/schedstat's first field), the
    steadiest figure on a shared machine."""
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def user_sys_ns(pid: int) -> tuple:
    """User and kernel CPU time in nanoseconds (/proc/PID/stat utime and
    stime, in clock ticks): how much of a server's time is its own code."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    tick = 1e9 / os.sysconf("SC_CLK_TCK")
    return int(fields[11]) * tick, int(fields[12]) * tick


def rss(pid: int) -> int:
    """Resident set size in bytes (/proc/PID/statm's second field)."""
    with open(f"/proc/{pid}/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def vm_hwm(pid: int) -> int:
    """Peak RSS in bytes (/proc/PID/status VmHWM)."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    return 0


def pong(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.sendall(b"PING\r\n")
            return s.recv(16).startswith(b"+PONG")
    except OSError:
        return False


class Server:
    """A fresh redis-server or ferredis on a loopback port, persistence
    off, its files in `work`, stopped (by its own PID) when done.

    with Server("redis-server", work) as s: ... s.port, s.pid ...
    """

    def __init__(self, binary: str, work: str, *extra: str, port: int = 0):
        self.port = port or free_port()
        self.dir = os.path.join(work, f"{os.path.basename(binary)}-{self.port}")
        os.makedirs(self.dir, exist_ok=True)
        self.proc = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", self.dir,
             "--logfile", os.path.join(self.dir, "server.log"), *extra],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.pid = self.proc.pid
        for _ in range(200):
            if pong(self.port):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        raise SystemExit(f"{binary} did not start on port {self.port}")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            self.proc.wait()

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *_exc) -> None:
        self.stop()
