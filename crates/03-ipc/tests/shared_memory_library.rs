//! The shared-memory lesson's library functions, called in this process:
//! every test runs on the main thread (`harness = false`), because a
//! process must be single-threaded when it forks. `-- --list` lists them.

use std::time::Duration;

use ipc::shared_memory::{
    self, KillPoint, TestHooks, Waiting, ring_between_processes, same_work_in_one_process,
    word_round_trips,
};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use support::testing::{run_tests_in_one_thread, trial};

fn main() {
    support::role::dispatch(&[shared_memory::ROLES]);
    nix::unistd::alarm::set(300); // a hang is a failure: SIGALRM ends us
    run_tests_in_one_thread(vec![
        trial("the_ring_moves_every_byte", the_ring_moves_every_byte),
        trial(
            "a_consumer_that_exits_right_after_its_last_slot_is_a_success",
            a_consumer_that_exits_right_after_its_last_slot_is_a_success,
        ),
        trial(
            "a_killed_consumer_is_a_clear_error",
            a_killed_consumer_is_a_clear_error,
        ),
        trial(
            "the_reference_does_the_same_work",
            the_reference_does_the_same_work,
        ),
        trial("round_trips_spin_and_sleep", round_trips_spin_and_sleep),
        trial(
            "every_forking_function_refuses_with_a_second_thread",
            refuses_with_a_thread,
        ),
    ]);
}

/// This process has no child left, dead or alive (the test owns the process).
fn assert_no_child_left() {
    match waitpid(Pid::from_raw(-1), Some(WaitPidFlag::WNOHANG)) {
        Err(Errno::ECHILD) => {}
        other => panic!("a child is left: waitpid gave {other:?}"),
    }
}

fn the_ring_moves_every_byte() {
    let total = (3 << 20) + 12_345; // an odd size: the last slot is part full
    let ring = ring_between_processes(total, &TestHooks::default()).expect("the ring");
    assert_eq!((ring.bytes_sent, ring.bytes_received), (total, total));
    assert!(ring.checksum_ok);
    assert_no_child_left();
}

/// The end-of-transfer race: the consumer hands back its last slot late and
/// exits at once, while the producer is in the middle of asking whether the
/// consumer still runs. The transfer is complete: that is a success.
fn a_consumer_that_exits_right_after_its_last_slot_is_a_success() {
    let hooks = TestHooks {
        // The pause before each check dwarfs the time between checks, so
        // the consumer almost surely ends during one.
        late_last_slot: Duration::from_millis(30),
        slow_peer_check: Duration::from_millis(200),
        ..TestHooks::default()
    };
    for _ in 0..3 {
        let ring = ring_between_processes(1 << 20, &hooks).expect("a finished ring is a success");
        assert!(ring.checksum_ok && ring.bytes_received == 1 << 20);
    }
    assert_no_child_left();
}

fn a_killed_consumer_is_a_clear_error() {
    let hooks = TestHooks {
        kill: Some(KillPoint::RingConsumer),
        ..TestHooks::default()
    };
    let error = ring_between_processes(8 << 20, &hooks)
        .expect_err("a dead consumer")
        .to_string();
    assert!(
        error.contains("consumer") && error.contains("SIGKILL"),
        "{error}"
    );
    assert_no_child_left();
}

fn the_reference_does_the_same_work() {
    let (elapsed, checksum_ok) = same_work_in_one_process((5 << 20) + 7);
    assert!(checksum_ok && elapsed > Duration::ZERO);
}

fn round_trips_spin_and_sleep() {
    for waiting in [Waiting::Spin, Waiting::Futex] {
        let (stats, _, waits) = word_round_trips(waiting, 20).expect("round trips");
        assert!(
            stats.samples > 0 && stats.min <= stats.median,
            "{waiting:?}"
        );
        if waiting == Waiting::Futex {
            assert!(waits.sleeps > 0, "a futex round trip sleeps: {waits:?}");
        }
    }
    assert_no_child_left();
}

/// With a second thread alive, every function that forks refuses.
fn refuses_with_a_thread() {
    let (stop, stopped) = std::sync::mpsc::channel::<()>();
    let other = std::thread::spawn(move || stopped.recv());
    let outcomes = [
        ring_between_processes(1 << 20, &TestHooks::default()).map(drop),
        word_round_trips(Waiting::Spin, 10).map(drop),
        word_round_trips(Waiting::Futex, 10).map(drop),
        shared_memory::run(&shared_memory::Options::default()).map(drop),
    ];
    stop.send(()).unwrap();
    other.join().unwrap().unwrap();
    for outcome in outcomes {
        let error = outcome.expect_err("refused").to_string();
        assert!(
            error.starts_with("refusing to fork: this process has 2 threads"),
            "{error}"
        );
    }
}
