//! The command line, from outside: the demo runs as a subprocess (it forks
//! and crashes children, which must not happen inside the multi-threaded
//! test harness), bounded by a timeout.

use std::process::{Command, Output};
use std::time::Duration;

use support::testing::output_within;

const DEMO: &str = env!("CARGO_BIN_EXE_fault-isolation");

/// Runs the demo with `args`, killing it if it takes over two minutes.
fn demo(args: &[&str]) -> Output {
    output_within(Command::new(DEMO).args(args), Duration::from_secs(120))
}

#[test]
fn bad_options_exit_2_with_a_clear_message() {
    let cases: &[(&[&str], &str)] = &[
        (&["--units", "0"], "0 is not in 2..=1000"),
        (&["--units", "1"], "1 is not in 2..=1000"),
        (&["--units", "5000"], "5000 is not in 2..=1000"),
        (&["--units", "many"], "invalid digit"),
        (&["--crash", "melt"], "invalid value 'melt'"),
        (
            &["--crash-probability", "1.5"],
            "1.5 is not between 0 and 1",
        ),
        (&["--crash-probability=-0.1"], "-0.1 is not between 0 and 1"),
        (
            &["--crash-probability", "often"],
            "\"often\" is not a number",
        ),
        (
            &["--fault-plan=-1"],
            "invalid value '-1' for '--fault-plan <FAULT_PLAN>'",
        ),
        (&["--fault-plan", "99999999999"], "is not in 0..=4294967295"),
        (&["--max-restarts", "11"], "11 is not in 0..=10"),
        (&["--no-such-option"], "unexpected argument"),
    ];
    for (args, message) in cases {
        let output = demo(args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(output.stdout.is_empty(), "{args:?} must not start the demo");
    }
}

#[test]
fn help_lists_the_options_but_not_the_hidden_role() {
    let output = demo(&["--help"]);
    assert!(output.status.success());
    let help = String::from_utf8_lossy(&output.stdout);
    for option in [
        "--units",
        "--crash",
        "--fault-plan",
        "--crash-probability",
        "--max-restarts",
    ] {
        assert!(help.contains(option), "{option} missing from:\n{help}");
    }
    assert!(!help.contains("support-role"));
}

#[test]
fn a_role_with_bad_arguments_or_an_unknown_name_exits_2() {
    let output = demo(&["--support-role", "fault-isolation:crashing-threads", "x"]);
    assert_eq!(output.status.code(), Some(2));
    let output = demo(&["--support-role", "fault-isolation:no-such-role"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no-such-role"));
}

#[test]
fn the_crashing_threads_role_really_crashes_by_a_signal() {
    use std::os::unix::process::ExitStatusExt;
    let output = demo(&[
        "--support-role",
        "fault-isolation:crashing-threads",
        "4",
        "2",
        "segv",
    ]);
    // A signal, not an exit code: the crash is real.
    assert_eq!(output.status.code(), None);
    assert_eq!(output.status.signal(), Some(11));
    assert!(!output.status.core_dumped());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("progress 2 2"), "{stdout}");
    assert!(
        !stdout.contains("result "),
        "no result may arrive: {stdout}"
    );
}

#[test]
fn the_output_alone_tells_the_story() {
    let output = demo(&[]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for heading in [
        "== 1. A thread panics ==",
        "== 2. A panic while holding a lock ==",
        "== 3. A thread crashes ==",
        "== 4. A child process crashes ==",
        "== 5. Beyond the table: a supervisor restarts what crashed ==",
        "== Verdict: fault isolation ==",
    ] {
        assert!(stdout.contains(heading), "{heading} missing");
    }
    // Every scenario says who died, who survived and what was lost.
    for word in ["died:", "survived:", "lost:"] {
        assert_eq!(stdout.matches(word).count(), 5, "{word}\n{stdout}");
    }
    let expected_lines = [
        // 1: who panicked, join's Err with the payload, the others' results.
        "worker-2] PANIC \"worker-2 met a bad input in unit 10\"",
        "worker-2: join() = Err(\"worker-2 met a bad input in unit 10\")",
        "worker-1: join() = Ok(",
        "worker-3: join() = Ok(",
        "worker-4: join() = Ok(",
        // 2: poisoning, and its absence.
        "std Mutex: lock() = Err(poisoned lock",
        "into_inner() shows checking 70 + savings 0 = 70 (should be 100)",
        "parking_lot Mutex: lock() = the guard, no error; it sees",
        // 3: the child dies of the signal; nothing arrives; how it happened.
        ": killed by SIGSEGV\n",
        "this process has a SIGSEGV handler (std's, for stack overflows)",
        "results that reached the parent: 0 of 4",
        "restored the default action",
        // 4: one process crashed, three results intact.
        "no result (0 of 32 bytes)",
        // 5: the supervisor's result equals the fault-free one.
        "restart 1 of 3 in 10 ms",
        "restart 2 of 3 in 20 ms",
        ", fault-free 0x",
        "supervisor: redid 3 crashed attempts; result = the fault-free one",
    ];
    for line in expected_lines {
        assert!(stdout.contains(line), "{line:?} missing from:\n{stdout}");
    }
    assert!(stdout.contains(": equal"));
    assert_eq!(stdout.matches("as expected").count(), 6); // 3 threads, 3 processes
    assert!(!stdout.contains("WRONG") && !stdout.contains("DIFFERENT"));
}

#[test]
fn the_abort_variant_ends_by_sigabrt() {
    let output = demo(&["--crash", "abort", "--units", "4"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    // Scenario 3's child and scenario 4's worker-2, and how abort() did it.
    assert!(stdout.matches("killed by SIGABRT").count() >= 2, "{stdout}");
    assert!(stdout.contains("abort() unblocked SIGABRT"), "{stdout}");
    assert!(!stdout.contains("std's\n") && !stdout.contains("restored the default"));
}

/// Every line of the demo fits in 100 columns, as it would on a projector
/// (counted in characters, with the widest pid the kernel can hand out).
#[test]
fn every_line_fits_in_100_columns() {
    // A pid may grow to as many digits as pid_max has: count every tag at that width.
    let pid_digits_max =
        std::fs::read_to_string("/proc/sys/kernel/pid_max").map_or(7, |text| text.trim().len());
    let runs: [&[&str]; 3] = [
        &[],
        &["--crash", "abort"],
        &["--crash-probability", "1", "--max-restarts", "0"],
    ];
    for args in runs {
        let output = demo(args);
        assert!(output.status.success(), "{args:?}: {output:?}");
        for line in String::from_utf8_lossy(&output.stdout).lines() {
            let growth: usize = line
                .split("pid=")
                .skip(1)
                .map(|rest| {
                    pid_digits_max
                        .saturating_sub(rest.chars().take_while(char::is_ascii_digit).count())
                })
                .sum();
            let width = line.chars().count() + growth;
            assert!(width <= 100, "{args:?}: {width} columns: {line}");
        }
    }
}

/// `--crash-probability 1 --max-restarts 0`: every worker crashes and none
/// is restarted. The demo still exits 0, and every sentence says so.
#[test]
fn a_supervisor_that_gives_up_says_so_and_exits_0() {
    let output = demo(&[
        "--crash-probability",
        "1",
        "--max-restarts",
        "0",
        "--units",
        "4",
    ]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        stdout.matches("; gave up after 0 restarts").count(),
        4,
        "{stdout}"
    );
    assert!(stdout.contains("job incomplete: gave up on 4 workers [1, 2, 3, 4]"));
    assert!(stdout.contains("supervisor: 0 restarts; gave up on [1, 2, 3, 4]: job incomplete"));
    assert!(!stdout.contains("redid") && !stdout.contains("redone") && !stdout.contains(": equal"));
    assert!(
        stdout.contains("(plan 8); a crashed worker is not restarted\n"),
        "{stdout}"
    );
}

/// Nothing crashes in the supervisor, one unit before each fault: every
/// count is said in the right number, and "nothing lost" in words.
#[test]
fn counts_of_one_and_a_run_without_crashes_read_right() {
    let output = demo(&[
        "--crash-probability",
        "0",
        "--units",
        "2",
        "--max-restarts",
        "1",
    ]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    for line in [
        "after 1 unit worker-2 will:",
        "worker-2] 1 unit done; now I store",
        "worker-2: 1 unit done; now I store",
        "at most 1× each",
        "died:     no process: no attempt crashed",
        "lost:     no attempt crashed: nothing lost",
        "supervisor: no attempt crashed this run, so nothing to redo",
    ] {
        assert!(stdout.contains(line), "{line:?} missing from:\n{stdout}");
    }
    assert!(
        !stdout.contains("(s)") && !stdout.contains(" 1 units"),
        "{stdout}"
    );
}
