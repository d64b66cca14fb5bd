//! Part 3: sharing needs synchronisation. Threads add 1 to one counter, many
//! times each: with a separate load and store (a race condition: updates
//! are lost), then three correct ways. Listings: `examples/02b-…`, `02c-…`.

use std::hint::black_box;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};
use std::sync::{Barrier, PoisonError};
use std::thread;
use std::time::{Duration, Instant};

use support::error::{Context, Result};
use support::say;
use support::timing::format_duration;

use crate::joined;
use crate::part1_one_address_space::worker_name;
use crate::report::{CounterRun, Counters, grouped};

/// Part 3: the same count four ways, the broken one first.
pub fn lost_updates(threads: usize, increments: u64) -> Result<Counters> {
    let (each, s) = (grouped(increments), if threads == 1 { "" } else { "s" });
    let cores = support::placement::allowed_cpus().map_or(1, |cpus| cpus.len()); // affinity mask
    say!("{threads} thread{s} × {each} increments each; {cores} CPU(s) allowed");
    let run = |label, outcome| counted(label, threads, increments, outcome);
    Ok(Counters {
        racy_load_store: run("BROKEN load+store", racy_count(threads, increments)?),
        atomic_fetch_add: run("fetch_add", atomic_count(threads, increments)?),
        parking_lot_mutex: run("parking_lot Mutex", parking_lot_count(threads, increments)?),
        std_mutex: run("std Mutex", std_mutex_count(threads, increments)?),
    })
}

// ANCHOR: racy
/// BROKEN: the critical section (read, add one, write back) is unprotected.
/// Each load and store is atomic on its own, so this is safe Rust with no
/// undefined behaviour, but it has a race condition: another thread can
/// store between our load and our store, and our store wipes its update.
fn racy_count(threads: usize, increments: u64) -> Result<(Duration, u64)> {
    let racy = AtomicU64::new(0);
    let elapsed = on_threads(threads, || {
        for _ in 0..increments {
            let seen = racy.load(Relaxed); // read...
            // black_box: the compiler must assume `seen` is looked at, so load and
            // store stay apart (`seen` goes through the stack in between). Without
            // it LLVM emits one `inc qword ptr [..]`: still not atomic (no `lock`
            // prefix), only a narrower window, so far fewer updates are lost.
            racy.store(black_box(seen) + 1, Relaxed); // ...write: may undo others
        }
    })?;
    Ok((elapsed, racy.load(Relaxed)))
}
// ANCHOR_END: racy

// ANCHOR: atomic
/// FIXED: `fetch_add` reads, adds and writes as one indivisible step. Its
/// result unused, it compiles to `lock inc qword ptr [..]` on x86-64.
fn atomic_count(threads: usize, increments: u64) -> Result<(Duration, u64)> {
    let atomic = AtomicU64::new(0);
    let elapsed = on_threads(threads, || {
        for _ in 0..increments {
            atomic.fetch_add(1, Relaxed);
        }
    })?;
    Ok((elapsed, atomic.load(Relaxed)))
}
// ANCHOR_END: atomic

// ANCHOR: mutex
/// FIXED: mutual exclusion. Only the thread holding the lock runs the
/// critical section; the others wait (spinning and yielding briefly, then
/// sleeping in futex(2)).
fn parking_lot_count(threads: usize, increments: u64) -> Result<(Duration, u64)> {
    let counter = parking_lot::Mutex::new(0_u64);
    let elapsed = on_threads(threads, || {
        for _ in 0..increments {
            *counter.lock() += 1; // lock, add, unlock when the guard drops
        }
    })?;
    Ok((elapsed, *counter.lock()))
}

/// The same with std's `Mutex`, whose `lock()` returns `Err` if a thread
/// panicked while holding it ("poisoned"); none does here, so we go on.
fn std_mutex_count(threads: usize, increments: u64) -> Result<(Duration, u64)> {
    let counter = std::sync::Mutex::new(0_u64);
    let elapsed = on_threads(threads, || {
        for _ in 0..increments {
            *counter.lock().unwrap_or_else(PoisonError::into_inner) += 1;
        }
    })?;
    let total = *counter.lock().unwrap_or_else(PoisonError::into_inner);
    Ok((elapsed, total))
}
// ANCHOR_END: mutex

/// Runs `count` on `threads` threads that start together, so they overlap.
fn on_threads(threads: usize, count: impl Fn() + Sync) -> Result<Duration> {
    let start_line = Barrier::new(threads);
    let started = Instant::now();
    thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::with_capacity(threads);
        for number in 1..=threads {
            let (count, start_line) = (&count, &start_line);
            let handle = thread::Builder::new()
                .name(worker_name(number))
                .spawn_scoped(scope, move || {
                    start_line.wait();
                    count();
                })
                .context("spawn a counting thread (pthread_create(3))")?;
            handles.push(handle);
        }
        handles
            .into_iter()
            .try_for_each(|handle| joined(handle.join(), "worker"))
    })?;
    Ok(started.elapsed())
}

/// Prints what the counter holds once every thread is joined, beside what it should.
fn counted(label: &'static str, threads: usize, each: u64, run: (Duration, u64)) -> CounterRun {
    let ((elapsed, counted), expected) = (run, threads as u64 * each);
    let lost = expected.saturating_sub(counted);
    let [counted_text, expected_text] = [counted, expected].map(grouped);
    let took = format_duration(elapsed);
    say!("{label:<18}= {counted_text:>10} (should be {expected_text})  {took}");
    CounterRun {
        label,
        threads,
        expected,
        counted,
        lost,
        elapsed,
    }
}

/// Says what the broken counter's figure means; returns the choice of part
/// 3's question it showed (`None`: none lost on one CPU, so no race shown).
pub fn explain(racy: &CounterRun, cores: usize) -> Option<usize> {
    let lost = grouped(racy.lost);
    let percent = 100.0 * racy.lost as f64 / racy.expected as f64;
    match racy.lost {
        0 if racy.threads == 1 => say!("  one thread cannot race with itself"),
        0 if cores == 1 => say!("  none lost: the threads took turns on the one CPU allowed"),
        0 => say!("  no overlap this time: run again or raise --increments"),
        _ => say!("  lost {lost} updates ({percent:.1}%): a race condition"),
    }
    let shown = racy.lost > 0 || racy.threads == 1 || cores > 1;
    shown.then_some(1 + usize::from(racy.lost > 0)) // 2: some lost
}
