//! # Lesson 04: fault isolation — what a failure takes down with it
//!
//! The Key Differences table, row **Fault Isolation**: "an error in one
//! thread can crash the entire process; an error in one process does not
//! affect others". Exactly how that happens on Linux and in Rust:
//!
//! - a *panic* in a spawned thread unwinds that thread's stack and ends it;
//!   `join()` returns `Err`, and the process carries on, but data the thread
//!   was changing may be left half updated (scenario 2). A panic on the
//!   main thread ends the process (exit 101); a panic during unwinding
//!   aborts it; built with `panic = "abort"`, every panic is scenario 3.
//! - a *real fault* (a store to an unmapped address) makes the kernel send
//!   SIGSEGV to the faulting thread. A handler could catch it (std installs
//!   one, to report stack overflows, which restores the default and
//!   returns); it is the signal's *default action* that ends the whole
//!   process, every thread in it. The kernel does not send SIGABRT on its
//!   own: `abort()` unblocks it and sends it to its own thread with `tgkill`.
//! - the same fault in a process of its own ends that process only.
//!
//! Run it: `just demo-fault-isolation` (`--help` for options). Read the
//! listings in `examples/` first, then the parts, one scenario each, every
//! one ending with `died:`, `survived:` and `lost:` lines:
//!
//! 1. `part1_panic_in_thread.rs`: `join()` returns the panic as `Err`;
//! 2. `part2_poisoned_lock.rs`: std's `Mutex` is poisoned, parking_lot's
//!    hands the half-finished data on without a word;
//! 3. `part3_crash_in_thread.rs` (the child's side in
//!    `part3_crashing_threads.rs`): one thread's SIGSEGV kills the child;
//! 4. `part4_crash_in_child.rs`: one of four worker processes dies alone;
//! 5. `part5_supervisor.rs` (waiting by pid in `part5_attempts.rs`):
//!    restarts what crashed, or says it gave up.
//!
//! `parts.rs` runs one alone (`--part N`). Beside them: `crash.rs` (the
//! fault itself), `worker_process.rs` (fork, work, pipe, `_exit`), `work.rs`,
//! `panics.rs`, `options.rs`, `report.rs`, `verdict.rs`. Next: lesson 05 measures what isolation costs.

mod crash;
mod options;
mod panics;
mod part1_panic_in_thread;
mod part2_poisoned_lock;
mod part3_crash_in_thread;
mod part3_crashing_threads;
mod part4_crash_in_child;
mod part5_attempts;
mod part5_supervisor;
mod parts;
pub mod report;
mod verdict;
mod work;
mod worker_process;

pub use crash::{Crash, mmap_min_addr};
pub use options::{MAX_RESTARTS, Options, UNITS};
pub use part1_panic_in_thread::panic_in_thread;
pub use part2_poisoned_lock::{Accounts, panic_while_holding_a_lock};
pub use part3_crash_in_thread::crash_in_thread;
pub use part4_crash_in_child::crash_in_child;
pub use part5_supervisor::{planned_crash, supervisor};
pub use parts::run_part;
pub use report::*;
pub use work::{fault_free_result, fold, splitmix64, work_unit};

use support::classroom::Lesson;
use support::error::Result;
use support::forking::prepare_to_fork;

/// Every scenario runs this many workers, numbered from 1.
pub const WORKERS: u32 = 4;
/// The worker that fails, in every scenario but the supervisor's.
pub const FAULTY_WORKER: u32 = 2;
/// The hidden role in which a child runs four threads and one crashes.
pub const CRASHING_THREADS_ROLE: &str = "fault-isolation:crashing-threads";
pub const LESSON: Lesson = Lesson::new("4", include_str!("../questions.md")); // parts, questions
/// The roles this lesson can start its own program in.
pub const ROLES: &[support::role::Role] = &[support::role::Role {
    name: CRASHING_THREADS_ROLE,
    run: part3_crashing_threads::crashing_threads_role,
}];

/// Runs every scenario in order, printing the story as it goes.
pub fn run(options: &Options) -> Result<Report> {
    options.check()?;
    prepare_to_fork()?; // scenarios 4 and 5 fork: refuse before any runs
    let mut class = LESSON.session(); // --predict, --pause
    class.part(1); // A thread panics
    let panic_in_thread = panic_in_thread(options)?;
    class.part(2); // A panic while holding a lock
    let poisoning = panic_while_holding_a_lock()?;
    class.part(3); // A thread crashes
    let crash_in_thread = crash_in_thread(options)?;
    class.part(4); // A child process crashes
    let crash_in_child = crash_in_child(options)?;
    class.part(5); // Beyond the table: a supervisor restarts what crashed
    let supervisor = supervisor(options)?;
    class.outcome(parts::supervisor_outcome(&supervisor)); // for --predict
    let report = Report {
        panic_in_thread,
        poisoning,
        crash_in_thread,
        crash_in_child,
        supervisor,
    };
    class.verdict("Verdict: fault isolation");
    verdict::verdict(&report);
    Ok(report)
}
