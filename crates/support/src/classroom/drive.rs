//! For the lessons' tests: drive a demo's `--predict` through its stdin and
//! read back what it judged.

use std::process::Command;
use std::time::Duration;

use super::Lesson;
use crate::testing::output_within;

/// Runs `program args` with `answers` as its stdin (a file, so it never
/// waits for more), killed after two minutes: (exit code, stdout).
pub fn run_with_answers(program: &str, args: &[&str], answers: &str) -> (i32, String) {
    let name = format!(
        "classroom-answers-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    );
    let path = std::env::temp_dir().join(name.replace(['(', ')'], ""));
    std::fs::write(&path, answers).expect("write the answers file");
    let stdin = std::fs::File::open(&path).expect("open the answers file");
    let _ = std::fs::remove_file(&path); // the open file stays readable; nothing is left behind
    let output = output_within(
        Command::new(program).args(args).stdin(stdin),
        Duration::from_secs(120),
    );
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    (output.status.code().unwrap_or(-1), out)
}

/// Each scored reveal, in order: `true` where the run agreed with the guess
/// (`you said K: …`), `false` where it did not (`you said K; …`).
pub fn reveals(out: &str) -> Vec<bool> {
    out.lines()
        .filter_map(|line| line.split_once("] you said ").map(|(_, rest)| rest))
        .filter_map(|rest| {
            let after = rest.trim_start_matches(|c: char| c.is_ascii_digit());
            match after.chars().next() {
                Some(':') => Some(true),
                Some(';') => Some(false),
                _ => None, // the echo of the answer, before the part runs
            }
        })
        .collect()
}

/// The score line's two numbers: (matched, asked).
pub fn score(out: &str) -> Option<(usize, usize)> {
    let line = out
        .lines()
        .find(|l| l.ends_with(" predictions matched this run"))?;
    let text = line.split("] ").nth(1)?;
    let (matched, rest) = text.split_once(" of ")?;
    Some((matched.parse().ok()?, rest.split(' ').next()?.parse().ok()?))
}

/// Checks what a `--predict` run printed: one reveal per question (scored,
/// or "not scored" where the run could not tell), a score that counts the
/// scored ones, and every line within 100 columns with a 7-digit pid.
pub fn assert_predict_run(out: &str, questions: usize) -> Vec<bool> {
    let judged = reveals(out);
    let unscored = out
        .matches("did not decide the question: not scored")
        .count();
    assert_eq!(judged.len() + unscored, questions, "reveals in:\n{out}");
    let matched = judged.iter().filter(|&&agreed| agreed).count();
    let expected = (!judged.is_empty()).then_some((matched, judged.len()));
    assert_eq!(score(out), expected, "score in:\n{out}");
    assert_within_100_columns(out);
    judged
}

/// Every line within 100 columns as it would read with a 7-digit pid in its
/// tag; a line that is only a path (`/…`) is as long as that path.
pub fn assert_within_100_columns(out: &str) {
    for line in out.lines() {
        let widest = match line.split_once("pid=") {
            Some((head, rest)) => {
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                format!("{head}pid=1234567{}", &rest[digits..])
            }
            None => line.to_string(),
        };
        let text = widest.split_once("] ").map_or(widest.as_str(), |(_, t)| t);
        let path_only = text.trim_start().starts_with('/') && !text.trim().contains(' ');
        let columns = widest.chars().count();
        assert!(
            path_only || columns <= 100,
            "{columns} columns with a 7-digit pid: {line}"
        );
    }
}

/// What every `--part n` run prints, with or without `--predict`: part n's
/// heading and no other, the line that says the verdict is left out, and
/// every line within 100 columns.
pub fn assert_part_alone(lesson: &Lesson, out: &str, n: u32) {
    let parts = lesson.parts();
    let part = parts
        .iter()
        .find(|p| p.number == n)
        .expect("a declared part");
    let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(headings, [format!("== {n}. {} ==", part.heading)], "{out}");
    let left_out = format!("(verdict left out: it draws on every part, and --part {n} ran one)");
    assert!(out.contains(&left_out), "{out}");
    assert_within_100_columns(out);
}

/// Under `--part n --predict`: one reveal per question asked and a score
/// that counts the scored ones. Returns how many questions were asked.
pub fn assert_judged_alone(out: &str) -> usize {
    let asked = out.matches("] your answer (1 to ").count();
    let judged = reveals(out);
    let unscored = out
        .matches("did not decide the question: not scored")
        .count();
    assert_eq!(
        judged.len() + unscored,
        asked,
        "one reveal per question:\n{out}"
    );
    let matched = judged.iter().filter(|&&agreed| agreed).count();
    let expected = (!judged.is_empty()).then_some((matched, judged.len()));
    assert_eq!(score(out), expected, "a score of at most 1:\n{out}");
    asked
}
