//! The Best For advice on made-up speed-ups: it follows them, says what
//! one CPU can show, and is marked when they were disturbed.

use crate::advice::{ManyWaits, Speedups, best_for, cpu_line, many_waits_lines};
use crate::noise::Noise;
use crate::report::{Figure, Side, Unit};
use crate::rules::MARK;
use crate::rules_tests::{busy, figure, quiet};

fn speedups(io: f64, cpu_threads: f64, cpu_processes: f64, noise: Noise) -> [Figure; 4] {
    let runs = |x: f64| vec![x * 0.98, x, x * 1.02];
    let f = |side, x| figure(side, Unit::Times, &runs(x), noise);
    [
        f(Side::Thread, io),
        f(Side::Process, io),
        f(Side::Thread, cpu_threads),
        f(Side::Process, cpu_processes),
    ]
}

fn advice(figures: &[Figure; 4], cpus: usize) -> (String, String) {
    let [io_threads, io_processes, cpu_threads, cpu_processes] = figures;
    best_for(
        &Speedups {
            io_threads,
            io_processes,
            cpu_threads,
            cpu_processes,
        },
        cpus,
    )
}

#[test]
fn the_best_for_advice_follows_the_speedups() {
    let both = speedups(3.9, 1.9, 1.8, quiet());
    assert_eq!(
        advice(&both, 2),
        ("I/O- and CPU-bound".into(), "CPU-bound + isolation".into())
    );
    let no_cpu = speedups(3.9, 0.9, 1.0, quiet());
    assert_eq!(
        advice(&no_cpu, 2),
        ("I/O-bound".into(), "no clear CPU speed-up".into())
    );
    let no_io = speedups(1.0, 1.9, 1.8, quiet());
    assert_eq!(advice(&no_io, 2).0, "CPU-bound");
}

#[test]
fn on_one_cpu_the_best_for_cells_say_what_one_cpu_can_show() {
    let one_cpu = speedups(3.9, 1.0, 1.0, quiet());
    assert_eq!(
        advice(&one_cpu, 1),
        ("I/O-bound".into(), "isolation (1 CPU)".into())
    );
    assert_eq!(cpu_line(&one_cpu[2], 1), "CPU: 1 CPU, no speed-up");
    assert!(cpu_line(&one_cpu[2], 2).starts_with("CPU speed-up 1.00×"));
}

#[test]
fn disturbed_speedups_mark_the_advice() {
    let busy_run = speedups(3.9, 1.9, 1.8, busy());
    let (threads, processes) = advice(&busy_run, 2);
    assert!(
        threads.ends_with(MARK) && processes.ends_with(MARK),
        "{threads} / {processes}"
    );
}

#[test]
fn the_many_waits_lines_follow_their_figures() {
    let of = |unit, x: f64| figure(Side::Thread, unit, &[x, x * 1.01, x * 0.99], quiet());
    let (heavy, light) = (of(Unit::Bytes, 16_000.0), of(Unit::Bytes, 300.0));
    let (slow, fast) = (of(Unit::Nanoseconds, 9e8), of(Unit::Nanoseconds, 3e8));
    let many = ManyWaits {
        threads_memory: &heavy,
        loop_memory: &light,
        threads_wall: &fast,
        loop_wall: &slow,
    };
    let [memory, wall] = many_waits_lines(&many);
    assert!(memory.starts_with("10_000 waits: loop"), "{memory}");
    assert_eq!(wall, "  their time: threads");
    let flipped = ManyWaits {
        threads_memory: &light,
        loop_memory: &heavy,
        threads_wall: &slow,
        loop_wall: &fast,
    };
    let [memory, wall] = many_waits_lines(&flipped);
    assert_eq!(memory, "10_000 waits: threads");
    assert!(wall.starts_with("  their time: loop"), "{wall}");
}
