//! The pipes lesson's claims, checked by calling the library directly, and
//! both lessons (`pipes::run`, `shared_memory::run`) called from a program
//! that has a second, printing thread.
//!
//! These checks fork, so they cannot run under the usual test harness (it
//! runs tests on threads of its own). This target has its own `main`
//! (`harness = false`) that runs every trial on the main thread, one after
//! the other (`support::testing::run_tests_in_one_thread`): `--list` lists
//! them, a filter picks some, and cargo-nextest can run each alone. After
//! each trial no child of ours may be left, running or zombie, and the CPU
//! affinity must be what it was.

use std::time::Duration;

use ipc::pipes::{self, LARGE_PIPE_BUFFER, Options, PIPE_BUF, Placement};
use nix::errno::Errno;
use nix::sched::sched_getaffinity;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use support::role::Role;
use support::testing::embedded::{
    REFUSAL, outcome_beside_a_printing_thread, run_beside_a_printing_thread,
};
use support::testing::{Trial, run_tests_in_one_thread};

/// Hidden roles of this test binary: a lesson's `run` called from a
/// process with a second, printing thread, isolated in a process of its own
/// so that a hang is a failed test (killed at the time limit), not a stuck
/// test run.
const EMBEDDED_PIPES: &str = "ipc-test:embedded-pipes";
const EMBEDDED_SHARED_MEMORY: &str = "ipc-test:embedded-shared-memory";
const TEST_ROLES: &[Role] = &[
    Role {
        name: EMBEDDED_PIPES,
        run: embedded_pipes,
    },
    Role {
        name: EMBEDDED_SHARED_MEMORY,
        run: embedded_shared_memory,
    },
];

fn main() {
    // The lessons start this executable again in their roles (the pipes
    // Command example, the shared-memory strangers), and so do the
    // embedded trials below.
    support::role::dispatch(&[pipes::ROLES, ipc::shared_memory::ROLES, TEST_ROLES]);
    // A hang is a failure: SIGALRM ends this process after 5 minutes.
    nix::unistd::alarm::set(300);
    run_tests_in_one_thread(vec![
        checked("stream_default_buffer_arrives_whole", stream_default_buffer),
        checked("stream_large_buffer_arrives_whole", stream_large_buffer),
        checked("stream_is_whole_in_any_placement", stream_any_placement),
        checked("records_of_pipe_buf_never_torn", small_records_never_torn),
        checked("large_records_all_arrive", large_records_all_arrive),
        checked("dead_reader_gives_epipe", dead_reader_gives_epipe),
        checked(
            "dead_writer_gives_short_transfer",
            dead_writer_gives_short_transfer,
        ),
        checked("round_trips_are_measured", round_trips_are_measured),
        checked("whole_lesson_runs", whole_lesson),
        checked(
            "every_forking_function_refuses_with_a_second_thread",
            every_forking_function_refuses,
        ),
        checked(
            "pipes_run_with_a_printing_thread_refuses_to_fork",
            pipes_run_with_a_printing_thread,
        ),
        checked(
            "shared_memory_run_with_a_printing_thread_refuses_to_fork",
            shared_memory_run_with_a_printing_thread,
        ),
    ]);
}

/// A trial that runs `body`, then checks that no child is left and that
/// the CPU affinity was given back (the lesson pins itself while it
/// measures; the tour runs more lessons after it).
fn checked(name: &'static str, body: fn()) -> Trial {
    Trial::test(name, move || {
        let affinity = sched_getaffinity(Pid::from_raw(0)).expect("sched_getaffinity");
        body();
        assert_no_child_left(name);
        let now = sched_getaffinity(Pid::from_raw(0)).expect("sched_getaffinity");
        assert_eq!(
            now, affinity,
            "after {name:?}: the CPU affinity was not restored"
        );
        Ok(())
    })
}

/// `waitpid(-1, WNOHANG)` fails with ECHILD only when this process has no
/// child at all: none running, none dead and unreaped. (A test may ask
/// this: it owns the whole process.)
fn assert_no_child_left(name: &str) {
    match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
        Err(Errno::ECHILD) => {}
        other => panic!("after {name:?}: a child is left: waitpid gave {other:?}"),
    }
}

