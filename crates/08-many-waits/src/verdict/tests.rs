use std::time::Duration;

use super::*;
use crate::limits::Limits;
use crate::report::ModelRun;

fn figures(tasks: usize, create_ms: u64, finish_ms: u64, memory: i64) -> ModelFigures {
    ModelFigures {
        tasks,
        stopped_by: None,
        finished: tasks,
        right_totals: tasks as u64,
        totals: tasks as u64,
        create: Duration::from_millis(create_ms),
        finish: Duration::from_millis(finish_ms),
        cpu: Duration::from_millis(1),
        switches: (1, 0),
        user_per_task: Some(memory),
        kernel_per_task: Some([0, 0, 0]),
        slab_from: None,
        threads: 1,
        nofile_raised: None,
    }
}

fn report(tasks: usize, threads: ModelFigures, epoll: ModelFigures, busy: f64) -> Report {
    let runs = Model::ALL.map(|model| ModelRun {
        model,
        asked: tasks,
        outcome: Ok(if model == Model::Threads {
            threads.clone()
        } else {
            epoll.clone()
        }),
    });
    Report {
        wait: Duration::from_millis(100),
        limits: Limits::read(),
        steps: vec![Step {
            tasks,
            runs: runs.to_vec(),
        }],
        chart: None,
        cores: 2,
        busy_before: Some(busy),
    }
}

#[test]
fn every_line_fits_and_follows_the_figures_either_way() {
    let n = 100_000;
    let shown = report(
        n,
        figures(n, 9_000, 9_900, 40_000),
        figures(n, 30, 9_000, 200),
        0.1,
    );
    let lines = verdict_lines(&shown);
    assert!(
        lines.iter().any(|l| l.contains("figures agree")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("at 100_000 tasks")),
        "{lines:#?}"
    );
    // The other way: threads as light and as quick as the loop, a busy machine.
    let not_shown = report(
        n,
        figures(n, 30, 9_000, 200),
        figures(n, 300, 90_000, 40_000),
        1.9,
    );
    let other = verdict_lines(&not_shown);
    assert!(other.iter().any(|l| l.contains("NOT shown")), "{other:#?}");
    assert!(
        other.iter().any(|l| l.starts_with("Busy machine")),
        "{other:#?}"
    );
    for line in lines.iter().chain(&other) {
        assert!(
            line.chars().count() <= 70,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}
