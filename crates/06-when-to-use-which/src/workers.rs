//! The plumbing of the parts that fork: start a worker process, send and
//! receive results through a pipe, join threads, reap and count children.

use std::fs::File;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::thread;

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, waitid};
use nix::unistd::{ForkResult, Pid, fork};
use support::error::{Context, Error, Result};
use support::forking::run_child;
use support::{ChildGuard, Ending, say};

use crate::report::Workload;

// ANCHOR: fork_worker
/// Runs `work` in a new process, as `thread::spawn` runs it on a new
/// thread: fork(2), do the work in the child, `_exit`. The child gets a
/// copy of everything `work` refers to; it changes nothing in the parent.
///
/// Its callers call `prepare_to_fork` once before a batch of forks, outside
/// the timed part, and start no thread until the batch is done.
pub(crate) fn fork_worker(
    children: &mut Children,
    work: impl FnOnce() -> Result<()>,
) -> Result<ChildGuard> {
    // SAFETY: prepare_to_fork checked before this batch of forks that this
    // process has one thread, and nothing since has started one (see
    // measure_modes), so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        // run_child: do the work, print an error once, then _exit; never
        // return into the parent's code, not even by a panic.
        ForkResult::Child => run_child(work),
        ForkResult::Parent { child } => {
            children.add(child);
            Ok(ChildGuard::new(child))
        }
    }
}
// ANCHOR_END: fork_worker

/// A child's result: its part number and its value, 16 bytes in one
/// write(2). Up to PIPE_BUF bytes a pipe write is atomic, so results from
/// children writing at once never interleave.
pub fn send_result(results: &File, part: usize, value: u64) -> Result<()> {
    let mut record = [0u8; 16];
    record[..8].copy_from_slice(&(part as u64).to_le_bytes());
    record[8..].copy_from_slice(&value.to_le_bytes());
    let written = nix::unistd::write(results, &record).context("write(2) of a result")?;
    if written != record.len() {
        return Err(Error::msg(format!(
            "short write(2) of a result: {written} of 16 bytes"
        )));
    }
    Ok(())
}

/// Reads one result from each of `count` children, in part order.
pub fn receive_results(results: OwnedFd, count: usize) -> Result<Vec<u64>> {
    let mut results = File::from(results);
    let mut values = vec![None; count];
    for _ in 0..count {
        let mut record = [0u8; 16];
        // read_exact loops over short reads; EOF here means every child has
        // closed its end and one of them never sent its result.
        results.read_exact(&mut record).map_err(|error| {
            if error.kind() == std::io::ErrorKind::UnexpectedEof {
                Error::msg("a child process ended without sending its result")
            } else {
                Error::msg(format!("read(2) of a result failed: {error}"))
            }
        })?;
        let part = u64::from_le_bytes(record[..8].try_into().unwrap_or_default()) as usize;
        let value = u64::from_le_bytes(record[8..].try_into().unwrap_or_default());
        match values.get_mut(part) {
            Some(slot @ None) => *slot = Some(value),
            _ => return Err(Error::msg(format!("unexpected result for part {part}"))),
        }
    }
    Ok(values.into_iter().flatten().collect())
}

/// Joins every thread; the first error or panic is returned.
pub fn join_all(handles: Vec<thread::ScopedJoinHandle<'_, Result<u64>>>) -> Result<u64> {
    let mut sum = 0;
    for handle in handles {
        sum += handle
            .join()
            .map_err(|_| Error::msg("a worker thread panicked"))??;
    }
    Ok(sum)
}

/// The children this lesson forked and reaped, counted.
#[derive(Debug, Default)]
pub struct Children {
    pub forked: usize,
    pub reaped: usize,
    pids: Vec<Pid>,
}

impl Children {
    pub fn add(&mut self, pid: Pid) {
        self.forked += 1;
        self.pids.push(pid);
    }

    /// Whether every process this lesson forked is gone, not even left as
    /// a zombie: `waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)` on each
    /// says `ECHILD`, "not a child of yours". WNOWAIT looks without reaping.
    pub fn none_left(&self) -> bool {
        let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
        self.pids
            .iter()
            .all(|&pid| waitid(Id::Pid(pid), flags) == Err(Errno::ECHILD))
    }

    /// Says how many children were forked and reaped, and whether any is
    /// left ([`Children::none_left`]); returns that.
    pub fn say_count(&self) -> bool {
        let (forked, reaped, none_left) = (self.forked, self.reaped, self.none_left());
        let noun = if forked == 1 { "process" } else { "processes" };
        let left = if none_left { "none" } else { "some!" };
        say!("forked {forked} {noun}, reaped {reaped}; children left: {left}");
        none_left
    }

    /// waitpid(2) for one child; it must have exited with code 0.
    pub fn reap(&mut self, child: ChildGuard, what: &str) -> Result<()> {
        let ending = child.wait().context(format!("waitpid(2) for {what}"))?;
        if ending != Ending::Exited(0) {
            return Err(Error::msg(format!("{what} {ending}")));
        }
        self.reaped += 1;
        Ok(())
    }
}

/// The three modes must have computed the same thing.
pub fn check_agreement(what: &str, workload: &Workload) -> Result<()> {
    if workload.answers_agree() {
        return Ok(());
    }
    Err(Error::msg(format!(
        "{what} disagree: serial {}, threads {}, processes {}",
        workload.serial.answer, workload.threads.answer, workload.processes.answer
    )))
}
