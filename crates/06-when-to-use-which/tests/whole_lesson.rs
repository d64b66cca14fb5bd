//! The whole lesson, run in this process and checked through its `Report`.
//!
//! The lesson forks, which is sound only in a single-threaded process, and
//! the libtest harness runs tests on several threads: so this target has a
//! `main` of its own (`harness = false` in Cargo.toml) that runs every test
//! on the main thread, one after another (`run_tests_in_one_thread`).

use std::process::Command;
use std::time::Duration;

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use support::testing::embedded::{
    REFUSAL, outcome_beside_a_printing_thread, run_beside_a_printing_thread,
};
use support::testing::{output_within, run_tests_in_one_thread, trial};
use when_to_use_which::{
    Options, ROLES, Report, THREAD_COUNTS, Timed, Workload, count_primes, run, verdict_lines,
};

/// The primes below 200 000 (the quick size), 50 000 and 30 011, known
/// independently of this code.
const PRIMES_BELOW_200_000: u64 = 17_984;
const PRIMES_BELOW_50_000: u64 = 5_133;
const PRIMES_BELOW_30_011: u64 = 3_245;

/// Set when this test program runs itself again for a check that needs a
/// process of its own; the value says which.
const MODE_ENV: &str = "WHEN_TO_USE_WHICH_TEST_MODE";
const HALF_LINE: &str = "a line not finished before the forks";
/// The hidden role that runs the quick lesson beside a printing thread.
const EMBEDDED_ROLE: &str = "when-to-use-which-test:beside-a-printing-thread";
const TEST_ROLES: &[support::role::Role] = &[support::role::Role {
    name: EMBEDDED_ROLE,
    run: beside_a_printing_thread,
}];

fn main() {
    support::role::dispatch(&[ROLES, TEST_ROLES]);
    if std::env::var(MODE_ENV).as_deref() == Ok("half-line") {
        return half_line();
    }
    // The story is not what is checked here; the report is.
    support::speaker::set_quiet(true);
    run_tests_in_one_thread(vec![
        trial(
            "quick_run_agrees_and_reaps_every_child",
            quick_run_agrees_and_reaps_every_child,
        ),
        trial("odd_sizes_agree_too", odd_sizes_agree_too),
        trial(
            "the_verdict_follows_the_figures",
            the_verdict_follows_the_figures,
        ),
        trial("one_task_and_one_worker_work", one_task_and_one_worker_work),
        trial(
            "buffered_output_is_not_copied_into_children",
            buffered_output_is_not_copied_into_children,
        ),
        trial(
            "beside_a_printing_thread_run_refuses_or_finishes",
            beside_a_printing_thread_run_refuses_or_finishes,
        ),
    ])
}

/// Leaves unwritten output in stdout's buffer, then lets the lesson fork.
fn half_line() {
    support::speaker::set_quiet(true);
    print!("{HALF_LINE}");
    run(&Options::quick()).expect("the quick lesson runs");
    println!();
}

/// The role: the quick lesson beside a printing thread.
fn beside_a_printing_thread(_args: &[String]) -> i32 {
    run_beside_a_printing_thread(|| run(&Options::quick()).map(drop))
}

/// Answers the slow service gives task i: (i + 1) × 1 000 003, so K tasks'
/// answers add up to K(K + 1)/2 × 1 000 003.
fn expected_io_sum(tasks: u64) -> u64 {
    tasks * (tasks + 1) / 2 * 1_000_003
}

fn check_timed(what: &str, timed: &Timed) {
    let wall = timed.wall.as_secs_f64();
    assert!(
        wall.is_finite() && wall > 0.0,
        "{what}: wall {:?}",
        timed.wall
    );
    assert!(
        timed.speedup.is_finite() && timed.speedup > 0.0,
        "{what}: speed-up {}",
        timed.speedup
    );
    assert!(
        timed.cores_busy.is_finite() && timed.cores_busy >= 0.0,
        "{what}: cores busy {}",
        timed.cores_busy
    );
}

fn check_workload(what: &str, workload: &Workload, answer: u64) {
    assert!(workload.answers_agree(), "{what}: {workload:?}");
    for (mode, timed) in workload.modes() {
        assert_eq!(timed.answer, answer, "{what}, {mode}");
        check_timed(&format!("{what}, {mode}"), timed);
    }
    // Serial is its own baseline.
    assert_eq!(workload.serial.speedup, 1.0, "{what}");
}

