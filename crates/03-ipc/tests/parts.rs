//! `--part N` runs part N alone, in both demos: its heading and no other (a
//! session panics if any other part starts, so exit code 0 shows none did),
//! the line that says the verdict is left out, and every line within 100
//! columns; with `--predict`, that part's question alone is judged. On one
//! CPU, parts 2 and 3 of the pipes and part 3 of shared memory say why their
//! questions are not scored.

use std::os::unix::process::CommandExt;
use std::process::{Command, Stdio};
use std::time::Duration;

use support::classroom::Lesson;
use support::classroom::drive::{assert_judged_alone, assert_part_alone, run_with_answers, score};
use support::placement::{allowed_cpus, pin_this_thread_to};
use support::testing::output_within;

const PIPES: &str = env!("CARGO_BIN_EXE_pipes");
const SHARED_MEMORY: &str = env!("CARGO_BIN_EXE_shared-memory");
/// Small transfers, so that every part of both demos runs in seconds.
const PIPES_ARGS: [&str; 4] = ["--mib", "1", "--round-trips", "200"];
const SHARED_MEMORY_ARGS: [&str; 2] = ["--mib", "1"];

/// Every part of one demo, alone, then alone with `--predict`.
fn each_part_alone(bin: &str, lesson: &Lesson, options: &[&str]) {
    for part in lesson.parts() {
        let n = part.number.to_string();
        let mut args = vec!["--part", &n];
        args.extend(options);
        let output = output_within(
            Command::new(bin).args(&args).stdin(Stdio::null()),
            Duration::from_secs(120),
        );
        let out = String::from_utf8(output.stdout).expect("UTF-8");
        assert_eq!(output.status.code(), Some(0), "{args:?}:\n{out}");
        assert_part_alone(lesson, &out, part.number);
        args.push("--predict");
        let (code, out) = run_with_answers(bin, &args, "1\n");
        assert_eq!(code, 0, "{args:?}:\n{out}");
        assert_part_alone(lesson, &out, part.number);
        let asked = assert_judged_alone(&out);
        assert_eq!(asked, usize::from(part.question.is_some()), "{out}");
    }
}

#[test]
fn each_pipes_part_runs_alone() {
    each_part_alone(PIPES, &ipc::pipes::LESSON, &PIPES_ARGS);
}

#[test]
fn each_shared_memory_part_runs_alone() {
    each_part_alone(
        SHARED_MEMORY,
        &ipc::shared_memory::LESSON,
        &SHARED_MEMORY_ARGS,
    );
}

/// `bin --part N --predict` on one CPU (the first this test may use).
fn part_on_one_cpu(bin: &str, n: &str, options: &[&str]) -> String {
    let cpu = allowed_cpus().expect("sched_getaffinity")[0];
    let mut command = Command::new(bin);
    command.args(["--part", n, "--predict"]).args(options);
    // SAFETY: between fork and exec the child makes one system call,
    // sched_setaffinity(2), with a CPU set on its stack: no allocation, no lock.
    unsafe { command.pre_exec(move || pin_this_thread_to(cpu).map_err(Into::into)) };
    let answers = std::env::temp_dir().join(format!("ipc-one-cpu-{}", std::process::id()));
    std::fs::write(&answers, "1\n").expect("write the answer");
    command.stdin(std::fs::File::open(&answers).expect("open the answer"));
    let output = output_within(&mut command, Duration::from_secs(120));
    let _ = std::fs::remove_file(&answers);
    let out = String::from_utf8(output.stdout).expect("UTF-8");
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert_judged_alone(&out);
    assert!(out.contains("(this run did not decide the question: not scored)"));
    assert_eq!(score(&out), None, "nothing scored:\n{out}");
    out
}

#[test]
fn on_one_cpu_the_questions_the_setting_decides_are_not_scored_and_say_why() {
    let out = part_on_one_cpu(PIPES, "2", &PIPES_ARGS);
    assert!(
        out.contains("] one CPU allowed: writer and reader take turns, never copying at once"),
        "{out}"
    );
    let out = part_on_one_cpu(PIPES, "3", &PIPES_ARGS);
    assert!(
        out.contains("] one CPU allowed: this run cannot compare one CPU with two"),
        "{out}"
    );
    let out = part_on_one_cpu(SHARED_MEMORY, "3", &SHARED_MEMORY_ARGS);
    assert!(
        out.contains("  one CPU allowed: the spinner spins in vain until it yields,"),
        "{out}"
    );
    assert!(out.contains("so this run cannot show which wins when each side has a CPU"));
}
