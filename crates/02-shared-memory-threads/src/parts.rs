//! `--part N`: one part of the lesson alone, with what it needs, for a
//! class that takes the lesson a part at a time. The calls are `run`'s.

use support::error::Result;

use crate::{LESSON, Options, part1_one_address_space, part2_communication};
use crate::{fork_contrast, hand_offs, lost_updates, one_address_space, read_in_place};
use crate::{part3_lost_updates, part4_fork};

/// `--part N`: that part alone, with what it needs (the verdict draws on
/// every part, so it is left out).
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    let (threads, increments) = (options.threads, options.increments);
    let cores = support::placement::allowed_cpus().map_or(1, |cpus| cpus.len()); // affinity mask
    let mut class = LESSON.session(); // silent until class.part(n)
    match n {
        1 => {
            class.part(1); // One address space
            let address_space = one_address_space(threads)?;
            part1_one_address_space::summarise(&address_space);
        }
        2 => {
            class.part(2); // Communication through shared variables
            read_in_place(1 << 20)?;
            hand_offs()?;
            part2_communication::explain_placement();
        }
        3 => {
            class.part(3); // Sharing needs synchronisation
            let counters = lost_updates(threads, increments)?;
            let shown = part3_lost_updates::explain(&counters.racy_load_store, cores);
            class.outcome(shown); // 1: none lost, 2: some; None: one CPU, none lost
        }
        4 => {
            class.part(4); // Contrast with processes: fork copies
            let fork = fork_contrast(increments)?;
            part4_fork::explain(&fork);
        }
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    }
    class.end_alone();
    Ok(())
}
