//! The lesson's claims, one named test per claim. A test program of its own
//! (`harness = false`) whose `main` answers to the lesson's roles first: the
//! fresh processes that measure (and fork) are this program started again.
//! Its tests run one at a time on the main thread. `-- --list` lists
//! without running; the lesson runs once, lazily, when a test needs it.

use std::io::Write;
use std::os::fd::{AsFd, AsRawFd};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use creation_cost::{Options, ROLES, Report, run, verdict_lines};
use support::testing::{output_within, run_tests_in_one_thread, trial};

const WORKERS: u64 = 8;
const JOBS: u64 = 60;
const MIB: u64 = 1 << 20;

fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        support::speaker::set_quiet(true);
        let options = Options {
            repeats: 2,
            workers: WORKERS,
            jobs: JOBS,
        };
        run(&options).expect("the lesson runs")
    })
}

fn every_creation_row_is_measured_in_a_fresh_process() {
    let creation = &report().creation;
    // The figures came from another process: the fresh one, not this one.
    let measured_in = creation
        .measured_in_pid
        .expect("the fresh process says who it is");
    assert_ne!(measured_in, std::process::id());
    for (what, stats) in creation.rows() {
        assert_eq!(stats.samples, 2, "{what}");
        assert!(stats.min > Duration::ZERO, "{what}");
        assert!(
            stats.min <= stats.median && stats.median <= stats.max,
            "{what}"
        );
    }
}

/// Every verdict sentence fits beside a 30-column tag, whichever way the
/// figures go: the run's own, and the same report altered so that every
/// comparison fails (fork no dearer, pools slower, memory noise).
fn every_verdict_line_fits_whichever_way_the_figures_go() {
    let mut altered = report().clone();
    let c = &mut altered.creation;
    (c.fork_exit, c.pthread_create) = (c.thread_spawn, c.thread_spawn);
    altered.machine.before.load = Some([1_000.0; 3]);
    for way in &mut altered.pools.ways {
        way.elapsed = Duration::from_secs(9_999) - way.elapsed;
    }
    let idle = &mut altered.idle_memory;
    (idle.per_thread_bytes, idle.per_process_bytes) = (Some(-458_752), Some(73_728));
    let lines = [verdict_lines(report()), verdict_lines(&altered)].concat();
    assert!(
        lines.iter().any(|line| line.contains("NOT shown")),
        "{lines:#?}"
    );
    assert!(
        lines.iter().any(|line| line.contains("did not beat")),
        "{lines:#?}"
    );
    for line in lines {
        assert!(line.chars().count() <= 70, "{line}");
    }
}

fn a_bigger_parent_has_bigger_page_tables_and_faults_on_every_page_after_fork() {
    let rows = &report().fork_vs_memory;
    assert_eq!(rows.len(), 3);
    let tables: Vec<u64> = rows
        .iter()
        .map(|r| r.parent_page_table_bytes.unwrap())
        .collect();
    assert!(tables[0] < tables[1] && tables[1] < tables[2], "{tables:?}");
    for row in &rows[1..] {
        let pages = (row.touched_bytes / 4096) as i64;
        let faults = row.faults_after_fork.expect("getrusage");
        // One write fault per page the parent rewrote after the fork.
        assert!(
            faults >= pages,
            "{} MiB: {faults} faults",
            row.touched_bytes / MIB
        );
        assert!(row.rewrite_before_fork.is_some() && row.copy_page_table_bytes.is_some());
    }
}

fn idle_memory_counts_user_and_kernel_memory_and_reaps_every_child() {
    let idle = &report().idle_memory;
    assert_eq!(idle.workers, WORKERS as usize);
    assert_eq!((idle.children_started, idle.children_reaped), (8, 8));
    assert!(idle.per_thread_bytes.is_some() && idle.per_process_bytes.is_some());
    assert!(idle.kernel_per_thread.is_some() && idle.kernel_per_process.is_some());
    // Each idle child has page tables of its own.
    assert!(idle.page_tables_per_process_bytes.unwrap() > 0);
}

fn every_pool_way_gets_every_result_right() {
    let pools = &report().pools;
    assert_eq!(pools.ways.len(), 4);
    for way in &pools.ways {
        assert!(way.results_right, "{}", way.label);
    }
}

/// The ready-byte hang: an idle child that dies before it writes its byte
/// must be an error, not a wait for ever (each child closes its write end).
fn an_idle_child_that_dies_early_is_an_error_not_a_hang() {
    let mut command = support::role::command(creation_cost::fresh::IDLE_PROCESSES).unwrap();
    command.args(["6", creation_cost::faults::ONE_DIES_EARLY]);
    let output = output_within(&mut command, Duration::from_secs(30));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("only 5 of 6 idle workers started"),
        "{stderr}"
    );
}

/// Beside a thread that keeps printing (and so keeps taking stdout's
/// lock), the lesson finishes: every fork happens in a fresh process of
/// its own, never in the caller's. The printing goes to /dev/null: fd 1 is
/// pointed there for the test, then put back.
fn beside_a_printing_thread_the_lesson_finishes() {
    static STOP: AtomicBool = AtomicBool::new(false);
    let saved = std::io::stdout().as_fd().try_clone_to_owned().unwrap(); // dup(2)
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .unwrap();
    // SAFETY: both descriptors are open for the whole call; dup2 replaces fd 1.
    assert_eq!(unsafe { libc::dup2(null.as_raw_fd(), 1) }, 1);
    let printer = std::thread::spawn(|| {
        while !STOP.load(Ordering::Relaxed) {
            let _ = writeln!(std::io::stdout(), "printing thread");
        }
    });
    support::speaker::set_quiet(true);
    let result = run(&Options {
        repeats: 1,
        workers: 2,
        jobs: 8,
    });
    STOP.store(true, Ordering::Relaxed);
    printer.join().unwrap();
    let _ = std::io::stdout().flush(); // the last lines, still to /dev/null
    // SAFETY: `saved` is the original stdout, open until the end of this call.
    assert_eq!(unsafe { libc::dup2(saved.as_raw_fd(), 1) }, 1);
    if let Err(error) = result {
        panic!("the lesson failed beside a printing thread: {error}");
    }
}

fn main() {
    support::role::dispatch(&[ROLES]);
    run_tests_in_one_thread(vec![
        trial(
            "every_creation_row_is_measured_in_a_fresh_process",
            every_creation_row_is_measured_in_a_fresh_process,
        ),
        trial(
            "every_verdict_line_fits_whichever_way_the_figures_go",
            every_verdict_line_fits_whichever_way_the_figures_go,
        ),
        trial(
            "a_bigger_parent_faults_on_every_page_after_fork",
            a_bigger_parent_has_bigger_page_tables_and_faults_on_every_page_after_fork,
        ),
        trial(
            "idle_memory_counts_user_and_kernel_memory",
            idle_memory_counts_user_and_kernel_memory_and_reaps_every_child,
        ),
        trial(
            "every_pool_way_gets_every_result_right",
            every_pool_way_gets_every_result_right,
        ),
        trial(
            "an_idle_child_that_dies_early_is_an_error_not_a_hang",
            an_idle_child_that_dies_early_is_an_error_not_a_hang,
        ),
        trial(
            "beside_a_printing_thread_the_lesson_finishes",
            beside_a_printing_thread_the_lesson_finishes,
        ),
    ])
}
