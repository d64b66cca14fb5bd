//! Part 5: where threads lose. The same map/touch/unmap work on one
//! worker, on threads sharing one address space, and on processes with one
//! each (the work itself is in `part5_map_unmap.rs`).

use support::error::Result;
use support::say;

use crate::measure::{grouped, print_modes};
use crate::part5_map_unmap::{MAP_BYTES, MAPS, measure};
use crate::report::AddressSpace;
use crate::workers::Children;

/// Runs part 5, prints its table and what it showed.
pub fn address_space(
    options: &crate::Options,
    cores: usize,
    children: &mut Children,
) -> Result<AddressSpace> {
    let workers = (options.workers as usize).max(2);
    let size = support::timing::format_bytes(MAP_BYTES as u64);
    say!("{workers} workers each map {size}, write every page, unmap it, {MAPS} times;");
    say!(
        "one worker alone does all of it; each way runs {} times, in turns",
        options.repeats
    );
    let (medians, shootdowns) = measure(workers, options.repeats as usize, children)?;
    let [one, threads, processes] = medians.map(|run| run.with_speedup(&medians[0]));
    let report = AddressSpace {
        workers,
        one_worker: one,
        threads,
        processes,
        shootdowns,
    };
    let rows = [
        ("1 worker", &report.one_worker),
        ("threads", &report.threads),
    ];
    print_modes(&[rows[0], rows[1], ("processes", &report.processes)]);
    let [_, on_threads, on_processes] = shootdowns.map(|count| count.map(grouped));
    match (on_threads, on_processes) {
        (Some(t), Some(p)) => {
            say!("TLB shootdowns per run (whole machine): threads {t}, processes {p}")
        }
        _ => say!("this kernel shows no TLB shootdown count in /proc/interrupts"),
    }
    explain(&report, cores);
    Ok(report)
}

// ANCHOR: explain
fn explain(report: &AddressSpace, cores: usize) {
    let (threads, processes) = (&report.threads, &report.processes);
    let ratio = threads.wall.as_secs_f64() / processes.wall.as_secs_f64();
    if cores == 1 {
        say!("one CPU: there is no other CPU's TLB to flush, so this run");
        say!("cannot show threads losing to processes here");
    } else if ratio > 1.05 {
        say!(
            "the threads took {:.0}% longer than the processes for the same work:",
            (ratio - 1.0) * 100.0
        );
        say!("the one difference between them: one shared address space");
    } else {
        say!("the threads were not slower than the processes this run ({ratio:.2}×)");
    }
    if let [_, Some(on_threads), Some(on_processes)] = report.shootdowns {
        match cores > 1 && on_threads > on_processes {
            true => say!("and the machine counted more TLB shootdowns while they ran"),
            false => say!("and the machine counted no more TLB shootdowns while they ran"),
        }
    }
}
// ANCHOR_END: explain
