//! # Lesson 04: fault isolation — what a failure takes down with it
//!
//! Threads share one process, so they share its fate: when one thread makes
//! a real fault (writes to memory that is not there, calls `abort`), the
//! kernel ends the *whole process*, every thread in it, and all the work they
//! held in memory. Processes are walled off from each other, so the same
//! fault in one worker process costs only that process. Rust adds a third
//! case: a *panic* is not a crash; it unwinds one thread's stack and the
//! rest of the process carries on.
//!
//! The Key Differences table, row **Fault Isolation**: "an error in one
//! thread can crash the entire process; an error in one process does not
//! affect others".
//!
//! Run it: `just demo-fault-isolation` (options: `--units N` of work per
//! worker, `--crash segv|abort`, and for the supervisor `--fault-plan N`,
//! `--crash-probability P`, `--max-restarts N`; see `--help`).
//!
//! What to look for — every scenario ends with `died:`, `survived:` and
//! `lost:` lines:
//! 1. a thread panics: `join()` on it returns `Err` with the panic message;
//!    the other three results arrive and match the expected values;
//! 2. a panic while holding a lock: `std::sync::Mutex` comes back poisoned,
//!    `parking_lot::Mutex` hands the half-finished state on without a word;
//! 3. a thread crashes (in a throw-away child): the child is "killed by
//!    SIGSEGV", all four workers die with it, and the parent counts the
//!    units of work that were done and lost;
//! 4. a worker *process* crashes: the parent reaps each with `waitpid`, one
//!    was killed by a signal, the other three results arrive intact;
//! 5. a supervisor restarts crashed workers until the job is done, and the
//!    final result equals the fault-free one.
//!
//! Try this: build with `panic = "abort"` (`CARGO_PROFILE_RELEASE_PANIC=abort
//! just demo-fault-isolation`) and scenario 1 turns into scenario 3: the
//! whole demo dies with SIGABRT at the first panic.
//!
//! Next: lesson 05 (`crates/05-creation-cost`) measures what that isolation
//! costs: creating a process against creating a thread.

use std::any::Any;
use std::fs::File;
use std::io::{BufRead, BufReader, Read, Write};
use std::os::fd::OwnedFd;
use std::process::Stdio;
use std::sync::atomic::{AtomicU32, Ordering};
use std::thread;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::{ForkResult, Pid, fork, pipe};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::role::Role;
use support::{ChildGuard, Ending, heading, say};

/// Every scenario runs this many workers, numbered from 1.
pub const WORKERS: u32 = 4;
/// The worker that fails, in every scenario but the supervisor's.
pub const FAULTY_WORKER: u32 = 2;

/// The hidden role in which a child runs four threads and one crashes.
pub const CRASHING_THREADS_ROLE: &str = "fault-isolation:crashing-threads";

/// The roles this lesson can start its own program in.
pub const ROLES: &[Role] = &[Role {
    name: CRASHING_THREADS_ROLE,
    run: crashing_threads_role,
}];

/// How the faulty worker crashes in scenarios 3 and 4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Crash {
    /// Write to an address with no memory behind it: the kernel sends SIGSEGV.
    Segv,
    /// Call `abort()`: the C library raises SIGABRT.
    Abort,
}

impl Crash {
    /// The word used on the command line and in the role's arguments.
    pub fn name(self) -> &'static str {
        match self {
            Crash::Segv => "segv",
            Crash::Abort => "abort",
        }
    }

    /// The opposite of [`Crash::name`].
    pub fn from_name(name: &str) -> Option<Crash> {
        match name {
            "segv" => Some(Crash::Segv),
            "abort" => Some(Crash::Abort),
            _ => None,
        }
    }

    /// The signal that ends a process that crashes this way.
    pub fn signal(self) -> nix::sys::signal::Signal {
        match self {
            Crash::Segv => nix::sys::signal::Signal::SIGSEGV,
            Crash::Abort => nix::sys::signal::Signal::SIGABRT,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Crash::Segv => "write to address 0x10, where no memory is mapped",
            Crash::Abort => "call abort()",
        }
    }
}

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// Units of work per worker; the faulty worker fails after half of them.
    pub units: u32,
    /// How the faulty worker crashes in scenarios 3 and 4.
    pub crash: Crash,
    /// Which crash plan the supervisor follows: the same number, the same
    /// faults.
    pub fault_plan: u64,
    /// Chance that one attempt of a supervised worker crashes (0 to 1).
    pub crash_probability: f64,
    /// How many times the supervisor restarts one worker before giving up.
    pub max_restarts: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            units: 20,
            crash: Crash::Segv,
            fault_plan: 8,
            crash_probability: 0.35,
            max_restarts: 3,
        }
    }
}

/// What one kind of fault destroyed and what survived it: the row the
/// key-differences table (lesson 07) shows for panic-in-thread,
/// crash-in-thread and crash-in-child.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    /// "panic in a thread", "crash in a thread", "crash in a child process".
    pub fault: &'static str,
    pub workers: u32,
    pub units_per_worker: u32,
    /// Workers whose result reached the parent intact.
    pub results_delivered: u32,
    /// Units of work inside those results.
    pub units_delivered: u32,
    /// Units whose result never arrived (done or not).
    pub units_lost: u32,
    /// Of the lost units, how many had already been done when the fault
    /// struck: finished work thrown away.
    pub units_done_then_lost: u32,
    /// How the process that held the fault ended; `None` if it lived on.
    pub ending: Option<Ending>,
    /// Whether the process the reader started carried on.
    pub parent_survived: bool,
}

