//! Runs the lesson inside this test process and checks what it reports.
//!
//! The lesson forks, and fork is only safe in a single-threaded process, so
//! this target has `harness = false`: `run_tests_in_one_thread` runs every
//! named test on the main thread, one after another, unlike the cargo test
//! harness, which runs tests on several threads. (`-- --list` lists them, a
//! name filters them, and cargo-nextest runs each in a process of its own,
//! so each test measures what it checks itself.)

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use creation_cost::{FORK_SIZES, MemorySource, Options, run};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use support::forking::threads_in_this_process;
use support::role::Role;
use support::testing::{output_within, run_tests_in_one_thread, trial};
use support::{Stats, say};

/// The hidden role that runs the lesson beside a printing thread.
const EMBEDDED_ROLE: &str = "creation-cost-test:beside-a-printing-thread";
const TEST_ROLES: &[Role] = &[Role {
    name: EMBEDDED_ROLE,
    run: run_beside_a_printing_thread,
}];

fn main() {
    support::role::dispatch(&[creation_cost::ROLES, TEST_ROLES]);
    run_tests_in_one_thread(vec![
        trial("the_lesson_reports_every_figure", || {
            checked(the_lesson_reports_every_figure)
        }),
        trial("the_memory_it_touched_is_given_back", || {
            checked(the_memory_it_touched_is_given_back)
        }),
        trial("measurements_take_their_own_repeat_count", || {
            checked(measurements_take_their_own_repeat_count)
        }),
        trial("forking_is_refused_while_another_thread_runs", || {
            checked(forking_is_refused_while_another_thread_runs)
        }),
        trial("run_beside_a_printing_thread_refuses_or_finishes", || {
            checked(embedded_beside_a_printing_thread)
        }),
    ]);
}

fn small() -> Options {
    Options {
        repeats: 3,
        workers: 4,
    }
}

/// Runs `test` under an alarm (a hang ends the test binary with SIGALRM
/// after two minutes), then checks that it left no child and no thread.
fn checked(test: fn()) {
    nix::unistd::alarm::set(120);
    test();
    // No child left behind, not even a zombie: waitpid has none to wait for.
    assert_eq!(
        waitpid(None, Some(WaitPidFlag::WNOHANG)),
        Err(Errno::ECHILD)
    );
    // No thread left running (the tour forks later lessons after this one).
    let deadline = Instant::now() + Duration::from_secs(1);
    while threads_in_this_process() != Some(1) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(threads_in_this_process(), Some(1));
    nix::unistd::alarm::cancel();
}

fn the_lesson_reports_every_figure() {
    let report = run(&small()).expect("the lesson runs");

    // Every creation figure is finite and positive, over the asked repeats.
    for (what, stats) in report.creation.rows() {
        check_stats(what, stats, 3);
    }

    // fork vs memory: three sizes, each really resident while forking.
    let sizes: Vec<u64> = report
        .fork_vs_memory
        .iter()
        .map(|at| at.touched_bytes)
        .collect();
    assert_eq!(sizes, FORK_SIZES.map(|b| b as u64));
    for at in &report.fork_vs_memory {
        check_stats("fork after touching memory", at.fork_exit, 3);
        let resident = at.parent_resident_bytes.expect("VmRSS read");
        assert!(
            resident >= at.touched_bytes,
            "resident {resident} < touched {}",
            at.touched_bytes
        );
    }
    // What fork copies: 512 MiB of 4 KiB pages needs at least 1 MiB of
    // page-table entries (131 072 entries of 8 bytes).
    let small = report.fork_vs_memory[0]
        .parent_page_table_bytes
        .expect("VmPTE read");
    let big = report.fork_vs_memory[2]
        .parent_page_table_bytes
        .expect("VmPTE read");
    assert!(
        big >= (1 << 20) && big > small,
        "page tables {small} → {big}"
    );

    // Idle workers: memory read for each kind, every child reaped.
    let idle = &report.idle_memory;
    assert_eq!(idle.workers, 4);
    assert!(
        matches!(idle.source, MemorySource::Pss | MemorySource::Rss),
        "{:?}",
        idle.source
    );
    let per_thread = idle.per_thread_bytes.expect("thread memory read");
    let per_process = idle.per_process_bytes.expect("process memory read");
    let page_tables = idle
        .page_tables_per_process_bytes
        .expect("child page tables read");
    assert!(page_tables > 0, "each child has page tables of its own");
    // The Memory row: an idle process costs more than an idle thread.
    assert!(
        per_process + page_tables as i64 > per_thread,
        "process {per_process} + {page_tables} vs thread {per_thread}"
    );
    assert_eq!((idle.children_started, idle.children_reaped), (4, 4));
}

