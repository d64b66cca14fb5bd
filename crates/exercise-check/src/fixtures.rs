//! Versions that the checker must grade a given way, so that no judge can
//! silently weaken: wrong fixes that once passed (each must fail, saying
//! what it saw), and right answers that once failed (each must pass). They
//! live in `exercises/fixtures/NN-what.rs`; `exercise-check verify` grades
//! every one of them beside the solutions.

#[derive(PartialEq, Eq)]
pub struct Fixture {
    /// The exercise it answers.
    pub exercise: u32,
    /// `one-after-another`: the file is `exercises/fixtures/01-one-after-another.rs`.
    pub name: &'static str,
    /// Some(words): it must fail, its verdict holding these words. None: it must pass.
    pub fails_with: Option<&'static str>,
}

impl Fixture {
    /// `01-one-after-another`, the file's name.
    pub fn file(&self) -> String {
        format!("{:02}-{}", self.exercise, self.name)
    }

    /// `fixture-01-one-after-another`, the program's name.
    pub fn bin(&self) -> String {
        format!("fixture-{}", self.file())
    }
}

const fn fails(exercise: u32, name: &'static str, words: &'static str) -> Fixture {
    Fixture {
        exercise,
        name,
        fails_with: Some(words),
    }
}

const fn passes(exercise: u32, name: &'static str) -> Fixture {
    Fixture {
        exercise,
        name,
        fails_with: None,
    }
}

pub const ALL: &[Fixture] = &[
    fails(1, "one-after-another", "at once"),
    fails(1, "one-thread", "there are 720_000"),
    passes(2, "jobs-through-sh"),
    fails(3, "take-count", "before end of file"),
    fails(3, "wait-first", "ended and been reaped"),
    fails(3, "no-wait", "not waited for"),
    fails(4, "header-after-forks", "the first line should be"),
    fails(4, "println-in-workers", "the first line should be"),
    fails(4, "parent-writes-for-workers", "own pid"),
    fails(5, "unsafe-pointer", "with `unsafe` in it"),
    fails(5, "unsafe-impl-two-spaces", "with `unsafe` in it"),
    fails(5, "no-threads", "no thread"),
    fails(6, "no-logger", "the logger should log"),
    fails(6, "raw-write-beside-logger", "unsound"),
    fails(6, "command-in-a-comment", "unsound"),
    fails(7, "write-end-kept", "a hang"),
    fails(7, "no-wait", "not waited for"),
    fails(7, "no-pipe", "a copy made by fork is not a pipe"),
    fails(8, "no-exit-in-child", "times, not once"),
    fails(8, "fake-crash", "no process overflowed its stack"),
    passes(9, "largest-06c-size"),
    fails(9, "split-from-101", "jobs of 2_000 numbers"),
];
