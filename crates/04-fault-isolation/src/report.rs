//! What the lesson saw, as data: for the tests, the key-differences table
//! (lesson 07) and the tour. The story is in the part files; this is only
//! what they hand back.

use support::Ending;

use crate::part2_poisoned_lock::Accounts;

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
    /// Of the lost units, those already done when the fault struck.
    pub units_done_then_lost: u32,
    /// How the process that held the fault ended; `None` if it lived on.
    pub ending: Option<Ending>,
    /// Whether the process the reader started carried on.
    pub parent_survived: bool,
}

/// Everything the lesson saw.
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
    /// Equal to [`crate::fault_free_result`].
    pub correct: bool,
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

/// How one worker process ended and what it sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProcessResult {
    pub worker: u32,
    pub pid: i32,
    pub ending: Ending,
    /// The value its pipe delivered, if a whole, checked record arrived.
    pub value: Option<u64>,
    /// `value` equals [`crate::fault_free_result`].
    pub correct: bool,
}

/// What scenario 4 saw.
#[derive(Debug, Clone)]
pub struct CrashInChildReport {
    pub workers: Vec<ProcessResult>,
    pub outcome: Outcome,
}

/// What scenario 5 saw.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SupervisorReport {
    /// Every attempt that crashed: (worker, attempt from 1, how it ended).
    pub crashes: Vec<(u32, u32, Ending)>,
    /// Restarts made, over all workers.
    pub restarts: u32,
    /// Workers the supervisor gave up on after `max_restarts`.
    pub gave_up: Vec<u32>,
    /// Units done by attempts that then crashed: thrown away (and redone).
    pub units_thrown_away: u32,
    /// The combined result, if every worker finished.
    pub result: Option<u64>,
    /// The combined result of a run with no faults at all.
    pub fault_free: u64,
}
