//! The whole lesson, run in this process and checked through its `Report`.
//!
//! The lesson forks, which is sound only in a single-threaded process, and
//! the libtest harness runs tests on several threads: so this target has a
//! `main` of its own (`harness = false` in Cargo.toml) and runs its checks
//! one after another on the main thread.

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use when_to_use_which::{Options, Report, THREAD_COUNTS, Timed, Workload, count_primes, run};

/// The primes below 200 000 (the quick size), 50 000 and 30 011, known
/// independently of this code.
const PRIMES_BELOW_200_000: u64 = 17_984;
const PRIMES_BELOW_50_000: u64 = 5_133;
const PRIMES_BELOW_30_011: u64 = 3_245;

/// Set when this test program runs itself again for the check on stdout.
const HALF_LINE_ENV: &str = "WHEN_TO_USE_WHICH_HALF_LINE";
const HALF_LINE: &str = "a line not finished before the forks";

fn main() {
    // The story is not what is checked here; the report is.
    support::speaker::set_quiet(true);
    if std::env::var_os(HALF_LINE_ENV).is_some() {
        // Leave unwritten output in stdout's buffer, then let the lesson fork.
        print!("{HALF_LINE}");
        run(&Options::quick()).expect("the quick lesson runs");
        println!();
        return;
    }
    let checks: &[(&str, fn())] = &[
        (
            "quick_run_agrees_and_reaps_every_child",
            quick_run_agrees_and_reaps_every_child,
        ),
        ("odd_sizes_agree_too", odd_sizes_agree_too),
        ("one_task_and_one_worker_work", one_task_and_one_worker_work),
        (
            "buffered_output_is_not_copied_into_children",
            buffered_output_is_not_copied_into_children,
        ),
    ];
    for (name, check) in checks {
        print!("test {name} ... ");
        check();
        println!("ok");
    }
    println!(
        "\ntest result: ok. {} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n",
        checks.len()
    );
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
    assert_eq!(
        report.cores,
        std::thread::available_parallelism().unwrap().get()
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

    // The service, one process per task, one per part in every repeat.
    let forked = 1 + options.tasks + options.workers * options.repeats;
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

fn quick_run_agrees_and_reaps_every_child() {
    let options = Options::quick();
    assert_eq!(options.size, 200_000);
    let report = run(&options).expect("the quick lesson runs");
    check_report(&report, &options, PRIMES_BELOW_200_000);
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
    let output = std::process::Command::new(std::env::current_exe().unwrap())
        .env(HALF_LINE_ENV, "1")
        .output()
        .expect("run this test program again");
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(stdout.matches(HALF_LINE).count(), 1, "{stdout}");
}
