//! `--predict` and `--part`, driven through stdin: every question is judged
//! against this run's figures (part 3 against the two memory tables it
//! prints), and each part runs alone. Ten and 100 tasks with 1 ms waits,
//! so that it is quick.

use support::classroom::drive::{assert_predict_run, run_with_answers, score};

const BIN: &str = env!("CARGO_BIN_EXE_many-waits");
const SMALL: [&str; 4] = ["--sweep", "100", "--wait-ms", "1"];

/// The text of part `n`, from its heading to the next one.
fn part(out: &str, n: u32) -> &str {
    let start = out.find(&format!("== {n}. ")).expect("the part's heading");
    let rest = &out[start + 3..];
    &rest[..rest.find("\n== ").unwrap_or(rest.len())]
}

/// The "all" column of the last row of a part's memory table, in bytes;
/// None when that row is starred (its kernel figures not the model's own).
fn memory_at_the_top(part: &str) -> Option<f64> {
    let table = part.split("memory per task ").nth(1)?;
    let is_row = |l: &&str| {
        l.split("] ")
            .nth(1)
            .is_some_and(|t| t.starts_with(char::is_numeric))
    };
    let rows = table.lines().skip(1).take_while(|l| l.contains("] "));
    let row = rows.filter(is_row).last()?;
    let words: Vec<&str> = row.split_whitespace().collect();
    let [.., number, unit] = words[..] else {
        return None;
    };
    let scale = match unit {
        "B" => 1.0,
        "KiB" => 1024.0,
        "MiB" => 1024.0 * 1024.0,
        _ => return None, // "*": a starred row
    };
    Some(number.parse::<f64>().ok()? * scale)
}

#[test]
fn predict_is_scored_and_part_3_follows_the_memory_tables() {
    let args = [&["--predict"], &SMALL[..]].concat();
    let (code, out) = run_with_answers(BIN, &args, "2\n2\n2\n1\n1\n3\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 6);
    // Part 1's answer does not depend on the run: 2 is right.
    assert!(part(&out, 1).contains("] you said 2: right."), "{out}");
    assert_eq!(judged.first(), Some(&true), "{out}");
    let thread = memory_at_the_top(part(&out, 2));
    let process = memory_at_the_top(part(&out, 3));
    if let Some((thread, process)) = thread.zip(process).filter(|(t, p)| t != p) {
        // Guess 2, "a process per task": right when it cost more.
        let said = match process > thread {
            true => "] you said 2: this run agreed",
            false => "] you said 2; this run showed 1",
        };
        assert!(part(&out, 3).contains(said), "{thread} {process}:\n{out}");
    }
}

#[test]
fn each_part_runs_alone_and_judges_its_question() {
    let parts = many_waits::LESSON.parts();
    for part in &parts {
        let n = part.number.to_string();
        let args = [&["--part", n.as_str(), "--predict"], &SMALL[..]].concat();
        let (code, out) = run_with_answers(BIN, &args, "1\n");
        assert_eq!(code, 0, "--part {n}:\n{out}");
        let headings: Vec<&str> = out.lines().filter(|l| l.starts_with("== ")).collect();
        assert_eq!(
            headings,
            [format!("== {n}. {} ==", part.heading)],
            "--part {n}:\n{out}"
        );
        let left_out =
            format!("(verdict left out: it draws on every part, and --part {n} ran one)");
        assert!(out.contains(&left_out), "--part {n}:\n{out}");
        assert!(!out.contains("== Verdict =="), "--part {n}:\n{out}");
        // One question, judged (or not scored, where the run could not tell).
        assert_predict_run(&out, 1);
        assert!(score(&out).is_none_or(|(_, asked)| asked == 1), "{out}");
    }
}

#[test]
fn a_part_that_does_not_exist_exits_2_and_lists_the_parts() {
    let (code, out) = run_with_answers(BIN, &["--part", "7"], "");
    assert_eq!(code, 2, "{out}");
    let (code, out) = run_with_answers(BIN, &["--list-parts"], "");
    assert_eq!(code, 0, "{out}");
    for part in many_waits::LESSON.parts() {
        assert!(out.contains(&part.heading), "{} in:\n{out}", part.heading);
    }
}
