//! The binary, run as a subprocess: it forks, and the test harness is
//! multi-threaded, so the lesson's full run is only ever checked this way
//! (or in `whole_lesson.rs`, a single-threaded test program).

use std::process::Command;
use std::time::Duration;

use support::testing::output_within;

const BIN: &str = env!("CARGO_BIN_EXE_shared-memory-threads");

/// Runs the binary with `args`; kills it if it runs longer than a minute.
/// Returns (exit code, stdout, stderr).
fn run_binary(args: &[&str]) -> (i32, String, String) {
    let output = output_within(Command::new(BIN).args(args), Duration::from_secs(60));
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn assert_rejected(args: &[&str], expected_in_message: &str) {
    let (code, out, err) = run_binary(args);
    assert_eq!(code, 2, "{args:?} should exit 2; stderr: {err}");
    assert!(out.is_empty(), "{args:?} printed a story: {out}");
    assert!(
        err.contains(expected_in_message),
        "{args:?}: stderr should mention {expected_in_message:?}: {err}"
    );
}

#[test]
fn bad_options_exit_2_with_a_clear_message() {
    assert_rejected(&["--threads", "0"], "0 is not in 1..=64");
    assert_rejected(&["--threads", "65"], "65 is not in 1..=64");
    assert_rejected(&["--threads", "abc"], "invalid value 'abc' for '--threads");
    assert_rejected(&["--threads", "99999999999999999999999"], "--threads");
    assert_rejected(&["--increments", "0"], "0 is not in 1..=10000000");
    assert_rejected(
        &["--increments", "abc"],
        "invalid value 'abc' for '--increments",
    );
    assert_rejected(&["--increments", "10000001"], "is not in 1..=10000000");
    assert_rejected(&["--increments", "99999999999999999999999"], "--increments");
    assert_rejected(&["--no-such-option"], "--no-such-option");
}

/// The two numbers of `LABEL = X (should be Y)`.
fn counter_line(line: &str) -> Option<(u64, u64)> {
    let number = |text: &str| text.trim().replace('_', "").parse::<u64>().ok();
    let rest = line.split("] ").nth(1)?.split_once(" = ")?.1;
    let (counted, rest) = rest.split_once(" (should be ")?;
    Some((number(counted)?, number(rest.split(')').next()?)?))
}

/// Every line fits in 100 columns, counted as a 7-digit pid (the most
/// Linux gives) would print it, and every tag closes in the same column.
fn assert_fits(out: &str) {
    for line in out.lines() {
        let widest = line.replacen(&pid_of(line).unwrap_or_default(), "1234567", 1);
        let columns = widest.chars().count();
        assert!(columns <= 100, "{columns} columns: {line}");
        if line.starts_with('[') {
            assert_eq!(widest.find(']'), Some(28), "a tag of its own width: {line}");
        }
    }
}

#[test]
fn every_line_of_the_default_demo_fits_in_100_columns() {
    let (code, out, err) = run_binary(&[]);
    assert_eq!(code, 0, "stderr: {err}\nstdout: {out}");
    assert_fits(&out);
}

#[test]
fn sixty_four_workers_keep_their_tags_aligned() {
    let (code, out, err) = run_binary(&["--threads", "64", "--increments", "1000"]);
    assert_eq!(code, 0, "stderr: {err}\nstdout: {out}");
    assert_fits(&out);
    for name in [" worker-9] ", " worker10] ", " worker64] "] {
        assert!(out.contains(name), "{name} in:\n{out}");
    }
}

#[test]
fn one_thread_is_one_worker_that_cannot_race() {
    let (code, out, err) = run_binary(&["--threads", "1", "--increments", "100000"]);
    assert_eq!(code, 0, "stderr: {err}\nstdout: {out}");
    for said in [
        "1 thread × 100_000 increments each",
        "BROKEN load+store =    100_000 (should be 100_000)",
        "one thread cannot race with itself",
        "Memory: 1 worker and main saw",
        "Unsynchronised, none lost: one thread cannot race with itself.",
    ] {
        assert!(out.contains(said), "{said:?} in:\n{out}");
    }
    assert!(
        !out.contains("1 workers") && !out.contains("no overlap"),
        "{out}"
    );
}

fn pid_of(line: &str) -> Option<String> {
    let digits = line.split("pid=").nth(1)?.split(' ').next()?;
    Some(digits.to_string())
}

#[test]
fn the_demo_tells_every_part_with_a_speaker_on_every_line() {
    let (code, out, err) = run_binary(&["--threads", "3", "--increments", "20000"]);
    assert_eq!(code, 0, "stderr: {err}\nstdout: {out}");
    for heading in [
        "== 1. One address space ==",
        "== 2. Communication through shared variables ==",
        "== 3. Sharing needs synchronisation ==",
        "== 4. Contrast with processes: fork copies ==",
        "== 5. Verdict ==",
    ] {
        assert!(out.contains(heading), "missing {heading:?} in:\n{out}");
    }
    for line in out
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("== "))
    {
        let tagged = ["[parent pid=", "[thread pid=", "[child  pid="];
        assert!(
            tagged.iter().any(|tag| line.starts_with(tag)),
            "untagged line: {line:?}"
        );
    }
    // The workers are threads of the parent's pid; the child has its own.
    let parent_pid = out
        .lines()
        .find(|l| l.starts_with("[parent"))
        .and_then(pid_of);
    for worker in ["worker-1", "worker-2", "worker-3"] {
        let line = out
            .lines()
            .find(|l| l.contains(worker))
            .expect("a worker's row");
        assert_eq!(
            pid_of(line),
            parent_pid,
            "{worker} is in the parent process"
        );
    }
    let child_line = out
        .lines()
        .find(|l| l.starts_with("[child  pid="))
        .expect("the child speaks");
    assert_ne!(
        pid_of(child_line),
        parent_pid,
        "the child has a pid of its own"
    );
    assert!(
        out.contains("on one CPU"),
        "the placement is printed:\n{out}"
    );

    // The four counters, broken first; only the broken one may fall short.
    let counters: Vec<(&str, (u64, u64))> = out
        .lines()
        .filter_map(|l| counter_line(l).map(|c| (l, c)))
        .collect();
    assert_eq!(counters.len(), 4, "four counter lines in:\n{out}");
    assert!(
        counters[0].0.contains("BROKEN load+store"),
        "broken one first"
    );
    for (line, (counted, expected)) in &counters {
        assert_eq!(*expected, 3 * 20_000, "{line}");
        assert!(counted <= expected, "{line}");
        if !line.contains("BROKEN") {
            assert_eq!(counted, expected, "{line}");
        }
    }
    let (counted, expected) = counters[0].1;
    let one_cpu = support::placement::allowed_cpus().map_or(1, |c| c.len()) == 1;
    let verdict = match (counted == expected, one_cpu) {
        (true, true) => "none lost: the threads took turns on the one CPU allowed".to_string(),
        (true, false) => "no overlap this time: run again or raise --increments".to_string(),
        (false, _) => format!("lost {} updates", expected - counted),
    };
    assert!(
        out.replace('_', "").contains(&verdict),
        "{verdict:?} in:\n{out}"
    );
    assert!(
        out.contains("my counter:          20_000 at"),
        "parent's counter unchanged:\n{out}"
    );
}

