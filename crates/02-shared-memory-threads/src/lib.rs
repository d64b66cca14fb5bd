//! # Lesson 02: threads share one address space
//!
//! The threads of a process all live in the same memory: a value on the
//! heap or in a static has one address, and every thread that looks at it
//! sees that address and those bytes. So threads talk simply by reading and
//! writing shared variables — and for the same reason they must synchronise,
//! or updates go missing. A forked process is the opposite: it gets its own
//! copy of everything, and its writes never reach its parent.
//!
//! Seed table rows: **Memory** ("threads share the same memory space of the
//! process") and **Communication** ("fast and easy between threads, through
//! shared variables"), seen from the thread side.
//!
//! Run it: `just demo-threads` (options: `--threads N`, `--increments N`;
//! `--help` lists them).
//!
//! What to look for in the output:
//! 1. every worker prints the *same* address for the shared values and a
//!    *different* address for a variable on its own stack;
//! 2. the reader thread sees the buffer at the very address the writer
//!    filled — nothing was copied; then the median round trip of a
//!    hand-off through a channel and through a `Mutex` + `Condvar`, which
//!    lesson 07 sets beside a pipe's;
//! 3. the counter updated with a separate load and store usually ends
//!    *below* what it should (`lost …`); `fetch_add` and both mutexes are
//!    always exact;
//! 4. a forked child adds to "the same" counter, at the same address, yet the
//!    parent's value does not move;
//! 5. a verdict tying those numbers to the two rows of the table.
//!
//! Read next: lesson 03 (`crates/03-ipc`), how processes *do* share.
//!
//! ## Why `parking_lot`
//!
//! Parts 2 and 3 use `parking_lot`'s `Mutex` and `Condvar` beside
//! `std::sync`'s. What `parking_lot` gives: no poisoning (a panic while
//! holding the lock just unlocks it, so `lock()` returns the guard, not a
//! `Result`); a lock of one byte and a condvar of one word; and a `Condvar`
//! that waits on its own `MutexGuard` directly. What it cannot do: work
//! between processes. A parked thread waits in a table kept inside this
//! process, keyed by the lock's address; another process has its own table
//! and, as part 4 shows, its own copy of every address.

use std::hint::black_box;
use std::io::{Read, Write};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Barrier, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use nix::unistd::{ForkResult, fork, pipe};
use support::error::{Context, Error, Result};
use support::timing::{Stats, format_bytes, format_duration, try_measure};
use support::{ChildGuard, Ending, say};

/// This lesson starts no child in a role: its one child is forked.
pub const ROLES: &[support::role::Role] = &[];

/// Default worker threads for parts 1 and 3.
pub const DEFAULT_THREADS: usize = 4;
/// Default increments per thread in parts 3 and 4: about a second for the whole
/// demo on a 2-core machine, in release mode.
pub const DEFAULT_INCREMENTS: u64 = 5_000_000;

/// The demo's knobs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads in parts 1 and 3 (1 to 64).
    pub threads: usize,
    /// Increments per thread in parts 3 and 4 (1 to 10 000 000).
    pub increments: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            threads: DEFAULT_THREADS,
            increments: DEFAULT_INCREMENTS,
        }
    }
}

/// What the lesson saw, for the tests and for lesson 07's table.
#[derive(Debug, Clone)]
pub struct Report {
    /// CPUs this process may run on (`available_parallelism`).
    pub cores: usize,
    /// Part 1: the addresses each thread saw.
    pub address_space: AddressSpace,
    /// Part 2: a buffer read in place...
    pub direct_read: DirectRead,
    /// ...and a hand-off round trip between two threads, measured two ways.
    pub hand_off: HandOff,
    /// Part 3: the lost-update race, broken and fixed.
    pub counters: Counters,
    /// Part 4: the same counter in a forked child.
    pub fork: ForkContrast,
}

/// A count with `_` between groups of three digits: `4_000_000`.
fn grouped(number: u64) -> String {
    // 4000000 -> 4_000_000, the way Rust writes long literals.
    let digits = number.to_string();
    let mut out = String::new();
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(digit);
    }
    out
}

/// Joins a thread, turning a panic in it into an error that names it.
fn joined<T>(result: thread::Result<T>, who: &str) -> Result<T> {
    result.map_err(|_| Error::msg(format!("thread {who} panicked")))
}