fn the_memory_it_touched_is_given_back() {
    let resident_before = vm_rss();
    let biggest = *FORK_SIZES.last().expect("fork sizes");
    let at = creation_cost::fork_after_touching(biggest, 1).expect("fork after touching");
    assert!(at.parent_resident_bytes.expect("VmRSS read") >= biggest as u64);
    let resident_after = vm_rss();
    assert!(
        resident_after < resident_before + (64 << 20),
        "resident {resident_before} → {resident_after}"
    );
}

fn measurements_take_their_own_repeat_count() {
    check_stats(
        "fork_exit_wait(5)",
        creation_cost::fork_exit_wait(5).expect("fork_exit_wait"),
        5,
    );
    check_stats(
        "fork_exec_wait(2)",
        creation_cost::fork_exec_wait(2).expect("fork_exec_wait"),
        2,
    );
    check_stats(
        "thread_spawn_join(7)",
        creation_cost::thread_spawn_join(7).expect("thread_spawn_join"),
        7,
    );
}

fn forking_is_refused_while_another_thread_runs() {
    let (release, wait) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || wait.recv());
    let refused = [
        creation_cost::fork_exit_wait(1).expect_err("fork_exit_wait"),
        creation_cost::fork_exec_wait(1).expect_err("fork_exec_wait"),
        creation_cost::fork_after_touching(0, 1).expect_err("fork_after_touching"),
        creation_cost::measure_creation(1).expect_err("measure_creation"),
        creation_cost::idle_worker_memory(1).expect_err("idle_worker_memory"),
        run(&small()).expect_err("run"),
    ];
    release.send(()).expect("wake the thread");
    other.join().expect("join").expect("recv");
    for error in refused {
        let text = error.to_string();
        assert!(
            text.starts_with("refusing to fork: this process has "),
            "{text}"
        );
    }
}

/// The lesson, called from a program that has a second thread printing in
/// a loop, must refuse or finish, never hang: run in a child process of
/// this test binary (its hidden role), with a time limit.
fn embedded_beside_a_printing_thread() {
    let mut command = support::role::command(EMBEDDED_ROLE).expect("current_exe()");
    let output = output_within(&mut command, Duration::from_secs(60));
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(0), "{stdout}\n{stderr}");
    assert!(stdout.contains("printer: line 0"), "{stdout}");
    assert!(
        stdout.contains("run returned: refusing to fork: this process has 2 threads")
            || stdout.contains("run returned: Ok"),
        "{stdout}\n{stderr}"
    );
}

static STOP_PRINTING: AtomicBool = AtomicBool::new(false);

/// The role: a printing thread, the lesson, then the thread joined.
fn run_beside_a_printing_thread(_args: &[String]) -> i32 {
    let printer = std::thread::spawn(|| {
        let mut line = 0u64;
        while !STOP_PRINTING.load(Ordering::Relaxed) {
            say!("printer: line {line}"); // takes and drops the stdout lock
            line += 1;
            std::thread::sleep(Duration::from_micros(200));
        }
    });
    let result = run(&small());
    STOP_PRINTING.store(true, Ordering::Relaxed);
    printer.join().expect("join the printer");
    match result {
        Ok(_) => {
            say!("run returned: Ok");
            0
        }
        Err(error) if error.to_string().starts_with("refusing to fork") => {
            say!("run returned: {error}");
            0
        }
        Err(error) => {
            say!("run returned an unexpected error: {error}");
            1
        }
    }
}

fn check_stats(what: &str, stats: Stats, samples: usize) {
    assert_eq!(stats.samples, samples, "{what}");
    assert!(stats.min > Duration::ZERO, "{what}: {stats}");
    assert!(
        stats.min <= stats.median && stats.median <= stats.max,
        "{what}: {stats}"
    );
    assert!(stats.median_secs().is_finite(), "{what}: {stats}");
}

fn vm_rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let line = status
        .lines()
        .find(|line| line.starts_with("VmRSS:"))
        .expect("VmRSS line");
    let kib: u64 = line["VmRSS:".len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .expect("VmRSS number");
    kib * 1024
}
