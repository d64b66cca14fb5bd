//! What each exercise must show to pass, and what to say when it does not.
//! Every judge runs the program (bounded: [`crate::run`]) and reads what it
//! printed and what `/proc` showed while it ran. A judge returns `Ok` with
//! the passing verdict, or `Err` with the failing one, so `?` ends it early.

pub mod pipes;
pub mod processes;
pub mod threads;

use std::time::Duration;

use crate::procs::Proc;
use crate::run::{self, Ending, Outcome, Snapshot};
use crate::{Built, Verdict};

/// A judge's answer: `Ok(pass)` or `Err(fail)`.
pub type Judged = Result<Verdict, Verdict>;

/// The time limit of one run.
pub const LIMIT: Duration = Duration::from_secs(10);

/// Runs the program, watching it with `watch`: how it went, whatever that was.
pub fn ran(built: &Built, watch: run::Watch) -> Result<Outcome, Verdict> {
    run::run(&built.program, &[], LIMIT, watch).map_err(|error| Verdict {
        passed: false,
        said: format!("could not run {}: {error}", built.program.display()),
        output: String::new(),
    })
}

/// Runs the program (watching it with `watch`) and checks that it ended well.
pub fn finished(built: &Built, watch: run::Watch) -> Result<Outcome, Verdict> {
    let outcome = ran(built, watch)?;
    ended_well(&outcome)?;
    Ok(outcome)
}

/// Runs the program with no watching but the time limit, and checks that it ended well.
pub fn finished_plain(built: &Built) -> Result<Outcome, Verdict> {
    finished(built, &mut |_: &Snapshot| None)
}

/// Runs the program (watching it with `watch`), checks that every process it
/// started was waited for by its parent, then that it ended well.
pub fn finished_all_waited(built: &Built, watch: run::Watch) -> Result<Outcome, Verdict> {
    let outcome = ran(built, watch)?;
    if outcome.ending == Ending::Exited(0) && !outcome.handed_over.is_empty() {
        let said = format!(
            "not waited for: when the program ended, {} had been handed to the checker, its \
             subreaper, because {} parent ended without reaping {}: {}",
            count(outcome.handed_over.len(), "process", "processes"),
            if outcome.handed_over.len() == 1 {
                "its"
            } else {
                "their"
            },
            if outcome.handed_over.len() == 1 {
                "it"
            } else {
                "them"
            },
            listed(&outcome.handed_over)
        );
        return Err(Verdict::fail(said, &outcome));
    }
    ended_well(&outcome)?;
    Ok(outcome)
}

/// The usual end of a good run: it exited with 0 and left no process behind.
/// Otherwise, the verdict that says what happened instead.
pub fn ended_well(outcome: &Outcome) -> Result<(), Verdict> {
    let said = match &outcome.ending {
        Ending::Exited(0) if outcome.left_behind.is_empty() => return Ok(()),
        Ending::Exited(0) => format!(
            "it ended, but left {} behind: {}; the checker killed and reaped them",
            count(outcome.left_behind.len(), "process", "processes"),
            listed(&outcome.left_behind)
        ),
        Ending::Exited(code) => format!("it exited with status {code}{}", last_words(outcome)),
        Ending::Killed(signal) => format!("it was killed by {signal:?}{}", last_words(outcome)),
        Ending::Stopped(seen) => seen.clone(),
        Ending::TimedOut(limit) => format!(
            "a hang: still running after {} s, so the checker killed it. Last seen: {}",
            limit.as_secs(),
            listed(&outcome.last_seen)
        ),
    };
    Err(Verdict::fail(said, outcome))
}

/// How many lines of `stdout` start with `start`.
pub fn lines_starting(stdout: &str, start: &str) -> usize {
    stdout
        .lines()
        .filter(|line| line.starts_with(start))
        .count()
}

/// `2 processes`, `1 process`.
pub fn count(number: usize, one: &str, many: &str) -> String {
    format!("{number} {}", if number == 1 { one } else { many })
}

/// The processes described one after the other (at most eight).
pub fn listed(procs: &[Proc]) -> String {
    let mut said: Vec<String> = procs.iter().take(8).map(Proc::describe).collect();
    if procs.len() > 8 {
        said.push(format!("and {} more", procs.len() - 8));
    }
    said.join(", ")
}

/// `; the last line on its stderr: "…"`, when it wrote any.
fn last_words(outcome: &Outcome) -> String {
    match outcome.stderr.lines().rfind(|line| !line.trim().is_empty()) {
        Some(line) => format!("; the last line on its stderr: \"{}\"", line.trim()),
        None => String::new(),
    }
}

/// `source` without its comments (`// …` to the end of a line, `/* … */`),
/// so that a word in a comment cannot change a verdict. A `//` inside a
/// string cuts the line there too: the judges look for calls, not strings.
pub fn code_only(source: &str) -> String {
    let mut code = String::new();
    let mut rest = source;
    while !rest.is_empty() {
        let line = rest.find("//").unwrap_or(rest.len());
        let block = rest.find("/*").unwrap_or(rest.len());
        let start = line.min(block);
        code.push_str(&rest[..start]);
        rest = &rest[start..];
        let end = match rest {
            _ if rest.is_empty() => 0,
            _ if start == block => rest.find("*/").map_or(rest.len(), |end| end + 2),
            _ => rest.find('\n').unwrap_or(rest.len()),
        };
        rest = &rest[end..];
    }
    code
}

/// Whether `code` calls `path` (`thread::spawn`, `Command::new`): the path
/// followed by `(`, spaces allowed between.
pub fn calls(code: &str, path: &str) -> bool {
    code.match_indices(path)
        .any(|(at, _)| code[at + path.len()..].trim_start().starts_with('('))
}

/// The numbers in `text`, `1_800_000` read as 1800000.
pub fn numbers_in(text: &str) -> Vec<u64> {
    text.split(|c: char| !(c.is_ascii_digit() || c == '_'))
        .filter_map(|word| word.replace('_', "").parse().ok())
        .collect()
}

/// 1800000 -> "1_800_000", the way every lesson prints numbers.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_in_comments_are_not_code() {
        let source = "let a = 1; // Command::new(\n/* thread::spawn( */ let b = s.spawn (|| 2);\n";
        let code = code_only(source);
        assert_eq!(code, "let a = 1; \n let b = s.spawn (|| 2);\n");
        assert!(!calls(&code, "Command::new"));
        assert!(calls(&code, "spawn"));
        assert!(!calls("let spawned = 1;", "spawn"));
    }
}