// ---------------------------------------------------------------------------
// 1. One address space
// ---------------------------------------------------------------------------

/// A static: one copy for the whole process, in its data segment.
static SHARED_STATIC: u64 = 7;

/// What one worker thread saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sighting {
    /// The thread's name, `worker-1`…
    pub thread: String,
    /// Address of the value on the heap that every worker borrows.
    pub heap_value: usize,
    /// Address of [`SHARED_STATIC`].
    pub static_value: usize,
    /// Address of a variable on this thread's own stack.
    pub stack_local: usize,
}

/// Part 1's findings.
#[derive(Debug, Clone)]
pub struct AddressSpace {
    /// One sighting per scoped worker, in worker order.
    pub workers: Vec<Sighting>,
    /// Where the parent itself sees the heap value.
    pub parent_heap_value: usize,
    /// The address of the `Arc`'s contents, as each `'static` thread saw it.
    pub arc_sightings: Vec<usize>,
    /// The address of the `Arc`'s contents, as the parent saw it.
    pub parent_arc_value: usize,
}

impl AddressSpace {
    /// Every worker saw the heap value and the static at one address each.
    pub fn shared_addresses_agree(&self) -> bool {
        self.workers.iter().all(|seen| {
            seen.heap_value == self.parent_heap_value
                && seen.static_value == std::ptr::addr_of!(SHARED_STATIC) as usize
        }) && self
            .arc_sightings
            .iter()
            .all(|&address| address == self.parent_arc_value)
    }

    /// No two workers had their stack variable at the same address.
    pub fn stacks_are_distinct(&self) -> bool {
        let mut stacks: Vec<usize> = self.workers.iter().map(|s| s.stack_local).collect();
        stacks.sort_unstable();
        stacks.dedup();
        stacks.len() == self.workers.len()
    }
}

/// Part 1: `threads` workers each report where they see a shared heap value,
/// a static, and a variable on their own stack. Then two `'static` threads
/// share a value through an `Arc`. Every thread is joined before it returns.
pub fn one_address_space(threads: usize) -> Result<AddressSpace> {
    // ANCHOR: scoped
    // On the heap: one allocation, owned by this (the main) thread.
    let heap_value = Box::new(42_u64);
    let parent_heap_value = &*heap_value as *const u64 as usize;
    say!(
        "main thread: heap value at {parent_heap_value:#x}, static at {:#x}",
        std::ptr::addr_of!(SHARED_STATIC) as usize
    );
    // Every worker waits here until all are running, so all their stacks
    // exist at the same moment.
    let all_running = Barrier::new(threads);

    // thread::scope: the workers may *borrow* `heap_value` (no Arc, no
    // clone) because the scope joins them all before it returns, so none
    // can outlive the data.
    let workers = thread::scope(|scope| -> Result<Vec<Sighting>> {
        let mut handles = Vec::with_capacity(threads);
        for number in 1..=threads {
            let heap_value = &heap_value; // a shared borrow, copied per thread
            let all_running = &all_running;
            let handle = thread::Builder::new()
                .name(format!("worker-{number}"))
                .spawn_scoped(scope, move || {
                    // A local variable: it lives on *this thread's* stack.
                    let stack_local = black_box(number as u64);
                    all_running.wait();
                    let seen = Sighting {
                        thread: format!("worker-{number}"),
                        heap_value: &**heap_value as *const u64 as usize,
                        static_value: std::ptr::addr_of!(SHARED_STATIC) as usize,
                        stack_local: &stack_local as *const u64 as usize,
                    };
                    say!(
                        "heap value at {:#x} (= {}), static at {:#x}, my stack local at {:#x}",
                        seen.heap_value,
                        **heap_value,
                        seen.static_value,
                        seen.stack_local
                    );
                    seen
                })
                .context("spawn a worker thread (pthread_create(3))")?;
            handles.push(handle);
        }
        // Joined in order, so the sightings come back in worker order.
        handles
            .into_iter()
            .enumerate()
            .map(|(i, handle)| joined(handle.join(), &format!("worker-{}", i + 1)))
            .collect()
    })?;
    // ANCHOR_END: scoped

    // ANCHOR: arc
    // A thread made with plain `thread::spawn` may outlive the function that
    // started it, so it cannot borrow: it must own what it uses. `Arc` gives
    // each thread an owning handle to *one* shared value (a counted pointer:
    // the value is freed when the last handle goes).
    let shared = Arc::new(String::from("one string, many owners"));
    let parent_arc_value = Arc::as_ptr(&shared) as usize;
    let mut handles = Vec::new();
    for number in 1..=2 {
        let mine = Arc::clone(&shared); // copies the pointer, not the string
        let handle = thread::Builder::new()
            .name(format!("arc-{number}"))
            .spawn(move || {
                let address = Arc::as_ptr(&mine) as usize;
                say!("Arc'd string at {address:#x}: {mine:?}");
                address
            })
            .context("spawn an Arc thread (pthread_create(3))")?;
        handles.push(handle);
    }
    // The parent lets go of its handle; the threads' handles keep the
    // string alive for as long as they need it.
    drop(shared);
    let arc_sightings = handles
        .into_iter()
        .map(|handle| joined(handle.join(), "arc"))
        .collect::<Result<Vec<usize>>>()?;
    // ANCHOR_END: arc
    say!("parent saw the Arc'd string at {parent_arc_value:#x}");

    Ok(AddressSpace {
        workers,
        parent_heap_value,
        arc_sightings,
        parent_arc_value,
    })
}

