//! # Lesson 02: threads share one address space
//!
//! The threads of a process live in one memory: a value on the heap or in a
//! static has one address, and every thread sees that address and those
//! bytes. So threads communicate by reading and writing shared variables,
//! and for the same reason they must synchronise, or updates are lost. A
//! forked child is the contrast: it gets copy-on-write copies of its
//! parent's private memory, so its writes never reach the parent (only
//! `MAP_SHARED` mappings and open file descriptions stay shared; lesson 03).
//!
//! The Key Differences table, rows **Memory** and **Communication**, seen
//! from the thread side. Run it: `just demo-threads` (`--help` for options).
//! Read the listings in `examples/` first; then the parts, in this order:
//!
//! 1. `part1_one_address_space.rs`: one heap value, one static, a stack and
//!    a thread id each;
//! 2. `part2_communication.rs`: a buffer read in place, and hand-off round
//!    trips (`part2_round_trips.rs`) on one CPU and on two;
//! 3. `part3_lost_updates.rs`: a race condition loses updates; `fetch_add`
//!    and mutual exclusion (a `Mutex`) do not;
//! 4. `part4_fork.rs`: a forked child adds to its own copy of the counter;
//! 5. `part5_verdict.rs`: what this run showed.
//!
//! Why `parking_lot` beside `std::sync`: no poisoning, a one-byte `Mutex`, a
//! `Condvar` that waits on its guard. It cannot work between processes: a
//! parked thread waits in a table inside this process.

mod part1_one_address_space;
mod part2_communication;
mod part2_round_trips;
mod part3_lost_updates;
mod part4_fork;
mod part5_verdict;
mod parts;
pub mod report;

pub use part1_one_address_space::{SHARED_STATIC, one_address_space};
pub use part2_communication::{hand_off_row, hand_offs, read_in_place};
pub use part2_round_trips::{
    channel_round_trip, channel_round_trip_on, condvar_round_trip, condvar_round_trip_on,
};
pub use part3_lost_updates::lost_updates;
pub use part4_fork::fork_contrast;
pub use part5_verdict::verdict_lines;
pub use parts::run_part; // `--part N`: one part alone
pub use report::*;

use support::classroom::Lesson;
use support::error::{Error, Result};

pub const LESSON: Lesson = Lesson::new("2", include_str!("../questions.md")); // parts, questions
/// This lesson starts no child in a role: its one child is forked.
pub const ROLES: &[support::role::Role] = &[];
/// Default worker threads for parts 1 and 3.
pub const DEFAULT_THREADS: usize = 4;
/// Default increments per thread in parts 3 and 4.
pub const DEFAULT_INCREMENTS: u64 = 5_000_000;

/// The demo's knobs.
#[derive(Debug, Clone)]
pub struct Options {
    /// Worker threads in parts 1 and 3 (1 to 64).
    pub threads: usize,
    /// Increments per thread in parts 3 and 4 (1 to 10_000_000).
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

/// Runs the lesson, printing the story, and returns what it saw. Part 4
/// forks: from a process with other threads it returns the "refusing to
/// fork" error (after parts 1 to 3).
pub fn run(options: &Options) -> Result<Report> {
    let (threads, increments) = (options.threads, options.increments);
    let cores = support::placement::allowed_cpus().map_or(1, |cpus| cpus.len()); // affinity mask

    let mut class = LESSON.session(); // --part, --predict, --pause
    class.part(1); // One address space
    let address_space = one_address_space(threads)?;
    part1_one_address_space::summarise(&address_space);

    class.part(2); // Communication through shared variables
    let direct_read = read_in_place(1 << 20)?;
    let hand_off = hand_offs()?;
    part2_communication::explain_placement();

    class.part(3); // Sharing needs synchronisation
    let counters = lost_updates(threads, increments)?;
    let shown = part3_lost_updates::explain(&counters.racy_load_store, cores);
    class.outcome(shown); // 1: none lost, 2: some; None: one CPU, none lost

    class.part(4); // Contrast with processes: fork copies
    let fork = fork_contrast(increments)?; // every thread above has been joined
    part4_fork::explain(&fork);

    class.verdict("5. Verdict");
    let report = Report {
        cores,
        address_space,
        direct_read,
        hand_off,
        counters,
        fork,
    };
    part5_verdict::verdict(&report);
    Ok(report)
}

/// Joins a thread's result, turning a panic in it into an error naming it.
fn joined<T>(result: std::thread::Result<T>, who: &str) -> Result<T> {
    result.map_err(|_| Error::msg(format!("thread {who} panicked")))
}
