//! `--predict` driven through stdin: every part asks, the fixed answers are
//! judged right, the run-dependent one follows the CPUs this run may use,
//! the score counts the reveals, and every line fits in 100 columns.

use support::classroom::drive::{assert_predict_run, run_with_answers};

const PIPES: &str = env!("CARGO_BIN_EXE_pipes");
const SHARED_MEMORY: &str = env!("CARGO_BIN_EXE_shared-memory");

fn one_cpu() -> bool {
    std::thread::available_parallelism().map_or(1, |n| n.get()) == 1
}

#[test]
fn pipes_predict_is_scored_and_part_3_follows_the_cpus() {
    let args = ["--predict", "--mib", "1", "--round-trips", "200"];
    let (code, out) = run_with_answers(PIPES, &args, "2\n2\n3\n1\n2\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    for (part, index) in [(1, 0), (4, 3), (5, 4)] {
        assert!(
            judged[index],
            "part {part}'s fixed answer was judged wrong:\n{out}"
        );
    }
    // Part 3: the guess "one CPU only" is right exactly when it is so.
    assert_eq!(judged[2], one_cpu(), "{out}");
    if one_cpu() {
        assert!(
            out.contains("this run agreed (one CPU was allowed)"),
            "{out}"
        );
    }
}

#[test]
fn shared_memory_predict_is_scored_and_judged() {
    let args = ["--predict", "--mib", "1"];
    let (code, out) = run_with_answers(SHARED_MEMORY, &args, "2\n1\n2\n1\n2\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    for (part, index) in [(1, 0), (2, 1), (4, 3), (5, 4)] {
        assert!(
            judged[index],
            "part {part}'s fixed answer was judged wrong:\n{out}"
        );
    }
    let agreed = out.contains("you said 2: this run agreed (the futex was quicker)");
    let showed = out.contains("you said 2; this run showed 1 (spinning was quicker)");
    assert!(agreed != showed, "part 3 is judged by the run:\n{out}");
}

#[test]
fn answers_that_end_early_leave_the_demo_running_to_the_end() {
    let (code, out) = run_with_answers(PIPES, &["--predict", "--mib", "1"], "x\n2\n");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("\"x\" is not an answer: type a number from 1 to 2"),
        "{out}"
    );
    assert!(out.contains("(stdin ended: no more questions, the demo carries on)"));
    assert!(out.contains("1 of 1 predictions matched this run") && out.contains("Verdict"));
}