/// Everything the lesson saw, for the tests and the key-differences table.
#[derive(Debug, Clone)]
pub struct Report {
    pub panic_in_thread: PanicReport,
    pub poisoning: PoisonReport,
    pub crash_in_thread: CrashInThreadReport,
    pub crash_in_child: CrashInChildReport,
    pub supervisor: SupervisorReport,
}

impl Report {
    /// The three faults side by side: panic in a thread, crash in a thread,
    /// crash in a child process.
    pub fn outcomes(&self) -> [&Outcome; 3] {
        [
            &self.panic_in_thread.outcome,
            &self.crash_in_thread.outcome,
            &self.crash_in_child.outcome,
        ]
    }
}

/// Runs every scenario in order, printing the story as it goes.
pub fn run(options: &Options) -> Result<Report> {
    // Scenarios 4 and 5 fork: refuse before any scenario runs if another
    // thread shares this process.
    prepare_to_fork()?;
    let panic_in_thread = panic_in_thread(options)?;
    let poisoning = panic_while_holding_a_lock()?;
    let crash_in_thread = crash_in_thread(options)?;
    let crash_in_child = crash_in_child(options)?;
    let supervisor = supervisor(options)?;
    let report = Report {
        panic_in_thread,
        poisoning,
        crash_in_thread,
        crash_in_child,
        supervisor,
    };
    verdict(&report);
    Ok(report)
}

// ---------------------------------------------------------------------------
// The work every scenario does: units of arithmetic whose answers the parent
// can check, so "arrived intact" is a fact, not a hope.
// ---------------------------------------------------------------------------

// ANCHOR: work
/// splitmix64 (Sebastiano Vigna): a whole random-number generator in four
/// lines. It makes the work, and the supervisor's reproducible crash plan.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One unit of work: 400 000 steps of arithmetic (about half a millisecond
/// in a release build).
pub fn work_unit(worker: u32, unit: u32) -> u64 {
    let mut state = (u64::from(worker) << 32) | u64::from(unit);
    (0..400_000).fold(0u64, |sum, _| sum.wrapping_add(splitmix64(&mut state)))
}

/// A worker's result so far, with one more unit folded in (order matters).
pub fn fold(result: u64, unit_value: u64) -> u64 {
    result.rotate_left(5) ^ unit_value
}

/// What worker `worker` delivers when nothing goes wrong.
pub fn fault_free_result(worker: u32, units: u32) -> u64 {
    (0..units).fold(0, |result, unit| fold(result, work_unit(worker, unit)))
}
// ANCHOR_END: work

/// The units the faulty worker finishes before it fails.
fn units_before_fault(units: u32) -> u32 {
    units / 2
}

fn others_than(worker: u32) -> String {
    let names: Vec<String> = (1..=WORKERS)
        .filter(|&w| w != worker)
        .map(|w| format!("worker-{w}"))
        .collect();
    names.join(", ")
}

// ---------------------------------------------------------------------------
// 1. A thread panics
// ---------------------------------------------------------------------------

/// What scenario 1 saw.
#[derive(Debug, Clone)]
pub struct PanicReport {
    /// Whether `join()` on the panicking worker returned `Err`.
    pub join_was_err: bool,
    /// The panic message `join()` handed back.
    pub payload: String,
    /// The other workers' results, as `join()` returned them.
    pub survivors: Vec<WorkerResult>,
    pub outcome: Outcome,
}

/// One worker's delivered result, checked against the fault-free value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkerResult {
    pub worker: u32,
    pub value: u64,
    /// Equal to [`fault_free_result`].
    pub correct: bool,
}

/// Says so when it is dropped during a panic: unwinding runs the
/// destructors on the panicking thread's stack, and on no other.
struct SaysWhenUnwound(&'static str);

impl Drop for SaysWhenUnwound {
    fn drop(&mut self) {
        if thread::panicking() {
            say!("unwinding: dropping {} on my own stack", self.0);
        }
    }
}

/// The text of a panic payload (`panic!` with a literal gives a `&str`,
/// with arguments a `String`).
fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a payload that is not text)".to_string()
    }
}

/// Runs `body` with a panic hook that tells each panic through `say!`
/// (stdout, with the speaker tag) instead of the default hook's
/// `thread 'worker-2' panicked at …` on stderr, then puts the previous hook
/// back. The hook runs on the panicking thread, before unwinding starts.
fn with_panics_told_by_say<T>(body: impl FnOnce() -> T) -> T {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        say!("PANIC {:?}{place}", payload_text(info.payload()));
    }));
    let result = body();
    std::panic::set_hook(previous_hook);
    result
}

