//! The exercises: what each practises, where to read, two hints, and the judge
//! that grades it. Each file is `exercises/NN-name.rs`, its solution
//! `exercises/solutions/NN-name.rs`.

use crate::Built;
use crate::judges::{Judged, pipes, processes, threads};

pub struct Exercise {
    pub number: u32,
    /// `lost-update`: the file is `01-lost-update.rs`.
    pub name: &'static str,
    /// What it practises, in a few words, for the list.
    pub practises: &'static str,
    /// The book chapters to read first.
    pub chapters: &'static str,
    /// `just hint N` and `just hint N 2`: a nudge, then a little more.
    pub hints: [&'static str; 2],
    /// Runs the built program and says whether it passes, and what it saw.
    pub judge: fn(&Built) -> Judged,
    /// Words that the starting version's verdict must contain: it fails the
    /// way the exercise says (checked by `exercise-check verify`, in CI).
    pub fails_with: &'static str,
    /// Built in release, not debug: exercise 9, whose answer is a speed.
    pub release: bool,
}

impl Exercise {
    /// The binary's name, also the file's: `01-lost-update`.
    pub fn bin(&self) -> String {
        format!("{:02}-{}", self.number, self.name)
    }
}

/// Exercise `number`, if there is one.
pub fn find(number: u32) -> Option<&'static Exercise> {
    ALL.iter().find(|exercise| exercise.number == number)
}

pub const ALL: &[Exercise] = &[
    Exercise {
        number: 1,
        name: "lost-update",
        practises: "a race condition, and the critical section",
        chapters: "02",
        hints: [
            "Between the two `lock()` calls in the loop, the lock is free. What can another \
             thread do to the total just then, and whose addition survives?",
            "Take the lock once for the read, the add and the write: \
             `*total.lock().unwrap() += words;`, with the words counted before. Or an \
             `AtomicUsize` and `fetch_add`, as listing 02c does.",
        ],
        judge: threads::lost_update,
        fails_with: "lost updates",
        release: false,
    },
    Exercise {
        number: 2,
        name: "zombie",
        practises: "reaping a child, or it stays a zombie",
        chapters: "01",
        hints: [
            "A process that has ended stays in the process table until its parent collects \
             its exit status. What happens to each `Child` that `spawn` returns here?",
            "Keep each `Child` (a Vec) and call `wait()` on it before `carrying on`. Dropping \
             a `Child` does not wait. A server that must never block would call `try_wait()` \
             on every pass of its loop instead.",
        ],
        judge: processes::zombie,
        fails_with: "zombie",
        release: false,
    },
    Exercise {
        number: 3,
        name: "no-eof",
        practises: "end of file: close the write ends you don't use",
        chapters: "03 (pipes)",
        hints: [
            "`read` returns end of file only once every write end of the pipe is closed, in \
             every process. After `fork`, which processes hold one?",
            "The parent never writes, yet it still holds `write_end`: drop it before the \
             reading loop, as listing 03a's child does.",
        ],
        judge: pipes::no_eof,
        fails_with: "a hang",
        release: false,
    },
    Exercise {
        number: 4,
        name: "printed-twice",
        practises: "fork copies memory, unwritten output included",
        chapters: "01, 02",
        hints: [
            "Where is the report's first line between `writeln!` and the moment it reaches \
             stdout? What does each worker get a copy of?",
            "Flush `out` before each `fork` (`out.flush()`), so that every worker inherits an \
             empty buffer. Listing 02d does the same with stdout.",
        ],
        judge: processes::printed_twice,
        fails_with: "appeared 4 times",
        release: false,
    },
    Exercise {
        number: 5,
        name: "rc-between-threads",
        practises: "`Send` and `Sync`: Rc, RefCell, Arc, Mutex",
        chapters: "02",
        hints: [
            "Read the error: which type cannot be sent between threads, and why? How does \
             `Rc` count its owners, and which type counts them atomically?",
            "Use `Arc` for `Rc`. The next error says `RefCell` cannot be shared between \
             threads: use a `Mutex` for it (`lock()` for `borrow_mut()`).",
        ],
        judge: threads::rc_between_threads,
        fails_with: "error[E0277]",
        release: false,
    },
    Exercise {
        number: 6,
        name: "fork-with-a-logger",
        practises: "fork copies one thread: fork while you have one",
        chapters: "02",
        hints: [
            "`fork` copies only the thread that calls it. Which lock does the logger thread \
             hold when main forks, and which thread of the child could ever release it?",
            "Fork the workers before `start_logger()`, and check that the process has one \
             thread when it forks, as listing 02d does. A logger that only takes the lock \
             while it writes is not enough: a fork can still land while it holds it.",
        ],
        judge: processes::fork_with_a_logger,
        fails_with: "deadlock",
        release: false,
    },
    Exercise {
        number: 7,
        name: "primes-pipeline",
        practises: "a chain of processes joined by pipes",
        chapters: "03 (pipes)",
        hints: [
            "After printing its prime, a stage needs a pipe and a child: the child is the \
             next stage and reads the pipe; this stage writes into it the numbers that pass. \
             Which ends must each close, so that every stage sees end of file?",
            "In `stage`: `pipe()`, then `fork_checked()`. The child drops the write end, \
             calls `stage` on the read end, then `_exit(0)`. The parent drops the read end, \
             writes each number that passes with `write_all`, drops the write end, and \
             waits for the child with `waitpid`.",
        ],
        judge: pipes::primes,
        fails_with: "is not a prime",
        release: false,
    },
    Exercise {
        number: 8,
        name: "crash-in-a-child",
        practises: "fault isolation: a crash stays in its process",
        chapters: "04",
        hints: [
            "A stack overflow aborts the process it happens in, whatever you catch. Which \
             work could run in a process of its own, so that its crash ends only that one?",
            "For each document, fork: the child parses, prints the depth and calls `_exit(0)`; \
             the parent calls `waitpid` on it and, for `WaitStatus::Signaled(_, signal, _)`, \
             prints `document N: crashed, killed by {signal:?}`. Listing 04e does this.",
        ],
        judge: processes::crash_in_a_child,
        fails_with: "killed by SIGABRT",
        release: false,
    },
    Exercise {
        number: 9,
        name: "break-even",
        practises: "creation cost: split work only where it pays",
        chapters: "05, 06",
        hints: [
            "Listing 06c times this very job, alone and split in two. What does starting a \
             thread cost here (chapter 05), and what does adding 100 squares cost?",
            "Run `cargo run --release -p when-to-use-which --example 06c-break-even` and set \
             SPLIT_FROM to the size where two threads first won (the check builds exercise 9 \
             in release too, as that command does). On a busy machine the split may never \
             win: measure again when it is quiet.",
        ],
        judge: threads::break_even,
        fails_with: "small jobs",
        release: true,
    },
];
