//! The forked child that writes a snapshot while the parent goes on
//! serving, as Redis's BGSAVE does: fork gives the child a copy-on-write
//! view of the whole keyspace at one instant, so the snapshot is
//! consistent without any lock, and the extra memory is bounded by the
//! pages the parent modifies while the child runs.
//!
//! The process has one thread that touches the keyspace (this one); other
//! threads only free memory handed to them. jemalloc takes its locks
//! around fork (pthread_atfork), so the child can allocate safely.

use std::io;

/// Which job a child is doing (INFO's rdb_* or aof_* fields).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChildKind {
    Rdb,
    /// An AOF rewrite, writing its base as an RDB or as commands.
    Aof {
        rdb_preamble: bool,
    },
}

/// A running child.
#[derive(Clone, Copy, Debug)]
pub struct Child {
    pub pid: libc::pid_t,
    pub kind: ChildKind,
    /// Unix ms when it was forked.
    pub started_ms: i64,
}

/// How a child ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Exit {
    Code(i32),
    Signal(i32),
}

impl Exit {
    pub fn ok(self) -> bool {
        self == Exit::Code(0)
    }
}

/// Forks; the child closes the sockets it inherited (so a port is free
/// again as soon as the parent is gone, and no client sees the child),
/// runs `work` and exits with 0 if it returned true, 1 otherwise, without
/// running the parent's exit handlers. The parent gets the child's pid.
pub fn fork(work: impl FnOnce() -> bool) -> io::Result<libc::pid_t> {
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    // SAFETY: fork has no memory-safety preconditions; the child runs only
    // `work` and then _exit, never returning into the parent's stack.
    let pid = unsafe { libc::fork() };
    if pid < 0 {
        return Err(io::Error::last_os_error());
    }
    if pid == 0 {
        // A child whose parent is gone (killed, crashed) writes a file
        // nobody will install: it goes with the parent.
        // SAFETY: prctl with PR_SET_PDEATHSIG takes a signal number;
        // getppid and _exit have no preconditions.
        unsafe {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            if libc::getppid() != parent {
                libc::_exit(1);
            }
        }
        close_inherited_sockets();
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(false);
        // SAFETY: _exit ends the process at once, which is what the child
        // wants: no destructors, no atexit handlers, no flushing of state
        // that belongs to the parent.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    Ok(pid)
}

/// The child's exit, if it has exited (waitpid without waiting).
pub fn reap(pid: libc::pid_t) -> Option<Exit> {
    let mut status = 0;
    // SAFETY: waitpid writes only to `status`.
    let r = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
    if r != pid {
        return None;
    }
    if libc::WIFSIGNALED(status) {
        Some(Exit::Signal(libc::WTERMSIG(status)))
    } else {
        Some(Exit::Code(libc::WEXITSTATUS(status)))
    }
}

/// Stops a child (SIGUSR1, which Redis's children treat as "killed on
/// purpose", so the parent does not count it as a failed save) and waits
/// for it.
pub fn kill(pid: libc::pid_t) {
    // SAFETY: plain syscalls on a pid this process forked.
    unsafe {
        libc::kill(pid, libc::SIGUSR1);
        let mut status = 0;
        libc::waitpid(pid, &mut status, 0);
    }
}

/// Closes every socket among the open file descriptors (listeners,
/// clients, the signal pipe's socketpair), keeping files such as the log.
fn close_inherited_sockets() {
    let Ok(dir) = std::fs::read_dir("/proc/self/fd") else {
        return;
    };
    let fds: Vec<i32> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse().ok())
        .collect();
    for fd in fds {
        // SAFETY: fstat on a descriptor number fills a zeroed stat; close
        // of a socket this process no longer uses.
        unsafe {
            let mut st: libc::stat = std::mem::zeroed();
            if fd > 2
                && libc::fstat(fd, &mut st) == 0
                && st.st_mode & libc::S_IFMT == libc::S_IFSOCK
            {
                libc::close(fd);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, Instant};

    fn wait(pid: libc::pid_t) -> Exit {
        let start = Instant::now();
        loop {
            if let Some(e) = reap(pid) {
                return e;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "child did not exit"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    #[test]
    fn the_child_reports_success_failure_and_being_killed() {
        assert_eq!(wait(fork(|| true).unwrap()), Exit::Code(0));
        assert_eq!(wait(fork(|| false).unwrap()), Exit::Code(1));
        let slow = fork(|| {
            std::thread::sleep(Duration::from_secs(30));
            true
        })
        .unwrap();
        assert_eq!(reap(slow), None);
        kill(slow);
        assert_eq!(reap(slow), None, "already waited for");
    }
}
