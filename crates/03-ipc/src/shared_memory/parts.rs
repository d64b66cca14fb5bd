//! `--part N`: one part of the lesson alone, with what it needs, for a
//! class that takes the lesson a part at a time. The calls are `run`'s.

use support::error::Result;
use support::say;

use super::part6_verdict;
use super::{LESSON, Options, Waiting, word_round_trips};
use super::{part1_private_vs_shared, part2_runs, part4_named, part5_why_not_a_mutex};

/// `--part N`: that part alone, with what it needs (the verdict draws on
/// every part, so it is left out). Forks, as `run` does.
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    let (total, hooks) = (options.bytes()?, &options.test);
    support::guard::install_interrupt_cleanup(); // Ctrl-C: children and names go
    let mut class = LESSON.session(); // silent until class.part(n)
    match n {
        1 => {
            class.part(1); // After fork: a MAP_PRIVATE page and a MAP_SHARED page
            part1_private_vs_shared::private_vs_shared()?;
        }
        2 => {
            class.part(2); // A ring buffer in a shared mapping, between two processes
            part6_verdict::explain_ring();
            let ring = part2_runs::ring_against_reference(total, hooks)?;
            part2_runs::ring_lines(&ring)
                .iter()
                .for_each(|line| say!("{line}"));
            part6_verdict::check(&ring)?; // as `run` checks
        }
        3 => {
            class.part(3); // Round trips through one shared word
            let (spin, placement, spin_waits) = word_round_trips(Waiting::Spin, 2000)?;
            let (futex, _, _) = word_round_trips(Waiting::Futex, 50)?;
            let quicker = part6_verdict::print_round_trips((&spin, &futex), placement, &spin_waits);
            class.outcome(quicker);
        }
        4 => {
            class.part(4); // Two unrelated processes meet at a name: shm_open
            part4_named::strangers_meet_at_a_name(total, hooks)?;
        }
        5 => {
            class.part(5); // Why not a Mutex in the shared page?
            part5_why_not_a_mutex::why_not_a_mutex();
        }
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    }
    class.end_alone();
    Ok(())
}
