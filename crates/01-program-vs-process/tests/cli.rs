//! The demo binary, run as a learner runs it.

use std::process::Command;

const DEMO: &str = env!("CARGO_BIN_EXE_program-vs-process");

#[test]
fn bad_children_counts_exit_2_with_a_clear_message() {
    for bad in ["0", "17", "abc", "99999999999"] {
        let output = Command::new(DEMO)
            .args(["--children", bad])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "--children {bad}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains("--children"), "--children {bad}: {stderr}");
        assert!(output.stdout.is_empty());
    }
}

#[test]
fn every_line_says_who_speaks() {
    let output = Command::new(DEMO)
        .args(["--children", "2"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8(output.stdout).unwrap();
    let parent = "[parent pid=";
    let mut child_lines = 0;
    for line in stdout
        .lines()
        .filter(|line| !line.is_empty() && !line.starts_with("== "))
    {
        assert!(
            line.starts_with(parent) || line.starts_with("[child  pid="),
            "untagged line: {line}"
        );
        child_lines += line.starts_with("[child ") as usize;
    }
    assert_eq!(child_lines, 4, "two lines from each of two children");
    // The hidden report lines are read by the parent, never shown.
    assert!(!stdout.contains("@report"));
    assert!(!stdout.contains("some!"));
}

#[test]
fn an_unknown_role_exits_2() {
    let output = Command::new(DEMO)
        .args([support::role::ROLE_FLAG, "program-vs-process:no-such-role"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
}
