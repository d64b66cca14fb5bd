use std::time::Duration;

use super::*;

/// A run of `model` asked for `asked` tasks that ran `tasks`, finished in
/// `finish_ms` and cost `memory` bytes a task (user memory, no kernel).
fn ran(model: Model, (asked, tasks): (usize, usize), finish_ms: u64, memory: i64) -> ModelRun {
    let figures = ModelFigures {
        tasks,
        stopped_by: None,
        finished: tasks,
        right_totals: tasks as u64,
        totals: tasks as u64,
        create: Duration::from_millis(1),
        finish: Duration::from_millis(finish_ms),
        cpu: Duration::from_millis(1),
        switches: (1, 0),
        user_per_task: Some(memory),
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

/// `model` at 10 and 1_000 tasks, with `memory` bytes a task at 1_000.
fn ladder(model: Model, memory: i64) -> Vec<ModelRun> {
    vec![
        ran(model, (10, 10), 300, 1),
        ran(model, (1_000, 1_000), 300, memory),
    ]
}

#[test]
fn thread_memory_picks_its_range_and_skips_a_stopped_or_starred_run() {
    let kib = |k: i64| ladder(Model::Threads, k * 1024);
    assert_eq!(thread_memory(&kib(10)), Some(1));
    assert_eq!(thread_memory(&kib(31)), Some(2));
    assert_eq!(thread_memory(&kib(100)), Some(3));
    let stopped = [ran(Model::Threads, (1_000, 700), 300, 31 * 1024)];
    assert_eq!(thread_memory(&stopped), None, "a limit stopped it");
    let mut starred = kib(31);
    starred[1].outcome.as_mut().unwrap().others_moved = true;
    assert_eq!(thread_memory(&starred), None, "others' kernel figures");
}

#[test]
fn thread_or_process_follows_the_largest_n() {
    let threads = ladder(Model::Threads, 31_000);
    assert_eq!(
        thread_or_process(&threads, &ladder(Model::Processes, 146_000)),
        Some(2)
    );
    assert_eq!(
        thread_or_process(&threads, &ladder(Model::Processes, 20_000)),
        Some(1)
    );
    let failed = vec![ModelRun {
        outcome: Err("killed".into()),
        ..ran(Model::Processes, (1_000, 1_000), 1, 1)
    }];
    assert_eq!(thread_or_process(&threads, &failed), None);
}

#[test]
fn kept_up_at_100_needs_100_on_the_ladder() {
    let at_100 = |model, ms| vec![ran(model, (100, 100), ms, 1)];
    let epoll = at_100(Model::Epoll, 300);
    assert_eq!(
        kept_up_at_100(&at_100(Model::Threads, 320), &epoll),
        Some(1)
    );
    assert_eq!(
        kept_up_at_100(&at_100(Model::Threads, 400), &epoll),
        Some(2)
    );
    let no_100 = ladder(Model::Threads, 1);
    assert_eq!(kept_up_at_100(&no_100, &ladder(Model::Epoll, 1)), None);
}

#[test]
fn tokio_against_epoll_within_slower_or_faster() {
    let top = |model, ms| vec![ran(model, (1_000, 1_000), ms, 1)];
    let epoll = top(Model::Epoll, 300);
    assert_eq!(
        tokio_against_epoll(&top(Model::TokioOneThread, 320), &epoll),
        Some(1)
    );
    assert_eq!(
        tokio_against_epoll(&top(Model::TokioOneThread, 400), &epoll),
        Some(2)
    );
    assert_eq!(
        tokio_against_epoll(&top(Model::TokioOneThread, 200), &epoll),
        Some(3)
    );
}

#[test]
fn least_memory_names_one_of_the_four_or_none() {
    let step = |memory: [i64; 5]| {
        let runs = Model::ALL
            .into_iter()
            .zip(memory)
            .map(|(model, bytes)| ran(model, (1_000, 1_000), 300, bytes));
        vec![Step {
            tasks: 1_000,
            runs: runs.collect(),
        }]
    };
    assert_eq!(
        least_memory(&step([31_000, 146_000, 232, 1_300, 1_330])),
        Some(3)
    );
    assert_eq!(
        least_memory(&step([31_000, 146_000, 2_000, 1_300, 1])),
        Some(4)
    );
    let mut missing = step([31_000, 146_000, 232, 1_300, 1_330]);
    missing[0].runs.remove(2);
    assert_eq!(least_memory(&missing), None, "the loop did not run");
}
