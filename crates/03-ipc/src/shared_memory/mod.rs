//! # Lesson 03, second half: processes talking through shared memory
//!
//! A write in one process shows up in another only if both map *the same
//! pages* with `MAP_SHARED`. Then the bytes need no system call to cross,
//! only copies into and out of those pages; but the two sides must agree
//! on who owns which bytes, with atomics placed in the same pages, and each
//! must wait for the other without the locks that work between threads.
//!
//! Run it: `just demo-shared-memory` (`--help` for options). Read the
//! listings `03c`, `03d` and `03e` first; then the parts:
//!
//! 1. `part1_private_vs_shared.rs`: after fork, a private and a shared page;
//! 2. `part2_ring.rs` (with `ring.rs`, `ring_ends.rs`, `wait.rs`): a ring
//!    between two processes, against the same work in one process
//!    (`part2_reference.rs`), run in turn with every yield and sleep
//!    counted (`part2_runs.rs`);
//! 3. `part3_round_trips.rs`: a shared word, spinning against a futex;
//! 4. `part4_named.rs`, `part4_roles.rs`: two strangers meet at a name;
//! 5. `part5_why_not_a_mutex.rs`; 6. `part6_verdict.rs`.
//!
//! Next: lesson 04, what separate memory buys when something crashes.

mod part1_private_vs_shared;
mod part2_reference;
mod part2_ring;
mod part2_runs;
mod part3_round_trips;
mod part4_named;
mod part4_roles;
mod part5_why_not_a_mutex;
mod part6_verdict;
mod parts;
pub mod report;
mod ring;
mod ring_ends;
mod test_hooks;
mod wait;

pub use part2_reference::same_work_in_one_process;
pub use part2_ring::ring_between_processes;
pub use part3_round_trips::{Waiting, word_round_trips};
pub use part6_verdict::verdict_lines;
pub use parts::run_part; // `--part N`: one part alone
pub use report::*;
pub use test_hooks::{KillPoint, TestHooks};

use support::classroom::Lesson;
use support::error::{Error, Result};
use support::role::Role;
use support::say;

pub const LESSON: Lesson = Lesson::new("shm", include_str!("../../questions-shared-memory.md"));
/// The roles this lesson starts its own program in: part 4's strangers.
pub const ROLES: &[Role] = &[
    Role {
        name: part4_roles::WRITER_ROLE,
        run: part4_roles::writer_role,
    },
    Role {
        name: part4_roles::READER_ROLE,
        run: part4_roles::reader_role,
    },
];

/// MiB through the ring in each of part 2's runs, and in part 4.
pub const DEFAULT_MIB: u64 = 64;

/// What the demo does, and how much.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// MiB through the ring in each run (parts 2 and 4); 0: the default, 64.
    pub mib: u64,
    /// Fault injection for the tests; off by default.
    pub test: TestHooks,
}

impl Options {
    /// The bytes through the ring in each run: `mib` MiB (0: the default).
    pub fn bytes(&self) -> Result<u64> {
        let mib = Some(self.mib)
            .filter(|&mib| mib != 0)
            .unwrap_or(DEFAULT_MIB);
        if mib > 4096 {
            return Err(Error::msg(format!("--mib must be 1 to 4096, not {mib}")));
        }
        Ok(mib << 20)
    }
}

/// Runs the lesson: prints the story and returns what it saw. Forks: in a
/// process that has other threads it returns the "refusing to fork: …" error.
pub fn run(options: &Options) -> Result<Report> {
    let (total, hooks) = (options.bytes()?, &options.test);
    support::guard::install_interrupt_cleanup(); // Ctrl-C: children and names go

    let mut class = LESSON.session(); // --part, --predict, --pause
    class.part(1); // After fork: a MAP_PRIVATE page and a MAP_SHARED page
    let mappings = part1_private_vs_shared::private_vs_shared()?;

    class.part(2); // A ring buffer in a shared mapping, between two processes
    part6_verdict::explain_ring();
    let ring = part2_runs::ring_against_reference(total, hooks)?;
    part2_runs::ring_lines(&ring)
        .iter()
        .for_each(|line| say!("{line}"));

    class.part(3); // Round trips through one shared word
    let (shm_round_trip, placement, spin_echo_waits) = word_round_trips(Waiting::Spin, 2000)?;
    let (futex_round_trip, _, _) = word_round_trips(Waiting::Futex, 50)?;
    let (figures, waits) = ((&shm_round_trip, &futex_round_trip), &spin_echo_waits);
    class.outcome(part6_verdict::print_round_trips(figures, placement, waits)); // which was quicker

    class.part(4); // Two unrelated processes meet at a name: shm_open
    let named = part4_named::strangers_meet_at_a_name(total, hooks)?;

    class.part(5); // Why not a Mutex in the shared page?
    part5_why_not_a_mutex::why_not_a_mutex();

    class.verdict("6. Verdict");
    let report = Report {
        mappings,
        ring,
        shm_round_trip,
        futex_round_trip,
        round_trip_placement: placement,
        spin_echo_waits,
        named,
    };
    verdict_lines(&report)
        .iter()
        .for_each(|line| say!("{line}"));
    part6_verdict::check(&report.ring)?; // a corrupted transfer is an error
    Ok(report)
}
