//! The driver: the world the tasks wait for. A process of its own, forked
//! first, before any task or thread exists, so that its work (and its CPU
//! time) is the same for every model and counts in none of their figures.
//! It holds the other end of every task's socket. Its rounds are due by the
//! clock, one wait apart: when one is due it writes every task its
//! question. After the last round it reads every task's total.

use std::os::fd::OwnedFd;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::unistd::{ForkResult, fork, getpid};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};

use crate::limits::stopped_by;
use crate::model::die_with;
use crate::sockets::{KEPT_FREE, Message, channel, descriptors_left, receive, send, socket_pair};
use crate::work::{ROUNDS, question, read_u64, right_total, write_u64};

/// The message that ends the hand-over: `[GO, tasks]`.
const GO: u64 = u64::MAX;

/// The driver's process, and the channel to it.
pub struct Driver {
    child: ChildGuard,
    channel: OwnedFd,
}

impl Driver {
    /// Forks the driver. Call it first: this process must have one thread.
    pub fn start(wait: Duration) -> Result<Driver> {
        let (ours, theirs) = channel()?;
        let parent = getpid();
        prepare_to_fork()?;
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2) of the driver")? {
            ForkResult::Child => run_child(|| {
                die_with(parent)?;
                drop(ours);
                drive(&theirs, wait)
            }),
            ForkResult::Parent { child } => Ok(Driver {
                child: ChildGuard::new(child),
                channel: ours,
            }),
        }
    }

    // ANCHOR: make_sockets
    /// Makes a socket pair per task, sends the driver its end, and hands the
    /// task's end to `give`. Returns how many were made: fewer than `tasks`
    /// if a limit stopped `socketpair`, with the sentence that names it. It
    /// stops [`KEPT_FREE`] descriptors short of RLIMIT_NOFILE, so the model
    /// (and the driver, which holds as many) can still open what it needs.
    pub fn make_sockets(
        &self,
        tasks: usize,
        mut give: impl FnMut(usize, OwnedFd) -> Result<()>,
    ) -> Result<(usize, Option<String>)> {
        let room = descriptors_left().map_or(tasks, |left| left.saturating_sub(KEPT_FREE));
        for task in 0..tasks {
            if task >= room {
                return Ok((task, Some(stopped_by(Errno::EMFILE)))); // stop before the limit
            }
            let (driver_end, task_end) = match socket_pair() {
                Ok(pair) => pair,
                Err(errno) => return Ok((task, Some(stopped_by(errno)))),
            };
            send(&self.channel, [task as u64, 0], Some(&driver_end))?; // SCM_RIGHTS
            drop(driver_end); // ours; the copy now in the driver stays open
            give(task, task_end)?;
        }
        Ok((tasks, None))
    }
    // ANCHOR_END: make_sockets

    /// Tells the driver how many tasks are waiting: its rounds start now.
    pub fn go(&self, tasks: usize) -> Result<()> {
        send(&self.channel, [GO, tasks as u64], None)
    }

    /// The driver's tally once its rounds are over: (totals right, tasks).
    pub fn answers(&self) -> Result<(u64, u64)> {
        match receive(&self.channel)? {
            Some(([right, asked], _)) => Ok((right, asked)),
            None => Err(Error::msg("the driver ended without its tally")),
        }
    }

    /// Waits for the driver to end, and reaps it.
    pub fn reap(self) -> Result<()> {
        drop(self.channel); // so a driver still waiting for `go` ends
        let ending = self.child.wait().context("waitpid(2) of the driver")?;
        match ending {
            support::Ending::Exited(0) => Ok(()),
            other => Err(Error::msg(format!("the driver {other}"))),
        }
    }
}

/// The driver's life: collect the sockets, then ask ROUNDS rounds of
/// questions, then send the tally back.
fn drive(channel: &OwnedFd, wait: Duration) -> Result<()> {
    let mut ends = Vec::new();
    let tasks = loop {
        match receive(channel)? {
            Some(([GO, tasks], _)) => break tasks as usize,
            Some((message, Some(end))) if message[0] == ends.len() as u64 => ends.push(end),
            Some(other) => return Err(Error::msg(format!("driver: unexpected {other:?}"))),
            None => return Ok(()), // the model's process ended before `go`
        }
    };
    ends.truncate(tasks);
    let right = ask_rounds(&ends, wait);
    let tally: Message = [right, ends.len() as u64];
    send(channel, tally, None)
}

// ANCHOR: ask_rounds
/// Each round, when it is due (one wait after the last one was due), write
/// every task its question; then read every task's total. Returns how many
/// totals were right.
fn ask_rounds(ends: &[OwnedFd], wait: Duration) -> u64 {
    let mut alive = vec![true; ends.len()]; // a task that failed is not asked again
    let start = Instant::now();
    for round in 0..ROUNDS {
        let due = start + wait * (round as u32 + 1); // 1, 2, 3 waits after `go`
        std::thread::sleep(due.saturating_duration_since(Instant::now())); // every task waits
        for (task, end) in ends.iter().enumerate() {
            alive[task] &= write_u64(end, question(task, round)).is_ok();
        }
    }
    let total = |(task, end): (usize, &OwnedFd)| alive[task].then(|| read_u64(end));
    let totals = ends.iter().enumerate().map(total);
    let right = totals
        .enumerate()
        .filter(|(task, got)| matches!(got, Some(Ok(Some(t))) if *t == right_total(*task)));
    right.count() as u64
}
// ANCHOR_END: ask_rounds
