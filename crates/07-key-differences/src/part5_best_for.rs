//! Row 5, Best for: lesson 06's work that waits and work that computes,
//! each run one by one, on threads and on processes; the speed-ups over
//! one by one decide the advice (`advice.rs`). Each run of the row is a
//! whole run of lesson 06, at small sizes (`Plan::workloads`).

use support::error::Result;

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

/// Keys of lesson 08's figures at 10_000 waiting tasks: memory per task
/// (`Unit::Bytes`) and wall time (`Unit::Nanoseconds`), with a thread per
/// task and with one event loop (epoll or async).
pub const MANY_WAITS: [&str; 4] = [
    "best_for.many_threads_memory",
    "best_for.many_loop_memory",
    "best_for.many_threads_wall",
    "best_for.many_loop_wall",
];

// ANCHOR: many_waits
/// Lesson 08's figures for the Best For row: measure them here (memory per
/// task and wall time, a thread per task against an event loop, at 10_000
/// tasks) as four `Figure`s keyed [`MANY_WAITS`], with `repeat` as the
/// other rows do; the table then adds the lines `advice::many_waits_lines`
/// decides, and the chart their panels. Until then: none, and no such lines.
pub fn many_waits(_plan: &Plan) -> Result<Vec<Figure>> {
    Ok(Vec::new())
}
// ANCHOR_END: many_waits