// ---------------------------------------------------------------------------
// 2. Communication through shared variables is direct
// ---------------------------------------------------------------------------

/// Part 2a's findings: one thread filled a buffer, another read it in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectRead {
    pub bytes: usize,
    /// Where the writer thread put the bytes.
    pub writer_address: usize,
    /// Where the reader thread read them.
    pub reader_address: usize,
    /// The writer's and the reader's sums of the bytes.
    pub writer_sum: u64,
    pub reader_sum: u64,
}

/// Part 2a: a `writer` thread fills `bytes` bytes; a `reader` thread then
/// reads them through a shared reference, at the same address.
pub fn read_in_place(bytes: usize) -> Result<DirectRead> {
    // ANCHOR: direct
    let mut buffer = vec![0_u8; bytes];
    // The writer borrows the buffer mutably: while it runs, no one else may
    // touch it. The scope ends only once the writer is joined.
    let (writer_address, writer_sum) = thread::scope(|scope| {
        let buffer_to_fill = &mut buffer;
        thread::Builder::new()
            .name("writer".into())
            .spawn_scoped(scope, move || {
                for (i, byte) in buffer_to_fill.iter_mut().enumerate() {
                    *byte = (i % 251) as u8;
                }
                let sum: u64 = buffer_to_fill.iter().map(|&b| u64::from(b)).sum();
                let address = buffer_to_fill.as_ptr() as usize;
                say!("filled {} at {address:#x}", format_bytes(bytes as u64));
                (address, sum)
            })
            .context("spawn the writer thread")?
            .join()
            .map_err(|_| Error::msg("thread writer panicked"))
    })?;
    // The writer's borrow is over: the reader may borrow the same bytes,
    // read-only. Nothing is copied or sent: the reader is handed a pointer
    // into memory the two threads already share.
    let (reader_address, reader_sum) = thread::scope(|scope| {
        let buffer_to_read = &buffer;
        thread::Builder::new()
            .name("reader".into())
            .spawn_scoped(scope, move || {
                let sum: u64 = buffer_to_read.iter().map(|&b| u64::from(b)).sum();
                let address = buffer_to_read.as_ptr() as usize;
                say!(
                    "read {} in place at {address:#x}",
                    format_bytes(bytes as u64)
                );
                (address, sum)
            })
            .context("spawn the reader thread")?
            .join()
            .map_err(|_| Error::msg("thread reader panicked"))
    })?;
    // ANCHOR_END: direct
    Ok(DirectRead {
        bytes,
        writer_address,
        reader_address,
        writer_sum,
        reader_sum,
    })
}

/// Part 2b's findings: the cost of handing a value to another thread and
/// getting an answer back, two ways. Each figure is one round trip (two
/// hand-offs), timed in batches (`support::timing`).
#[derive(Debug, Clone, Copy)]
pub struct HandOff {
    /// Through a pair of `std::sync::mpsc` channels.
    pub channel: Stats,
    /// Through a `parking_lot::Mutex` and `Condvar`.
    pub condvar: Stats,
}

/// How many round trips each timing covers, and how many timings.
const ROUND_TRIPS_PER_SAMPLE: usize = 50;
const SAMPLES: usize = 21;

