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
    assert_rejected(
        &["--increments", "x"],
        "invalid value 'x' for '--increments",
    );
    assert_rejected(&["--increments", "0"], "0 is not in 1..=10000000");
    assert_rejected(&["--increments", "10000001"], "is not in 1..=10000000");
    assert_rejected(&["--no-such-option"], "--no-such-option");
}

/// Three numbers from `counter = X (expected Y), lost Z`.
fn counter_line(line: &str) -> Option<(u64, u64, u64)> {
    let number = |text: &str| text.replace('_', "").parse::<u64>().ok();
    let rest = line.split("counter = ").nth(1)?;
    let (counted, rest) = rest.split_once(" (expected ")?;
    let (expected, rest) = rest.split_once("), lost ")?;
    let lost = rest.split_whitespace().next()?;
    Some((number(counted)?, number(expected)?, number(lost)?))
}

#[test]
fn the_demo_tells_every_part_with_a_speaker_on_every_line() {
    let (code, out, err) = run_binary(&["--threads", "3", "--increments", "20000"]);
    assert_eq!(code, 0, "stderr: {err}\nstdout: {out}");

    for heading in [
        "== 1. One address space ==",
        "== 2. Communication through shared variables is direct ==",
        "== 3. Sharing needs synchronisation ==",
        "== 4. Contrast with processes ==",
        "== 5. Verdict ==",
    ] {
        assert!(out.contains(heading), "missing {heading:?} in:\n{out}");
    }
    // Every other non-blank line starts with a speaker tag.
    for line in out
        .lines()
        .filter(|l| !l.is_empty() && !l.starts_with("== "))
    {
        assert!(
            line.starts_with("[parent pid=")
                || line.starts_with("[thread pid=")
                || line.starts_with("[child  pid="),
            "untagged line: {line:?}"
        );
    }
    // The workers speak as threads of the parent's pid; the child has its own.
    let pid_of = |line: &str| {
        line.split("pid=")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .map(str::to_owned)
    };
    let parent_pid = out
        .lines()
        .find(|l| l.starts_with("[parent"))
        .and_then(pid_of);
    for worker in ["worker-1", "worker-2", "worker-3"] {
        let line = out
            .lines()
            .find(|l| {
                l.starts_with("[thread") && l.contains(worker) && l.contains("my stack local at 0x")
            })
            .unwrap_or_else(|| panic!("no line from {worker}"));
        assert_eq!(
            pid_of(line),
            parent_pid,
            "{worker} is in the parent process"
        );
    }
    let child_line = out
        .lines()
        .find(|l| l.starts_with("[child  pid="))
        .expect("the forked child speaks");
    assert_ne!(
        pid_of(child_line),
        parent_pid,
        "the child has a pid of its own"
    );

    // The four counters: the printed loss is expected minus actual, and
    // only the broken one may fall short.
    let counters: Vec<(String, (u64, u64, u64))> = out
        .lines()
        .filter_map(|l| counter_line(l).map(|c| (l.to_string(), c)))
        .collect();
    assert_eq!(counters.len(), 4, "four counter lines in:\n{out}");
    for (line, (counted, expected, lost)) in &counters {
        assert_eq!(*expected, 3 * 20_000, "{line}");
        assert!(counted <= expected, "{line}");
        assert_eq!(*lost, expected - counted, "{line}");
        if !line.contains("BROKEN") {
            assert_eq!(counted, expected, "{line}");
        }
    }
    assert!(
        counters[0].0.contains("BROKEN load + store"),
        "broken one first"
    );
    assert!(out.contains("core(s)"), "the core count is printed");
    assert!(
        out.contains("mine is still 20_000"),
        "parent's counter unchanged:\n{out}"
    );
}
