//! The demo binary, run as a learner runs it: `just demo-program-vs-process`.

use std::collections::BTreeSet;
use std::process::{Command, Output};
use std::time::Duration;

use support::testing::output_within;

const DEMO: &str = env!("CARGO_BIN_EXE_program-vs-process");
const COLUMNS: usize = 100;

fn demo(args: &[&str]) -> Output {
    output_within(Command::new(DEMO).args(args), Duration::from_secs(60))
}

#[test]
fn bad_children_counts_exit_2_with_a_clear_message() {
    for bad in ["0", "17", "abc", "99999999999"] {
        let output = demo(&["--children", bad]);
        assert_eq!(output.status.code(), Some(2), "--children {bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--children"), "--children {bad}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn every_line_says_who_speaks() {
    let output = demo(&[]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut child_lines = 0;
    for line in stdout
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with("== "))
    {
        let tagged = line.starts_with("[parent pid=") || line.starts_with("[child  pid=");
        assert!(tagged, "untagged line: {line}");
        child_lines += line.starts_with("[child ") as usize;
    }
    assert_eq!(child_lines, 8, "four lines from each of the two children");
    // The hidden report lines are read by the parent, never shown.
    assert!(!stdout.contains("@report"));
    assert!(!stdout.contains("some!"), "a child was left behind");
    assert!(stdout.contains("Key Differences table, Memory row: processes have separate"));
}

/// At default options every line fits in 100 columns (characters, not
/// bytes: `×` is one column and two bytes), even if every pid in it had 7
/// digits, as it can where pid_max is 4_194_304.
#[test]
fn every_line_fits_in_100_columns() {
    let output = demo(&[]);
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let pid_in_tag = |line: &str| line.get(12..)?.split(' ').next().map(str::to_string);
    let pids: BTreeSet<String> = stdout.lines().filter_map(pid_in_tag).collect();
    assert!(pids.len() >= 3, "the parent and two children: {pids:?}");
    for line in stdout.lines() {
        // A line that is only the program's path is as long as that path.
        if line.ends_with(DEMO) && DEMO.chars().count() >= 60 {
            continue;
        }
        let numbers = line.split(|c: char| !c.is_ascii_digit());
        let pids_here = numbers.filter(|number| pids.contains(*number));
        let widened: usize = pids_here.map(|pid| 7 - pid.len().min(7)).sum();
        let columns = line.chars().count();
        assert!(columns <= COLUMNS, "{columns} columns: {line}");
        assert!(
            columns + widened <= COLUMNS,
            "too wide with 7-digit pids: {line}"
        );
    }
}

#[test]
fn an_unknown_role_exits_2() {
    let output = demo(&[support::role::ROLE_FLAG, "program-vs-process:no-such-role"]);
    assert_eq!(output.status.code(), Some(2));
    let missing_number = demo(&[
        support::role::ROLE_FLAG,
        "program-vs-process:another-instance",
    ]);
    assert_eq!(missing_number.status.code(), Some(2));
}

/// Runs the demo with `input` on its stdin (support's driver: a file of its
/// own per test thread, so it never waits and tests do not share it).
fn demo_with_stdin(args: &[&str], input: &str) -> (Option<i32>, String) {
    let (code, out) = support::classroom::drive::run_with_answers(DEMO, args, input);
    (Some(code).filter(|&c| c != -1), out)
}

#[test]
fn list_parts_prints_the_parts_and_a_missing_part_exits_2() {
    let output = demo(&["--list-parts"]);
    assert_eq!(output.status.code(), Some(0));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert!(
        stdout.contains("1.3  One program, many processes"),
        "{stdout}"
    );
    for bad in ["4", "0", "two", "2.1"] {
        let output = demo(&["--part", bad]);
        assert_eq!(output.status.code(), Some(2), "--part {bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            stderr.contains("1.2  The process: that file, running"),
            "{stderr}"
        );
    }
}

#[test]
fn part_shows_one_part_and_short_tags_reach_the_children() {
    let (code, out) = demo_with_stdin(&["--part", "3", "--short-tags", "--pause"], "");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("== 3. One program, many processes =="));
    assert!(
        !out.contains("== 2.") && !out.contains("== Verdict"),
        "{out}"
    );
    assert!(
        out.contains("[C ") && out.contains("] I am child 2"),
        "{out}"
    );
    assert!(!out.contains("pid="), "a long tag is left: {out}");
}

#[test]
fn predict_reads_answers_from_stdin_and_keeps_the_score() {
    // Part 1's answer is 1; part 2's is what the run saw (one thread here);
    // part 3's is 2. A bad answer is asked again.
    let (code, out) = demo_with_stdin(&["--predict", "--pause"], "1\n1\nseven\n3\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("\"seven\" is not an answer"), "{out}");
    assert!(
        out.contains("you said 1: this run agreed (it had one)"),
        "{out}"
    );
    assert!(out.contains("you said 3; the answer is 2."), "{out}");
    assert!(out.contains("2 of 3 predictions matched this run"), "{out}");
    assert!(
        out.lines().all(|l| l.chars().count() <= COLUMNS - 2),
        "a line too wide"
    );
    assert!(out.contains("== Verdict =="));
}

#[test]
fn predict_carries_on_when_stdin_ends() {
    let (code, out) = demo_with_stdin(&["--predict"], "2\n");
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("(stdin ended: no more questions"), "{out}");
    assert!(out.contains("0 of 1 predictions matched this run"), "{out}");
    assert!(out.contains("Key Differences table, Memory row"));
}
