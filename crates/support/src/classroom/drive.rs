//! For the lessons' tests: drive a demo's `--predict` through its stdin and
//! read back what it judged.

use std::process::Command;
use std::time::Duration;

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
    let output = output_within(
        Command::new(program).args(args).stdin(stdin),
        Duration::from_secs(120),
    );
    let _ = std::fs::remove_file(&path);
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
    for line in out.lines() {
        let widest = match line.split_once("pid=") {
            Some((head, rest)) => {
                let digits = rest.chars().take_while(char::is_ascii_digit).count();
                format!("{head}pid=1234567{}", &rest[digits..])
            }
            None => line.to_string(),
        };
        assert!(widest.chars().count() <= 100, "over 100 columns: {line}");
    }
    judged
}
