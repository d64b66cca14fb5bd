//! # Lesson 05: what a worker costs to start, in time and in memory
//!
//! A new thread is a stack and a scheduler entry inside a process that
//! already exists. A new process needs those too, plus an address space of
//! its own: `fork` sets up the child's page tables over every page of the
//! parent, and `exec` throws them away and loads a program. The Key
//! Differences table, rows **Creation** and **Memory**, measured.
//!
//! Read the listings first (`examples/05a…05e`), then run the narrated
//! demo, `just demo-creation-cost`. `run` below is its table of contents:
//! 1. a thread started and joined: std, raw `pthread_create`, `thread::scope`, std's set-up;
//! 2. a process started and reaped: fork + `_exit`, fork + exec, `Command`;
//! 3. fork of a bigger parent: dearer, and the parent's next writes fault;
//! 4. the memory of an idle thread and an idle process, user and kernel;
//! 5. pools: creation paid once, and the job size where it stops mattering.
//!
//! Every part measures in a fresh copy of this program (`fresh.rs`), beside
//! the load average (`machine.rs`); `parts.rs` runs one (`--part N`). Next: lesson 06.

pub mod faults;
pub mod fresh;
pub mod machine;
mod numbers;
pub mod outcomes;
mod part1_threads;
mod part2_processes;
mod part3_fork_size;
mod part4_idle_memory;
mod part5_pools;
mod parts;
mod pool_processes;
mod print;
mod proc_files;
mod report;
mod roles;
mod rounds;
mod verdict;

pub use numbers::{grouped, signed_bytes};
pub use outcomes::{measure_creation, measure_fork_sizes};
pub use part2_processes::{command_spawn_wait, fork_exec_wait, fork_exit_wait};
pub use part3_fork_size::{FORK_SIZES, fork_after_touching};
pub use part5_pools::run_pools;
pub use parts::run_part;
pub use report::*;
pub use rounds::{idle_worker_memory, measure_pools};
use support::{classroom::Lesson, error::Result};
pub use verdict::verdict_lines;

pub const LESSON: Lesson = Lesson::new("5", include_str!("../questions.md")); // parts, questions
pub const ROLES: &[support::role::Role] = fresh::ROLES; // a role per fresh measurement

/// The most `--repeats`, `--workers` (256 Ctrl-C guard slots), `--jobs`.
pub const MAX_REPEATS: u64 = 1_000;
pub const MAX_WORKERS: u64 = 200;
pub const MAX_JOBS: u64 = 100_000;

/// The demo's settings.
#[derive(Debug, Clone)]
pub struct Options {
    /// Timed batches per figure; each figure is the median over them.
    pub repeats: u64,
    /// How many idle threads, then idle processes, to count memory for.
    pub workers: u64,
    /// How many tiny jobs part 5 runs each way.
    pub jobs: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            repeats: 7,
            workers: 100,
            jobs: 500,
        }
    }
}

// ANCHOR: run
/// Runs the lesson: prints the story as it goes, returns the figures.
pub fn run(options: &Options) -> Result<Report> {
    let (repeats, workers) = (options.repeats as usize, options.workers as usize);
    let mut machine = machine::Machine::cores_now(); // and how busy it is, before and after:
    machine.before = machine::look();
    let creation = measure_creation(repeats)?; // in a fresh process
    machine.after = machine::look();
    let (thread, process) = (&creation.thread_spawn, &creation.fork_exit);
    let mut class = LESSON.session(); // --predict, --pause
    class.part(1); // A thread: start one, wait for it to end
    print::threads(&creation.rows()[..3], &machine);
    class.outcome(outcomes::thread_start(thread));
    class.part(2); // A process: start one, wait for it to end
    print::processes(&creation.rows()[3..], thread, &machine);
    class.outcome(outcomes::thread_or_process(thread, process));
    // ANCHOR_END: run
    // ANCHOR: run_rest
    class.part(3); // fork gets dearer as the parent grows
    let fork_vs_memory = measure_fork_sizes(repeats)?; // in a fresh process
    print::fork_sizes(&fork_vs_memory, &machine);
    class.outcome(outcomes::fork_size(&fork_vs_memory));
    class.part(4); // What an idle worker costs in memory
    let idle_memory = idle_worker_memory(workers)?;
    verdict::idle_memory(&idle_memory);
    class.outcome(outcomes::idle_memory(&idle_memory));
    class.part(5); // Pools pay creation once
    let pools = measure_pools(options.jobs as usize, machine.cores)?;
    print::print_pools(&pools, thread, process);
    class.outcome(outcomes::pools(&pools));
    class.verdict("Verdict");
    let report = Report {
        machine,
        creation,
        fork_vs_memory,
        idle_memory,
        pools,
    };
    verdict::verdict(&report);
    Ok(report)
}
// ANCHOR_END: run_rest
