//! The lesson's claims, fork included, one named test per claim. A test
//! program of its own (`harness = false`) whose tests all run on the main
//! thread, so that `run` may fork. `-- --list` lists them without running
//! the lesson; each works alone too (cargo nextest runs each in a process
//! of its own): the lesson runs once, lazily, in whichever test needs it.

use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use shared_memory_threads::{Options, ROLES, Report, grouped, run, verdict_lines};
use support::placement::{Placement, allowed_cpus};
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
    // Unpinned only where pinning is refused (a locked-down container).
    let pinned = hand_off.one_cpu.placement == Placement::OneCpu;
    assert!(pinned || hand_off.one_cpu.placement == Placement::Unpinned);
    let two_allowed = allowed_cpus().expect("sched_getaffinity").len() >= 2;
    assert_eq!(
        hand_off.two_cpus.is_some(),
        pinned && two_allowed,
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

fn the_broken_counter_never_overshoots() {
    let racy = &report().counters.racy_load_store;
    assert_eq!(racy.threads, THREADS);
    assert_eq!(racy.expected, THREADS as u64 * INCREMENTS);
    assert!(racy.counted <= racy.expected, "{racy:?}");
}

/// Every `pattern` is in `lines`, and no `absent` one is; every line fits
/// in 100 columns after a speaker tag (30 columns with a 7-digit pid).
fn assert_says(lines: &[String], patterns: &[&str], absent: &[&str]) {
    for line in lines {
        assert!(line.chars().count() <= 70, "too wide: {line}");
    }
    let text = lines.join("\n");
    for pattern in patterns {
        assert!(text.contains(pattern), "{pattern:?} missing in:\n{text}");
    }
    for pattern in absent {
        assert!(
            !text.contains(pattern),
            "{pattern:?} should not be in:\n{text}"
        );
    }
}

fn the_verdict_states_what_this_run_showed() {
    let report = report();
    let racy = &report.counters.racy_load_store;
    let [lost, expected] = [racy.lost, racy.expected].map(grouped);
    let race = match racy.lost {
        0 => "no update was lost this run: no overlap this time".to_string(),
        _ => format!("Unsynchronised, {lost} of {expected} updates were lost."),
    };
    let memory = format!("Memory: {THREADS} workers and main saw one heap value and one static");
    let kept = format!(
        "yet its {} additions stayed in its own copy.",
        grouped(INCREMENTS)
    );
    let fine = [
        memory.as_str(),
        "of its own",
        "at our address",
        &kept,
        "nothing copied",
        &race,
    ];
    assert_says(&verdict_lines(report), &fine, &["NO", "changed!"]);
}

/// A report whose every check fails, built from this run's by hand.
fn the_verdict_says_no_when_a_check_fails() {
    let mut bad = report().clone();
    let workers = &mut bad.address_space.workers;
    workers[0].heap_value += 8; // a worker saw the heap value elsewhere
    workers[1].stack_local = workers[0].stack_local; // two workers, one stack
    bad.direct_read.reader_sum += 1; // the reader read other bytes
    bad.fork.child_address += 8;
    bad.fork.parent_view_after_child += 1; // the child's write reached us
    let before = grouped(bad.fork.parent_view_after_thread);
    let after = grouped(bad.fork.parent_view_after_child);
    let changed = format!("and ours changed! ({before} -> {after})");
    let failures = [
        "Memory: NO, 3 workers saw the heap value or the static",
        "NO, two workers had one stack address or one thread id",
        "NO, a forked child saw the counter at",
        &changed,
        "Communication: NO, a thread did not read 1.00 MiB in place.",
    ];
    let claims = ["one heap value", "of its own", "own copy", "nothing copied"];
    assert_says(&verdict_lines(&bad), &failures, &claims);
}

/// One worker, one counting thread: singular words, part 3's reason.
fn with_one_thread_the_verdict_says_it_cannot_race() {
    let mut one = report().clone();
    one.address_space.workers.truncate(1);
    let racy = &mut one.counters.racy_load_store;
    (racy.threads, racy.expected, racy.counted, racy.lost) = (1, INCREMENTS, INCREMENTS, 0);
    let said = [
        "Memory: 1 worker and main saw",
        "one worker: no second stack",
        "none lost: one thread cannot race with itself.",
    ];
    assert_says(&verdict_lines(&one), &said, &["1 workers", "no overlap"]);
}

/// Pinning refused: the round trips were measured unpinned, and it says so.
fn unpinned_round_trips_are_called_unpinned() {
    let mut unpinned = report().clone();
    unpinned.hand_off.one_cpu.placement = Placement::Unpinned;
    unpinned.hand_off.two_cpus = None;
    let said = [
        "round trip unpinned:",
        "measured unpinned: pinning was refused",
    ];
    assert_says(
        &verdict_lines(&unpinned),
        &said,
        &["on one CPU", "on two CPUs"],
    );
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
            "the_broken_counter_never_overshoots",
            the_broken_counter_never_overshoots,
        ),
        trial(
            "the_verdict_states_what_this_run_showed",
            the_verdict_states_what_this_run_showed,
        ),
        trial(
            "the_verdict_says_no_when_a_check_fails",
            the_verdict_says_no_when_a_check_fails,
        ),
        trial(
            "with_one_thread_the_verdict_says_it_cannot_race",
            with_one_thread_the_verdict_says_it_cannot_race,
        ),
        trial(
            "unpinned_round_trips_are_called_unpinned",
            unpinned_round_trips_are_called_unpinned,
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