fn stream_default_buffer() {
    // An odd size, so the last write is a short piece.
    let bytes = (8 << 20) + 12_345;
    let transfer = pipes::stream_through_pipe(bytes, None).expect("stream");
    assert_eq!(transfer.bytes_sent, bytes);
    assert_eq!(transfer.bytes_received, bytes);
    assert!(transfer.checksum_ok);
    assert!(transfer.is_complete());
    assert!(transfer.elapsed > Duration::ZERO);
    assert!(transfer.bytes_per_second().is_finite() && transfer.bytes_per_second() > 0.0);
}

fn stream_large_buffer() {
    let bytes = 24 << 20;
    let transfer = pipes::stream_through_pipe(bytes, Some(LARGE_PIPE_BUFFER)).expect("stream");
    assert_eq!(transfer.pipe_capacity, LARGE_PIPE_BUFFER);
    assert_eq!(transfer.bytes_sent, bytes);
    assert_eq!(transfer.bytes_received, bytes);
    assert!(transfer.checksum_ok);
}

fn stream_any_placement() {
    for placement in [Placement::TwoCpus, Placement::OneCpu, Placement::Unpinned] {
        let transfer = pipes::stream_through_pipe_placed(1 << 20, None, placement).expect("stream");
        assert!(transfer.is_complete(), "{placement}: {transfer:?}");
        // Also a stream smaller than one write, and of a single byte.
        for bytes in [1, 1000] {
            let small = pipes::stream_through_pipe_placed(bytes, None, placement).expect("stream");
            assert!(small.is_complete(), "{placement}, {bytes} bytes: {small:?}");
        }
    }
}

fn small_records_never_torn() {
    for _ in 0..3 {
        let result = pipes::interleaving(4, 1000, PIPE_BUF).expect("interleaving");
        println!("{result:?}");
        assert_eq!(result.records_sent, 4000);
        assert_eq!(result.records_received, 4000);
        assert_eq!(result.torn, 0, "a record of PIPE_BUF bytes arrived torn");
    }
    // Smaller records too.
    let result = pipes::interleaving(4, 1000, 512).expect("interleaving");
    assert_eq!(result.records_received, 4000);
    assert_eq!(result.torn, 0);
}

fn large_records_all_arrive() {
    // Torn or not is up to the scheduler: only the bytes are promised.
    let result = pipes::interleaving(4, 8, pipes::LARGE_RECORD).expect("interleaving");
    println!("{result:?}");
    assert_eq!(result.records_received, result.records_sent);
    assert!(result.torn <= result.records_received);
}

fn dead_reader_gives_epipe() {
    let announced = 64 << 20;
    let result = pipes::reader_dies_mid_stream(announced, 1 << 20).expect("dead reader");
    assert_eq!(result.error, Some(Errno::EPIPE));
    assert!(result.sent_before_error < announced);
    assert_eq!(result.reader_ending.signal(), Some(Signal::SIGKILL));
}

fn dead_writer_gives_short_transfer() {
    let announced = 64 << 20;
    let die_after = 3 << 20;
    let result = pipes::writer_dies_mid_stream(announced, die_after).expect("dead writer");
    assert_eq!(result.announced, announced);
    assert_eq!(result.received, die_after);
    assert!(!result.complete);
    assert_eq!(result.writer_ending.signal(), Some(Signal::SIGKILL));
}

fn round_trips_are_measured() {
    let stats = pipes::pipe_round_trip(200).expect("round trips");
    assert_eq!(stats.samples, 4); // batches of 50
    let median = stats.median_secs();
    assert!(median.is_finite() && median > 0.0);
    assert!(stats.min <= stats.median && stats.median <= stats.max);
    let (stats, placement) = pipes::pipe_round_trip_placed(7, Placement::OneCpu).expect("rt");
    assert_eq!(stats.samples, 1);
    assert!(placement == Placement::OneCpu || placement == Placement::Unpinned);
}

fn whole_lesson() {
    let options = Options {
        mib: 4,
        round_trips: 100,
    };
    let report = pipes::run(&options).expect("the lesson");
    assert!(report.raw_child.is_success());
    assert!(report.command_reply_ok);
    for streams in [&report.default_buffer, &report.large_buffer] {
        assert_eq!(streams.runs.len(), ipc::noise::RUNS, "the runs alternate");
        for transfer in &streams.runs {
            assert_eq!(transfer.bytes_sent, 4 << 20);
            assert!(transfer.is_complete());
        }
    }
    assert_eq!(report.large_buffer.first().pipe_capacity, LARGE_PIPE_BUFFER);
    assert_eq!(report.round_trip_one_cpu_placement, Placement::OneCpu);
    assert_eq!(report.small_records.torn, 0);
    assert_eq!(report.dead_reader.error, Some(Errno::EPIPE));
    assert!(report.dead_writer.received < report.dead_writer.announced);
    assert!(report.round_trip.median_secs() > 0.0);
    assert!(report.round_trip_one_cpu.median_secs() > 0.0);
}