fn check_report(report: &Report, options: &Options, primes: u64) {
    // The CPUs in the affinity mask, not a cgroup quota: threads that can run at once.
    assert_eq!(
        report.cores,
        support::placement::allowed_cpus().unwrap().len()
    );
    assert_eq!(report.io.parts, options.tasks as usize);
    assert_eq!(report.cpu.parts, options.workers as usize);
    check_workload("I/O-bound", &report.io, expected_io_sum(options.tasks));
    check_workload("CPU-bound", &report.cpu, primes);

    let counts: Vec<usize> = report
        .oversubscription
        .iter()
        .map(|row| row.threads)
        .collect();
    assert_eq!(counts, THREAD_COUNTS);
    for row in &report.oversubscription {
        assert_eq!(row.answer, primes, "{} threads", row.threads);
        let wall = row.wall.as_secs_f64();
        assert!(wall.is_finite() && wall > 0.0, "{row:?}");
        assert!(row.speedup.is_finite() && row.speedup > 0.0, "{row:?}");
        assert!(
            row.cores_busy.is_finite() && row.cores_busy >= 0.0,
            "{row:?}"
        );
    }
    assert!(THREAD_COUNTS.contains(&report.enough_threads));

    // Part 4: every size tried, whole and split, added up the same (run
    // checks it); the first win, if any, is one of the rows where split won.
    let rows = &report.break_even.rows;
    assert_eq!(rows.len(), 7);
    assert!(
        rows.iter()
            .all(|row| row.whole > Duration::ZERO && row.split > Duration::ZERO)
    );
    let first_win = rows
        .iter()
        .find(|row| row.split < row.whole)
        .map(|row| row.numbers);
    assert_eq!(report.break_even.split_first_won, first_win);

    // Part 5: at least two workers; every way touched the same pages.
    let space = &report.address_space;
    let workers = options.workers.max(2);
    assert_eq!(space.workers as u64, workers);
    for timed in [&space.one_worker, &space.threads, &space.processes] {
        assert_eq!(timed.answer, workers * 150 * 64, "{space:?}");
        check_timed("address space", timed);
    }
    let repeats = options.repeats as usize;
    assert!(space.walls.iter().all(|walls| walls.len() == repeats));
    let has_tlb_line = std::fs::read_to_string("/proc/interrupts").is_ok_and(|table| {
        table
            .lines()
            .any(|line| line.trim_start().starts_with("TLB:"))
    });
    assert_eq!(space.shootdowns.is_some(), has_tlb_line, "{space:?}");
    if let Some(counts) = &space.shootdowns {
        assert!(counts.runs.iter().all(|runs| runs.len() == repeats));
        assert_eq!(
            counts.idle.len(),
            repeats,
            "one idle interval per threads run"
        );
    }

    // The service; then in every repeat one process per task, one per
    // part, one per address-space worker.
    let forked = 1 + (options.tasks + options.workers + workers) * options.repeats;
    assert_eq!(report.children_forked as u64, forked);
    assert_eq!(report.children_reaped, report.children_forked);
    assert!(report.no_children_left);
    // And seen from here, after `run` returned: no child, not even a zombie.
    assert_eq!(
        waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD)
    );
    // No thread left running either: the next lesson may fork.
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    assert!(status.lines().any(|line| line == "Threads:\t1"), "{status}");
}

/// The quick report, from one quiet run in this process.
fn quick_report() -> &'static Report {
    static REPORT: std::sync::OnceLock<Report> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| run(&Options::quick()).expect("the quick lesson runs"))
}

/// Part 5's runs: `threads` and `processes` wall times in milliseconds.
fn set_part5(report: &mut Report, threads: [u64; 3], processes: [u64; 3]) {
    let space = &mut report.address_space;
    space.one_worker.cores_busy = 0.95;
    let ms = |runs: [u64; 3]| runs.map(Duration::from_millis).to_vec();
    space.walls = [ms([100; 3]), ms(threads), ms(processes)];
}

