//! Part 3: a 1-byte round trip over two pipes (a pipe carries bytes one way
//! only), with both processes on one CPU and on two.

use std::os::fd::AsFd;

use nix::unistd::{ForkResult, fork, pipe};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::placement::{Pinned, Placement};
use support::{ChildGuard, Stats, say};

use super::fd_io::{read_some, write_all};

/// Round trips per clock read: at ~40 µs each, a batch of 50 makes the two
/// clock reads (tens of nanoseconds) a negligible part of the figure.
const ROUND_TRIP_BATCH: usize = 50;

/// Times 1-byte ping-pongs with a forked child, the two on two CPUs.
/// Forks: returns the "refusing to fork: …" error if this process has
/// other threads.
pub fn pipe_round_trip(round_trips: usize) -> Result<Stats> {
    pipe_round_trip_placed(round_trips, Placement::TwoCpus).map(|(stats, _)| stats)
}

/// [`pipe_round_trip`] placed as asked; also says where they really ran.
pub fn pipe_round_trip_placed(
    round_trips: usize,
    placement: Placement,
) -> Result<(Stats, Placement)> {
    let (ping_read, ping_write) = pipe().context("pipe(2) parent -> child")?;
    let (pong_read, pong_write) = pipe().context("pipe(2) child -> parent")?;
    prepare_to_fork()?;
    let pinned = Pinned::caller(placement)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        // ANCHOR: echo
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            drop((ping_write, pong_read));
            let mut byte = [0u8; 1];
            // The echo: read(2) sleeps until the ping; EOF means we are done.
            while read_some(ping_read.as_fd(), &mut byte).context("read(2) of the ping")? > 0 {
                write_all(pong_write.as_fd(), &byte).context("write(2) of the pong")?;
            }
            Ok(())
        }),
        // ANCHOR_END: echo
        // ANCHOR: ping_pong
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child);
            drop((ping_read, pong_write));
            let mut ping_pong = || -> Result<()> {
                write_all(ping_write.as_fd(), b"x").context("write(2) of the ping")?;
                let mut byte = [0u8; 1];
                match read_some(pong_read.as_fd(), &mut byte).context("read(2) of the pong")? {
                    1 => Ok(()),
                    _ => Err(Error::msg("the child closed its pipe before answering")),
                }
            };
            let batch = ROUND_TRIP_BATCH.min(round_trips).max(1);
            let samples = (round_trips / batch).max(1);
            let stats = support::timing::try_measure(batch, samples, batch, &mut ping_pong)?;
            drop(ping_write); // EOF tells the child to finish
            let ending = guard.wait().context("waitpid(2)")?;
            if !ending.is_success() {
                return Err(Error::msg(format!("the echoing child {ending}")));
            }
            Ok((stats, pinned.placement()))
        } // ANCHOR_END: ping_pong
    }
}

/// Round trips on two CPUs, then on one, each printed with its placement.
pub fn on_two_cpus_and_one(round_trips: usize) -> Result<(Stats, Placement, Stats, Placement)> {
    say!("parent writes 1 byte, the child writes it back, the parent reads it");
    let (two, placed_two) = pipe_round_trip_placed(round_trips, Placement::TwoCpus)?;
    say!("{placed_two:<11}: {two}");
    let (one, placed_one) = pipe_round_trip_placed(round_trips, Placement::OneCpu)?;
    say!("{placed_one:<11}: {one}");
    if placed_two != Placement::TwoCpus {
        let why = crate::text::why_not_two_cpus(); // one CPU allowed, most likely
        say!("{why}: this run cannot compare one CPU with two");
    }
    Ok((two, placed_two, one, placed_one))
}

/// The choice of part 3's question this run showed, from the figures on
/// two CPUs and on one: 1, one CPU was quicker; 2, two were; `None`, the
/// first run was not on two CPUs (one allowed): the environment decided.
pub fn round_trip_outcome(figures: &(Stats, Placement, Stats, Placement)) -> Option<usize> {
    let (two, two_at, one, one_at) = figures;
    match (two_at, one_at) {
        (Placement::TwoCpus, Placement::OneCpu) if one.median < two.median => Some(1),
        (Placement::TwoCpus, Placement::OneCpu) => Some(2),
        _ => None,
    }
}
