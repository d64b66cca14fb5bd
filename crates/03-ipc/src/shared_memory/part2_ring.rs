//! Part 2: a ring buffer in a shared mapping, between two processes. The
//! parent produces, a forked child consumes and checksums; the bytes never
//! pass through the kernel, only the two processes' waits may.

use std::time::{Duration, Instant};

use nix::unistd::{ForkResult, fork, getpid};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::placement::{Pinned, Placement};
use support::timing::format_bytes;
use support::{ChildGuard, say};

use super::report::RingTransfer;
use super::ring::{RECEIVED_BYTES, RECEIVED_CHECKSUM, Ring, TAIL, chunks};
use super::ring_ends::{consume, consumer_waits, produce};
use super::test_hooks::{KillPoint, TestHooks};
use super::wait::{Waits, child_still_runs, parent_still_runs, wait_until};
use crate::source::{pattern_source, stream_checksum};

/// Sends `total` bytes from this process to a forked child through a ring
/// in a shared memfd mapping, the two on two CPUs where allowed. Forks:
/// returns the "refusing to fork: …" error if this process has other threads.
pub fn ring_between_processes(total: u64, hooks: &TestHooks) -> Result<RingTransfer> {
    ring_run(total, hooks, true)
}

/// One run of the ring; `talk`: the two sides say what they do.
pub(super) fn ring_run(total: u64, hooks: &TestHooks, talk: bool) -> Result<RingTransfer> {
    let source = pattern_source(total);
    let sent_checksum = stream_checksum(&source, total); // before the clock starts
    let ring = Ring::in_memfd()?;
    let (parent, kill_after) = (getpid(), hooks.kill_after(KillPoint::RingConsumer));
    // ANCHOR: ring
    prepare_to_fork()?;
    let pinned = Pinned::caller(Placement::TwoCpus)?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    let child = match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            pinned.move_other_party();
            let peer = &mut || parent_still_runs(parent);
            let received = format_bytes(consume(&ring, total, hooks, kill_after, peer)?.bytes());
            if talk {
                say!("consumer: received {received}, checksummed");
            }
            Ok(())
        }),
        ForkResult::Parent { child } => child,
    };
    let guard = ChildGuard::new(child);
    let producing = format_bytes(total);
    if talk {
        say!("forked the consumer, pid {child}; producing {producing}");
    }
    let consumer_runs = &mut || {
        std::thread::sleep(hooks.slow_peer_check); // test only: zero unless asked
        child_still_runs(child, "consumer")
    };
    let start = Instant::now();
    let mut producer_waits = produce(&ring, &source, total, sent_checksum, consumer_runs)?;
    let last_emptied = || ring.load(TAIL) == chunks(total); // the end of the transfer
    wait_until(last_emptied, consumer_runs, &mut producer_waits)?;
    let elapsed = start.elapsed();
    // ANCHOR_END: ring
    let ending = guard.wait().context("waitpid(2) for the consumer")?;
    if !ending.is_success() {
        return Err(Error::msg(format!("the consumer (pid {child}) {ending}")));
    }
    let arrived = what_arrived(&ring, total, ring.load(RECEIVED_CHECKSUM) == sent_checksum);
    Ok(RingTransfer {
        elapsed,
        placement: pinned.placement(),
        producer_waits,
        ..arrived
    })
}

/// The transfer as the consumer left it in the ring, once it has ended
/// (the caller fills in the time, the placement and its own waits).
fn what_arrived(ring: &Ring, total: u64, sums_agree: bool) -> RingTransfer {
    let bytes_received = ring.load(RECEIVED_BYTES);
    let checksum_ok = sums_agree && bytes_received == total;
    let transfer = (total, bytes_received, checksum_ok, Duration::ZERO);
    RingTransfer::new(
        transfer,
        Placement::Unpinned,
        Waits::default(),
        consumer_waits(ring),
    )
}
