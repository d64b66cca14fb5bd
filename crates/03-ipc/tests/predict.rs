//! `--predict` driven through stdin: every part asks, the fixed answers are
//! judged right, a run-dependent one follows what the run did (and is not
//! scored where only one CPU was allowed, as the setting decides it there), the score counts the reveals, and
//! every line fits in 100 columns. Each reveal is found by its part, not by
//! its position, since a question left unscored has none.

use support::classroom::drive::{assert_predict_run, reveals, run_with_answers};

const PIPES: &str = env!("CARGO_BIN_EXE_pipes");
const SHARED_MEMORY: &str = env!("CARGO_BIN_EXE_shared-memory");

fn one_cpu() -> bool {
    support::placement::allowed_cpus().map_or(1, |cpus| cpus.len()) == 1
}

/// The lines of part `n`, from its heading to the next one: its reveal
/// comes at its end, before the next part's heading.
fn part(out: &str, n: u32) -> String {
    let heading = format!("== {n}. ");
    let mut lines = out.lines().skip_while(|line| !line.starts_with(&heading));
    let first = lines
        .next()
        .unwrap_or_else(|| panic!("no part {n} in:\n{out}"));
    let rest = lines.take_while(|line| !line.starts_with("== "));
    std::iter::once(first)
        .chain(rest)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Part `n`'s reveal: `Some(agreed)`, or `None` where it was not scored.
fn judged(out: &str, n: u32) -> Option<bool> {
    let lines = part(out, n);
    let unscored = lines.contains("(this run did not decide the question: not scored)");
    match (reveals(&lines).as_slice(), unscored) {
        ([agreed], false) => Some(*agreed),
        ([], true) => None,
        _ => panic!("part {n} has not exactly one reveal:\n{lines}"),
    }
}

#[test]
fn pipes_predict_is_scored_and_part_3_follows_the_cpus() {
    let args = ["--predict", "--mib", "1", "--round-trips", "200"];
    let (code, out) = run_with_answers(PIPES, &args, "2\n2\n2\n1\n2\n");
    assert_eq!(code, 0, "{out}");
    assert_predict_run(&out, 5);
    for n in [1, 4, 5] {
        assert_eq!(
            judged(&out, n),
            Some(true),
            "part {n}'s fixed answer:\n{out}"
        );
    }
    // Part 2: judged by the run, except where one CPU was allowed.
    assert_eq!(judged(&out, 2).is_none(), one_cpu(), "{out}");
    // Part 3: the run decides, except where one CPU was allowed.
    let part3 = part(&out, 3);
    match judged(&out, 3) {
        None => {
            assert!(one_cpu(), "{part3}");
            assert!(part3.contains("one CPU allowed: this run cannot compare one CPU with two"));
        }
        Some(agreed) => {
            assert!(!one_cpu(), "{part3}");
            let two_won = part3.contains("this run agreed (two CPUs were quicker)");
            let one_won = part3.contains("this run showed 1 (one CPU was quicker)");
            assert!(two_won != one_won && agreed == two_won, "{part3}");
        }
    }
}

#[test]
fn shared_memory_predict_is_scored_and_judged() {
    let args = ["--predict", "--mib", "1"];
    let (code, out) = run_with_answers(SHARED_MEMORY, &args, "2\n1\n2\n1\n2\n");
    assert_eq!(code, 0, "{out}");
    assert_predict_run(&out, 5);
    for n in [1, 2, 4, 5] {
        assert_eq!(
            judged(&out, n),
            Some(true),
            "part {n}'s fixed answer:\n{out}"
        );
    }
    let part3 = part(&out, 3);
    match judged(&out, 3) {
        None => {
            assert!(one_cpu(), "{part3}");
            assert!(part3.contains("so this run cannot show which wins when each side has a CPU"));
        }
        Some(agreed) => {
            let futex_won = part3.contains("you said 2: this run agreed (the futex was quicker)");
            let spin_won = part3.contains("you said 2; this run showed 1 (spinning was quicker)");
            assert!(futex_won != spin_won && agreed == futex_won, "{part3}");
        }
    }
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