/// Runs the binary with `input` on its stdin (support's driver: a file of
/// its own per test thread, so tests running at once do not share it).
fn run_with_stdin(args: &[&str], input: &str) -> (i32, String) {
    support::classroom::drive::run_with_answers(BIN, args, input)
}

#[test]
fn list_parts_and_part_select_what_is_shown() {
    let (code, out) = run_with_stdin(&["--list-parts"], "");
    assert_eq!(code, 0);
    assert!(
        out.contains("2.4  Contrast with processes: fork copies"),
        "{out}"
    );
    assert_rejected(&["--part", "5"], "2.3  Sharing needs synchronisation");
    let (code, out) = run_with_stdin(&["--part", "4", "--increments", "1000", "--pause"], "");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("== 4. Contrast") && !out.contains("== 3."),
        "{out}"
    );
    assert!(!out.contains("BROKEN"), "part 3 ran, or spoke: {out}");
}

/// Part 3's question is judged by what the run did: the guess "2: some
/// updates are lost" matches a run that lost some and not one that did not.
#[test]
fn the_lost_update_question_follows_the_run() {
    // One thread cannot lose an update: answer 1 is this run's.
    let args = ["--predict", "--threads", "1", "--increments", "1000"];
    let (code, out) = run_with_stdin(&args, "1\n1\n2\n1\n");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("you said 2; this run showed 1 (none were lost)"),
        "{out}"
    );
    assert!(out.contains("3 of 4 predictions matched this run"), "{out}");
    assert_fits(&out);
    // Four threads: judged against whatever this run's racy counter read.
    let (code, out) = run_with_stdin(&["--predict", "--increments", "2000000"], "1\n1\n2\n1\n");
    assert_eq!(code, 0, "{out}");
    let racy = out
        .lines()
        .find(|l| l.contains("BROKEN"))
        .and_then(counter_line);
    let (counted, expected) = racy.expect("the racy counter's line");
    if counted < expected {
        assert!(
            out.contains("you said 2: this run agreed (updates were lost)"),
            "{out}"
        );
        assert!(out.contains("4 of 4 predictions matched this run"), "{out}");
    } else if support::placement::allowed_cpus().map_or(1, |c| c.len()) == 1 {
        // One CPU and none lost: the run could not show the race, so no score.
        assert!(
            out.contains("the threads took turns on the one CPU allowed"),
            "{out}"
        );
        assert!(out.contains("3 of 3 predictions matched this run"), "{out}");
    } else {
        assert!(
            out.contains("you said 2; this run showed 1 (none were lost)"),
            "{out}"
        );
        assert!(out.contains("3 of 4 predictions matched this run"), "{out}");
    }
}
