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
        others_moved: false,
        threads: 1,
        nofile_raised: None,
    }
}

fn report(tasks: usize, threads: ModelFigures, epoll: ModelFigures, busy: f64) -> Report {
    let runs = Model::ALL.map(|model| ModelRun {
        model,
        asked: tasks,
        others_busy: None,
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

/// One report of several steps: (N, threads' finish ms, epoll's finish ms,
/// threads' memory per task); epoll's memory is 200 B a task.
fn ladder(steps: &[(usize, u64, u64, i64)]) -> Report {
    let mut whole = report(1, figures(1, 1, 1, 1), figures(1, 1, 1, 1), 0.1);
    let step = |&(n, t, e, memory): &(usize, u64, u64, i64)| {
        report(n, figures(n, 10, t, memory), figures(n, 1, e, 200), 0.1).steps[0].clone()
    };
    whole.steps = steps.iter().map(step).collect();
    whole
}

fn says(lines: &[String], text: &str) -> bool {
    lines.iter().any(|line| line.contains(text))
}

#[test]
fn agree_only_when_threads_were_fine_when_few_and_costly_when_many() {
    // Behind (1.5×) at 10 and 100, level at 10_000, as light: NOT shown.
    let level_at_the_top = ladder(&[
        (10, 150, 100, 200),
        (100, 150, 100, 200),
        (10_000, 100, 100, 200),
    ]);
    let lines = verdict_lines(&level_at_the_top);
    assert!(
        says(&lines, "NOT shown by this run (up to 10_000 tasks)"),
        "{lines:#?}"
    );
    // Level at 10 and 100, behind at 10_000: agree.
    let classic = ladder(&[
        (10, 100, 100, 200),
        (100, 100, 100, 200),
        (10_000, 300, 100, 200),
    ]);
    let lines = verdict_lines(&classic);
    assert!(
        says(&lines, "from 10 to 10_000 tasks, this run agrees"),
        "{lines:#?}"
    );
    // Level in time at every N but 10× the memory at 10_000: agree.
    let heavy = ladder(&[(10, 100, 100, 200), (10_000, 100, 100, 2_000)]);
    assert!(says(&verdict_lines(&heavy), "this run agrees"));
    // Largest N below thousands (--tasks 500): never "agree".
    let small = ladder(&[(10, 100, 100, 200), (500, 300, 100, 200)]);
    assert!(says(
        &verdict_lines(&small),
        "NOT shown by this run (up to 500 tasks)"
    ));
}

#[test]
fn with_no_n_where_both_ran_there_is_no_kept_up_line() {
    let mut failed = ladder(&[(10, 100, 100, 200), (100, 100, 100, 200)]);
    for step in &mut failed.steps {
        step.runs[0].outcome = Err("killed".into()); // the threads model
    }
    let lines = verdict_lines(&failed);
    assert!(!says(&lines, "kept up"), "{lines:#?}");
    assert!(
        says(&lines, "No N where both threads and epoll ran"),
        "{lines:#?}"
    );
}

#[test]
fn every_line_fits_and_follows_the_figures_either_way() {
    let n = 100_000;
    let shown = ladder(&[(10, 100, 100, 200), (n, 9_900, 9_000, 40_000)]);
    let lines = verdict_lines(&shown);
    assert!(
        lines.iter().any(|l| l.contains("this run agrees")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|l| l.contains("At 100_000 tasks")),
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
