//! The Best For row's advice, decided from this run's speed-ups. A speed-up
//! counts only when the low end of its spread clears the mark (the slowest
//! run, or from five runs on the first quartile): waits overlapped at 1.5×
//! over one task after another, work in parallel at 1.2× over one worker.
//! Threads and processes are judged alike, each by its own two figures.

use crate::report::{Figure, Unit};
use crate::rules::{MARK, Word, compare, disturbance};
use crate::spread::RUNS_FOR_QUARTILES;

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

/// Lesson 08's figures at N waiting tasks: the memory per task and the
/// time for all of them, with a thread per task and with one epoll loop.
pub struct ManyWaits<'a> {
    pub tasks: usize,
    pub threads_memory: &'a Figure,
    pub loop_memory: &'a Figure,
    pub threads_wall: &'a Figure,
    pub loop_wall: &'a Figure,
}

fn clears(figure: &Figure, mark: f64) -> bool {
    figure.spread().0 > mark
}

// ANCHOR: best_for
/// The advice for one cell, from its waiting work's speed-up and its
/// computing work's (`None`: one CPU, where no work can run in parallel).
fn advice(io: bool, cpu: Option<bool>) -> &'static str {
    match (io, cpu) {
        (true, Some(true)) => "I/O- and CPU-bound",
        (true, Some(false)) => "I/O-bound",
        (false, Some(true)) => "CPU-bound",
        (false, Some(false)) => "no clear speed-up",
        (true, None) => "I/O-bound (1 CPU)",
        (false, None) => "no I/O speed-up (1 CPU)",
    }
}

/// The advice for the threads' cell and the processes' cell, each decided
/// by its own figures and marked when one of them was disturbed.
pub fn best_for(s: &Speedups, cpus: usize) -> (String, String) {
    let cell = |io: &Figure, cpu: &Figure| {
        let parallel = (cpus > 1).then(|| clears(cpu, PARALLEL));
        let words = advice(clears(io, OVERLAPPED), parallel);
        match disturbance(io).or(disturbance(cpu)) {
            Some(_) => format!("{words} {MARK}"),
            None => words.to_string(),
        }
    };
    (
        cell(s.io_threads, s.cpu_threads),
        cell(s.io_processes, s.cpu_processes),
    )
}
// ANCHOR_END: best_for

/// `I/O speed-up 3.79×`; a speed-up that did not clear its mark shows the
/// low end that failed it: `CPU 1.03×, min 0.99× !` (`Q1` from five runs).
pub fn speedup_line(what: &str, figure: &Figure, mark: f64) -> String {
    let marked = if disturbance(figure).is_some() {
        format!(" {MARK}")
    } else {
        String::new()
    };
    if clears(figure, mark) {
        return format!("{what} speed-up {}{marked}", figure.text());
    }
    let low = Unit::Times.format(figure.spread().0);
    let which = match figure.runs.len() < RUNS_FOR_QUARTILES {
        true => "min",
        false => "Q1",
    };
    format!("{what} {}, {which} {low}{marked}", figure.text())
}

/// The CPU-bound line of a cell: the speed-up, or what one CPU can show.
pub fn cpu_line(speedup: &Figure, cpus: usize) -> String {
    match cpus {
        1 => "CPU: 1 CPU, no speed-up".to_string(),
        _ => speedup_line("CPU", speedup, PARALLEL),
    }
}

/// The threads' lines for many waits (lesson 08): one epoll loop against a
/// thread per task, in memory per task, then in time for all of them.
pub fn many_waits_lines(many: &ManyWaits) -> [String; 3] {
    let line = |thread: &Figure, event_loop: &Figure, what: &str| {
        let verdict = compare(thread, event_loop);
        let mark = if verdict.disturbed { " !" } else { "" };
        let times = support::timing::three_figures(verdict.times);
        match verdict.word {
            Word::Dearer => format!("  {times}× less {what}{mark}"),
            Word::Cheaper => format!("  {times}× more {what}{mark}"),
            Word::NoClearDifference => format!("  about the same {what}{mark}"),
        }
    };
    [
        format!("{} waits on epoll:", many_waits::grouped(many.tasks)),
        line(many.threads_memory, many.loop_memory, "memory"),
        line(many.threads_wall, many.loop_wall, "time"),
    ]
}
