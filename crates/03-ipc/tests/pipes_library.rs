//! The pipes lesson's claims, checked by calling the library directly.
//!
//! These checks fork, so they cannot run under the test harness (it runs
//! tests on several threads). This is a plain `main` (`harness = false`):
//! one thread, checks one after the other, and after each one no child of
//! ours may be left, running or zombie.

use std::time::Duration;

use ipc::pipes::{self, LARGE_PIPE_BUFFER, Options, PIPE_BUF, Placement};
use nix::errno::Errno;
use nix::sched::sched_getaffinity;
use nix::sys::signal::Signal;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;

type Check = (&'static str, fn());

const CHECKS: &[Check] = &[
    (
        "every byte arrives and the checksum matches, default buffer",
        stream_default_buffer,
    ),
    (
        "every byte arrives and the checksum matches, 1 MiB buffer",
        stream_large_buffer,
    ),
    (
        "the stream is whole wherever the processes run",
        stream_any_placement,
    ),
    (
        "records of PIPE_BUF bytes are never torn",
        small_records_never_torn,
    ),
    (
        "records larger than the pipe all arrive, torn or not",
        large_records_all_arrive,
    ),
    (
        "a reader that dies gives the writer EPIPE, not a hang",
        dead_reader_gives_epipe,
    ),
    (
        "a writer that dies gives the reader a short transfer",
        dead_writer_gives_short_transfer,
    ),
    (
        "round trips give finite, positive figures",
        round_trips_are_measured,
    ),
    ("the whole lesson runs and reports success", whole_lesson),
];

fn main() {
    // The lesson's Command example starts this executable again in a role.
    support::role::dispatch(&[pipes::ROLES]);
    // A hang is a failure: SIGALRM ends this process after 5 minutes.
    nix::unistd::alarm::set(300);
    // The lesson pins itself to CPUs while it measures; the tour runs more
    // lessons after it, so it must give the old affinity back.
    let affinity = sched_getaffinity(Pid::from_raw(0)).expect("sched_getaffinity");
    for (name, check) in CHECKS {
        println!("\n### check: {name}");
        check();
        assert_no_child_left(name);
        let now = sched_getaffinity(Pid::from_raw(0)).expect("sched_getaffinity");
        assert_eq!(
            now, affinity,
            "after {name:?}: the CPU affinity was not restored"
        );
        println!("### ok: {name}");
    }
    println!(
        "\ntest result: ok. {} passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n",
        CHECKS.len()
    );
}

/// `waitpid(-1, WNOHANG)` fails with ECHILD only when this process has no
/// child at all: none running, none dead and unreaped.
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
    for transfer in [report.default_buffer, report.large_buffer] {
        assert_eq!(transfer.bytes_sent, 4 << 20);
        assert!(transfer.is_complete());
    }
    assert_eq!(report.large_buffer.pipe_capacity, LARGE_PIPE_BUFFER);
    assert_eq!(report.small_records.torn, 0);
    assert_eq!(report.dead_reader.error, Some(Errno::EPIPE));
    assert!(report.dead_writer.received < report.dead_writer.announced);
    assert!(report.round_trip.median_secs() > 0.0);
    assert!(report.round_trip_one_cpu.median_secs() > 0.0);
}