// ---------------------------------------------------------------------------
// A lesson embedded in a program that has a second, printing thread.
// ---------------------------------------------------------------------------

/// Each public function of the pipes lesson that forks, called while a
/// second thread is alive (here blocked, not printing), returns the
/// refusal instead of forking.
fn every_forking_function_refuses() {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || stopped.recv());
    type Call = (&'static str, Box<dyn Fn() -> support::error::Result<()>>);
    let calls: Vec<Call> = vec![
        (
            "stream_through_pipe",
            Box::new(|| pipes::stream_through_pipe(1000, None).map(drop)),
        ),
        (
            "stream_through_pipe_placed",
            Box::new(|| pipes::stream_through_pipe_placed(1000, None, Placement::OneCpu).map(drop)),
        ),
        (
            "pipe_round_trip",
            Box::new(|| pipes::pipe_round_trip(10).map(drop)),
        ),
        (
            "pipe_round_trip_placed",
            Box::new(|| pipes::pipe_round_trip_placed(10, Placement::TwoCpus).map(drop)),
        ),
        (
            "interleaving",
            Box::new(|| pipes::interleaving(2, 10, 512).map(drop)),
        ),
        (
            "reader_dies_mid_stream",
            Box::new(|| pipes::reader_dies_mid_stream(1 << 20, 1 << 10).map(drop)),
        ),
        (
            "writer_dies_mid_stream",
            Box::new(|| pipes::writer_dies_mid_stream(1 << 20, 1 << 10).map(drop)),
        ),
    ];
    let outcomes: Vec<(&str, String)> = calls
        .iter()
        .map(|(name, call)| {
            let outcome = match call() {
                Ok(()) => "Ok: it forked".to_string(),
                Err(error) => error.to_string(),
            };
            (*name, outcome)
        })
        .collect();
    stop.send(()).unwrap();
    other.join().unwrap().unwrap();
    for (name, outcome) in outcomes {
        assert!(
            outcome.starts_with("refusing to fork: this process has 2 threads"),
            "{name}: {outcome}"
        );
    }
}

/// Generous: the refusal takes about a second, a finished run a few.
const EMBEDDED_LIMIT: Duration = Duration::from_secs(60);

fn pipes_run_with_a_printing_thread() {
    // raw_pipe's parent prints this right after the lesson's first fork.
    embedded_trial(EMBEDDED_PIPES, "forked child pid=");
}

fn shared_memory_run_with_a_printing_thread() {
    // private_vs_shared's child prints this right after the first fork.
    embedded_trial(EMBEDDED_SHARED_MEMORY, "into both");
}

/// Runs this test binary in `role`, with a time limit (a hang fails the
/// test), and checks what the lesson returned.
///
/// Both lessons fork in their first part, and the printing thread runs all
/// along, so here the answer must be the refusal, before that first fork:
/// no line `after_first_fork` printed. (Ok would mean a fork went ahead
/// with a second thread running: the hang this trial is about, dodged by
/// luck.)
fn embedded_trial(role: &str, after_first_fork: &str) {
    let (outcome, stdout) = outcome_beside_a_printing_thread(role, EMBEDDED_LIMIT);
    assert!(outcome.starts_with(REFUSAL), "{role}: {outcome}");
    assert!(
        !stdout.contains(after_first_fork),
        "{role}: the lesson forked with a second thread running\n{stdout}"
    );
}

fn embedded_pipes(_args: &[String]) -> i32 {
    run_beside_a_printing_thread(|| {
        pipes::run(&Options {
            mib: 1,
            round_trips: 50,
        })
        .map(|_| ())
    })
}

fn embedded_shared_memory(_args: &[String]) -> i32 {
    run_beside_a_printing_thread(|| {
        ipc::shared_memory::run(&ipc::shared_memory::Options {
            mib: 1,
            ..Default::default()
        })
        .map(|_| ())
    })
}
