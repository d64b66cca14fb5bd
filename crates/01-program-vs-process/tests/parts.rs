//! `--part N` runs part N alone: its heading and no other (a session panics
//! if any other part starts, so exit code 0 shows none did), the line that
//! says the verdict is left out, and every line within 100 columns; with
//! `--predict`, that part's question alone is judged.

use std::process::{Command, Stdio};
use std::time::Duration;

use program_vs_process::LESSON;
use support::classroom::drive::{assert_judged_alone, assert_part_alone, run_with_answers};
use support::testing::output_within;

const DEMO: &str = env!("CARGO_BIN_EXE_program-vs-process");

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
        assert_part_alone(&LESSON, &out, part.number);
    }
}

#[test]
fn each_part_alone_judges_its_own_question() {
    for part in LESSON.parts() {
        let n = part.number.to_string();
        let (code, out) = run_with_answers(DEMO, &["--part", &n, "--predict"], "1\n");
        assert_eq!(code, 0, "--part {n} --predict:\n{out}");
        assert_part_alone(&LESSON, &out, part.number);
        let asked = assert_judged_alone(&out);
        assert_eq!(asked, usize::from(part.question.is_some()), "{out}");
    }
}