/// Scenario 1: four worker threads, one panics part way.
pub fn panic_in_thread(options: &Options) -> Result<PanicReport> {
    heading("1. A thread panics");
    let units = options.units;
    let fail_at = units_before_fault(units);
    say!(
        "{WORKERS} worker threads, {units} units of work each; worker-{FAULTY_WORKER} panics after {fail_at} units"
    );
    // Try this (scenario 6): build with `panic = "abort"`
    // (`CARGO_PROFILE_RELEASE_PANIC=abort just demo-fault-isolation`). Then
    // a panic does not unwind: after the hook prints, the process aborts,
    // and this scenario turns into scenario 3 — the whole demo dies of
    // SIGABRT, exit status 134, with every thread's work.
    // ANCHOR: panic_in_thread
    let joined: Vec<(u32, thread::Result<u64>)> = with_panics_told_by_say(|| {
        // A scope joins every thread before it returns: none outlives it.
        thread::scope(|scope| {
            let mut handles = Vec::new();
            for worker in 1..=WORKERS {
                let handle = thread::Builder::new()
                    .name(format!("worker-{worker}"))
                    .spawn_scoped(scope, move || {
                        let _partial = SaysWhenUnwound("my partial result");
                        let mut result = 0;
                        for unit in 0..units {
                            if worker == FAULTY_WORKER && unit == fail_at {
                                panic!("worker-{worker} met a bad input in unit {unit}");
                            }
                            result = fold(result, work_unit(worker, unit));
                        }
                        result
                    })
                    .context("spawn of a worker thread")?;
                handles.push((worker, handle));
            }
            // join() returns Err(payload) for a thread that panicked.
            Ok(handles
                .into_iter()
                .map(|(worker, handle)| (worker, handle.join()))
                .collect())
        })
    })?;
    // ANCHOR_END: panic_in_thread

    let mut survivors = Vec::new();
    let mut join_was_err = false;
    let mut payload = String::new();
    for (worker, joined) in joined {
        match joined {
            Ok(value) => {
                let correct = value == fault_free_result(worker, units);
                say!(
                    "worker-{worker}: join() = Ok({value:#018x}), all {units} units, {}",
                    if correct { "as expected" } else { "WRONG" }
                );
                survivors.push(WorkerResult {
                    worker,
                    value,
                    correct,
                });
            }
            Err(panic_payload) => {
                join_was_err = true;
                payload = payload_text(panic_payload.as_ref());
                say!("worker-{worker}: join() = Err(payload: {payload:?})");
            }
        }
    }
    let delivered = survivors.iter().filter(|s| s.correct).count() as u32;
    say!(
        "the process carries on: still pid {}, main thread running",
        std::process::id()
    );
    say!("died:     worker-{FAULTY_WORKER}'s thread, its stack unwound; nothing else");
    say!(
        "survived: {} (results complete) and this process",
        others_than(FAULTY_WORKER)
    );
    say!(
        "lost:     worker-{FAULTY_WORKER}'s result: {units} units, {fail_at} of them already done"
    );

    Ok(PanicReport {
        join_was_err,
        payload,
        survivors,
        outcome: Outcome {
            fault: "panic in a thread",
            workers: WORKERS,
            units_per_worker: units,
            results_delivered: delivered,
            units_delivered: delivered * units,
            units_lost: (WORKERS - delivered) * units,
            units_done_then_lost: fail_at,
            ending: None,
            parent_survived: true,
        },
    })
}

// ---------------------------------------------------------------------------
// 2. A panic while holding a lock
// ---------------------------------------------------------------------------

/// Two accounts; a transfer moves money from one to the other in two steps.
/// Between the steps the total is wrong: that is the half-finished state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accounts {
    pub checking: i64,
    pub savings: i64,
}

impl Accounts {
    /// Where both mutexes start: 100 in checking, 0 in savings.
    pub const START: Accounts = Accounts {
        checking: 100,
        savings: 0,
    };
    /// What a transfer of 30 leaves if it is cut between its two steps.
    pub const HALF_DONE: Accounts = Accounts {
        checking: 70,
        savings: 0,
    };

    pub fn total(self) -> i64 {
        self.checking + self.savings
    }
}

/// What scenario 2 saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PoisonReport {
    /// `std::sync::Mutex::is_poisoned()` after the panic.
    pub std_poisoned: bool,
    /// Whether `std::sync::Mutex::lock()` returned `Err(PoisonError)`.
    pub std_lock_was_err: bool,
    /// What `PoisonError::into_inner()` showed.
    pub std_seen: Accounts,
    /// The state after we repaired it and cleared the poison.
    pub std_repaired: Accounts,
    /// What the next `parking_lot::Mutex::lock()` saw (it returns no error).
    pub parking_lot_seen: Accounts,
}

// ANCHOR: transfer
/// Moves `amount` from checking to savings — but a panic strikes between
/// the two steps.
fn transfer_cut_half_way(accounts: &mut Accounts, amount: i64) {
    accounts.checking -= amount; // step 1 of 2: the money has left…
    strike_between_steps(); // …a panic unwinds from here…
    accounts.savings += amount; // step 2 of 2: …so it never arrives
}

fn strike_between_steps() {
    panic!("transfer cut between its two steps");
}
// ANCHOR_END: transfer

