//! Forking soundly: check before, and leave cleanly after.
//!
//! `fork(2)` copies only the thread that calls it. If another thread held a
//! lock at that instant (stdout's, the environment's, any library's), the
//! child inherits the lock held by a thread that does not exist in it, and
//! hangs the first time it needs it: a child that prints while another
//! thread of its parent was printing can block for ever. (glibc's own
//! `malloc` locks are taken and released around `fork`, so allocation is
//! not the usual culprit; Rust's std locks are not.) So every safe function in this workspace
//! that forks first calls [`prepare_to_fork`], which refuses with a clear
//! error unless this process has exactly one thread. Then the child may run
//! ordinary Rust code, as long as it ends through [`run_child`] or
//! [`exit_child`] and never returns into its parent's frames.

use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

use crate::error::{Error, Result};

/// How long [`prepare_to_fork`] waits for threads that are already ending.
///
/// A thread that was just joined, or that `thread::scope` left behind (the
/// scope waits for the closure, not for the OS thread to exit), can still be
/// counted by the kernel for a moment.
const ENDING_THREADS_GRACE: Duration = Duration::from_secs(1);

/// The number of threads (tasks) in this process: the `Threads:` line of
/// `/proc/self/status`. `None` where there is no `/proc`.
pub fn threads_in_this_process() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
}

/// Call right before every `fork`: checks that this process has one thread
/// (waiting up to a second for threads that are just ending), then flushes
/// stdout so the child does not inherit, and print again, half a line.
///
/// Errors: "refusing to fork: this process has 2 threads", when it is
/// embedded in a program that runs other threads; or when `/proc` cannot
/// say (on Linux every process has it).
pub fn prepare_to_fork() -> Result<()> {
    let deadline = Instant::now() + ENDING_THREADS_GRACE;
    let mut pause = Duration::from_micros(100);
    loop {
        match threads_in_this_process() {
            Some(1) => break,
            Some(threads) if Instant::now() >= deadline => {
                return Err(Error::msg(format!(
                    "refusing to fork: this process has {threads} threads (fork copies only the \
                     calling thread; a lock another thread holds would stay locked in the child)"
                )));
            }
            Some(_) => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(20));
            }
            None => {
                return Err(Error::msg(
                    "refusing to fork: cannot count this process's threads (no /proc/self/status)",
                ));
            }
        }
    }
    std::io::stdout()
        .flush()
        .map_err(|e| Error::msg(format!("flushing stdout before fork(2) failed: {e}")))
}

/// The child's side of a `fork`: runs `body`, then ends the process with
/// `_exit`, never returning into the parent's code.
///
/// Exit code 0 when `body` returns `Ok`; 1 after printing its error once on
/// stderr (`[child  pid=… main    ] error: …`); 101 if it panicked (the
/// panic message is already on stderr). Only sound in a child forked after
/// [`prepare_to_fork`] succeeded, where ordinary Rust code may run.
pub fn run_child(body: impl FnOnce() -> Result<()>) -> ! {
    crate::speaker::mark_child_process();
    let code = match catch_unwind(AssertUnwindSafe(body)) {
        Ok(Ok(())) => 0,
        Ok(Err(error)) => {
            eprintln!("{} error: {error}", crate::speaker::Speaker::current());
            1
        }
        Err(_panic) => 101,
    };
    exit_child(code)
}

/// Flushes stdout and stderr, then `_exit(code)`: ends this (child) process
/// at once, without running the destructors and `atexit` handlers it
/// inherited from its parent.
pub fn exit_child(code: i32) -> ! {
    let _ = std::io::stdout().flush();
    let _ = std::io::stderr().flush();
    // SAFETY: `_exit` is async-signal-safe and takes no lock; it ends the
    // process immediately, so no inherited destructor runs twice.
    unsafe { libc::_exit(code) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_process_counts_at_least_its_own_thread() {
        assert!(threads_in_this_process().is_some_and(|n| n >= 1));
    }

    #[test]
    fn a_process_with_a_second_thread_is_refused() {
        // Keep a second thread alive for the whole check.
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        let other = std::thread::spawn(move || stopped.recv());
        let error = prepare_to_fork().unwrap_err().to_string();
        stop.send(()).unwrap();
        other.join().unwrap().unwrap();
        assert!(
            error.starts_with("refusing to fork: this process has "),
            "{error}"
        );
    }
}
