//! `--part N` runs part N alone: its heading and no other (a session panics
//! if any other part starts, so exit code 0 shows none did), the line that
//! says the verdict is left out, and every line within 100 columns; with
//! `--predict`, that part's question alone is judged. On one CPU, a run
//! that lost no update does not score the lost-update question.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use shared_memory_threads::LESSON;
use support::classroom::drive::{assert_judged_alone, assert_part_alone, run_with_answers, score};
use support::placement::{allowed_cpus, pin_this_thread_to};
use support::testing::output_within;

const BIN: &str = env!("CARGO_BIN_EXE_shared-memory-threads");

#[test]
fn each_part_runs_alone_at_default_options() {
    for part in LESSON.parts() {
        let n = part.number.to_string();
        let output = output_within(
            Command::new(BIN).args(["--part", &n]).stdin(Stdio::null()),
            Duration::from_secs(120),
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
        let args = ["--part", &n, "--predict", "--increments", "100000"];
        let (code, out) = run_with_answers(BIN, &args, "1\n");
        assert_eq!(code, 0, "--part {n} --predict:\n{out}");
        assert_part_alone(&LESSON, &out, part.number);
        let asked = assert_judged_alone(&out);
        assert_eq!(asked, usize::from(part.question.is_some()), "{out}");
    }
}

/// On one CPU (the first this test may use), four threads of 1_000
/// increments each rarely lose an update: a run that lost none cannot show
/// the race, so it is not scored, and says why; one that lost some is.
#[test]
fn on_one_cpu_a_run_that_lost_none_is_not_scored() {
    let cpu = allowed_cpus().expect("sched_getaffinity")[0];
    let mut command = Command::new(BIN);
    command.args(["--part", "3", "--predict", "--increments", "1000"]);
    // SAFETY: between fork and exec the child makes one system call,
    // sched_setaffinity(2), with a CPU set on its stack: no allocation, no lock.
    unsafe { command.pre_exec(move || pin_this_thread_to(cpu).map_err(Into::into)) };
    let answers = std::env::temp_dir().join(format!("smt-one-cpu-{}", std::process::id()));
    std::fs::write(&answers, "2\n").expect("write the answer");
    command.stdin(std::fs::File::open(&answers).expect("open the answer"));
    let output = output_within(&mut command, Duration::from_secs(60));
    let _ = std::fs::remove_file(&answers);
    let out = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.contains("; 1 CPU(s) allowed"), "{out}");
    if out.contains("  none lost:") {
        assert!(
            out.contains("none lost: the threads took turns on the one CPU allowed"),
            "{out}"
        );
        assert!(out.contains("(this run did not decide the question: not scored)"));
        assert_eq!(score(&out), None, "{out}");
    } else {
        assert!(out.contains("you said 2: this run agreed (updates were lost)"));
        assert_eq!(score(&out), Some((1, 1)), "{out}");
    }
    assert_judged_alone(&out);
}
