//! Part 1: start a thread that does nothing, wait for it to end. Three ways:
//! std's `thread::spawn`, the raw `pthread_create` std is built on, and a
//! `thread::scope` whose thread is joined explicitly. Their batches take
//! turns, so that none always runs first on a machine that changes pace.

use std::thread;
use std::time::{Duration, Instant};

use support::error::{Context, Error, Result};
use support::timing::Stats;

// Starts between two clock reads: a batch lasts a millisecond or more, so
// the figure is the primitive's cost, not the clock's.
const THREAD_BATCH: usize = 200;

/// The three rows (those `wanted`), `repeats` batches each, taken in turn
/// after a warm-up.
pub fn thread_rows(repeats: usize, wanted: [bool; 3]) -> Result<[Option<Stats>; 3]> {
    let ways: [fn() -> Result<()>; 3] = [std_spawn_once, pthread_once, scope_once];
    let mut timings: [Vec<Duration>; 3] = Default::default();
    for round in 0..=repeats {
        let ways = ways.iter().zip(&mut timings).zip(wanted);
        for ((way, timings), _) in ways.filter(|(_, wanted)| *wanted) {
            let start = Instant::now();
            for _ in 0..THREAD_BATCH {
                way()?;
            }
            if round > 0 {
                timings.push(start.elapsed() / THREAD_BATCH as u32); // round 0 warms up
            }
        }
    }
    // A row not wanted has no timings (`repeats` is at least 1): no figure.
    let figure = |timings: Vec<_>| Stats::from_batch_means(timings, THREAD_BATCH);
    Ok(timings.map(|timings| (!timings.is_empty()).then(|| figure(timings))))
}

// ANCHOR: std_spawn
/// A thread that does nothing, started and joined through std.
fn std_spawn_once() -> Result<()> {
    // clone3(2) with CLONE_VM | CLONE_THREAD: same address space, a new
    // stack. Then, in the new thread, std's own set-up: it asks where its
    // stack is (glibc's pthread_getattr_np, which calls sched_getaffinity)
    // and maps a 12 KiB signal stack (sigaltstack) for its stack-overflow
    // message.
    let handle = thread::Builder::new()
        .spawn(|| {})
        .context("spawning a thread")?;
    // join: pthread_join, wait until the thread has ended.
    handle
        .join()
        .map_err(|_| Error::msg("the empty thread panicked"))
}
// ANCHOR_END: std_spawn

extern "C" fn empty_thread(_arg: *mut libc::c_void) -> *mut libc::c_void {
    std::ptr::null_mut()
}

// ANCHOR: raw_pthread
/// The same through libc: pthread_create + pthread_join, nothing more.
fn pthread_once() -> Result<()> {
    let mut thread: libc::pthread_t = 0;
    // SAFETY: `thread` is a valid place for the new id, null attributes
    // mean the defaults, and `empty_thread` is an `extern "C"` function
    // that never reads its (null) argument.
    let created = unsafe {
        libc::pthread_create(
            &mut thread,
            std::ptr::null(),
            empty_thread,
            std::ptr::null_mut(),
        )
    };
    if created != 0 {
        return Err(std::io::Error::from_raw_os_error(created)).context("pthread_create(3)");
    }
    // SAFETY: `thread` was created just above, is joinable, and is joined
    // exactly once, here.
    let joined = unsafe { libc::pthread_join(thread, std::ptr::null_mut()) };
    if joined != 0 {
        return Err(std::io::Error::from_raw_os_error(joined)).context("pthread_join(3)");
    }
    Ok(())
}
// ANCHOR_END: raw_pthread

// ANCHOR: scope
/// A scope that starts one thread and joins it explicitly. Leaving a scope
/// waits only until the closure has returned, not until the OS thread has
/// ended: without `join` the thread's exit would overlap the next
/// iteration, and the figure would measure less work.
fn scope_once() -> Result<()> {
    thread::scope(|scope| {
        let handle = thread::Builder::new()
            .spawn_scoped(scope, || {})
            .context("spawning a scoped thread")?;
        // pthread_join: the OS thread has ended when this returns.
        handle
            .join()
            .map_err(|_| Error::msg("the scoped thread panicked"))
    })
}
// ANCHOR_END: scope
