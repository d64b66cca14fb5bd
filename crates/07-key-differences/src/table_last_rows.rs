//! Rows 4 and 5 of the table: Fault isolation, from what lesson 04's
//! faults ended, and Best For, from lesson 06's speed-ups and lesson 08's
//! many waits.

use support::error::Result;

use crate::advice::{
    ManyWaits, OVERLAPPED, Speedups, best_for, cpu_line, many_waits_lines, speedup_line,
};
use crate::part4_fault_isolation::{claims, fault_lines};
use crate::part5_best_for::MANY_WAITS;
use crate::render::Row;
use crate::report::Saved;
use crate::rules::MARK;
use crate::table::Run;

pub(crate) fn faults(saved: &Saved) -> Row {
    let faults = &saved.facts.faults;
    let (threads, processes) = claims(faults);
    let mut row = Row::new("Fault isolation")
        .threads(threads)
        .processes(processes);
    for fault in faults {
        for line in fault_lines(fault) {
            row = match fault.fault.contains("child") {
                true => row.processes(line),
                false => row.threads(line),
            };
        }
    }
    match faults.iter().find(|fault| fault.fault.contains("child")) {
        Some(child) if child.parent_survived => row.processes("parent carried on"),
        Some(_) => row.processes(format!("parent died {MARK}")),
        None => row,
    }
}

/// The Best For row: the advice, then the speed-ups behind it, then lesson
/// 08's many waits.
pub(crate) fn best_for_row(run: &Run) -> Result<Row> {
    let speedups = Speedups {
        io_threads: run.figure("best_for.io_threads")?,
        io_processes: run.figure("best_for.io_processes")?,
        cpu_threads: run.figure("best_for.cpu_threads")?,
        cpu_processes: run.figure("best_for.cpu_processes")?,
    };
    let cpus = run.0.environment.cores_allowed;
    let (threads, processes) = best_for(&speedups, cpus);
    let io = |figure| speedup_line("I/O", figure, OVERLAPPED);
    let mut row = Row::new("Best for")
        .threads(threads)
        .threads(io(speedups.io_threads))
        .threads(cpu_line(speedups.cpu_threads, cpus))
        .processes(processes)
        .processes(io(speedups.io_processes))
        .processes(cpu_line(speedups.cpu_processes, cpus));
    let [threads_memory, loop_memory, threads_wall, loop_wall] =
        MANY_WAITS.map(|spec| run.figure(spec.key));
    let many = ManyWaits {
        tasks: run.0.facts.many_waits_tasks,
        threads_memory: threads_memory?,
        loop_memory: loop_memory?,
        threads_wall: threads_wall?,
        loop_wall: loop_wall?,
    };
    for line in many_waits_lines(&many) {
        row = row.threads(line);
    }
    Ok(row)
}
