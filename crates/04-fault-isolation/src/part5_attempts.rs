//! Scenario 5's plumbing: one attempt of one worker, "has any of ours
//! ended?" asked by pid without waiting, and collecting an ended attempt.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::Read;
use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use support::error::{Context, Error, Result};
use support::{ChildGuard, Ending, say};

use crate::crash::Crash;
use crate::work::{decode_record, reap, short};
use crate::worker_process::start_worker_process;

/// No attempt may run longer than this: past it, the supervisor stops with
/// an error (and the guards kill and reap every worker).
const ATTEMPT_LIMIT: Duration = Duration::from_secs(60);

/// One running attempt of one worker process.
pub(crate) struct Attempt {
    guard: ChildGuard,
    read_end: OwnedFd,
    pub number: u32,
    pub crash_after: Option<u32>,
    started: Instant,
}

impl Attempt {
    pub(crate) fn start(
        worker: u32,
        number: u32,
        units: u32,
        crash_after: Option<u32>,
        how: Crash,
    ) -> Result<Attempt> {
        let (guard, read_end) = start_worker_process(worker, units, crash_after, how)?;
        Ok(Attempt {
            guard,
            read_end,
            number,
            crash_after,
            started: Instant::now(),
        })
    }
}

// ANCHOR: first_ended
/// The first of our running workers whose process has ended, if any: asks
/// each pid `waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)`, "has it
/// ended?", without waiting and without reaping it (the guard does that).
pub(crate) fn first_ended(running: &BTreeMap<u32, Attempt>) -> Result<Option<u32>> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    for (&worker, attempt) in running {
        let pid = attempt.guard.pid();
        match waitid(Id::Pid(pid), flags) {
            Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => {}
            Ok(_) => return Ok(Some(worker)), // exited or killed: ready to reap
            Err(e) => return Err(e).context(format!("waitid(2) for pid {pid}")),
        }
        if attempt.started.elapsed() > ATTEMPT_LIMIT {
            let limit = ATTEMPT_LIMIT.as_secs();
            return Err(Error::msg(format!(
                "worker-{worker} (pid {pid}) ran over {limit} s"
            )));
        }
    }
    Ok(None)
}
// ANCHOR_END: first_ended

/// Reaps an ended attempt and reads its pipe: its value, or how it ended.
pub(crate) fn collect(
    worker: u32,
    units: u32,
    attempt: Attempt,
) -> Result<std::result::Result<u64, Ending>> {
    let ending = reap(attempt.guard)?; // waitpid(2): it has ended, so this returns at once
    let mut bytes = Vec::new();
    File::from(attempt.read_end)
        .read_to_end(&mut bytes)
        .context("read(2) from a pipe")?;
    Ok(match decode_record(&bytes, worker, units) {
        Ok(value) if ending.is_success() => {
            let (number, said) = (attempt.number, short(ending));
            say!("worker-{worker} attempt {number}: {said}, result {value:#018x}");
            Ok(value)
        }
        _ => Err(ending),
    })
}
