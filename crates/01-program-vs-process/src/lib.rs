//! # Lesson 01: a program is a file; a process is that file running
//!
//! A *program* is passive: bytes in a file on disk, instructions and data
//! waiting for someone to run them. A *process* is what the kernel makes when
//! it runs that file: a private address space, a process id, open files, and
//! at least one *thread*, a line of execution with its own stack and
//! registers that runs the instructions. One program can be many processes at
//! once, and each has its own copy of every variable. This lesson covers
//! the three definitions and the Key Differences table's Memory row.
//!
//! Read the listings first (`examples/`), then run the narrated demo:
//! `just demo-program-vs-process` (`--help` for options). `run` below is its
//! table of contents (the parts and their questions: `questions.md`):
//! 1. the program file: its size and its first bytes, `7f 45 4c 46`;
//! 2. this process: its pid, parent, threads, and where its code, data, heap
//!    and stack live;
//! 3. the file started again as more processes: I set my `GLOBAL_VALUE` to 7,
//!    yet each child starts from the file's 100; its change never reaches me.
//!
//! Next: lesson 02 (`crates/02-shared-memory-threads`): threads share memory.

mod part1_program;
mod part2_process;
mod part3_many_processes;
mod parts;
mod report;

use std::sync::atomic::{AtomicU64, Ordering};

use support::{classroom::Lesson, error::Result, role::Role, say};

pub use parts::run_part; // `--part N`: one part alone
pub use report::{ChildView, ElfHeader, Placed, ProcessView, ProgramFile, Report};
use report::{grouped, or_unknown};

/// The roles this lesson can start its own program in.
pub const ROLES: &[Role] = &[Role {
    name: part3_many_processes::ROLE,
    run: part3_many_processes::another_instance,
}];

pub const LESSON: Lesson = Lesson::new("1", include_str!("../questions.md")); // parts, questions

/// What the demo does, and how much.
#[derive(Debug, Clone)]
pub struct Options {
    /// How many more processes to start from this same program file.
    pub children: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { children: 2 }
    }
}

/// The variable every process gets its own copy of. A `static` looks
/// global, and it is: to one process. Its 100 is written in the program file.
static GLOBAL_VALUE: AtomicU64 = AtomicU64::new(FILE_VALUE);
pub const FILE_VALUE: u64 = 100; // GLOBAL_VALUE as the program file holds it
pub const MY_VALUE: u64 = 7; // and as the parent sets its own copy in part 3

// ANCHOR: run
/// Runs the lesson: prints the story and returns what it saw.
pub fn run(options: &Options) -> Result<Report> {
    let mut class = LESSON.session(); // --part, --predict, --pause
    class.part(1); // The program: a file on disk
    let program = part1_program::look_at_the_program_file()?;

    class.part(2); // The process: that file, running
    let process = part2_process::look_at_this_process(&program.path);
    class.outcome(process.threads.map(|n| if n == 1 { 1 } else { 2 }));

    class.part(3); // One program, many processes
    let my_address = part3_many_processes::set_my_copy(); // 7, before any child starts
    let children = part3_many_processes::start_more_processes(options.children)?;
    // Each child changed its own copy: is mine still 7?
    part3_many_processes::compare_with_mine(&children, my_address);
    let parent_value_after = GLOBAL_VALUE.load(Ordering::SeqCst);
    let no_children_left = part3_many_processes::none_left(&children);

    class.verdict("Verdict");
    let report = Report {
        program,
        process,
        children,
        parent_value_after,
        no_children_left,
    };
    verdict(&report);
    Ok(report)
}
// ANCHOR_END: run

// ANCHOR: verdict
/// The three definitions, and the Memory row, as this run showed them.
fn verdict(report: &Report) {
    let processes = report.children.len() + 1;
    let size = grouped(report.program.size_bytes);
    let threads = or_unknown(report.process.threads);
    say!("program: one passive file of {size} bytes, run by all {processes} processes");
    say!("process: a program running; each run got its own pid and its own copy");
    say!("         of every variable (parts 2 and 3)");
    say!("thread:  a line of execution inside a process, with its own stack and");
    say!("         registers; a process's threads share its memory. Threads in");
    say!("         this process: {threads}; lesson 02 starts more");
    let changed = report
        .children
        .iter()
        .filter(|c| c.value_after != c.value_before);
    let (changed, kept) = (changed.count(), report.parent_value_after);
    if report.memory_kept_separate() {
        say!("Key Differences table, Memory row: processes have separate memory");
        say!("spaces: {changed} children changed their copy, mine stayed {kept} (part 3)");
    } else {
        say!("Key Differences table, Memory row: NOT shown by this run:");
        say!("{changed} children changed their copy, mine is {kept} (part 3)");
    }
}
// ANCHOR_END: verdict