/// Scenario 2: a thread panics while it holds a lock, once with each kind
/// of mutex.
pub fn panic_while_holding_a_lock() -> Result<PoisonReport> {
    heading("2. A panic while holding a lock");
    say!(
        "{:?} (total 100); a thread moves 30 under the lock and panics half way",
        Accounts::START
    );

    // ANCHOR: poison
    let std_mutex = std::sync::Mutex::new(Accounts::START);
    in_a_thread_that_panics("std-lock", || {
        let mut accounts = std_mutex
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        transfer_cut_half_way(&mut accounts, 30); // the guard drops while unwinding
    })?;
    let std_poisoned = std_mutex.is_poisoned(); // std marked the lock as it unwound
    let (std_lock_was_err, std_seen, std_repaired) = match std_mutex.lock() {
        Ok(accounts) => (false, *accounts, *accounts),
        Err(poisoned) => {
            say!("std::sync::Mutex::lock() = Err({poisoned})");
            // into_inner(): take the guard anyway, knowing the data may be half done.
            let mut accounts = poisoned.into_inner();
            let seen = *accounts;
            say!(
                "  into_inner() shows {seen:?}, total {} (should be 100)",
                seen.total()
            );
            accounts.savings = 100 - accounts.checking; // finish the transfer: repair the invariant
            let repaired = *accounts;
            drop(accounts);
            std_mutex.clear_poison(); // we vouch for the data again
            say!("  repaired to {repaired:?} and clear_poison(): the next lock() is Ok");
            (true, seen, repaired)
        }
    };

    let parking_lot_mutex = parking_lot::Mutex::new(Accounts::START);
    in_a_thread_that_panics("pl-lock", || {
        let mut accounts = parking_lot_mutex.lock();
        transfer_cut_half_way(&mut accounts, 30); // the guard drops while unwinding
    })?;
    let parking_lot_seen = *parking_lot_mutex.lock(); // no Result: no poisoning
    // ANCHOR_END: poison
    say!(
        "parking_lot::Mutex::lock() = the guard, no error: it sees {parking_lot_seen:?}, total {}",
        parking_lot_seen.total()
    );
    say!("died:     the thread that held each lock; the process lives on");
    say!("survived: both mutexes and their data, half-finished");
    say!("lost:     the 30 in flight: std made the next locker face it, parking_lot did not");
    say!("std's poisoning suits data whose invariant a half-done update breaks (here: total 100):");
    say!("  every later lock() must decide: into_inner, repair, clear_poison, or give up.");
    say!("parking_lot's silence suits data that is valid after every single write (a counter,");
    say!(
        "  a cache, a queue of whole messages), or a program that stops on the first panic anyway."
    );

    Ok(PoisonReport {
        std_poisoned,
        std_lock_was_err,
        std_seen,
        std_repaired,
        parking_lot_seen,
    })
}

/// Runs `body` in a named thread that is expected to panic, and joins it.
fn in_a_thread_that_panics(name: &str, body: impl FnOnce() + Send) -> Result<()> {
    with_panics_told_by_say(|| {
        thread::scope(|scope| {
            let handle = thread::Builder::new()
                .name(name.to_string())
                .spawn_scoped(scope, body)
                .context("spawn of a thread")?;
            if handle.join().is_ok() {
                return Err(Error::msg(format!("thread {name} was meant to panic")));
            }
            Ok(())
        })
    })
}

// ---------------------------------------------------------------------------
// 3. A thread crashes — shown in a throw-away child
// ---------------------------------------------------------------------------

// ANCHOR: crash
/// Ends this whole process with a real fault. Only ever called in a child
/// that exists to crash (scenarios 3, 4 and 5), never in the demo itself.
fn crash_this_process(how: Crash) -> ! {
    if how == Crash::Segv {
        // Linux keeps the lowest 64 KiB of every address space unmapped
        // (vm.mmap_min_addr, 65536 by default): nothing lives at 0x10.
        let unmapped: *mut u64 = std::ptr::without_provenance_mut(0x10);
        // SAFETY: none: this is deliberately unsound. Writing through a
        // pointer to no memory is undefined behaviour, and the point of the
        // lesson is that the kernel answers it with SIGSEGV, ending the
        // process. It runs only in a throw-away child that turned core dumps
        // off; `volatile` keeps the compiler from dropping the write.
        unsafe { std::ptr::write_volatile(unmapped, 0xDEAD) };
    }
    // abort(): the C library raises SIGABRT, which ends the process.
    std::process::abort()
}
// ANCHOR_END: crash

/// What scenario 3 saw.
#[derive(Debug, Clone)]
pub struct CrashInThreadReport {
    pub child_pid: i32,
    /// How the child ended, as the parent's `waitpid` saw it.
    pub ending: Ending,
    /// Units each worker (1..=4) had reported done before the end.
    pub units_reported: Vec<u32>,
    /// Worker results that reached the parent (0 when the crash happened).
    pub results_arrived: u32,
    pub outcome: Outcome,
}

/// `waitpid(2)` for `guard`'s child, through the guard: blocks until the
/// child ends, then frees its process-table slot (no zombie is left).
fn reap(guard: ChildGuard) -> Result<Ending> {
    let pid = guard.pid();
    let status = guard
        .waitpid()
        .context(format!("waitpid(2) for pid {pid}"))?;
    Ending::from_wait_status(status)
        .ok_or_else(|| Error::msg(format!("waitpid(2) for pid {pid} returned {status:?}")))
}

