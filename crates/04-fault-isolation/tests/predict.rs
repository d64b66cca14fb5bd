//! `--predict` driven through stdin: parts 1 to 4 have one right answer;
//! part 5's follows what the supervisor did in this run. And `--part N`,
//! which runs part N alone.

use support::classroom::drive::{assert_part_alone, assert_predict_run, run_with_answers};

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

/// `--part N`, for every part: exit 0, part N's heading and no other, the
/// line that says the verdict is left out, every line within 100 columns.
#[test]
fn part_n_runs_that_part_alone() {
    for part in fault_isolation::LESSON.parts() {
        let n = part.number.to_string();
        let (code, out) = run_with_answers(DEMO, &["--part", &n], "");
        assert_eq!(code, 0, "--part {n}:\n{out}");
        assert_part_alone(&fault_isolation::LESSON, &out, part.number);
        assert_predict_run(&out, 0); // no question asked; every line fits
    }
}

/// `--part N --predict`: that part's question alone is asked and judged,
/// and a fixed answer is scored as right.
#[test]
fn part_n_with_predict_judges_that_question_alone() {
    for part in fault_isolation::LESSON.parts() {
        let question = part.question.expect("every part of lesson 04 asks");
        let fixed = question.answers.iter().find(|a| a.when.is_none());
        let answer = format!("{}\n", fixed.map_or(1, |a| a.choice));
        let n = part.number.to_string();
        let (code, out) = run_with_answers(DEMO, &["--part", &n, "--predict"], &answer);
        assert_eq!(code, 0, "--part {n} --predict:\n{out}");
        let judged = assert_predict_run(&out, 1);
        if fixed.is_some() {
            assert_eq!(judged, [true], "--part {n}:\n{out}");
        }
    }
}
