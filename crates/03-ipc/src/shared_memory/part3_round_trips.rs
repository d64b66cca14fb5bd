//! Part 3: round trips through one shared word: the parent stores an odd
//! number, the forked child answers with the next even one. Both sides spin
//! on the word; then both sleep on it in futex(2), a shared futex (listing 03e).

use std::sync::atomic::{AtomicU32, Ordering};

use nix::unistd::{ForkResult, fork, getpid};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::placement::{Pinned, Placement};
use support::{ChildGuard, Stats};

use super::ring::Ring;
use super::wait::{Waits, child_still_runs, parent_still_runs, wait_until};

const STOP: u32 = u32::MAX; // the parent stores this to send the echo home

/// How the two sides wait for the word to change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Waiting {
    /// Spin, then yield, then sleep (`wait.rs`).
    Spin,
    /// Sleep in FUTEX_WAIT until the other side's FUTEX_WAKE.
    Futex,
}

/// Times round trips through a shared word with a forked echo, on two CPUs
/// where allowed: the figure, the placement, both sides' waits. Forks:
/// refuses if this process has other threads.
pub fn word_round_trips(waiting: Waiting, batch: usize) -> Result<(Stats, Placement, Waits)> {
    let ring = Ring::in_memfd()?; // one word of it is used here
    // SAFETY: offset 0 is aligned, inside the mapping, and used only atomically.
    let word = unsafe { AtomicU32::from_ptr(ring.base.cast()) };
    let parent = getpid();
    prepare_to_fork()?;
    let pinned = Pinned::caller(Placement::TwoCpus)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    let child = match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            echo(&ring, word, waiting, &mut || parent_still_runs(parent))
        }),
        ForkResult::Parent { child } => child,
    };
    let guard = ChildGuard::new(child);
    let (mut next, mut waits) = (1u32, Waits::default());
    let mut one_round_trip = || -> Result<()> {
        post(word, next, waiting); // the ping
        let peer = &mut || child_still_runs(child, "echoing child");
        wait_for(
            word,
            waiting,
            || word.load(Ordering::Acquire) == next + 1,
            peer,
            &mut waits,
        )?;
        next += 2;
        Ok(())
    };
    let stats = support::timing::try_measure(batch, 21, batch, &mut one_round_trip)?;
    post(word, STOP, waiting);
    let ending = guard.wait().context("waitpid(2) for the echoing child")?;
    if !ending.is_success() {
        return Err(Error::msg(format!(
            "the echoing child (pid {child}) {ending}"
        )));
    }
    let (yields, sleeps) = (ring.load(8), ring.load(16)); // the echo's, beside ours
    waits.add(Waits {
        spun_out: 0,
        yields,
        sleeps,
    });
    Ok((stats, pinned.placement(), waits))
}

// ANCHOR: echo_loop
/// The child: answers each odd number with the next even one until STOP.
fn echo(
    ring: &Ring,
    word: &AtomicU32,
    waiting: Waiting,
    peer: &mut dyn FnMut() -> Result<()>,
) -> Result<()> {
    let mut waits = Waits::default();
    for expected in (1u32..).step_by(2) {
        let arrived = || matches!(word.load(Ordering::Acquire), v if v == expected || v == STOP);
        wait_for(word, waiting, arrived, peer, &mut waits)?;
        if word.load(Ordering::Acquire) == STOP {
            break;
        }
        post(word, expected + 1, waiting); // the pong
    }
    ring.word(8).store(waits.yields, Ordering::Release);
    ring.word(16).store(waits.sleeps, Ordering::Release);
    Ok(())
}
// ANCHOR_END: echo_loop

// ANCHOR: post
/// Stores `value` and, for a futex, wakes the sleeper (no private flag:
/// the kernel finds waiters by the shared page, in any process).
fn post(word: &AtomicU32, value: u32, waiting: Waiting) {
    word.store(value, Ordering::Release);
    if waiting == Waiting::Futex {
        // SAFETY: FUTEX_WAKE only looks the address up; the word is live.
        unsafe { libc::syscall(libc::SYS_futex, word.as_ptr(), libc::FUTEX_WAKE, 1) };
    }
}
// ANCHOR_END: post

/// Waits until `arrived()`: by spinning, or by sleeping in FUTEX_WAIT while
/// the word still holds the value we saw (a bounded sleep: the peer check).
fn wait_for(
    word: &AtomicU32,
    waiting: Waiting,
    arrived: impl Fn() -> bool,
    peer: &mut dyn FnMut() -> Result<()>,
    waits: &mut Waits,
) -> Result<()> {
    if waiting == Waiting::Spin {
        return wait_until(arrived, peer, waits);
    }
    // ANCHOR: futex_wait
    let bound = libc::timespec {
        tv_sec: 0,
        tv_nsec: 100_000_000,
    };
    while !arrived() {
        let seen = word.load(Ordering::Acquire);
        // SAFETY: the kernel reads the live word and `bound` during the call;
        // it sleeps only while the word still holds `seen`.
        unsafe {
            libc::syscall(
                libc::SYS_futex,
                word.as_ptr(),
                libc::FUTEX_WAIT,
                seen,
                &bound,
            )
        };
        waits.sleeps += 1;
        if !arrived() {
            peer()?;
        }
    }
    Ok(())
}
// ANCHOR_END: futex_wait
