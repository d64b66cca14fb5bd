//! `--predict` driven through stdin: every question is judged against this
//! run; on one CPU, part 2's answer is "it cannot show here".

use support::classroom::drive::{assert_predict_run, run_with_answers};

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

#[test]
fn predict_is_scored_and_part_2_follows_the_cpus() {
    let (code, out) = run_with_answers(DEMO, QUICK, "2\n3\n2\n2\n2\n");
    assert_eq!(code, 0, "{out}");
    let judged = assert_predict_run(&out, 5);
    let one_cpu = std::thread::available_parallelism().map_or(1, |n| n.get()) == 1;
    assert_eq!(judged[1], one_cpu, "part 2, guess 3 (one CPU):\n{out}");
    // One run of each way cannot tell part 5, unless one CPU decides it.
    let unscored = out.contains("did not decide the question: not scored");
    assert_eq!(unscored, !one_cpu, "{out}");
}
