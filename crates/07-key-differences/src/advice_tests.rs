//! The Best For advice on made-up speed-ups: it follows them, says what
//! one CPU can show, and is marked when they were disturbed.

use crate::advice::{
    ManyWaits, OVERLAPPED, Speedups, best_for, cpu_line, many_waits_lines, speedup_line,
};
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
        ("I/O- and CPU-bound".into(), "I/O- and CPU-bound".into())
    );
    let no_cpu = speedups(3.9, 0.9, 1.0, quiet());
    assert_eq!(advice(&no_cpu, 2), ("I/O-bound".into(), "I/O-bound".into()));
    let no_io = speedups(1.0, 1.9, 1.8, quiet());
    assert_eq!(advice(&no_io, 2), ("CPU-bound".into(), "CPU-bound".into()));
    let neither = speedups(1.0, 1.0, 1.0, quiet());
    assert_eq!(advice(&neither, 2).1, "no clear speed-up");
}

#[test]
fn the_processes_io_speedup_decides_their_cell() {
    // Threads overlapped their waits; processes did not.
    let mut figures = speedups(3.9, 1.9, 1.8, quiet());
    figures[1] = figure(Side::Process, Unit::Times, &[1.1, 1.2, 1.3], quiet());
    assert_eq!(
        advice(&figures, 2),
        ("I/O- and CPU-bound".into(), "CPU-bound".into())
    );
    assert_eq!(
        speedup_line("I/O", &figures[1], OVERLAPPED),
        "I/O 1.20×, min 1.10×"
    );
}

#[test]
fn a_failed_speedup_shows_the_low_end_that_failed_it() {
    let few = figure(Side::Thread, Unit::Times, &[1.1, 1.15, 1.2], quiet());
    assert_eq!(cpu_line(&few, 2), "CPU 1.15×, min 1.10×");
    let wide = figure(Side::Thread, Unit::Times, &[0.9, 1.5, 1.6], quiet());
    assert_eq!(cpu_line(&wide, 2), "CPU 1.50×, min 0.90× !");
    let many = [1.1, 1.15, 1.2, 1.18, 1.0, 1.25, 1.22];
    let many = figure(Side::Thread, Unit::Times, &many, quiet());
    assert_eq!(cpu_line(&many, 2), "CPU 1.18×, Q1 1.10×");
    let cleared = figure(Side::Thread, Unit::Times, &[1.8, 1.9, 1.85], quiet());
    assert_eq!(cpu_line(&cleared, 2), "CPU speed-up 1.85×");
}

#[test]
fn on_one_cpu_the_best_for_cells_say_what_one_cpu_can_show() {
    let one_cpu = speedups(3.9, 1.0, 1.0, quiet());
    assert_eq!(
        advice(&one_cpu, 1),
        ("I/O-bound (1 CPU)".into(), "I/O-bound (1 CPU)".into())
    );
    let no_io = speedups(1.0, 1.0, 1.0, quiet());
    assert_eq!(advice(&no_io, 1).1, "no I/O speed-up (1 CPU)");
    assert_eq!(cpu_line(&one_cpu[2], 1), "CPU: 1 CPU, no speed-up");
    assert!(cpu_line(&one_cpu[2], 2).starts_with("CPU 1.00×, min 0.98×"));
}

#[test]
fn disturbed_speedups_mark_the_advice() {
    let busy_run = speedups(3.9, 1.9, 1.8, busy());
    let (threads, processes) = advice(&busy_run, 2);
    assert!(
        threads.ends_with(MARK) && processes.ends_with(MARK),
        "{threads} / {processes}"
    );
    // Only the threads' figures disturbed: only their cell is marked.
    let mut mixed = speedups(3.9, 1.9, 1.8, quiet());
    mixed[0] = speedups(3.9, 1.9, 1.8, busy())[0].clone();
    let (threads, processes) = advice(&mixed, 2);
    assert!(threads.ends_with(MARK) && !processes.ends_with(MARK));
}

#[test]
fn the_many_waits_lines_follow_their_figures() {
    let of = |unit, x: f64| figure(Side::Thread, unit, &[x, x * 1.01, x * 0.99], quiet());
    let (heavy, light) = (of(Unit::Bytes, 16_000.0), of(Unit::Bytes, 300.0));
    let (slow, fast) = (of(Unit::Nanoseconds, 9e8), of(Unit::Nanoseconds, 3e8));
    let many = ManyWaits {
        tasks: 10_000,
        threads_memory: &heavy,
        loop_memory: &light,
        threads_wall: &fast,
        loop_wall: &slow,
    };
    let [tasks, memory, wall] = many_waits_lines(&many);
    assert_eq!(tasks, "10_000 waits on epoll:");
    assert_eq!(memory, "  53.3× less memory");
    assert_eq!(wall, "  3.00× more time");
    let flipped = ManyWaits {
        tasks: 1_000,
        threads_memory: &light,
        loop_memory: &heavy,
        threads_wall: &slow,
        loop_wall: &fast,
    };
    let [tasks, memory, wall] = many_waits_lines(&flipped);
    assert_eq!(tasks, "1_000 waits on epoll:");
    assert_eq!(memory, "  53.3× more memory");
    assert_eq!(wall, "  3.00× less time");
    let same = ManyWaits {
        threads_wall: &fast,
        loop_wall: &fast,
        ..flipped
    };
    assert_eq!(many_waits_lines(&same)[2], "  about the same time");
}