/// Scenario 3: four threads in one (child) process; one crashes.
pub fn crash_in_thread(options: &Options) -> Result<CrashInThreadReport> {
    heading("3. A thread crashes");
    let units = options.units;
    let fail_at = units_before_fault(units);
    say!("a crash would take this demo down too, so it happens in a throw-away child:");
    say!("this same program, started again in the hidden role {CRASHING_THREADS_ROLE}");

    // ANCHOR: crash_in_thread_parent
    let mut command = support::role::command(CRASHING_THREADS_ROLE).context("current_exe()")?;
    command
        .args([units.to_string(), fail_at.to_string()])
        .arg(options.crash.name())
        .stdout(Stdio::piped()); // the child's stdout comes to us through a pipe
    let mut child = command
        .spawn() // posix_spawn(3): a new process running our own executable
        .context("spawn of the crashing-threads child")?;
    let child_stdout = child
        .stdout
        .take()
        .ok_or_else(|| Error::msg("the child has no stdout pipe"))?;
    let guard = ChildGuard::adopt(child);
    let child_pid = guard.pid();

    // Read until end of file: the child's threads report each unit they
    // finish; EOF comes when the last writer — the child — is gone.
    let mut units_reported = vec![0u32; WORKERS as usize];
    let mut results_arrived = 0;
    for line in BufReader::new(child_stdout).lines() {
        let line = line.context("read(2) from the child's stdout pipe")?;
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next()) {
            (Some("progress"), Some(worker), Some(done)) => {
                let worker: usize = worker.parse().unwrap_or(0);
                if let Some(slot) = units_reported.get_mut(worker.wrapping_sub(1)) {
                    *slot = done.parse().unwrap_or(*slot);
                }
            }
            (Some("result"), _, _) => results_arrived += 1,
            // the child's own lines, tagged [child …]
            _ => support::speaker::print_line(format_args!("{line}")),
        }
    }
    let ending = reap(guard)?;
    // ANCHOR_END: crash_in_thread_parent

    say!("child pid={child_pid} {ending}");
    let done_then_lost: u32 = units_reported.iter().sum();
    let reported: Vec<String> = units_reported
        .iter()
        .zip(1..)
        .map(|(done, worker)| format!("worker-{worker} {done}/{units}"))
        .collect();
    say!(
        "units each thread reported before the end: {}",
        reported.join(", ")
    );
    say!("results that reached the parent: {results_arrived} of {WORKERS}");
    say!(
        "died:     the whole child: worker-{FAULTY_WORKER}, the innocent {}, and main",
        others_than(FAULTY_WORKER)
    );
    say!("survived: only this parent, a separate process");
    say!(
        "lost:     all {WORKERS} results ({} units); {done_then_lost} units were already done",
        WORKERS * units
    );

    Ok(CrashInThreadReport {
        child_pid: child_pid.as_raw(),
        ending,
        units_reported,
        results_arrived,
        outcome: Outcome {
            fault: "crash in a thread",
            workers: WORKERS,
            units_per_worker: units,
            results_delivered: results_arrived,
            units_delivered: results_arrived * units,
            units_lost: (WORKERS - results_arrived.min(WORKERS)) * units,
            units_done_then_lost: done_then_lost,
            ending: Some(ending),
            parent_survived: true,
        },
    })
}

/// The role's entry point: `<units> <fail-at> <segv|abort>`.
fn crashing_threads_role(args: &[String]) -> i32 {
    let parsed = match args {
        [units, fail_at, how] => units
            .parse::<u32>()
            .ok()
            .zip(fail_at.parse::<u32>().ok())
            .zip(Crash::from_name(how)),
        _ => None,
    };
    let Some(((units, fail_at), how)) = parsed else {
        eprintln!(
            "error: {CRASHING_THREADS_ROLE} wants <units> <fail-at> <segv|abort>, got {args:?}"
        );
        return 2;
    };
    crashing_threads(units, fail_at, how)
}

