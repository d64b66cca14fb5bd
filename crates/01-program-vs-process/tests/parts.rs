//! `--part N` runs part N alone: its heading and no other (a session panics
//! if any other part starts, so exit code 0 shows none did), the line that
//! says the verdict is left out, and every line within 100 columns; with
//! `--predict`, that part's question alone is judged.

use std::process::{Command, Stdio};
use std::time::Duration;

use program_vs_process::LESSON;
use support::classroom::drive::{reveals, run_with_answers, score};
use support::testing::output_within;

const DEMO: &str = env!("CARGO_BIN_EXE_program-vs-process");

/// What every `--part n` run prints, with or without `--predict`.
fn assert_part_alone(out: &str, n: u32) {
    let parts = LESSON.parts();
    let part = parts
        .iter()
        .find(|p| p.number == n)
        .expect("a declared part");
    let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
    assert_eq!(headings, [format!("== {n}. {} ==", part.heading)], "{out}");
    let left_out = format!("(verdict left out: it draws on every part, and --part {n} ran one)");
    assert!(out.contains(&left_out), "{out}");
    assert!(!out.contains("== Verdict"), "{out}");
    for line in out.lines() {
        // A line that is only the program's path is as long as that path.
        let path_only = line.trim_start().starts_with('[') && line.ends_with(DEMO);
        let widest = with_seven_digit_pid(line);
        assert!(
            path_only || widest.chars().count() <= 100,
            "over 100 columns with a 7-digit pid: {line}"
        );
    }
}

/// `line` as it would read if its tag's pid had 7 digits.
fn with_seven_digit_pid(line: &str) -> String {
    match line.split_once("pid=") {
        Some((head, rest)) => {
            let digits = rest.chars().take_while(char::is_ascii_digit).count();
            format!("{head}pid=1234567{}", &rest[digits..])
        }
        None => line.to_string(),
    }
}

#[test]
fn each_part_runs_alone() {
    for part in LESSON.parts() {
        let n = part.number.to_string();
        let output = output_within(
            Command::new(DEMO).args(["--part", &n]).stdin(Stdio::null()),
            Duration::from_secs(60),
        );
        let out = String::from_utf8(output.stdout).expect("UTF-8");
        assert_eq!(output.status.code(), Some(0), "--part {n}:\n{out}");
        assert_part_alone(&out, part.number);
    }
}

#[test]
fn each_part_alone_judges_its_own_question() {
    for part in LESSON.parts() {
        let n = part.number.to_string();
        let (code, out) = run_with_answers(DEMO, &["--part", &n, "--predict"], "1\n");
        assert_eq!(code, 0, "--part {n} --predict:\n{out}");
        assert_part_alone(&out, part.number);
        let asked = out.matches("] your answer (1 to ").count();
        assert_eq!(asked, usize::from(part.question.is_some()), "{out}");
        let judged = reveals(&out);
        let unscored = out
            .matches("did not decide the question: not scored")
            .count();
        assert_eq!(judged.len() + unscored, asked, "one reveal:\n{out}");
        let matched = judged.iter().filter(|&&agreed| agreed).count();
        let expected = (!judged.is_empty()).then_some((matched, judged.len()));
        assert_eq!(score(&out), expected, "a score of at most 1:\n{out}");
    }
}
