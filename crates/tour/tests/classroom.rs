//! The tour's classroom options: `--list-parts` names every lesson's parts,
//! `--part L.N` shows one part of one lesson, a part that does not exist is
//! refused with the list, `--pause` with stdin from /dev/null never blocks
//! (the run is bounded: a blocked tour would be killed and fail), and
//! `--predict` reads its answers from stdin and scores them.

use std::process::{Command, Output, Stdio};
use std::time::Duration;

use support::classroom::drive::{assert_predict_run, run_with_answers};
use support::testing::output_within;

const TOUR: &str = env!("CARGO_BIN_EXE_tour");

fn tour(args: &[&str]) -> (Output, String, String) {
    let stdin = std::fs::File::open("/dev/null").expect("/dev/null");
    let mut command = Command::new(TOUR);
    command.args(args).stdin(Stdio::from(stdin));
    let output = output_within(&mut command, Duration::from_secs(120));
    let out = String::from_utf8_lossy(&output.stdout).into_owned();
    let err = String::from_utf8_lossy(&output.stderr).into_owned();
    (output, out, err)
}

#[test]
fn list_parts_names_every_lessons_parts_within_100_columns() {
    let (output, out, _) = tour(&["--list-parts"]);
    assert_eq!(output.status.code(), Some(0), "{out}");
    let parts = [
        "1.1 ", "2.4 ", "pipes.5 ", "shm.5 ", "4.5 ", "5.5 ", "6.5 ", "8.1 ", "7.1 ",
    ];
    for part in parts {
        assert!(
            out.lines().any(|l| l.starts_with(part)),
            "{part:?} in:\n{out}"
        );
    }
    assert!(out.contains("choose one with --part L.N"), "{out}");
    assert!(out.lines().all(|l| l.chars().count() <= 100), "{out}");
}

#[test]
fn part_l_n_with_pause_shows_one_part_and_does_not_block() {
    let (output, out, err) = tour(&["--part", "1.2", "--pause"]);
    assert_eq!(output.status.code(), Some(0), "{err}\n{out}");
    assert!(out.contains("Lesson 01: program vs process"), "{out}");
    assert!(
        out.contains("== 2. The process: that file, running =="),
        "{out}"
    );
    assert!(!out.contains("== 1. ") && !out.contains("== 3. "), "{out}");
    assert!(
        !out.contains("Lesson 02") && !out.contains("press Enter"),
        "{out}"
    );
    assert!(out.contains("(verdict left out"), "{out}");
}

#[test]
fn a_part_that_does_not_exist_exits_2_with_the_list() {
    let (output, out, err) = tour(&["--part", "9.1"]);
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(out.is_empty(), "{out}");
    assert!(
        err.contains("no part \"9.1\" here") && err.contains("shm.1 "),
        "{err}"
    );
    let (output, _, err) = tour(&["--part", "2"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(
        err.contains("in the tour, name the lesson too (L.N)"),
        "{err}"
    );
}

#[test]
fn predict_reads_the_answer_from_stdin_and_scores_it() {
    // Lesson 02, part 3: will updates be lost? The run decides the answer,
    // so the guess "2" is scored against what this run did, once.
    let (code, out) = run_with_answers(TOUR, &["--part", "2.3", "--predict"], "2\n");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("predict: "), "{out}");
    // One reveal (scored, or "not scored" when the run could not tell),
    // a score that counts it, every line within 100 columns.
    assert_predict_run(&out, 1);
    assert!(!out.contains("== 1. ") && !out.contains("== 4. "), "{out}");
}