/// Part 2b: measures a round trip between two threads through channels.
pub fn channel_round_trip() -> Result<Stats> {
    // ANCHOR: channel
    let (to_echo, echo_inbox) = mpsc::channel::<u64>();
    let (to_main, main_inbox) = mpsc::channel::<u64>();
    thread::scope(|scope| -> Result<Stats> {
        thread::Builder::new()
            .name("echo".into())
            .spawn_scoped(scope, move || {
                // recv() sleeps until a value arrives; it fails once every
                // sender is gone, which ends this loop.
                while let Ok(value) = echo_inbox.recv() {
                    if to_main.send(value + 1).is_err() {
                        break;
                    }
                }
            })
            .context("spawn the echo thread")?;
        let mut value = 0_u64;
        let timing = try_measure(
            ROUND_TRIPS_PER_SAMPLE,
            SAMPLES,
            ROUND_TRIPS_PER_SAMPLE,
            || {
                to_echo.send(value).context("send on a channel")?;
                let answer = main_inbox.recv().context("recv on a channel")?;
                if answer != value + 1 {
                    return Err(Error::msg(format!("echo sent {answer}, not {}", value + 1)));
                }
                value = answer;
                Ok(())
            },
        );
        // Whatever happened, drop our sender so the echo thread's recv()
        // fails and it ends: the scope waits for it.
        drop(to_echo);
        timing
    })
    // ANCHOR_END: channel
}

/// What the one slot between the two threads holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    Empty,
    Ping(u64),
    Pong(u64),
    Closed,
}

/// Part 2b: measures a round trip between two threads through a
/// `parking_lot::Mutex` and `Condvar`.
pub fn condvar_round_trip() -> Result<Stats> {
    // ANCHOR: condvar
    let slot = parking_lot::Mutex::new(Slot::Empty);
    let changed = parking_lot::Condvar::new();
    thread::scope(|scope| -> Result<Stats> {
        let (slot, changed) = (&slot, &changed);
        thread::Builder::new()
            .name("echo".into())
            .spawn_scoped(scope, move || {
                let mut guard = slot.lock(); // no Result: parking_lot has no poisoning
                loop {
                    match *guard {
                        Slot::Ping(value) => {
                            *guard = Slot::Pong(value + 1);
                            changed.notify_one();
                        }
                        Slot::Closed => break,
                        // wait() unlocks, sleeps, and relocks on waking.
                        Slot::Empty | Slot::Pong(_) => changed.wait(&mut guard),
                    }
                }
            })
            .context("spawn the echo thread")?;
        let mut value = 0_u64;
        let timing = try_measure(
            ROUND_TRIPS_PER_SAMPLE,
            SAMPLES,
            ROUND_TRIPS_PER_SAMPLE,
            || {
                let mut guard = slot.lock();
                *guard = Slot::Ping(value);
                changed.notify_one();
                loop {
                    match *guard {
                        Slot::Pong(answer) if answer == value + 1 => break,
                        Slot::Pong(answer) => {
                            return Err(Error::msg(format!(
                                "echo sent {answer}, not {}",
                                value + 1
                            )));
                        }
                        _ => changed.wait(&mut guard),
                    }
                }
                value += 1;
                Ok(())
            },
        );
        // Whatever happened, tell the echo thread to stop.
        *slot.lock() = Slot::Closed;
        changed.notify_one();
        timing
    })
    // ANCHOR_END: condvar
}

// ---------------------------------------------------------------------------
// 3. Sharing needs synchronisation
// ---------------------------------------------------------------------------

/// One counter run: `threads` threads each added 1, `increments` times.
#[derive(Debug, Clone)]
pub struct CounterRun {
    /// How the counter was updated, as the output labels it.
    pub label: &'static str,
    /// threads × increments.
    pub expected: u64,
    /// What the counter held once every thread was joined.
    pub counted: u64,
    /// expected − counted (0 for a correct counter).
    pub lost: u64,
    pub elapsed: Duration,
}

/// Part 3's findings: the broken counter and three correct ones.
#[derive(Debug, Clone)]
pub struct Counters {
    pub racy_load_store: CounterRun,
    pub atomic_fetch_add: CounterRun,
    pub parking_lot_mutex: CounterRun,
    pub std_mutex: CounterRun,
}

