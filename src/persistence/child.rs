//! The forked child that writes a snapshot while the parent goes on
//! serving, as Redis's BGSAVE does: fork gives the child a copy-on-write
//! view of the whole keyspace at one instant, so the snapshot is
//! consistent without any lock, and the extra memory is bounded by the
//! pages the parent modifies while the child runs.
//!
//! The process has one thread that touches the keyspace (this one); other
//! threads only free memory handed to them. jemalloc takes its locks
//! around fork (pthread_atfork), so the child can allocate safely.

use super::child_info::{self, InfoKind};
use std::fs::File;
use std::io;
use std::time::Instant;

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

impl ChildKind {
    /// How the child's copy-on-write log lines name the job.
    fn job_name(self) -> &'static str {
        match self {
            ChildKind::Rdb => "RDB",
            ChildKind::Aof { .. } => "AOF rewrite",
        }
    }

    fn final_info(self) -> InfoKind {
        match self {
            ChildKind::Rdb => InfoKind::RdbCowSize,
            ChildKind::Aof { .. } => InfoKind::AofCowSize,
        }
    }
}

/// A child just forked, as the parent sees it.
#[derive(Debug)]
pub struct Forked {
    pub pid: libc::pid_t,
    /// The read end of its info pipe (none if the pipe could not be
    /// opened: the child then runs without reporting, as in Redis).
    pub info: Option<File>,
    /// How long fork() took (INFO's latest_fork_usec).
    pub fork_usec: u64,
}

/// Forks; the child closes the sockets it inherited (so a port is free
/// again as soon as the parent is gone, and no client sees the child),
/// runs `work` (reporting its progress and copy-on-write over the info
/// pipe, see [`child_info`]) and exits with 0 if it returned true, 1
/// otherwise, without running the parent's exit handlers.
pub fn fork(kind: ChildKind, work: impl FnOnce() -> bool) -> io::Result<Forked> {
    let pipe = child_info::open_pipe()
        .map_err(|e| log::warn!("Unable to open the child info pipe: {e}"))
        .ok();
    // SAFETY: getpid has no preconditions.
    let parent = unsafe { libc::getpid() };
    let start = Instant::now();
    // SAFETY: fork has no memory-safety preconditions; the child runs only
    // `work` and then _exit, never returning into the parent's stack.
    let pid = unsafe { libc::fork() };
    let fork_usec = start.elapsed().as_micros() as u64;
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
        if let Some((read, write)) = pipe {
            drop(read);
            child_info::start_reporting(write, kind.job_name());
        }
        let ok = std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).unwrap_or(false);
        if ok {
            child_info::send_final(kind.final_info());
        }
        // SAFETY: _exit ends the process at once, which is what the child
        // wants: no destructors, no atexit handlers, no flushing of state
        // that belongs to the parent.
        unsafe { libc::_exit(if ok { 0 } else { 1 }) };
    }
    // The parent's copy of the write end closes here, so the pipe is the
    // child's alone.
    Ok(Forked {
        pid,
        info: pipe.map(|(read, _write)| read),
        fork_usec,
    })
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
        let run = |work: fn() -> bool| fork(ChildKind::Rdb, work).unwrap().pid;
        assert_eq!(wait(run(|| true)), Exit::Code(0));
        assert_eq!(wait(run(|| false)), Exit::Code(1));
        let slow = run(|| {
            std::thread::sleep(Duration::from_secs(30));
            true
        });
        assert_eq!(reap(slow), None);
        kill(slow);
        assert_eq!(reap(slow), None, "already waited for");
    }

    #[test]
    fn a_child_sends_its_progress_and_final_copy_on_write() {
        let forked = fork(ChildKind::Aof { rdb_preamble: true }, || {
            for _ in 0..3000 {
                child_info::key_written();
            }
            true
        })
        .unwrap();
        assert_eq!(wait(forked.pid), Exit::Code(0));
        let mut pipe = forked.info.unwrap();
        let got = child_info::receive(&mut pipe);
        let kinds: Vec<_> = got.iter().map(|m| (m.kind, m.keys)).collect();
        // Current info at the first key; the rest of the keys come within
        // a second, so no more until the final reading.
        assert_eq!(
            kinds,
            [(InfoKind::Current, 1), (InfoKind::AofCowSize, 3000)]
        );
        assert!(got.iter().all(|m| m.cow > 0 && m.cow_updated_ms > 0));
    }
}
