//! The classroom options: `--part N` runs that row alone (its heading and
//! no other: a session panics if another part starts, so exit code 0 shows
//! none did), `--predict` judges each question by this run's figures, and
//! every line fits in 100 columns with a 7-digit pid.

use key_differences::LESSON;
use support::classroom::drive::{assert_predict_run, run_with_answers};

const BIN: &str = env!("CARGO_BIN_EXE_key-differences");

/// `--part N --predict` for every part, answer 1: exit 0, part N's heading
/// alone, the verdict left out, a score of at most 1, no file named.
pub fn each_part_runs_alone_and_is_judged() {
    let out_dir = crate::scratch("parts");
    for part in LESSON.parts() {
        let n = part.number.to_string();
        let args = [
            "--part",
            &n,
            "--predict",
            "--out",
            out_dir.to_str().unwrap(),
        ];
        let (code, out) = run_with_answers(BIN, &args, "1\n");
        assert_eq!(code, 0, "{args:?}:\n{out}");
        let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
        assert_eq!(headings, [format!("== {n}. {} ==", part.heading)], "{out}");
        let left_out =
            format!("(verdict left out: it draws on every part, and --part {n} ran one)");
        assert!(out.contains(&left_out), "{out}");
        let questions = usize::from(part.question.is_some());
        assert_predict_run(&out, questions); // judged or not scored; widths
        assert!(
            !out.contains("table as Markdown"),
            "no file under --part:\n{out}"
        );
    }
    let written: Vec<_> = std::fs::read_dir(&out_dir).unwrap().collect();
    assert!(written.is_empty(), "{written:?}");
}

/// A whole run under `--predict`: five questions, each judged by the run
/// (part 4's answer 2, "none came back", exactly when the row's claim is
/// that the crash ended them all), and the score; then the whole table.
pub fn the_whole_run_is_judged_part_by_part() {
    // A short directory: the lines that name the files written fit too.
    let dir = std::env::temp_dir().join(format!("kd-{}", std::process::id()));
    let args = ["--predict", "--out", dir.to_str().unwrap()];
    let (code, out) = run_with_answers(BIN, &args, "2\n1\n1\n2\n1\n");
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    let crash_ended_all = out.contains("| a crash ended them all ");
    if judged.len() == 5 {
        assert_eq!(judged[3], crash_ended_all, "{out}");
    }
    let verdict = out.find("== Verdict: the table").expect("the verdict");
    assert!(
        out[verdict..].contains("| Best for "),
        "the whole table after the verdict"
    );
}

/// `--list-parts` names the five rows; `--json` with `--part` is refused.
pub fn the_parts_are_listed_and_json_needs_a_whole_run() {
    let listed = crate::run_binary(&["--list-parts"], &[]);
    let text = String::from_utf8_lossy(&listed.stdout);
    assert!(listed.status.success(), "{listed:?}");
    for feature in crate::FEATURES {
        assert!(text.contains(&format!("  {feature}")), "{feature}:\n{text}");
    }
    let json = crate::scratch("part-json").join("run.json");
    let refused = crate::run_binary(&["--part", "1", "--json", json.to_str().unwrap()], &[]);
    assert_eq!(refused.status.code(), Some(2), "{refused:?}");
    assert!(!json.exists());
}
