//! The binary, run as a subprocess: its options and its printed story.

use std::process::{Command, Output};
use std::time::Duration;

use support::testing::output_within;

const BIN: &str = env!("CARGO_BIN_EXE_creation-cost");

/// Runs the demo with `args`, killing it if it takes longer than a minute.
fn run_demo(args: &[&str]) -> Output {
    output_within(Command::new(BIN).args(args), Duration::from_secs(60))
}

#[test]
fn bad_options_exit_2_with_a_clear_message() {
    for (option, value) in [
        ("--repeats", "0"),
        ("--repeats", "1001"),
        ("--repeats", "99999999999999999999"),
        ("--repeats", "many"),
        ("--workers", "0"),
        ("--workers", "201"),
        ("--workers", "-3"),
        ("--workers", "lots"),
        ("--jobs", "0"),
        ("--jobs", "100001"),
    ] {
        // `--opt=value`, so that `-3` is read as a value, not an option.
        let output = run_demo(&[&format!("{option}={value}")]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{option} {value}: {stderr}");
        assert!(
            stderr.contains("invalid value") && stderr.contains(option),
            "{option} {value}: {stderr}"
        );
        assert!(
            output.stdout.is_empty(),
            "nothing measured for {option} {value}"
        );
    }
}

#[test]
fn the_demo_prints_every_table_and_reaps_every_child() {
    let output = run_demo(&["--repeats", "2", "--workers", "3", "--jobs", "40"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for expected in [
        "== 1. A thread: start one, wait for it to end ==",
        "× std",
        "std thread::spawn + join",
        "libc pthread_create + join",
        "thread::scope, joined explicitly",
        "sched_getaffinity",
        "sigaltstack",
        "== 2. A process: start one, wait for it to end ==",
        "fork + _exit + waitpid",
        "fork + exec /bin/true + waitpid",
        "Command /bin/true (posix_spawn)",
        "== 3. fork gets dearer as the parent grows ==",
        "256 MiB",
        "load average (1, 5, 15 min) before these figures:",
        "CPU time the hypervisor stole in between",
        "memcpy them",
        "rewrite after fork",
        "== 4. What an idle worker costs in memory ==",
        "3 idle threads, then 3 idle processes",
        "kernel stack",
        "children started 3, reaped 3",
        "== 5. Pools pay creation once ==",
        "a pool of processes",
        "== Verdict ==",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in:\n{stdout}"
        );
    }
    // Every line but headings and blank separators says who is speaking.
    for line in stdout.lines() {
        if line.is_empty() || line.starts_with("== ") {
            continue;
        }
        assert!(line.starts_with("[parent pid="), "untagged line: {line:?}");
    }
    // Each timed row of the tables has a finite, positive ratio (a row
    // marked disturbed ends in " !").
    let ratios: Vec<f64> = stdout
        .lines()
        .map(|line| line.trim_end_matches(" !"))
        .filter(|line| line.ends_with('×') && (line.contains(" µs") || line.contains(" ms")))
        .filter_map(|line| {
            line.trim_end_matches('×')
                .split_whitespace()
                .last()?
                .parse()
                .ok()
        })
        .collect();
    assert!(ratios.len() >= 6, "{stdout}");
    assert!(
        ratios.iter().all(|r| r.is_finite() && *r > 0.0),
        "{ratios:?}"
    );
}

#[test]
fn help_names_every_option() {
    let output = run_demo(&["--help"]);
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success());
    assert!(
        stdout.contains("--repeats") && stdout.contains("--workers") && stdout.contains("--jobs"),
        "{stdout}"
    );
}

#[test]
fn every_line_fits_in_100_columns_at_default_options_and_with_few_workers() {
    for args in [&[][..], &["--workers", "1"], &["--workers", "2"]] {
        let output = run_demo(args);
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{args:?}: {stdout}");
        for line in stdout.lines() {
            // A pid has at most 7 digits (pid_max 4_194_304): pad the pid in
            // this line's own tag to that.
            let digits = line.split_once("pid=").map_or(7, |(_, rest)| {
                rest.chars().take_while(char::is_ascii_digit).count()
            });
            let columns = line.chars().count() + 7 - digits.min(7);
            assert!(columns <= 100, "{args:?}: {columns} columns: {line}");
        }
    }
}

#[test]
fn a_role_given_zero_or_a_word_exits_2_with_a_message() {
    for role in [
        "creation",
        "fork-sizes",
        "idle-threads",
        "idle-processes",
        "pools",
    ] {
        for value in ["0", "many"] {
            let role = format!("creation-cost:{role}");
            let output = run_demo(&["--support-role", &role, value]);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(output.status.code(), Some(2), "{role} {value}: {stderr}");
            assert!(
                stderr.contains("needs a whole number from 1 up"),
                "{stderr}"
            );
        }
    }
}