// ANCHOR: crash_in_thread_child
/// In the child: four worker threads share this process; worker-2 crashes.
fn crashing_threads(units: u32, fail_at: u32, how: Crash) -> i32 {
    // Core dumps off before crashing on purpose (RLIMIT_CORE = 0 and
    // PR_SET_DUMPABLE = 0): no core is written, whatever core_pattern says.
    if let Err(e) = support::crash::disable_core_dumps() {
        eprintln!("error: turning core dumps off (setrlimit, prctl) failed: {e}");
        return 1;
    }
    say!(
        "{WORKERS} worker threads in this one process; after {fail_at} units worker-{FAULTY_WORKER} will {}",
        how.describe()
    );
    // Units each worker has finished. worker-2 crashes only once every
    // other thread is at least `others_at_least` units in, so the crash
    // lands in the middle of everyone's work.
    let units_done: Vec<AtomicU32> = (0..WORKERS).map(|_| AtomicU32::new(0)).collect();
    let others_at_least = fail_at / 2;
    let all_started = || {
        units_done
            .iter()
            .all(|d| d.load(Ordering::Acquire) >= others_at_least)
    };
    let results = thread::scope(|scope| {
        let (units_done, all_started) = (&units_done, &all_started);
        let handles: Vec<_> = (1..=WORKERS)
            .map(|worker| {
                thread::Builder::new()
                    .name(format!("worker-{worker}"))
                    .spawn_scoped(scope, move || {
                        let mut result = 0;
                        for unit in 0..units {
                            if worker == FAULTY_WORKER && unit == fail_at {
                                while !all_started() {
                                    thread::sleep(Duration::from_micros(200));
                                }
                                say!("{unit} units done, the others at least {others_at_least}; now I {}", how.describe());
                                crash_this_process(how); // every thread dies here, not just this one
                            }
                            result = fold(result, work_unit(worker, unit));
                            println!("progress {worker} {}", unit + 1); // for the parent to count
                            // Counted only once the line is in the pipe, so
                            // every unit worker-2 waits for reaches the parent.
                            units_done[worker as usize - 1].store(unit + 1, Ordering::Release);
                        }
                        result // kept in this process's memory until main collects it
                    })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.ok().and_then(|h| h.join().ok()))
            .collect::<Vec<_>>()
    });
    // Reached only if no thread crashed.
    for (worker, result) in (1..).zip(results) {
        match result {
            Some(value) => println!("result {worker} {value:#x}"),
            None => eprintln!("error: worker-{worker} could not start or panicked"),
        }
    }
    0
}
// ANCHOR_END: crash_in_thread_child

// ---------------------------------------------------------------------------
// 4. A child process crashes
// ---------------------------------------------------------------------------

/// What one worker process sends back through its pipe: 24 bytes of answer
/// plus 8 of check, all little-endian.
const RECORD_BYTES: usize = 32;

fn record_check(worker: u32, units: u32, value: u64) -> u64 {
    let mut state = value ^ (u64::from(worker) << 32 | u64::from(units));
    splitmix64(&mut state)
}

fn encode_record(worker: u32, units: u32, value: u64) -> [u8; RECORD_BYTES] {
    let mut record = [0u8; RECORD_BYTES];
    record[0..4].copy_from_slice(&worker.to_le_bytes());
    record[4..8].copy_from_slice(&units.to_le_bytes());
    record[8..16].copy_from_slice(&value.to_le_bytes());
    record[16..24].copy_from_slice(&0u64.to_le_bytes());
    record[24..32].copy_from_slice(&record_check(worker, units, value).to_le_bytes());
    record
}

/// The value in `bytes` if it is one whole record from `worker` for `units`
/// units with a matching check; otherwise why not.
fn decode_record(bytes: &[u8], worker: u32, units: u32) -> std::result::Result<u64, String> {
    let record: &[u8; RECORD_BYTES] = bytes
        .try_into()
        .map_err(|_| format!("{} bytes arrived, not {RECORD_BYTES}", bytes.len()))?;
    let field = |range: std::ops::Range<usize>| -> u64 {
        let mut word = [0u8; 8];
        word[..range.len()].copy_from_slice(&record[range]);
        u64::from_le_bytes(word)
    };
    let value = field(8..16);
    if field(0..4) != u64::from(worker) || field(4..8) != u64::from(units) {
        return Err("the record is for another worker or size".to_string());
    }
    if field(24..32) != record_check(worker, units, value) {
        return Err("the check does not match".to_string());
    }
    Ok(value)
}

// ANCHOR: worker_process
/// Forks one worker process. It does `units` units of work and writes its
/// result to a pipe; if `crash_after` is set it crashes after that many
/// units instead. Returns the child (guarded) and the pipe's read end.
fn start_worker_process(
    worker: u32,
    units: u32,
    crash_after: Option<u32>,
    how: Crash,
) -> Result<(ChildGuard, OwnedFd)> {
    // One pipe per worker: its result comes back through it.
    let (read_end, write_end) = pipe().context("pipe(2)")?;
    // Refuses unless this process has one thread; flushes stdout, or the
    // child would inherit any unprinted text and print it a second time.
    prepare_to_fork()?;
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => {
            drop(read_end);
            // run_child: our lines say `child`; a panic or an error ends
            // this process (exit 101 or 1), never returns into the parent's code.
            run_child(|| worker_process(worker, units, crash_after, how, write_end))
        }
        ForkResult::Parent { child } => {
            let guard = ChildGuard::new(child); // killed and reaped if we bail out
            drop(write_end); // keep only the read end, or we never see EOF
            Ok((guard, read_end))
        }
    }
}

/// In the forked child: the work, then the result into the pipe.
fn worker_process(
    worker: u32,
    units: u32,
    crash_after: Option<u32>,
    how: Crash,
    write_end: OwnedFd,
) -> Result<()> {
    if crash_after.is_some() {
        // A child meant to crash turns core dumps off first.
        support::crash::disable_core_dumps()
            .context("turning core dumps off (setrlimit, prctl)")?;
    }
    let mut result = 0;
    for unit in 0..units {
        if crash_after == Some(unit) {
            say!(
                "worker-{worker}: {unit} units done; now I {}",
                how.describe()
            );
            crash_this_process(how); // this process dies; the others never notice
        }
        result = fold(result, work_unit(worker, unit));
    }
    let record = encode_record(worker, units, result);
    File::from(write_end)
        .write_all(&record)
        .context(format!("write(2) of worker-{worker}'s result"))
}
// ANCHOR_END: worker_process

/// How one worker process ended and what it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessResult {
    pub worker: u32,
    pub pid: i32,
    pub ending: Ending,
    /// The value its pipe delivered, if a whole record with a good check
    /// arrived.
    pub value: Option<u64>,
    /// `value` equals [`fault_free_result`].
    pub correct: bool,
}

/// What scenario 4 saw.
#[derive(Debug, Clone)]
pub struct CrashInChildReport {
    pub workers: Vec<ProcessResult>,
    pub outcome: Outcome,
}

