//! # Lesson 06: when to use which — work that waits, work that computes
//!
//! Work that mostly *waits* goes faster with more workers because their
//! waits overlap: a worker blocked in `read(2)` is off the CPU. Work that
//! *computes* goes faster only while there are cores to run more workers
//! on. In Rust threads and processes both run truly in parallel (there is
//! no global interpreter lock), so the kind of work rarely decides between
//! them; where it does is work that maps and unmaps memory all the time,
//! which threads do in one shared address space.
//!
//! The Key Differences table's **Best For** row, measured. Run it:
//! `just demo-workloads` (`--help` for options). Read the listings in
//! `examples/` first; then the parts, in this order:
//!
//! 1. `part1_waiting.rs`: K tasks wait for a slow service (`part1_serv*`),
//!    one by one, on K threads, on K processes;
//! 2. `part2_computing.rs`: a prime count in W parts, three ways;
//! 3. `part3_more_threads.rs`: the count on 1 to 8 threads;
//! 4. `part4_break_even.rs`: a job too small to split;
//! 5. `part5_address_space.rs`: map/unmap work, where threads lose;
//! 6. `part6_verdict.rs`: what this run showed. (`parts.rs`: `--part N`.)
//!
//! `measure.rs` times the modes in turns; `workers.rs` forks and reaps.

mod measure;
mod options;
mod outcomes;
mod part1_serve;
mod part1_service;
mod part1_waiting;
mod part2_computing;
mod part3_more_threads;
mod part4_break_even;
mod part5_address_space;
mod part5_map_unmap;
mod part6_verdict;
mod parts;
pub mod report;
mod workers;

pub use measure::grouped;
pub use options::{MAX_SIZE, MAX_WAIT_MS, MAX_WORKERS, Options, cores, max_tasks, parse_tasks};
pub use part2_computing::count_primes;
pub use part5_map_unmap::tlb_shootdowns;
pub use part6_verdict::verdict_lines;
pub use parts::run_part;
pub use report::*;

use support::classroom::Lesson;
use support::error::Result;

pub const LESSON: Lesson = Lesson::new("6", include_str!("../questions.md")); // parts, questions
/// This lesson starts no role: its processes are forked, not re-executed.
pub const ROLES: &[support::role::Role] = &[];
/// The thread counts of part 3.
pub const THREAD_COUNTS: [usize; 4] = [1, 2, 4, 8];

/// Runs the lesson: prints the story and returns what it measured.
pub fn run(options: &Options) -> Result<Report> {
    let cores = cores();
    let mut children = workers::Children::default();

    let mut class = LESSON.session(); // --predict, --pause
    class.part(1); // Work that waits
    let io = part1_waiting::waiting(options, &mut children)?;
    class.outcome(outcomes::waiting(&io));
    class.part(2); // Work that computes
    let cpu = part2_computing::computing(options, cores, &mut children)?;
    class.outcome(outcomes::computing(&cpu, cores));
    class.part(3); // More threads than cores
    let (oversubscription, enough_threads) = part3_more_threads::more_threads(options, cores)?;
    class.outcome(outcomes::more_threads(&oversubscription, enough_threads));
    class.part(4); // The break-even: too small to split
    let break_even = part4_break_even::break_even(cores)?;
    class.outcome(outcomes::break_even(&break_even));
    class.part(5); // Where threads lose: one address space
    let address_space = part5_address_space::address_space(options, cores, &mut children)?;
    class.outcome(outcomes::address_space(&address_space, cores));

    let no_children_left = children.say_count(); // forked N, reaped N; children left: none
    let (forked, reaped) = (children.forked, children.reaped);
    let report = Report {
        cores,
        io,
        cpu,
        oversubscription,
        enough_threads,
        break_even,
        address_space,
        children_forked: forked,
        children_reaped: reaped,
        no_children_left,
    };
    class.verdict("6. Verdict: when to use which, in Rust");
    part6_verdict::verdict(&report);
    Ok(report)
}
