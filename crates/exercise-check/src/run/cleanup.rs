//! The end of every run: stop and kill every process below the checker, reap
//! them all, and reap the program last. A process that ends hands its children
//! to the checker (their subreaper) before it can be reaped, so this goes in
//! rounds: freeze everything below, kill it, reap, and look again.

use std::collections::HashSet;
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{WaitPidFlag, WaitStatus, waitpid};
use nix::unistd::{Pid, getpid};

use super::has_ended;
use crate::procs::{self, Proc};

/// Kills the program's process group and every process below the checker
/// (but the children in `spare`, which were there before the run), reaps them
/// all, and reaps `root` last. Returns how `root` ended, and what could not be
/// cleared in 10 s (empty, unless something forks faster than it is stopped).
// ANCHOR: end_everything
pub(super) fn end_everything_below_me(
    root: Pid,
    spare: &[Pid],
) -> (nix::Result<WaitStatus>, Vec<Proc>) {
    let give_up = Instant::now() + Duration::from_secs(10);
    let _ = killpg(root, Signal::SIGKILL); // root is unreaped: its group id is still ours
    // Once root has ended, its children are ours: look for them only then.
    while !has_ended(root) && Instant::now() < give_up {
        sleep(Duration::from_millis(1));
    }
    let mut not_cleared = Vec::new();
    loop {
        let _ = killpg(root, Signal::SIGKILL); // whatever joined the group meanwhile
        let others: Vec<Pid> = procs::children(getpid())
            .into_iter()
            .map(|p| p.pid)
            .filter(|&pid| pid != root && !spare.contains(&pid))
            .collect();
        if others.is_empty() {
            break;
        }
        if Instant::now() > give_up {
            not_cleared = procs::below(&others);
            break;
        }
        freeze_then_kill(&others);
        for pid in others {
            reap_within(pid, give_up);
        }
    }
    loop {
        match waitpid(root, None) {
            Err(Errno::EINTR) => continue,
            status => return (status, not_cleared),
        }
    }
}

/// Stops (SIGSTOP) every process below `children`, looking again until no new
/// one turns up, then kills them all: a stopped process can neither fork
/// nor reap, so the processes found stay put until SIGKILL. Parents are
/// stopped before their children (the list goes down the tree), and pids are
/// handed out in turn, so a pid found here is not another's by the time it
/// is signalled.
fn freeze_then_kill(children: &[Pid]) {
    let mut frozen: Vec<Pid> = Vec::new();
    let mut seen: HashSet<Pid> = HashSet::new();
    loop {
        let new: Vec<Pid> = procs::below(children)
            .into_iter()
            .map(|p| p.pid)
            .filter(|pid| seen.insert(*pid))
            .collect();
        if new.is_empty() {
            break;
        }
        for &pid in &new {
            let _ = kill(pid, Signal::SIGSTOP);
        }
        frozen.extend(new);
    }
    for pid in frozen {
        let _ = kill(pid, Signal::SIGKILL);
    }
}
// ANCHOR_END: end_everything

/// Reaps our child `pid`, which was sent SIGKILL, waiting at most until `give_up`.
fn reap_within(pid: Pid, give_up: Instant) {
    while let Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) =
        waitpid(pid, Some(WaitPidFlag::WNOHANG))
    {
        if Instant::now() > give_up {
            return;
        }
        sleep(Duration::from_millis(1));
    }
}

/// What a run's ending says when processes outlived 10 s of killing.
pub(super) fn not_cleared(left: &[Proc]) -> String {
    format!(
        "the checker could not clear this run: after 10 s of stopping and killing, {} \
         processes were still below it (it forks faster than they can be stopped; as root, \
         no process limit holds it back). End them yourself: kill -KILL {}",
        left.len(),
        left.iter()
            .take(8)
            .map(|p| p.pid.to_string())
            .collect::<Vec<_>>()
            .join(" ")
    )
}