/// Runs `add_one` on `threads` named threads, `increments` times each, all
/// starting together, and reads the result with `read` once all are joined.
fn count_with(
    label: &'static str,
    threads: usize,
    increments: u64,
    add_one: impl Fn() + Sync,
    read: impl FnOnce() -> u64,
) -> Result<CounterRun> {
    let start_line = Barrier::new(threads);
    let started = Instant::now();
    thread::scope(|scope| -> Result<()> {
        let mut handles = Vec::with_capacity(threads);
        for number in 1..=threads {
            let (add_one, start_line) = (&add_one, &start_line);
            let handle = thread::Builder::new()
                .name(format!("worker-{number}"))
                .spawn_scoped(scope, move || {
                    start_line.wait(); // all start together, to overlap
                    for _ in 0..increments {
                        add_one();
                    }
                })
                .context("spawn a counting thread")?;
            handles.push(handle);
        }
        for handle in handles {
            joined(handle.join(), "worker")?;
        }
        Ok(())
    })?;
    let elapsed = started.elapsed();
    let expected = threads as u64 * increments;
    let counted = read();
    let lost = expected.saturating_sub(counted);
    say!(
        "{label:<28} counter = {} (expected {}), lost {}  [{}]",
        grouped(counted),
        grouped(expected),
        grouped(lost),
        format_duration(elapsed)
    );
    Ok(CounterRun {
        label,
        expected,
        counted,
        lost,
        elapsed,
    })
}

/// Part 3: the same count four ways, broken first.
pub fn lost_updates(threads: usize, increments: u64) -> Result<Counters> {
    // ANCHOR: racy
    // BROKEN: a load, then a store. Each is atomic on its own — this is safe
    // Rust, with no undefined behaviour — but another thread can store
    // between our load and our store, and then our store wipes its update.
    let racy = AtomicU64::new(0);
    let racy_load_store = count_with(
        "BROKEN load + store:",
        threads,
        increments,
        || {
            // black_box(&racy): without it the optimiser may legally fuse a
            // million load/store pairs into one load and one store.
            let racy = black_box(&racy);
            let seen = racy.load(Ordering::Relaxed);
            // black_box(seen) stands for a little work on the value read: it
            // keeps it in flight a few cycles longer, as real code would.
            racy.store(black_box(seen) + 1, Ordering::Relaxed); // may overwrite a newer value
        },
        || racy.load(Ordering::Relaxed),
    )?;
    // ANCHOR_END: racy

    // ANCHOR: fixed
    // FIXED: fetch_add is one indivisible read-modify-write (`lock xadd` on
    // x86): no other thread can get between the read and the write.
    let atomic = AtomicU64::new(0);
    let atomic_fetch_add = count_with(
        "fixed, atomic fetch_add:",
        threads,
        increments,
        || {
            atomic.fetch_add(1, Ordering::Relaxed);
        },
        || atomic.load(Ordering::Relaxed),
    )?;

    // FIXED: a parking_lot Mutex. lock() returns the guard itself: there
    // is no poisoning to handle.
    let parking = parking_lot::Mutex::new(0_u64);
    let parking_lot_mutex = count_with(
        "fixed, parking_lot::Mutex:",
        threads,
        increments,
        || *parking.lock() += 1,
        || *parking.lock(),
    )?;

    // FIXED: std's Mutex. lock() returns a Result: Err if a thread panicked
    // while holding it ("poisoned"). Nothing panics here, and a u64 cannot
    // be left half-updated, so we take the value either way.
    let standard = std::sync::Mutex::new(0_u64);
    let std_mutex = count_with(
        "fixed, std::sync::Mutex:",
        threads,
        increments,
        || {
            *standard
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner) += 1
        },
        || {
            *standard
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
        },
    )?;
    // ANCHOR_END: fixed

    Ok(Counters {
        racy_load_store,
        atomic_fetch_add,
        parking_lot_mutex,
        std_mutex,
    })
}

// ---------------------------------------------------------------------------
// 4. Contrast with processes
// ---------------------------------------------------------------------------

/// Part 4's findings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForkContrast {
    /// Threads in this process just before `fork` (from /proc; `None` where
    /// there is no /proc).
    pub threads_at_fork: Option<usize>,
    /// What a thread added to the counter, and what the parent then read.
    pub thread_added: u64,
    pub parent_view_after_thread: u64,
    /// What the child added, and the counter as the child then saw it.
    pub child_added: u64,
    pub child_view: u64,
    /// The counter's address in the parent and in the child.
    pub parent_address: usize,
    pub child_address: usize,
    /// The counter as the parent read it after the child had ended.
    pub parent_view_after_child: u64,
    /// How the child ended.
    pub child_ending: Ending,
}