/// Scenario 4: four worker processes, one crashes.
pub fn crash_in_child(options: &Options) -> Result<CrashInChildReport> {
    prepare_to_fork()?; // it forks: refuse before printing anything if it may not
    heading("4. A child process crashes");
    let units = options.units;
    let fail_at = units_before_fault(units);
    say!(
        "{WORKERS} worker processes, forked from this one, {units} units each; worker-{FAULTY_WORKER} crashes after {fail_at}"
    );

    // ANCHOR: crash_in_child
    let mut started = Vec::new();
    for worker in 1..=WORKERS {
        let crash_after = (worker == FAULTY_WORKER).then_some(fail_at);
        let (guard, read_end) = start_worker_process(worker, units, crash_after, options.crash)?;
        say!("forked worker-{worker}: pid={}", guard.pid());
        started.push((worker, guard, read_end));
    }
    let mut workers = Vec::new();
    for (worker, guard, read_end) in started {
        let pid = guard.pid();
        let mut bytes = Vec::new();
        // EOF once the child has exited or died: no write end is left open.
        File::from(read_end)
            .read_to_end(&mut bytes)
            .context("read(2) from a worker's pipe")?;
        let ending = reap(guard)?; // waitpid(2): how did it end?
        let decoded = decode_record(&bytes, worker, units);
        let correct = decoded
            .as_ref()
            .is_ok_and(|&v| v == fault_free_result(worker, units));
        match &decoded {
            Ok(value) => say!(
                "worker-{worker} pid={pid} {ending}: result {value:#018x}, {RECORD_BYTES} bytes, check ok, {}",
                if correct {
                    "equals the fault-free value"
                } else {
                    "WRONG"
                }
            ),
            Err(why) => say!("worker-{worker} pid={pid} {ending}: no result ({why})"),
        }
        workers.push(ProcessResult {
            worker,
            pid: pid.as_raw(),
            ending,
            value: decoded.ok(),
            correct,
        });
    }
    // ANCHOR_END: crash_in_child
    let delivered = workers.iter().filter(|w| w.correct).count() as u32;
    let crashed: Vec<&ProcessResult> = workers
        .iter()
        .filter(|w| w.ending.signal().is_some())
        .collect();
    say!(
        "this parent, pid={}, is untouched: it holds {delivered} intact results",
        std::process::id()
    );
    let died: Vec<String> = crashed
        .iter()
        .map(|w| format!("worker-{} (pid={})", w.worker, w.pid))
        .collect();
    say!("died:     {}, alone", died.join(", "));
    say!("survived: {} and this parent", others_than(FAULTY_WORKER));
    say!(
        "lost:     worker-{FAULTY_WORKER}'s result: {units} units, {fail_at} of them already done"
    );

    Ok(CrashInChildReport {
        outcome: Outcome {
            fault: "crash in a child process",
            workers: WORKERS,
            units_per_worker: units,
            results_delivered: delivered,
            units_delivered: delivered * units,
            units_lost: (WORKERS - delivered) * units,
            units_done_then_lost: fail_at,
            ending: crashed.first().map(|w| w.ending),
            parent_survived: true,
        },
        workers,
    })
}

// ---------------------------------------------------------------------------
// 5. Beyond the table: a supervisor
// ---------------------------------------------------------------------------

/// What scenario 5 saw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SupervisorReport {
    /// Every attempt that crashed: (worker, attempt from 1, how it ended).
    pub crashes: Vec<(u32, u32, Ending)>,
    /// Restarts made, over all workers.
    pub restarts: u32,
    /// Workers the supervisor gave up on after `max_restarts`.
    pub gave_up: Vec<u32>,
    /// Units of work done by attempts that then crashed: thrown away, and
    /// done again by the next attempt (if there was one).
    pub units_thrown_away: u32,
    /// The combined result, if every worker finished.
    pub result: Option<u64>,
    /// The combined result of a run with no faults at all.
    pub fault_free: u64,
}

// ANCHOR: plan
/// Whether attempt `attempt` of `worker` crashes, and after how many units:
/// drawn from the plan number alone, so the same plan replays the same faults.
pub fn planned_crash(
    plan: u64,
    worker: u32,
    attempt: u32,
    units: u32,
    probability: f64,
) -> Option<u32> {
    let mut state = plan ^ (u64::from(worker) << 40) ^ (u64::from(attempt) << 20);
    let uniform = (splitmix64(&mut state) >> 11) as f64 / (1u64 << 53) as f64; // in [0, 1)
    (uniform < probability).then(|| (splitmix64(&mut state) % u64::from(units)) as u32)
}
// ANCHOR_END: plan

/// The job's answer: every worker's result folded in worker order.
fn combine(results: impl IntoIterator<Item = u64>) -> u64 {
    results.into_iter().fold(0, fold)
}

