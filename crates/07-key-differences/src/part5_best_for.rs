//! Row 5, Best for: lesson 06's work that waits and work that computes,
//! each run one by one, on threads and on processes; the speed-ups over
//! one by one decide the advice (`advice.rs`). Each run of the row is a
//! whole run of lesson 06, at small sizes (`Plan::workloads`). Then lesson
//! 08's many waits: a thread per waiting task against one epoll loop.

use many_waits::{Limits, Model, ModelFigures, in_fresh_process};
use support::error::{Error, Result};

use crate::options::Plan;
use crate::repeat::repeat;
use crate::report::{Figure, Side, Spec, Unit};

const fn spec(key: &'static str, label: &'static str, side: Side) -> Spec {
    Spec {
        key,
        label,
        side,
        unit: Unit::Times,
    }
}

pub const SPECS: [Spec; 4] = [
    spec("best_for.io_threads", "I/O-bound, threads", Side::Thread),
    spec(
        "best_for.io_processes",
        "I/O-bound, processes",
        Side::Process,
    ),
    spec("best_for.cpu_threads", "CPU-bound, threads", Side::Thread),
    spec(
        "best_for.cpu_processes",
        "CPU-bound, processes",
        Side::Process,
    ),
];

// ANCHOR: best_for
/// The speed-ups, run until steady; `answers_agree` stays true only if
/// every run's three ways computed the same answers.
pub fn speedups(plan: &Plan, answers_agree: &mut bool) -> Result<Vec<Figure>> {
    let mut round = || -> Result<Vec<f64>> {
        let work = when_to_use_which::run(&plan.workloads)?;
        *answers_agree &= work.io.answers_agree() && work.cpu.answers_agree();
        let (io, cpu) = (&work.io, &work.cpu);
        let all = [
            io.threads.speedup,
            io.processes.speedup,
            cpu.threads.speedup,
        ];
        Ok(all.into_iter().chain([cpu.processes.speedup]).collect())
    };
    repeat(&plan.dear, &SPECS, &mut round, None)
}
// ANCHOR_END: best_for

/// Lesson 08's figures: memory per task and wall time, with a thread per
/// waiting task and with all of them in one epoll loop (one thread). The
/// number of tasks is in `Facts::many_waits_tasks`, not in the labels.
pub const MANY_WAITS: [Spec; 4] = [
    spec_of(
        "best_for.many_threads_memory",
        "thread per task, memory",
        Unit::Bytes,
    ),
    spec_of(
        "best_for.many_loop_memory",
        "epoll loop, memory",
        Unit::Bytes,
    ),
    spec_of(
        "best_for.many_threads_wall",
        "thread per task, time",
        Unit::Nanoseconds,
    ),
    spec_of(
        "best_for.many_loop_wall",
        "epoll loop, time",
        Unit::Nanoseconds,
    ),
];

const fn spec_of(key: &'static str, label: &'static str, unit: Unit) -> Spec {
    Spec {
        key,
        label,
        side: Side::Thread, // the loop is one thread too
        unit,
    }
}

// ANCHOR: many_waits
/// Lesson 08's own measurement, `in_fresh_process`, for the two models the
/// row compares: N tasks each waiting on a socket, one thread per task, then
/// one thread with one epoll instance over all of them; each run starts a
/// fresh process per model. N is `Plan::many_tasks` (1_000 quick, 10_000
/// thorough), or fewer if the descriptor limit allows fewer; it is returned.
pub fn many_waits(plan: &Plan) -> Result<(usize, Vec<Figure>)> {
    let room = Limits::read().descriptor_room() as usize;
    let tasks = plan.many_tasks.min(room).max(1);
    let mut round = || -> Result<Vec<f64>> {
        let threads = one_model(Model::Threads, tasks, plan)?;
        let event_loop = one_model(Model::Epoll, tasks, plan)?;
        let memory = [&threads, &event_loop].map(|figures| figures.memory_per_task());
        let [Some(threads_memory), Some(loop_memory)] = memory else {
            return Err(Error::msg("lesson 08 could not count the memory per task"));
        };
        let nanos = |figures: &ModelFigures| figures.finish.as_nanos() as f64;
        Ok(vec![
            threads_memory as f64,
            loop_memory as f64,
            nanos(&threads),
            nanos(&event_loop),
        ])
    };
    Ok((tasks, repeat(&plan.many, &MANY_WAITS, &mut round, None)?))
}
// ANCHOR_END: many_waits

/// One model of lesson 08 in a fresh process, which must reach every task.
fn one_model(model: Model, tasks: usize, plan: &Plan) -> Result<ModelFigures> {
    let run = in_fresh_process(model, tasks, plan.many_wait);
    let figures = run
        .outcome
        .map_err(|why| Error::msg(format!("lesson 08, {}: {why}", model.name())))?;
    match figures.tasks == tasks {
        true => Ok(figures),
        false => Err(Error::msg(format!(
            "lesson 08, {}: {} of {tasks} tasks started ({})",
            model.name(),
            figures.tasks,
            figures.stopped_by.as_deref().unwrap_or("a limit")
        ))),
    }
}