/// The number of threads in this process, from `/proc/self/status`.
pub fn threads_in_this_process() -> Option<usize> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("Threads:"))
        .and_then(|count| count.trim().parse().ok())
}

// ANCHOR: fork
/// Part 4: a thread adds to a counter (the parent sees it), then a forked
/// child adds to it (the parent does not). Forks: call it only while this
/// process has no thread but the caller.
fn fork_contrast(increments: u64) -> Result<ForkContrast> {
    let counter = AtomicU64::new(0);
    let parent_address = &counter as *const AtomicU64 as usize;

    // A thread's additions land in the one copy both threads share.
    thread::scope(|scope| -> Result<()> {
        let counter = &counter;
        let handle = thread::Builder::new()
            .name("adder".into())
            .spawn_scoped(scope, move || {
                for _ in 0..increments {
                    counter.fetch_add(1, Ordering::Relaxed);
                }
                say!(
                    "added {} to the counter at {:#x}",
                    grouped(increments),
                    counter as *const _ as usize
                );
            })
            .context("spawn the adder thread")?;
        joined(handle.join(), "adder")
    })?;
    let parent_view_after_thread = counter.load(Ordering::Relaxed);
    say!(
        "after the thread: counter = {}",
        grouped(parent_view_after_thread)
    );

    // Every thread this lesson started has been joined, so `main` is the
    // only thread left, and the child `fork` makes gets a copy of a
    // process in a tidy state. That matters: fork copies only the calling
    // thread. Had another thread been holding a lock (the allocator's, or
    // stdout's) at that instant, the child would inherit that lock, held
    // forever by a thread that does not exist in it, and could hang on its
    // first `println!`.
    let threads_at_fork = threads_in_this_process();
    if let Some(count) = threads_at_fork {
        say!("threads in this process now: {count} (from /proc/self/status)");
        if count != 1 {
            return Err(Error::msg(format!(
                "refusing to fork with {count} threads running: join them first"
            )));
        }
    }
    std::io::stdout()
        .flush()
        .context("flush stdout before fork")?;
    // pipe(2): the only way the child's number can reach us is for the child
    // to send it — through the kernel, which is lesson 03's subject.
    let (from_child, to_parent) = pipe().context("pipe(2)")?;
    // SAFETY: this process has one thread (checked just above where /proc
    // exists, and true by construction: every thread was joined), so the
    // child may run ordinary Rust code: no lock can be held by a thread
    // that did not come along.
    let fork_result = unsafe { fork() }.context("fork(2)")?;
    match fork_result {
        ForkResult::Child => {
            support::mark_child_process(); // our lines now say `child`
            drop(from_child);
            // The child's copy of the counter: same address, its own memory.
            for _ in 0..increments {
                counter.fetch_add(1, Ordering::Relaxed);
            }
            let child_view = counter.load(Ordering::Relaxed);
            say!(
                "added {}: counter = {} at {:#x} (my copy)",
                grouped(increments),
                grouped(child_view),
                &counter as *const AtomicU64 as usize
            );
            let mut message = [0_u8; 16];
            message[..8].copy_from_slice(&child_view.to_le_bytes());
            message[8..].copy_from_slice(&(&counter as *const AtomicU64 as u64).to_le_bytes());
            let sent = std::fs::File::from(to_parent).write_all(&message);
            let _ = std::io::stdout().flush();
            // exit(3), not a return: the child must not run on into the
            // rest of the parent's program.
            std::process::exit(if sent.is_ok() { 0 } else { 1 });
        }
        ForkResult::Parent { child } => {
            let child_guard = ChildGuard::new(child); // killed and reaped if we bail out
            drop(to_parent); // else a dead child would leave us waiting forever
            let mut reply = std::fs::File::from(from_child);
            let (mut view, mut address) = ([0_u8; 8], [0_u8; 8]);
            reply
                .read_exact(&mut view)
                .and_then(|()| reply.read_exact(&mut address))
                .context("read(2) of the child's counter from the pipe")?;
            let (view, address) = (u64::from_le_bytes(view), u64::from_le_bytes(address));
            let child_ending = child_guard.wait().context("waitpid(2)")?;
            let parent_view_after_child = counter.load(Ordering::Relaxed);
            say!("child pid={child} {child_ending}");
            say!(
                "child saw counter = {} at {:#x}; mine is still {} at {parent_address:#x}",
                grouped(view),
                address,
                grouped(parent_view_after_child)
            );
            Ok(ForkContrast {
                threads_at_fork,
                thread_added: increments,
                parent_view_after_thread,
                child_added: increments,
                child_view: view,
                parent_address,
                child_address: address as usize,
                parent_view_after_child,
                child_ending,
            })
        }
    }
}
// ANCHOR_END: fork

