//! What each part's run showed, as the number of the choice in
//! `questions.md` that matches it; `None` where the run cannot tell (a
//! model stopped by a limit, or failed, or its kernel figures are not its
//! own), and the question is not scored.

use crate::report::{Model, ModelFigures, ModelRun, Step};
use crate::verdict::{KEPT_UP, kept_up};

/// The figures at the largest N, when the model ran every task there.
fn at_the_top(runs: &[ModelRun]) -> Option<&ModelFigures> {
    let run = runs.last()?;
    run.outcome.as_ref().ok().filter(|f| f.tasks == run.asked)
}

/// Memory per task at the largest N, when every figure is the model's own.
fn memory_at_the_top(runs: &[ModelRun]) -> Option<i64> {
    at_the_top(runs)
        .filter(|f| !f.others_moved)?
        .memory_per_task()
}

/// Part 2: under 16 KiB a thread (1), 16 to 64 KiB (2), over 64 KiB (3).
pub fn thread_memory(threads: &[ModelRun]) -> Option<usize> {
    let kib = memory_at_the_top(threads)? as f64 / 1024.0;
    Some(match kib {
        kib if kib < 16.0 => 1,
        kib if kib <= 64.0 => 2,
        _ => 3,
    })
}

/// Part 3: a thread per task cost more (1), or a process per task (2).
pub fn thread_or_process(threads: &[ModelRun], processes: &[ModelRun]) -> Option<usize> {
    let (thread, process) = (memory_at_the_top(threads)?, memory_at_the_top(processes)?);
    (thread != process).then_some(if process > thread { 2 } else { 1 })
}

/// Part 4: at 100 tasks, threads kept up with the loop (1) or not (2).
pub fn kept_up_at_100(threads: &[ModelRun], epoll: &[ModelRun]) -> Option<usize> {
    let (threads, epoll) = (at_100(threads)?, at_100(epoll)?);
    Some(if kept_up(threads, epoll) { 1 } else { 2 })
}

/// The figures at 100 tasks, when 100 is on the ladder and all ran.
fn at_100(runs: &[ModelRun]) -> Option<&ModelFigures> {
    let run = runs.iter().find(|run| run.asked == 100)?;
    run.outcome.as_ref().ok().filter(|f| f.tasks == 100)
}

/// Part 5: tokio on one thread within 1.1× of the loop's wall time (1),
/// slower (2), or faster (3), at the largest N.
pub fn tokio_against_epoll(tokio: &[ModelRun], epoll: &[ModelRun]) -> Option<usize> {
    let (tokio, epoll) = (at_the_top(tokio)?, at_the_top(epoll)?);
    let (t, e) = (tokio.finish.as_secs_f64(), epoll.finish.as_secs_f64());
    Some(match (t <= KEPT_UP * e, e <= KEPT_UP * t) {
        (true, true) => 1,
        (false, _) => 2,
        (true, false) => 3,
    })
}

/// Part 6: which of the four models the question names cost the least
/// memory per task at the largest N (their choice numbers, 1 to 4).
pub fn least_memory(steps: &[Step]) -> Option<usize> {
    let step = steps.last()?;
    let named = [
        Model::Threads,
        Model::Processes,
        Model::Epoll,
        Model::TokioOneThread,
    ];
    let memory = |model| {
        let figures = step.figures(model).filter(|f| f.tasks == step.tasks);
        figures.filter(|f| !f.others_moved)?.memory_per_task()
    };
    let each: Option<Vec<i64>> = named.map(memory).into_iter().collect();
    let each = each?;
    let least = (0..each.len()).min_by_key(|&i| each[i])?;
    Some(least + 1)
}

#[cfg(test)]
mod tests;
