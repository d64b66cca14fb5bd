//! Rows 4 and 5 of the table: Fault isolation, from what lesson 04's
//! faults destroyed, and Best For, from lesson 06's speed-ups (and lesson
//! 08's many waits, once they are measured).

use support::error::Result;

use crate::advice::{ManyWaits, Speedups, best_for, cpu_line, many_waits_lines};
use crate::part4_fault_isolation::{claims, fault_line};
use crate::render::Row;
use crate::report::Saved;
use crate::rules::{MARK, marked_value};
use crate::table::Run;

pub(crate) fn faults(saved: &Saved) -> Row {
    let faults = &saved.facts.faults;
    let (threads, processes) = claims(faults);
    let mut row = Row::new("Fault isolation")
        .threads(threads)
        .processes(processes);
    for fault in faults {
        row = match fault.fault.contains("child") {
            true => row.processes(fault_line(fault)),
            false => row.threads(fault_line(fault)),
        };
    }
    match faults.iter().find(|fault| fault.fault.contains("child")) {
        Some(child) if child.parent_survived => row.processes("parent carried on"),
        Some(_) => row.processes(format!("parent died {MARK}")),
        None => row,
    }
}

/// The Best For row: the advice, then the speed-ups behind it.
pub(crate) fn best_for_row(run: &Run) -> Result<Row> {
    let speedups = Speedups {
        io_threads: run.figure("best_for.io_threads")?,
        io_processes: run.figure("best_for.io_processes")?,
        cpu_threads: run.figure("best_for.cpu_threads")?,
        cpu_processes: run.figure("best_for.cpu_processes")?,
    };
    let cpus = run.0.environment.cores_allowed;
    let (threads, processes) = best_for(&speedups, cpus);
    let mut row = Row::new("Best for")
        .threads(threads)
        .threads(format!(
            "I/O speed-up {}",
            marked_value(speedups.io_threads)
        ))
        .threads(cpu_line(speedups.cpu_threads, cpus))
        .processes(processes)
        .processes(format!(
            "I/O speed-up {}",
            marked_value(speedups.io_processes)
        ))
        .processes(cpu_line(speedups.cpu_processes, cpus));
    // Lesson 08's figures, once `part5_best_for::many_waits` measures them.
    let many = crate::part5_best_for::MANY_WAITS.map(|key| run.figure(key).ok());
    if let [
        Some(threads_memory),
        Some(loop_memory),
        Some(threads_wall),
        Some(loop_wall),
    ] = many
    {
        let many = ManyWaits {
            threads_memory,
            loop_memory,
            threads_wall,
            loop_wall,
        };
        for line in many_waits_lines(&many) {
            row = row.threads(line);
        }
    }
    Ok(row)
}
