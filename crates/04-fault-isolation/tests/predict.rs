//! `--predict` driven through stdin: parts 1 to 4 have one right answer;
//! part 5's follows what the supervisor did in this run.

use support::classroom::drive::{assert_predict_run, run_with_answers};

const DEMO: &str = env!("CARGO_BIN_EXE_fault-isolation");

#[test]
fn predict_scores_the_fixed_answers_and_follows_the_supervisor() {
    let (code, out) = run_with_answers(DEMO, &["--predict"], "2\n2\n2\n2\n1\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    assert!(judged[..4].iter().all(|&right| right), "{out}");
    let finished = out.contains("result = the fault-free one");
    assert_eq!(judged[4], finished, "part 5 follows the run:\n{out}");
}

#[test]
fn a_supervisor_that_gives_up_makes_answer_2_right() {
    let args = [
        "--predict",
        "--crash-probability",
        "1",
        "--max-restarts",
        "0",
        "--units",
        "4",
    ];
    let (code, out) = run_with_answers(DEMO, &args, "1\n1\n1\n1\n2\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    assert_eq!(judged, [false, false, false, false, true], "{out}");
    assert!(
        out.contains("you said 2: this run agreed (it gave up)"),
        "{out}"
    );
    assert!(out.contains("1 of 5 predictions matched this run"), "{out}");
}
