//! The Best For row's advice, decided from this run's speed-ups. A speed-up
//! counts only when the low end of its spread clears the mark (the slowest
//! run, or from five runs on the first quartile): waits overlapped at 1.5×
//! over one task after another, work in parallel at 1.2× over one worker.

use crate::report::Figure;
use crate::rules::{MARK, Word, compare, disturbance};

/// Waiting work counts as overlapped above this speed-up.
pub const OVERLAPPED: f64 = 1.5;
/// Computing work counts as parallel above this speed-up.
pub const PARALLEL: f64 = 1.2;

/// The Best For figures: speed-ups over one worker.
pub struct Speedups<'a> {
    pub io_threads: &'a Figure,
    pub io_processes: &'a Figure,
    pub cpu_threads: &'a Figure,
    pub cpu_processes: &'a Figure,
}

/// Lesson 08's figures at 10_000 waiting tasks, once they are added: the
/// memory per task and the wall time, with a thread per task and with one
/// event loop (epoll or async).
pub struct ManyWaits<'a> {
    pub threads_memory: &'a Figure,
    pub loop_memory: &'a Figure,
    pub threads_wall: &'a Figure,
    pub loop_wall: &'a Figure,
}

fn clears(figure: &Figure, mark: f64) -> bool {
    figure.spread().0 > mark
}

// ANCHOR: best_for
/// The advice for the threads' cell and the processes' cell.
pub fn best_for(s: &Speedups, cpus: usize) -> (String, String) {
    let io = clears(s.io_threads, OVERLAPPED);
    let (cpu_t, cpu_p) = (
        clears(s.cpu_threads, PARALLEL),
        clears(s.cpu_processes, PARALLEL),
    );
    let mut threads = match (io, cpus > 1 && cpu_t) {
        (true, true) => "I/O- and CPU-bound",
        (true, false) => "I/O-bound",
        (false, true) => "CPU-bound",
        (false, false) => "no clear speed-up",
    }
    .to_string();
    let mut processes = match (cpus > 1, cpu_p) {
        (false, _) => "isolation (1 CPU)",
        (true, true) => "CPU-bound + isolation",
        (true, false) => "no clear CPU speed-up",
    }
    .to_string();
    let figures = [s.io_threads, s.io_processes, s.cpu_threads, s.cpu_processes];
    if figures.iter().any(|figure| disturbance(figure).is_some()) {
        threads = format!("{threads} {MARK}");
        processes = format!("{processes} {MARK}");
    }
    (threads, processes)
}
// ANCHOR_END: best_for

/// The threads' lines for many waits: a thread per task against one event
/// loop, in memory per task, then in wall time (lesson 08).
pub fn many_waits_lines(many: &ManyWaits) -> [String; 2] {
    let line = |thread: &Figure, event_loop: &Figure, what: &str| {
        let verdict = compare(thread, event_loop);
        let mark = if verdict.disturbed { " !" } else { "" };
        let times = support::timing::three_figures(verdict.times);
        match verdict.word {
            Word::Dearer => format!("{what}: loop {times}×{mark}"),
            Word::Cheaper => format!("{what}: threads{mark}"),
            Word::NoClearDifference => format!("{what}: a draw{mark}"),
        }
    };
    [
        line(many.threads_memory, many.loop_memory, "10_000 waits"),
        line(many.threads_wall, many.loop_wall, "  their time"),
    ]
}

/// The CPU-bound line of a cell: the speed-up, or what one CPU can show.
pub fn cpu_line(speedup: &Figure, cpus: usize) -> String {
    match cpus {
        1 => "CPU: 1 CPU, no speed-up".to_string(),
        _ => format!("CPU speed-up {}", crate::rules::marked_value(speedup)),
    }
}
