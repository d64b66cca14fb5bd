//! `--part N`: one part alone, measuring only what that part prints (the
//! creation rows it shows or compares with), each in a fresh process too.

use support::error::Result;

use crate::machine::{self, Machine};
use crate::outcomes::{self, measure_creation_rows, measure_fork_sizes};
use crate::rounds::{idle_worker_memory, measure_pools};
use crate::{LESSON, Options, print, verdict};

// ANCHOR: run_part
/// `--part N`: that part alone, with what it needs (the verdict draws on
/// every part, so it is left out).
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    let (repeats, workers) = (options.repeats as usize, options.workers as usize);
    let mut class = LESSON.session(); // --predict, --pause
    match n {
        1 => {
            let (rows, machine) =
                looked_at(|| measure_creation_rows(repeats, &["std", "pthread", "scope"]))?;
            class.part(1); // A thread: start one, wait for it to end
            print::threads(&rows, &machine);
            class.outcome(outcomes::thread_start(&rows[0].1));
        }
        2 => {
            let names = ["std", "fork", "exec", "command"];
            let (rows, machine) = looked_at(|| measure_creation_rows(repeats, &names))?;
            class.part(2); // A process: start one, wait for it to end
            machine.print();
            print::processes(&rows, &rows[0].1, &machine); // std's row first, for scale
            class.outcome(outcomes::thread_or_process(&rows[0].1, &rows[1].1));
        }
        3 => {
            class.part(3); // fork gets dearer as the parent grows
            let (forks, machine) = looked_at(|| measure_fork_sizes(repeats))?;
            print::fork_sizes(&forks, &machine);
            class.outcome(outcomes::fork_size(&forks));
        }
        4 => {
            class.part(4); // What an idle worker costs in memory
            let idle_memory = idle_worker_memory(workers)?;
            verdict::idle_memory(&idle_memory);
            class.outcome(outcomes::idle_memory(&idle_memory));
        }
        5 => {
            let rows = measure_creation_rows(repeats, &["std", "fork"])?; // fresh process
            class.part(5); // Pools pay creation once
            let pools = measure_pools(options.jobs as usize, Machine::cores_now().cores)?;
            print::print_pools(&pools, &rows[0].1, &rows[1].1);
            class.outcome(outcomes::pools(&pools));
        }
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    }
    class.end_alone();
    Ok(())
}
// ANCHOR_END: run_part

/// Runs `measure`, looking at how busy the machine was before and after.
fn looked_at<T>(measure: impl FnOnce() -> Result<T>) -> Result<(T, Machine)> {
    let mut machine = Machine::cores_now();
    machine.before = machine::look();
    let figures = measure()?;
    machine.after = machine::look();
    Ok((figures, machine))
}
