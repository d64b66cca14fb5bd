use std::time::Duration;

use super::*;

fn ran(model: Model, asked: usize, tasks: usize) -> ModelRun {
    let figures = ModelFigures {
        tasks,
        stopped_by: None,
        finished: tasks,
        right_totals: tasks as u64,
        totals: tasks as u64,
        create: Duration::from_millis(1),
        finish: Duration::from_millis(1),
        cpu: Duration::from_millis(1),
        switches: (1, 0),
        user_per_task: Some(1),
        kernel_per_task: Some([0, 0, 0]),
        slab_from: None,
        others_moved: false,
        threads: 1,
        nofile_raised: None,
    };
    ModelRun {
        model,
        asked,
        others_busy: None,
        outcome: Ok(figures),
    }
}

#[test]
fn one_line_only_when_every_n_ran_all_its_tasks() {
    let every: Vec<ModelRun> = [10, 100, 500].map(|n| ran(Model::Threads, n, n)).into();
    assert_eq!(
        answer_lines(&every),
        ["at every N: all the tasks ended, each with the right total"]
    );
    // Stopped by RLIMIT_NPROC at 297 of 500: a line for each N.
    let stopped: Vec<ModelRun> = [(10, 10), (100, 100), (500, 297)]
        .map(|(asked, tasks)| ran(Model::Threads, asked, tasks))
        .into();
    let lines = answer_lines(&stopped);
    assert_eq!(lines.len(), 3, "{lines:#?}");
    assert!(lines[0].starts_with("10 tasks "), "{lines:#?}");
    assert!(lines[0].ends_with("10 right totals, 10 of 10 tasks ended"));
    assert!(lines[2].starts_with("500 tasks "), "{lines:#?}");
    assert!(lines[2].ends_with("297 right totals, 297 of 297 tasks ended"));
}

#[test]
fn the_raised_descriptor_limit_is_the_largest_ns() {
    let mut runs: Vec<ModelRun> = [10, 100_000].map(|n| ran(Model::Epoll, n, n)).into();
    for (run, raised) in runs.iter_mut().zip([(1_024, 1_088), (1_024, 100_064)]) {
        run.outcome.as_mut().unwrap().nofile_raised = Some(raised);
    }
    let lines = answer_lines(&runs);
    let line = "(soft RLIMIT_NOFILE raised from 1_024 to 100_064 for 100_000 tasks)";
    assert_eq!(lines.last().map(String::as_str), Some(line));
    assert!(lines.iter().all(|l| l.chars().count() <= 70), "{lines:#?}");
}
