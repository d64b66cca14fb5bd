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