/// Scenario 5: a supervisor restarts crashed workers until the job is done.
pub fn supervisor(options: &Options) -> Result<SupervisorReport> {
    prepare_to_fork()?; // it forks: refuse before printing anything if it may not
    heading("5. Beyond the table: a supervisor restarts what crashed");
    let units = options.units;
    let (plan, probability, max_restarts) = (
        options.fault_plan,
        options.crash_probability,
        options.max_restarts,
    );
    say!(
        "{WORKERS} worker processes, {units} units each; any attempt may crash (probability {probability}, --fault-plan {plan});"
    );
    say!(
        "a crashed worker is restarted after a backoff of 10 ms, doubling, at most {max_restarts} times"
    );
    let fault_free = combine((1..=WORKERS).map(|worker| fault_free_result(worker, units)));

    // ANCHOR: supervisor
    let start = |worker: u32, attempt: u32| {
        let crash_after = planned_crash(plan, worker, attempt, units, probability);
        start_worker_process(worker, units, crash_after, options.crash)
            .map(|(guard, read_end)| (guard, read_end, attempt, crash_after))
    };
    let mut running = std::collections::BTreeMap::new(); // worker -> its current attempt
    for worker in 1..=WORKERS {
        running.insert(worker, start(worker, 1)?);
    }
    let mut results = std::collections::BTreeMap::new();
    let (mut crashes, mut gave_up, mut restarts, mut units_thrown_away) =
        (Vec::new(), Vec::new(), 0, 0);
    while !running.is_empty() {
        // Whichever of our workers ends first (only our own pids: a program
        // that embeds this lesson may have children of its own).
        let pids: Vec<(u32, Pid)> = running.iter().map(|(&w, (g, ..))| (w, g.pid())).collect();
        let worker = first_to_end(&pids)?;
        let Some((guard, read_end, attempt, crash_after)) = running.remove(&worker) else {
            continue;
        };
        let ending = reap(guard)?; // waitpid(2): it has ended, so this returns at once
        let mut bytes = Vec::new();
        File::from(read_end)
            .read_to_end(&mut bytes)
            .context("read(2) from a worker's pipe")?;
        match decode_record(&bytes, worker, units) {
            Ok(value) if ending.is_success() => {
                say!("worker-{worker} attempt {attempt}: {ending}, result {value:#018x}");
                results.insert(worker, value);
            }
            _ => {
                crashes.push((worker, attempt, ending));
                units_thrown_away += crash_after.unwrap_or(0);
                if attempt > max_restarts {
                    say!(
                        "worker-{worker} attempt {attempt}: {ending}; giving up after {max_restarts} restarts"
                    );
                    gave_up.push(worker);
                    continue;
                }
                let backoff = Duration::from_millis(10 << (attempt - 1).min(6));
                say!(
                    "worker-{worker} attempt {attempt}: {ending}; restart {attempt} of {max_restarts} in {} ms",
                    backoff.as_millis()
                );
                thread::sleep(backoff); // give a failing dependency a moment to recover
                restarts += 1;
                running.insert(worker, start(worker, attempt + 1)?);
            }
        }
    }
    // ANCHOR_END: supervisor

    let result = (results.len() == WORKERS as usize).then(|| combine(results.values().copied()));
    match result {
        Some(value) => say!(
            "final result {value:#018x}; fault-free result {fault_free:#018x}: {}",
            if value == fault_free {
                "equal"
            } else {
                "DIFFERENT"
            }
        ),
        None => say!(
            "job incomplete: gave up on {gave_up:?}; fault-free result would be {fault_free:#018x}"
        ),
    }
    say!(
        "died:     {} crashed attempt(s), each alone in its process",
        crashes.len()
    );
    say!("survived: the supervisor and every result already delivered");
    if gave_up.is_empty() {
        say!(
            "lost:     {units_thrown_away} units done by crashed attempts, redone after {restarts} restart(s)"
        );
    } else {
        say!(
            "lost:     {units_thrown_away} units done by crashed attempts, and the results of {gave_up:?}"
        );
    }

    Ok(SupervisorReport {
        crashes,
        restarts,
        gave_up,
        units_thrown_away,
        result,
        fault_free,
    })
}

// ANCHOR: first_to_end
/// The first of `pids` whose process has ended. Each round asks each pid in
/// turn `waitid(P_PID, pid, WEXITED | WNOHANG | WNOWAIT)`: "has it ended?"
/// without waiting and without reaping it (the guard's `waitpid` does
/// that); then sleeps 1 ms before the next round.
fn first_to_end(pids: &[(u32, Pid)]) -> Result<u32> {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    loop {
        for &(worker, pid) in pids {
            match waitid(Id::Pid(pid), flags) {
                Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) => {}
                Ok(_) => return Ok(worker), // exited or killed: ready to reap
                Err(e) => return Err(e).context(format!("waitid(2) for pid {pid}")),
            }
        }
        thread::sleep(Duration::from_millis(1));
    }
}
// ANCHOR_END: first_to_end

// ---------------------------------------------------------------------------
// Verdict
// ---------------------------------------------------------------------------

fn verdict(report: &Report) {
    heading("Verdict: fault isolation");
    say!(
        "{:<24} | {:<58} | results | units lost (already done)",
        "fault",
        "how the process holding the fault ended"
    );
    for outcome in report.outcomes() {
        let ending = outcome
            .ending
            .map_or("it lived on".to_string(), |e| e.to_string());
        say!(
            "{:<24} | {:<58} | {} of {}  | {} ({})",
            outcome.fault,
            ending,
            outcome.results_delivered,
            outcome.workers,
            outcome.units_lost,
            outcome.units_done_then_lost
        );
    }
    say!("the Key Differences table: \"an error in one thread can crash the entire process;");
    say!("an error in one process does not affect others.\" In Rust a panic is not such an");
    say!("error: it unwinds one thread. A real fault (SIGSEGV, abort) ends the whole process,");
    say!("every thread and all their work; the same fault in a process of its own cost only");
    let supervised = &report.supervisor;
    if supervised.crashes.is_empty() {
        say!("that process (this run's supervisor saw no crash to redo).");
    } else if supervised.gave_up.is_empty() {
        say!("that process, and a supervisor redid it.");
    } else {
        say!(
            "that process; a supervisor redid it, but gave up on {:?}.",
            supervised.gave_up
        );
    }
}
