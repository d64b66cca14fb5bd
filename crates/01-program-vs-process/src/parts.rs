//! `--part N`: one part of the lesson alone, with what it needs, for a
//! class that takes the lesson a part at a time. The calls are `run`'s.

use support::error::Result;

use crate::{LESSON, Options, part1_program, part2_process, part3_many_processes};

/// `--part N`: that part alone, with what it needs (the verdict draws on
/// every part, so it is left out).
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    let mut class = LESSON.session(); // silent until class.part(n)
    match n {
        1 => {
            class.part(1); // The program: a file on disk
            part1_program::look_at_the_program_file()?;
        }
        2 => {
            let program = part1_program::look_at_the_program_file()?; // its path, silently
            class.part(2); // The process: that file, running
            let process = part2_process::look_at_this_process(&program.path);
            class.outcome(process.threads.map(|n| if n == 1 { 1 } else { 2 }));
        }
        3 => {
            class.part(3); // One program, many processes
            let my_address = part3_many_processes::set_my_copy();
            let children = part3_many_processes::start_more_processes(options.children)?;
            part3_many_processes::compare_with_mine(&children, my_address);
            part3_many_processes::none_left(&children);
        }
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    }
    class.end_alone();
    Ok(())
}
