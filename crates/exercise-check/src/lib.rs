//! Grades the exercises in `exercises/`, the way rustlings and the xv6 labs
//! grade theirs, but by watching real processes: `just check N` builds exercise
//! N, runs it bounded in time, and says what it saw (a lost update, a zombie, a
//! hang in `pipe_read`, a line printed four times, the compiler's refusal…).
//!
//! - [`exercises`]: the list: each exercise's name, concept, hints and judge.
//! - [`compile`]: cargo, in the exercises' own workspace.
//! - [`run`]: one bounded run in a process group of its own, leaving nothing behind.
//! - [`procs`]: what `/proc` says about the processes of a run.
//! - [`judges`]: what each exercise must show to pass.
//! - [`fixtures`]: wrong fixes that must fail, right ones that must pass.
//! - [`verify`]: every solution and fixture graded as it should be (CI).

pub mod compile;
pub mod exercises;
pub mod fixtures;
pub mod judges;
pub mod procs;
pub mod run;
pub mod verify;

use compile::{Places, Refusal};
use exercises::Exercise;

/// The verdict on one version of one exercise.
pub struct Verdict {
    pub passed: bool,
    /// What was seen, in a sentence or two.
    pub said: String,
    /// The program's output to show with it (stdout, then stderr).
    pub output: String,
}

impl Verdict {
    pub fn pass(said: impl Into<String>, output: &run::Outcome) -> Verdict {
        Verdict {
            passed: true,
            said: said.into(),
            output: shown(output),
        }
    }

    pub fn fail(said: impl Into<String>, output: &run::Outcome) -> Verdict {
        Verdict {
            passed: false,
            said: said.into(),
            output: shown(output),
        }
    }

    fn refused(said: String) -> Verdict {
        Verdict {
            passed: false,
            said,
            output: String::new(),
        }
    }
}

/// The output a verdict shows: stdout's lines, then stderr's.
fn shown(outcome: &run::Outcome) -> String {
    let stderr = outcome
        .stderr
        .lines()
        .filter(|line| !line.trim().is_empty());
    let stderr = stderr.map(|line| format!("(stderr) {line}\n"));
    outcome.stdout.clone() + &stderr.collect::<String>()
}

/// A built exercise: the program, and the file it was built from.
pub struct Built {
    pub program: std::path::PathBuf,
    pub source: std::path::PathBuf,
}

/// Which version to grade.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Version {
    /// `exercises/NN-name.rs`: the learner's.
    Yours,
    /// `exercises/solutions/NN-name.rs`.
    Solution,
    /// `exercises/fixtures/NN-what.rs`.
    Fixture(&'static fixtures::Fixture),
}

impl Version {
    /// The program's name and the file it is built from, for `exercise`.
    pub fn bin_and_file(self, exercise: &Exercise) -> (String, String) {
        match self {
            Version::Yours => (exercise.bin(), format!("{}.rs", exercise.bin())),
            Version::Solution => (
                exercise.bin() + "-solution",
                format!("solutions/{}.rs", exercise.bin()),
            ),
            Version::Fixture(fixture) => (fixture.bin(), format!("fixtures/{}.rs", fixture.file())),
        }
    }
}

/// Builds and judges one version of `exercise`.
pub fn check(places: &Places, exercise: &Exercise, version: Version) -> Verdict {
    let (bin, file) = version.bin_and_file(exercise);
    let source = places.exercises.join(file);
    match compile::build(places, &bin, exercise.release) {
        Ok(program) => (exercise.judge)(&Built { program, source }).unwrap_or_else(|failed| failed),
        Err(Refusal::NoCargo(why)) => Verdict::refused(why),
        Err(Refusal::Compiler {
            first_error,
            errors,
        }) => {
            let more = match errors {
                0 | 1 => String::new(),
                many => format!(" ({} more after it)", many - 1),
            };
            Verdict::refused(format!("the compiler refused it: {first_error}{more}"))
        }
    }
}

/// Fits `text` into lines of at most `width` columns, each after `indent`
/// (the first after `first`, which ends with its own space): verdicts are
/// read on a projector too.
pub fn wrapped(first: &str, indent: &str, text: &str, width: usize) -> String {
    let mut done = String::new();
    let mut line = first.to_string();
    let mut words_on_line = 0;
    for word in text.split_whitespace() {
        let wanted = line.chars().count() + 1 + word.chars().count();
        if words_on_line > 0 && wanted > width {
            done += &line;
            done.push('\n');
            line = indent.to_string();
            words_on_line = 0;
        }
        if words_on_line > 0 {
            line.push(' ');
        }
        line.push_str(word);
        words_on_line += 1;
    }
    done + &line
}
