//! Part 6: the verdict, tied to the Best For row of the Key Differences
//! table. Every sentence is built from this run's report, and says only
//! what the figures showed.

use support::say;
use support::timing::format_duration;

use crate::measure::counted;
use crate::part5_address_space::{Showed, showed};
use crate::report::{Report, Timed, Workload};

/// Prints the verdict for `report`.
pub fn verdict(report: &Report) {
    for line in verdict_lines(report) {
        say!("{line}");
    }
}

// ANCHOR: verdict
/// The verdict's lines, from `report` alone (a test can hand it any report).
pub fn verdict_lines(report: &Report) -> Vec<String> {
    let mut lines = waiting(&report.io);
    lines.extend(computing(&report.cpu, report.cores));
    lines.push(match report.break_even.split_first_won {
        Some(numbers) => format!(
            "Splitting a job first paid at {}.",
            counted(numbers as usize, "number")
        ),
        None => "Splitting a job never paid here, at any size tried.".into(),
    });
    let space = &report.address_space;
    lines.push(format!(
        "Map/unmap work: threads {:.2}×, processes {:.2}× one worker's speed.",
        space.threads.speedup, space.processes.speedup
    ));
    lines.extend(gil());
    lines.extend(in_rust(report));
    lines
}
// ANCHOR_END: verdict

fn waiting(io: &Workload) -> Vec<String> {
    let (serial, threads, processes) = (&io.serial, &io.threads, &io.processes);
    let mut lines = vec![format!(
        "Waiting, {}: threads {:.1}×, processes {:.1}× one by one's speed.",
        counted(io.parts, "task"),
        threads.speedup,
        processes.speedup
    )];
    // "Little": under a tenth of the time the waits take one by one.
    let little = |timed: &Timed| timed.cpu_time.as_secs_f64() < serial.wall.as_secs_f64() * 0.1;
    lines.push(
        match (overlapped(io), little(threads) && little(processes)) {
            (true, true) => "  The waits overlapped either way, using little CPU time:".into(),
            (true, false) => {
                "  The waits overlapped either way; the CPU time was not small:".into()
            }
            (false, _) => "  The waits did not overlap well this run; CPU time used:".into(),
        },
    );
    let [s, t, p] = [serial, threads, processes].map(|timed| format_duration(timed.cpu_time));
    lines.push(format!("  threads {t}, processes {p}; one by one {s}."));
    lines
}

/// Whether both parallel modes were at least 1.5× faster than serial.
fn overlapped(io: &Workload) -> bool {
    io.parts > 1 && io.threads.speedup > 1.5 && io.processes.speedup > 1.5
}

fn computing(cpu: &Workload, cores: usize) -> Vec<String> {
    let (threads, processes) = (&cpu.threads, &cpu.processes);
    let mut lines = vec![format!(
        "Computing, {} on {}: threads {:.2}×, processes {:.2}×.",
        counted(cpu.parts, "part"),
        counted(cores, "core"),
        threads.speedup,
        processes.speedup
    )];
    lines.push(match (cores, parallel(cpu)) {
        (1, _) => "  One CPU: it can show the same answer three ways, not a speed-up.".into(),
        (_, true) => format!(
            "  Both kept more than one core busy (threads {:.2}, processes {:.2}).",
            threads.cores_busy, processes.cores_busy
        ),
        (_, false) => "  This run did not show both computing in parallel (busy cores?).".into(),
    });
    lines
}

/// Whether threads and processes both kept more than 1.2 cores busy.
fn parallel(cpu: &Workload) -> bool {
    cpu.parts > 1 && cpu.threads.cores_busy >= 1.2 && cpu.processes.cores_busy >= 1.2
}

fn gil() -> Vec<String> {
    [
        "The Key Differences table says threads for I/O, processes for CPU.",
        "That is the CPython rule of thumb: its global interpreter lock (GIL)",
        "lets one thread at a time run Python code, so threads compute in",
        "parallel only in C extensions that release the GIL (NumPy, zlib,",
        "hashlib), or on the free-threaded CPython 3.13+ (PEP 703). Rust has",
        "no such lock.",
    ]
    .map(String::from)
    .to_vec()
}

fn in_rust(report: &Report) -> Vec<String> {
    let both = overlapped(&report.io) && report.cores > 1 && parallel(&report.cpu);
    let mut lines = vec![match both {
        true => "In Rust, this run showed both scaling on both kinds of work.".into(),
        false => "This run did not show both scaling on both kinds of work (see above);".into(),
    }];
    if !both {
        lines.push("no lock in Rust makes threads take turns; only too few cores do.".into());
    }
    lines.push("Choose by isolation (lesson 04), memory (shared, or separate) and".into());
    lines.push("start-up cost (lesson 05): the kind of work rarely decides.".into());
    lines.push(match showed(&report.address_space, report.cores) {
        Showed::ThreadsLost => "It did in part 5: every map/unmap run lost on threads.".into(),
        Showed::ThreadsNotSlower => {
            "Part 5's map/unmap work is where it can; here threads did not lose.".into()
        }
        _ => "Part 5's map/unmap work is where it can; this run could not tell.".into(),
    });
    lines
}
