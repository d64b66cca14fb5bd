//! How one process waits for another through shared memory: no system call
//! tells it that the other side stored a value, so it looks. If the value is
//! not there yet, it spins (a bounded time), then yields its CPU, then sleeps
//! between looks; every so often it checks that the other process still
//! runs, because a dead peer never stores anything again. Every yield and sleep is counted,
//! so the demo can print what the waiting really cost.

use std::time::{Duration, Instant};

use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::{Pid, getppid};
use support::Ending;
use support::error::{Context, Error, Result};

/// Spin at most this long before yielding: longer than a slot takes to copy
/// on an idle machine, far shorter than a scheduler time slice.
pub const SPIN_FOR: Duration = Duration::from_micros(20);
/// Then yield the CPU for up to this long, then sleep between looks.
pub const YIELD_FOR: Duration = Duration::from_millis(20);
/// A sleep between looks, once yielding has gone on for `YIELD_FOR`.
const NAP: Duration = Duration::from_micros(100);

/// Waits until `ready()`. `peer()` says whether the other process still
/// runs; when it has ended, `ready()` is asked once more, because a peer
/// that stored its last value and exited has finished, not failed.
pub fn wait_until(
    mut ready: impl FnMut() -> bool,
    peer: &mut dyn FnMut() -> Result<()>,
    waits: &mut Waits,
) -> Result<()> {
    // ANCHOR: wait
    if ready() {
        return Ok(()); // no wait at all: no clock read, nothing to count
    }
    let started = Instant::now();
    while started.elapsed() < SPIN_FOR {
        for _ in 0..64 {
            if ready() {
                return Ok(());
            }
            std::hint::spin_loop(); // a pause instruction: we are spinning
        }
    }
    waits.spun_out += 1; // spinning was not enough this time
    for look in 1u32.. {
        if ready() {
            return Ok(());
        }
        if started.elapsed() < YIELD_FOR {
            std::thread::yield_now(); // sched_yield(2): let another task run here
            waits.yields += 1;
        } else {
            std::thread::sleep(NAP); // clock_nanosleep(2): stop burning the CPU
            waits.sleeps += 1;
        }
        if look % 64 == 0 {
            if let Err(gone) = peer() {
                return if ready() { Ok(()) } else { Err(gone) }; // finished, or failed?
            }
        }
    }
    // ANCHOR_END: wait
    unreachable!("the loop above returns")
}

/// Our forked child still runs? `waitid(WNOWAIT)` looks without reaping, so
/// the child's guard still collects it.
pub fn child_still_runs(child: Pid, who: &str) -> Result<()> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    match waitid(Id::Pid(child), flags).context("waitid(2)")? {
        WaitStatus::StillAlive => Ok(()),
        status => {
            let ending = Ending::from_wait_status(status)
                .map_or_else(|| format!("{status:?}"), |ending| ending.to_string());
            Err(Error::msg(format!(
                "the {who} (pid {child}) {ending} mid-transfer"
            )))
        }
    }
}

/// The process that started us still runs? When it dies we are adopted by
/// another, and `getppid()` changes.
pub fn parent_still_runs(parent: Pid) -> Result<()> {
    match getppid() == parent {
        true => Ok(()),
        false => Err(Error::msg(format!(
            "the parent (pid {parent}) ended mid-transfer"
        ))),
    }
}

/// How a side of a transfer waited, beyond spinning (see `wait.rs`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Waits {
    /// Waits that spun for the whole spin time and went on waiting.
    pub spun_out: u64,
    /// sched_yield(2) calls.
    pub yields: u64,
    /// Sleeps between looks (clock_nanosleep(2)).
    pub sleeps: u64,
}

impl Waits {
    pub fn add(&mut self, other: Waits) {
        self.spun_out += other.spun_out;
        self.yields += other.yields;
        self.sleeps += other.sleeps;
    }

    /// System calls made while waiting.
    pub fn system_calls(&self) -> u64 {
        self.yields + self.sleeps
    }
}