/// The verdict follows the figures it is given, not what a run usually shows.
fn the_verdict_follows_the_figures() {
    let mut report = quick_report().clone();
    // Two cores; both ways computed in parallel; every threads run lost.
    report.cores = 2;
    for timed in [&mut report.cpu.threads, &mut report.cpu.processes] {
        timed.cores_busy = 1.9;
    }
    for timed in [&mut report.io.threads, &mut report.io.processes] {
        timed.speedup = 3.5;
        timed.cpu_time = report.io.serial.wall / 100;
    }
    set_part5(&mut report, [130, 125, 140], [100, 110, 120]);
    let text = verdict_lines(&report).join("\n");
    for claim in [
        "Both kept more than one core busy (threads 1.90, processes 1.90)",
        "this run showed both scaling on both kinds of work",
        "It did in part 5",
        "The waits overlapped either way, using little CPU time",
    ] {
        assert!(text.contains(claim), "{claim:?} in:\n{text}");
    }
    // Two cores, threads not slower in any run: said so, no loss claimed.
    set_part5(&mut report, [90, 95, 100], [100, 110, 120]);
    let text = verdict_lines(&report).join("\n");
    assert!(text.contains("here threads did not lose"), "{text}");
    assert!(!text.contains("It did in part 5"), "{text}");
    // Runs that went both ways, or a machine too busy: it cannot tell.
    set_part5(&mut report, [130, 95, 140], [100, 110, 120]);
    let text = verdict_lines(&report).join("\n");
    assert!(text.contains("this run could not tell"), "{text}");
    set_part5(&mut report, [130, 125, 140], [100, 110, 120]);
    report.address_space.one_worker.cores_busy = 0.5;
    let text = verdict_lines(&report).join("\n");
    assert!(text.contains("this run could not tell"), "{text}");
    // Waits that overlapped but cost a lot of CPU time: not called little.
    report.io.processes.cpu_time = report.io.serial.wall / 2;
    let text = verdict_lines(&report).join("\n");
    assert!(text.contains("the CPU time was not small"), "{text}");
    assert!(!text.contains("little CPU time"), "{text}");
    // Every threads run lost, but on one core: no speed-up, no loss claimed.
    set_part5(&mut report, [130, 125, 140], [100, 110, 120]);
    report.cores = 1;
    let text = verdict_lines(&report).join("\n");
    assert!(
        text.contains("One CPU: it can show the same answer three ways"),
        "{text}"
    );
    assert!(
        !text.contains("Both kept more than one core busy"),
        "{text}"
    );
    assert!(!text.contains("this run showed both scaling"), "{text}");
    assert!(!text.contains("It did in part 5"), "{text}");
    assert!(text.contains("only too few cores do"), "{text}");
    // Two cores, but the threads stayed on one: said so.
    report.cores = 2;
    report.cpu.threads.cores_busy = 0.9;
    report.io.threads.speedup = 1.1;
    let text = verdict_lines(&report).join("\n");
    assert!(
        text.contains("did not show both computing in parallel"),
        "{text}"
    );
    assert!(
        text.contains("The waits did not overlap well this run"),
        "{text}"
    );
    for claim in [
        "GIL",
        "release the GIL",
        "free-threaded CPython 3.13+",
        "the CPython rule of thumb",
        "isolation",
    ] {
        assert!(text.contains(claim), "{claim}: {text}");
    }
    for line in verdict_lines(&report) {
        assert!(
            line.chars().count() <= 70,
            "{} columns: {line}",
            line.chars().count()
        );
    }
}

fn quick_run_agrees_and_reaps_every_child() {
    let options = Options::quick();
    assert_eq!(options.size, 200_000);
    check_report(quick_report(), &options, PRIMES_BELOW_200_000);
}

fn odd_sizes_agree_too() {
    let options = Options {
        tasks: 5,
        wait: std::time::Duration::from_millis(5),
        workers: 3,
        size: 30_011,
        repeats: 2,
    };
    assert_eq!(count_primes(options.size, 0, 1), PRIMES_BELOW_30_011);
    let report = run(&options).expect("the lesson runs with odd sizes");
    check_report(&report, &options, PRIMES_BELOW_30_011);
}

fn one_task_and_one_worker_work() {
    let options = Options {
        tasks: 1,
        wait: std::time::Duration::from_millis(1),
        workers: 1,
        size: 50_000,
        repeats: 1,
    };
    let report = run(&options).expect("the lesson runs with one of each");
    check_report(&report, &options, PRIMES_BELOW_50_000);
}

/// The lesson flushes stdout before each fork: otherwise every child would
/// get a copy of the unwritten bytes and print them again.
fn buffered_output_is_not_copied_into_children() {
    let output = output_within(
        Command::new(std::env::current_exe().unwrap()).env(MODE_ENV, "half-line"),
        Duration::from_secs(120),
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches(HALF_LINE).count(), 1, "{stdout}");
}

/// Embedded in a program that has a second thread printing, `run` must not
/// hang (a child forked then could inherit stdout's lock held by a thread
/// it does not have): it refuses to fork, or finishes. In a process of its
/// own, so that a hang is caught by the time limit.
fn beside_a_printing_thread_run_refuses_or_finishes() {
    let (outcome, _) = outcome_beside_a_printing_thread(EMBEDDED_ROLE, Duration::from_secs(120));
    assert!(outcome == "ok" || outcome.starts_with(REFUSAL), "{outcome}");
}
