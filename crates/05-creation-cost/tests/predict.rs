//! `--predict` driven through stdin: every question of this lesson is
//! judged against this run's figures, e.g. part 2 against the ratio the
//! table prints for `fork + _exit + waitpid` over `thread::spawn + join`.

use support::classroom::drive::{assert_part_alone, assert_predict_run, run_with_answers};

const BIN: &str = env!("CARGO_BIN_EXE_creation-cost");

/// The `× std` column of the `fork + _exit + waitpid` row.
fn fork_over_thread(out: &str) -> Option<f64> {
    let line = out
        .lines()
        .find(|l| l.contains("] fork + _exit + waitpid "))?;
    let ratio = line.split_whitespace().find_map(|w| w.strip_suffix('×'))?;
    ratio.replace('_', "").parse().ok()
}

#[test]
fn predict_is_scored_and_part_2_follows_the_table() {
    let args = [
        "--predict",
        "--repeats",
        "3",
        "--workers",
        "10",
        "--jobs",
        "50",
    ];
    let (code, out) = run_with_answers(BIN, &args, "2\n1\n2\n2\n2\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    let ratio = fork_over_thread(&out).expect("the fork row's ratio");
    if ratio != 1.0 {
        // Guess 1, "the thread is cheaper": right when fork cost more.
        assert_eq!(judged[1], ratio > 1.0, "ratio {ratio}:\n{out}");
    }
}

/// `--part N`, for every part: exit 0, part N's heading and no other, the
/// line that says the verdict is left out, every line within 100 columns;
/// with `--predict`, that part's question alone is asked. Parts 1, 2 and 5
/// measure only the creation rows they print or compare with.
#[test]
fn part_n_runs_that_part_alone() {
    let quick = ["--repeats", "1", "--workers", "4", "--jobs", "20"];
    for part in creation_cost::LESSON.parts() {
        let n = part.number.to_string();
        for predict in [false, true] {
            let extra: &[&str] = if predict { &["--predict"] } else { &[] };
            let args = [&["--part", &n][..], &quick, extra].concat();
            let (code, out) = run_with_answers(BIN, &args, "1\n");
            assert_eq!(code, 0, "{args:?}:\n{out}");
            assert_part_alone(&creation_cost::LESSON, &out, part.number);
            assert_predict_run(&out, usize::from(predict)); // a score of at most 1
            let rows = [
                "] std thread::spawn",
                "] libc pthread_create",
                "] fork + exec /bin",
            ];
            let shown = rows.map(|row| out.contains(row));
            let expected = match part.number {
                1 => [true, true, false],
                2 => [true, false, true],
                _ => [false; 3],
            };
            assert_eq!(shown, expected, "rows of part {n}:\n{out}");
        }
    }
}
