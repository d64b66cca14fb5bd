//! Part 1: work that waits. K tasks each ask a slow service one question
//! and block in read(2) until the answer comes: one after another, on K
//! threads, on K processes.

use std::fs::File;
use std::thread;
use std::time::Instant;

use nix::unistd::pipe;
use support::error::{Context, Result};
use support::say;
use support::timing::format_duration;

use crate::Options;
use crate::measure::{Mode, grouped, measure_modes, median, print_modes};
use crate::part1_service::SlowService;
use crate::report::Workload;
use crate::workers::{Children, check_agreement, fork_worker, join_all, receive_results};

/// Runs part 1 and prints its table.
pub fn waiting(options: &Options, children: &mut Children) -> Result<Workload> {
    let (tasks, wait) = (options.tasks as usize, format_duration(options.wait));
    let count = grouped(options.tasks);
    say!("{count} tasks each ask a slow service, then block in read(2) for {wait}");
    say!("the service answers each request {wait} after it came, however many");
    say!("come at once (a real one with fewer workers would queue them: less");
    say!("speed-up). A read(2) on a pipe waits as one on a socket does; a disk");
    say!("read waits in state D instead, and poll(2) cannot wait for one.");
    let service = SlowService::start(tasks, options.wait, children)?;
    let [serial, threads, processes] =
        measure_modes(options.repeats as usize, |mode, speak| match mode {
            Mode::Serial => io_serial(&service),
            Mode::Threads => io_threads(&service, speak),
            Mode::Processes => io_processes(&service, speak, children),
        })?
        .map(|runs| median(&runs));
    service.stop(children)?;
    let workload = Workload {
        parts: tasks,
        serial: serial.with_speedup(&serial),
        threads: threads.with_speedup(&serial),
        processes: processes.with_speedup(&serial),
    };
    print_modes(&workload.modes());
    check_agreement("the I/O tasks' answers", &workload)?;
    Ok(workload)
}

/// Serial: the main thread does one task after another, so the waits add up.
fn io_serial(service: &SlowService) -> Result<u64> {
    let mut sum = 0;
    for task in 0..service.answers.len() {
        sum += service.ask(task)?;
    }
    Ok(sum)
}

// ANCHOR: io_threads
/// One thread per task: each blocks in its own read(2), all at once.
fn io_threads(service: &SlowService, speak: bool) -> Result<u64> {
    thread::scope(|scope| {
        let mut handles = Vec::new();
        for task in 0..service.answers.len() {
            let handle = thread::Builder::new()
                .name(format!("task-{}", task + 1))
                .stack_size(64 * 1024) // a waiting task needs little stack
                .spawn_scoped(scope, move || ask_and_tell(service, task, speak))
                .context("spawning a thread")?;
            handles.push(handle);
        }
        join_all(handles)
    }) // leaving the scope joined every thread
}
// ANCHOR_END: io_threads

// ANCHOR: io_processes
/// One forked process per task: each blocks in read(2) in its own process,
/// then sends its answer back to the parent through a pipe.
fn io_processes(service: &SlowService, speak: bool, children: &mut Children) -> Result<u64> {
    let (results_read, results_write) = pipe().context("pipe(2)")?; // answers come back here
    let results_write = File::from(results_write);
    let mut workers = Vec::new();
    for task in 0..service.answers.len() {
        workers.push(fork_worker(children, || {
            service.close_others(task, &results_write); // the other tasks' pipe ends
            let answer = ask_and_tell(service, task, speak)?;
            crate::workers::send_result(&results_write, task, answer)
        })?);
    }
    drop(results_write); // ours: a child that dies early means EOF, not a hang
    let answers = receive_results(results_read, workers.len())?;
    for worker in workers {
        children.reap(worker, "a task process")?;
    }
    Ok(answers.iter().sum())
}
// ANCHOR_END: io_processes

/// One task's whole job, and a line saying how long it waited.
fn ask_and_tell(service: &SlowService, task: usize, speak: bool) -> Result<u64> {
    let started = Instant::now();
    let answer = service.ask(task)?;
    if speak && task < 8 {
        let waited = format_duration(started.elapsed());
        say!("task {}: answer after {waited}", task + 1);
    }
    Ok(answer)
}
