//! `--part N`: one part alone, and the children it forked, counted.

use support::error::Result;

use crate::part5_address_space as part5;
use crate::workers::Children;
use crate::{LESSON, Options, cores, outcomes};
use crate::{part1_waiting, part2_computing, part3_more_threads, part4_break_even};

// ANCHOR: run_part
/// `--part N`: that part alone (the verdict draws on every part, so it is
/// left out), then the count of the processes this part forked and reaped.
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    let (cores, mut children) = (cores(), Children::default());
    let mut class = LESSON.session(); // --predict, --pause
    class.part(n);
    let outcome = match n {
        1 => {
            let io = part1_waiting::waiting(options, &mut children)?;
            outcomes::waiting(&io)
        }
        2 => {
            let cpu = part2_computing::computing(options, cores, &mut children)?;
            outcomes::computing(&cpu, cores)
        }
        3 => {
            let (rows, enough) = part3_more_threads::more_threads(options, cores)?;
            outcomes::more_threads(&rows, enough)
        }
        4 => {
            let break_even = part4_break_even::break_even(cores)?;
            outcomes::break_even(&break_even)
        }
        5 => {
            let space = part5::address_space(options, cores, &mut children)?;
            outcomes::address_space(&space, cores)
        }
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    };
    children.say_count(); // forked N, reaped N; children left: none
    class.outcome(outcome); // for --predict
    class.end_alone();
    Ok(())
}
// ANCHOR_END: run_part
