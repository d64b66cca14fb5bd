//! The verdict: each sentence follows this run's figures, or says the run
//! did not show it. Lines of at most 70 columns (the tag takes the rest).

use support::timing::format_duration as took;

use crate::report::{Model, ModelFigures, Report, Step};
use crate::summary::waits;
use crate::text::{bytes, grouped, listed, ratio, times};

/// A model whose wall time is within this factor of epoll's kept up.
pub const KEPT_UP: f64 = 1.10;

// ANCHOR: verdict
/// The verdict's sentences.
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let mut lines = crate::machine::busy_lines(report);
    let both: Vec<&Step> = report.steps.iter().filter(|s| both_ran(s)).collect();
    let (Some(&smallest), Some(&step)) = (both.first(), both.last()) else {
        lines.push("No N where both threads and epoll ran: no comparison.".into());
        return lines;
    };
    let kept_up: Vec<usize> = both
        .iter()
        .filter(|s| threads_kept_up(s))
        .map(|s| s.tasks)
        .collect();
    lines.push(format!(
        "A thread per task kept up with epoll at {}",
        listed(&kept_up)
    ));
    lines.push(format!("(its wall time within {KEPT_UP}× of the loop's)."));
    let (threads, epoll) = (
        step.figures(Model::Threads).expect("both ran"),
        step.figures(Model::Epoll).expect("both ran"),
    );
    lines.extend(pulled_ahead(step, threads, epoll, report));
    if let Some(tokio) = step.figures(Model::TokioOneThread) {
        lines.extend(what_async_buys(tokio, epoll));
    }
    lines.extend(best_for(smallest, step));
    lines
}
// ANCHOR_END: verdict

// ANCHOR: best_for
/// The Best For row's claim, against this run: threads fine while the waits
/// are few (they kept up at the smallest N), costly once they number in
/// thousands (behind, or 10× the memory, at the largest N, 1_000 or more).
fn best_for(smallest: &Step, step: &Step) -> Vec<String> {
    let (threads, epoll) = (step.figures(Model::Threads), step.figures(Model::Epoll));
    let ratio = threads
        .and_then(|t| t.memory_per_task())
        .zip(epoll.and_then(|e| e.memory_per_task()));
    let tenfold = ratio.is_some_and(|(t, e)| e > 0 && t >= 10 * e);
    let fine_when_few = threads_kept_up(smallest) && smallest.tasks < step.tasks;
    let costly_when_many = step.tasks >= 1_000 && (!threads_kept_up(step) || tenfold);
    let (smallest, largest) = (grouped(smallest.tasks), grouped(step.tasks));
    vec![
        "Best For, I/O-bound: threads, until the waits number".into(),
        match fine_when_few && costly_when_many {
            true => format!("in thousands: from {smallest} to {largest} tasks, this run agrees."),
            false => format!("in thousands: NOT shown by this run (up to {largest} tasks)."),
        },
    ]
}
// ANCHOR_END: best_for

fn both_ran(step: &Step) -> bool {
    step.figures(Model::Threads).is_some() && step.figures(Model::Epoll).is_some()
}

fn threads_kept_up(step: &Step) -> bool {
    let both = step.figures(Model::Threads).zip(step.figures(Model::Epoll));
    both.is_some_and(|(threads, epoll)| threads.tasks == step.tasks && kept_up(threads, epoll))
}

/// Whether `threads` finished within [`KEPT_UP`]× of `epoll`'s wall time.
pub fn kept_up(threads: &ModelFigures, epoll: &ModelFigures) -> bool {
    threads.finish.as_secs_f64() <= KEPT_UP * epoll.finish.as_secs_f64()
}

/// Where the event loop pulled ahead at the largest N, and by how much.
fn pulled_ahead(step: &Step, t: &ModelFigures, e: &ModelFigures, report: &Report) -> Vec<String> {
    let (n, alone) = (grouped(step.tasks), waits(report.wait));
    let each = |f: &ModelFigures| f.create.as_secs_f64() / f.tasks.max(1) as f64;
    let (create, wall) = (times(each(t), each(e)), ratio(t.finish, e.finish));
    let (t_memory, e_memory) = (t.memory_per_task(), e.memory_per_task());
    let memory = times(t_memory.unwrap_or(0) as f64, e_memory.unwrap_or(0) as f64);
    let (t_memory, e_memory) = (bytes(t_memory), bytes(e_memory));
    let tokio = step.figures(Model::TokioOneThread);
    let tokio = tokio.map_or("?".into(), |f| ratio(f.finish, alone));
    let (e_waits, t_waits) = (ratio(e.finish, alone), ratio(t.finish, alone));
    let mut lines = vec![
        format!("At {n} tasks, against one epoll loop, a thread per task took"),
        format!("{create} the time to create each, {wall} the wall time,"),
        format!("and {memory} the memory per task ({t_memory} against {e_memory})."),
        format!(
            "The waits alone took {}; epoll took {e_waits} that,",
            took(alone)
        ),
        format!("tokio on 1 thread {tokio}, a thread per task {t_waits}."),
    ];
    if t.tasks < step.tasks {
        lines.push(format!(
            "(A thread per task stopped at {}: see above.)",
            grouped(t.tasks)
        ));
    }
    if let Some(p) = step.figures(Model::Processes) {
        let (memory, create) = (bytes(p.memory_per_task()), took(p.create));
        lines.push(format!(
            "A process per task: {memory} each, {create} to create them all."
        ));
    }
    lines
}

/// What async buys over the hand-written loop, as far as this run shows.
fn what_async_buys(tokio: &ModelFigures, epoll: &ModelFigures) -> Vec<String> {
    let (t, e) = (tokio.finish.as_secs_f64(), epoll.finish.as_secs_f64());
    let (wall, memory) = (times(t, e), bytes(tokio.memory_per_task()));
    let first = format!("tokio on 1 thread: {wall} epoll's wall time, {memory} a task.");
    if t <= KEPT_UP * e && e <= KEPT_UP * t {
        let same = "The same loop underneath: what async buys here is code";
        vec![
            first,
            same.into(),
            "that reads like the thread version, not speed.".into(),
        ]
    } else {
        let which = if t < e { "faster" } else { "slower" };
        vec![
            first,
            format!("Here it was {which} than the hand-written loop (over {KEPT_UP}×)."),
        ]
    }
}

#[cfg(test)]
mod tests;
