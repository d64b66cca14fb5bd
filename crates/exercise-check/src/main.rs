//! `just exercises`, `just check N`, `just hint N`: list the exercises, grade
//! one, or give a hint. Exit status: 0 pass, 1 fail, 2 bad input (no such
//! exercise).

use std::process::ExitCode;

use clap::{Parser, Subcommand};
use exercise_check::compile::Places;
use exercise_check::exercises::{ALL, Exercise, find};
use exercise_check::{Version, check, wrapped};

#[derive(Parser)]
#[command(version, about = "Exercises: list them, check one, or get a hint", long_about = None)]
struct Options {
    #[command(subcommand)]
    action: Action,
}

#[derive(Subcommand)]
enum Action {
    /// List the exercises, with what each practises
    List,
    /// Build exercise N, run it (bounded in time), say what was seen and whether it passes
    Check {
        /// The exercise's number [range: 1..=9]
        #[arg(value_parser = exercise)]
        number: &'static Exercise,
        /// Check its solution (exercises/solutions/) instead of your version
        #[arg(long)]
        solution: bool,
    },
    /// A hint for exercise N; the second says more
    Hint {
        /// The exercise's number [range: 1..=9]
        #[arg(value_parser = exercise)]
        number: &'static Exercise,
        /// Which hint [range: 1..=2]
        #[arg(default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=2))]
        level: u8,
    },
    /// Check that every solution passes and every starting version fails as it should (CI)
    Verify,
}

/// `3` -> exercise 3; anything else: an error that lists the exercises.
fn exercise(text: &str) -> Result<&'static Exercise, String> {
    let known = ALL
        .iter()
        .map(|e| format!("\n  {:>2}  {}", e.number, e.bin()));
    match text.parse().ok().and_then(find) {
        Some(exercise) => Ok(exercise),
        None => Err(format!(
            "no exercise {text:?}; the exercises are:{}",
            known.collect::<String>()
        )),
    }
}

fn main() -> ExitCode {
    let places = Places::find();
    if let Err(error) = exercise_check::run::signals::end_runs_on_signals() {
        eprintln!("could not handle SIGINT: {error}");
        return ExitCode::FAILURE;
    }
    match Options::parse().action {
        Action::List => list(&places),
        Action::Check { number, solution } => {
            let version = if solution {
                Version::Solution
            } else {
                Version::Yours
            };
            return grade(&places, number, version);
        }
        Action::Hint { number, level } => {
            let hint = number.hints[usize::from(level) - 1];
            println!(
                "{}",
                wrapped(
                    &format!("hint {level} for exercise {}: ", number.number),
                    "    ",
                    hint,
                    96
                )
            );
            if level == 1 {
                println!("(more: `just hint {} 2`)", number.number);
            }
        }
        Action::Verify => {
            let wrong = exercise_check::verify::verify(&places);
            return interrupted().unwrap_or(match wrong {
                Some(0) => ExitCode::SUCCESS,
                _ => ExitCode::FAILURE,
            });
        }
    }
    ExitCode::SUCCESS
}

fn list(places: &Places) {
    println!(
        "Exercises: edit the file, then `just check N`; stuck? `just hint N`, then `just hint N 2`."
    );
    println!(
        "They live in {}/, one solution each in solutions/.",
        places.exercises.display()
    );
    println!();
    println!(
        " N  file                      practises                                         chapter"
    );
    for e in ALL {
        println!(
            "{:>2}  {:<24}  {:<48}  {}",
            e.number,
            e.bin() + ".rs",
            e.practises,
            e.chapters
        );
    }
}

/// `just check N`: the verdict, with what the program printed.
fn grade(places: &Places, exercise: &Exercise, version: Version) -> ExitCode {
    let (_, file) = version.bin_and_file(exercise);
    println!("exercise {}: exercises/{file}", exercise.number);
    let verdict = check(places, exercise, version);
    if let Some(code) = interrupted() {
        return code;
    }
    show_output(&verdict.output);
    let (word, code) = if verdict.passed {
        ("PASS  ", 0)
    } else {
        ("FAIL  ", 1)
    };
    println!("{}", wrapped(word, "      ", &verdict.said, 96));
    if !verdict.passed && version == Version::Yours {
        println!("      stuck? `just hint {}`", exercise.number);
    }
    ExitCode::from(code)
}

/// The program's output, indented, at most 30 lines of at most 96 columns.
fn show_output(output: &str) {
    let lines: Vec<&str> = output.lines().collect();
    if lines.is_empty() {
        return;
    }
    println!("it printed:");
    for line in lines.iter().take(30) {
        let cut: String = line.chars().take(92).collect();
        println!("  | {cut}");
    }
    if lines.len() > 30 {
        println!("  | … and {} more lines", lines.len() - 30);
    }
}

/// The exit status after a signal ended the checker's run: 128 + its number.
fn interrupted() -> Option<ExitCode> {
    let signal = exercise_check::run::signals::interrupted()?;
    println!("interrupted by {signal:?}: the run was ended and cleared");
    Some(ExitCode::from(128 + signal as u8))
}
