use std::time::Duration;

use super::*;

fn ran(model: Model, tasks: usize) -> ModelRun {
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
        asked: 500,
        others_busy: None,
        outcome: Ok(figures),
    }
}

#[test]
fn every_model_is_one_line_only_when_every_model_ran_the_same_n() {
    let same: Vec<ModelRun> = Model::ALL.map(|model| ran(model, 500)).into();
    assert_eq!(
        answer_lines(&same),
        ["every model: all 500 tasks ended, each with the right total"]
    );
    // Threads and processes stopped by RLIMIT_NPROC at 297, the rest ran 500.
    let stopped = |model| [Model::Threads, Model::Processes].contains(&model);
    let differ: Vec<ModelRun> = Model::ALL
        .map(|model| ran(model, if stopped(model) { 297 } else { 500 }))
        .into();
    let lines = answer_lines(&differ);
    assert_eq!(lines.len(), Model::ALL.len(), "{lines:#?}");
    assert!(lines[0].ends_with("297 right totals, 297 of 297 tasks ended"));
    assert!(lines[2].ends_with("500 right totals, 500 of 500 tasks ended"));
}
