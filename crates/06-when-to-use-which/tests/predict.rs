//! `--predict` driven through stdin: every question is judged against this
//! run, except where one CPU decides it; and `--part N` alone.

use support::classroom::drive::{assert_part_alone, assert_predict_run, run_with_answers};

const DEMO: &str = env!("CARGO_BIN_EXE_when-to-use-which");
const QUICK: &[&str] = &[
    "--predict",
    "--tasks",
    "3",
    "--wait-ms",
    "5",
    "--workers",
    "2",
    "--size",
    "50000",
    "--repeats",
    "1",
];

/// The CPUs this test may run on, as the lesson counts them (`taskset -c 0`: 1).
fn one_cpu() -> bool {
    support::placement::allowed_cpus().is_ok_and(|cpus| cpus.len() == 1)
}

#[test]
fn predict_is_scored_and_one_cpu_leaves_parts_2_and_5_unscored() {
    let (code, out) = run_with_answers(DEMO, QUICK, "2\n1\n2\n2\n2\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    let why = "(one CPU: no two threads could run at once, so this is not scored)";
    let unscored = out
        .matches("did not decide the question: not scored")
        .count();
    if one_cpu() {
        // The machine decides parts 2 and 5: neither is scored, and a line says why.
        assert_eq!((judged.len(), unscored), (3, 2), "{out}");
        assert_eq!(out.matches(why).count(), 2, "{out}");
    } else {
        // One run of each way cannot tell part 5; part 2 is scored.
        assert_eq!((judged.len(), unscored), (4, 1), "{out}");
        assert!(!out.contains(why), "{out}");
    }
}

/// `--part N`, for every part: exit 0, part N's heading and no other, the
/// line that says the verdict is left out, the children it forked all
/// reaped, every line within 100 columns; with `--predict`, that part's
/// question alone is asked.
#[test]
fn part_n_runs_that_part_alone() {
    for part in when_to_use_which::LESSON.parts() {
        let n = part.number.to_string();
        for predict in [false, true] {
            let args = [&["--part", &n][..], &QUICK[usize::from(!predict)..]].concat();
            let (code, out) = run_with_answers(DEMO, &args, "1\n");
            assert_eq!(code, 0, "{args:?}:\n{out}");
            assert_part_alone(&when_to_use_which::LESSON, &out, part.number);
            assert!(out.contains("; children left: none\n"), "{args:?}:\n{out}");
            assert_predict_run(&out, usize::from(predict)); // a score of at most 1
        }
    }
}
