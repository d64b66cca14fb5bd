//! The lesson's claims, fork included, one named test per claim. A test
//! program of its own (`harness = false`) whose tests all run on the main
//! thread, so that `run` may fork. `-- --list` lists them without running
//! the lesson; each works alone too (cargo nextest runs each in a process
//! of its own): the lesson runs once, lazily, in whichever test needs it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use shared_memory_threads::{Options, ROLES, Report, run};
use support::placement::allowed_cpus;
use support::testing::{run_tests_in_one_thread, trial};

const THREADS: usize = 3;
const INCREMENTS: u64 = 100_000;

/// The lesson's report, from one quiet run in this process.
fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        support::speaker::set_quiet(true);
        let options = Options {
            threads: THREADS,
            increments: INCREMENTS,
        };
        run(&options).expect("the lesson runs")
    })
}

fn every_worker_sees_one_heap_value_and_one_static() {
    let space = &report().address_space;
    assert_eq!(space.workers.len(), THREADS);
    assert!(space.shared_addresses_agree(), "{space:?}");
}

fn every_worker_has_a_stack_and_a_thread_id_of_its_own() {
    let space = &report().address_space;
    assert!(space.stacks_are_distinct(), "{space:?}");
    assert!(
        space
            .workers
            .iter()
            .all(|seen| seen.tid != std::process::id() as i32)
    );
    let counted = space
        .threads_while_running
        .expect("/proc/self/status has Threads:");
    assert!(
        counted > THREADS,
        "{counted} threads while {THREADS} workers and main ran"
    );
}

fn a_reader_thread_reads_the_writers_bytes_in_place() {
    let read = &report().direct_read;
    assert_eq!(read.reader_address, read.writer_address);
    assert_eq!(read.reader_sum, read.writer_sum);
    assert_eq!(
        read.writer_sum,
        (0..read.bytes).map(|i| (i % 251) as u64).sum::<u64>()
    );
}

fn round_trips_are_measured_on_one_cpu_and_on_two_where_allowed() {
    let hand_off = &report().hand_off;
    assert_eq!(hand_off.one_cpu.placement.to_string(), "on one CPU");
    let two_allowed = allowed_cpus().expect("sched_getaffinity").len() >= 2;
    assert_eq!(
        hand_off.two_cpus.is_some(),
        two_allowed,
        "two CPUs allowed: {two_allowed}"
    );
    for row in [Some(hand_off.one_cpu), hand_off.two_cpus].iter().flatten() {
        for stats in [row.channel, row.condvar] {
            assert!(stats.samples > 0 && stats.min <= stats.median && stats.median <= stats.max);
        }
    }
}

fn the_fixed_counters_are_exact() {
    let counters = &report().counters;
    for fixed in [
        &counters.atomic_fetch_add,
        &counters.parking_lot_mutex,
        &counters.std_mutex,
    ] {
        assert_eq!(
            fixed.counted,
            THREADS as u64 * INCREMENTS,
            "{}",
            fixed.label
        );
        assert_eq!(fixed.lost, 0, "{}", fixed.label);
    }
}

fn the_broken_counter_never_overshoots_and_reports_its_loss() {
    let racy = &report().counters.racy_load_store;
    assert_eq!(racy.expected, THREADS as u64 * INCREMENTS);
    assert!(racy.counted <= racy.expected, "{racy:?}");
    assert_eq!(racy.lost, racy.expected - racy.counted);
}

fn a_threads_additions_reach_main() {
    assert_eq!(report().fork.parent_view_after_thread, INCREMENTS);
}

fn a_forked_child_adds_to_its_own_copy_at_the_same_address() {
    let fork = &report().fork;
    assert!(
        fork.child_ending.is_success(),
        "child: {}",
        fork.child_ending
    );
    assert_eq!(
        fork.child_address, fork.parent_address,
        "same virtual address"
    );
    assert_eq!(
        fork.child_view,
        fork.parent_view_after_thread + fork.child_added
    );
    assert_eq!(
        fork.parent_view_after_child, fork.parent_view_after_thread,
        "unchanged"
    );
}

/// Called from a program with a second thread that keeps taking the stdout
/// lock, `run` refuses to fork instead of hanging (or leaving a child).
fn beside_another_thread_run_refuses_to_fork() {
    support::speaker::set_quiet(true);
    static STOP: AtomicBool = AtomicBool::new(false);
    let other = std::thread::spawn(|| {
        while !STOP.load(Ordering::Relaxed) {
            let _held = std::io::stdout().lock();
            std::thread::sleep(Duration::from_micros(200));
        }
    });
    let result = run(&Options {
        threads: 2,
        increments: 1_000,
    });
    STOP.store(true, Ordering::Relaxed);
    other.join().expect("the other thread");
    let error = result.expect_err("run must refuse to fork").to_string();
    assert!(
        error.starts_with("refusing to fork: this process has"),
        "{error}"
    );
}

fn main() {
    support::role::dispatch(&[ROLES]);
    // If anything hangs, SIGALRM ends this program (and fails the tests)
    // after two minutes. A forked child does not inherit the alarm.
    nix::unistd::alarm::set(120);
    run_tests_in_one_thread(vec![
        trial(
            "every_worker_sees_one_heap_value_and_one_static",
            every_worker_sees_one_heap_value_and_one_static,
        ),
        trial(
            "every_worker_has_a_stack_and_a_thread_id_of_its_own",
            every_worker_has_a_stack_and_a_thread_id_of_its_own,
        ),
        trial(
            "a_reader_thread_reads_the_writers_bytes_in_place",
            a_reader_thread_reads_the_writers_bytes_in_place,
        ),
        trial(
            "round_trips_are_measured_on_one_cpu_and_on_two_where_allowed",
            round_trips_are_measured_on_one_cpu_and_on_two_where_allowed,
        ),
        trial("the_fixed_counters_are_exact", the_fixed_counters_are_exact),
        trial(
            "the_broken_counter_never_overshoots_and_reports_its_loss",
            the_broken_counter_never_overshoots_and_reports_its_loss,
        ),
        trial(
            "a_threads_additions_reach_main",
            a_threads_additions_reach_main,
        ),
        trial(
            "a_forked_child_adds_to_its_own_copy_at_the_same_address",
            a_forked_child_adds_to_its_own_copy_at_the_same_address,
        ),
        trial(
            "beside_another_thread_run_refuses_to_fork",
            beside_another_thread_run_refuses_to_fork,
        ),
    ]);
}