// ---------------------------------------------------------------------------
// The lesson, in order
// ---------------------------------------------------------------------------

/// Runs the lesson with `options`, printing the story, and returns what it
/// saw. Forks in part 4: call it from a process with no other thread
/// running (a binary's `main`, not a `#[test]`).
pub fn run(options: &Options) -> Result<Report> {
    let threads = options.threads;
    let increments = options.increments;
    let cores = thread::available_parallelism().map_or(1, |n| n.get());

    support::heading("1. One address space");
    let address_space = one_address_space(threads)?;
    say!(
        "same heap and static address in every thread: {}; a different stack in each: {}",
        yes_no(address_space.shared_addresses_agree()),
        yes_no(address_space.stacks_are_distinct())
    );

    support::heading("2. Communication through shared variables is direct");
    let direct_read = read_in_place(1 << 20)?;
    say!(
        "same address for writer and reader: {}; sums agree: {} ({}); bytes copied: 0",
        yes_no(direct_read.writer_address == direct_read.reader_address),
        yes_no(direct_read.writer_sum == direct_read.reader_sum),
        direct_read.reader_sum
    );
    say!(
        "hand-off round trips (main -> echo -> main), {SAMPLES} timings of {ROUND_TRIPS_PER_SAMPLE} each:"
    );
    let hand_off = HandOff {
        channel: channel_round_trip()?,
        condvar: condvar_round_trip()?,
    };
    say!("  std::sync::mpsc channel pair:      {}", hand_off.channel);
    say!("  parking_lot Mutex + Condvar:       {}", hand_off.condvar);
    say!("  a round trip includes waking the other thread if it has gone to sleep (futex(2),");
    say!("  in the kernel); the value itself is a few bytes both threads already share.");

    support::heading("3. Sharing needs synchronisation");
    say!(
        "{threads} threads x {} increments; this machine lets us use {cores} core(s)",
        grouped(increments)
    );
    let counters = lost_updates(threads, increments)?;
    say!("whether updates are lost, and how many, depends on the scheduler and the core");
    say!("count: try --threads 1, or run it again. The fixed counters are always exact.");

    support::heading("4. Contrast with processes");
    // Parts 1-3 joined every thread they started: only `main` runs now.
    let fork = fork_contrast(increments)?;

    support::heading("5. Verdict");
    say!(
        "Memory: {} threads saw one heap value at {:#x}, each with a stack of its own;",
        address_space.workers.len(),
        address_space.parent_heap_value
    );
    say!(
        "        the forked child found the counter at the parent's address ({:#x}),",
        fork.child_address
    );
    say!(
        "        yet its {} additions stayed in its own copy: the parent still reads {}.",
        grouped(fork.child_added),
        grouped(fork.parent_view_after_child)
    );
    say!("Communication: a thread read 1 MiB in place, nothing copied; a hand-off round trip");
    say!(
        "        took {} through channels, {} through Mutex + Condvar. The catch:",
        format_duration(hand_off.channel.median),
        format_duration(hand_off.condvar.median)
    );
    say!(
        "        unsynchronised, this run lost {} of {} updates.",
        grouped(counters.racy_load_store.lost),
        grouped(counters.racy_load_store.expected)
    );
    say!("Next: lesson 03 gives processes shared memory on purpose, through the kernel.");

    Ok(Report {
        cores,
        address_space,
        direct_read,
        hand_off,
        counters,
        fork,
    })
}

fn yes_no(yes: bool) -> &'static str {
    if yes { "yes" } else { "NO" }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_in_threes() {
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1_000), "1_000");
        assert_eq!(grouped(3_912_004), "3_912_004");
        assert_eq!(grouped(40_000_000), "40_000_000");
    }
}
