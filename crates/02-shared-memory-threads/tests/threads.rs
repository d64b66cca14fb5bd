//! The thread-only parts of the lesson, called directly: none of them forks,
//! so they are safe in the multi-threaded test harness.

use shared_memory_threads::{
    SHARED_STATIC, channel_round_trip, condvar_round_trip, grouped, hand_off_row, lost_updates,
    one_address_space, read_in_place,
};
use support::placement::{Placement, allowed_cpus, pin_this_thread_to};

#[test]
fn every_worker_sees_one_shared_address_and_its_own_stack() {
    let seen = one_address_space(8).expect("part 1 runs");
    assert_eq!(seen.workers.len(), 8);
    let statics: Vec<usize> = seen.workers.iter().map(|w| w.static_value).collect();
    for (number, worker) in (1..).zip(&seen.workers) {
        assert_eq!(worker.thread, format!("worker-{number}"));
        assert_eq!(
            worker.heap_value, seen.parent_heap_value,
            "{}",
            worker.thread
        );
        assert_eq!(worker.static_value, statics[0], "{}", worker.thread);
        assert_ne!(worker.stack_local, worker.heap_value);
    }
    let mut stacks: Vec<usize> = seen.workers.iter().map(|w| w.stack_local).collect();
    stacks.sort_unstable();
    stacks.dedup();
    assert_eq!(stacks.len(), 8, "eight different stack addresses");
    assert_eq!(seen.arc_sightings, vec![seen.parent_arc_value; 2]);
    assert!(seen.shared_addresses_agree());
    assert!(seen.stacks_are_distinct());
}

#[test]
fn the_reader_reads_the_writers_bytes_at_the_same_address() {
    let bytes = 100_000;
    let read = read_in_place(bytes).expect("part 2a runs");
    assert_eq!(read.bytes, bytes);
    assert_eq!(read.reader_address, read.writer_address);
    let expected: u64 = (0..bytes).map(|i| (i % 251) as u64).sum();
    assert_eq!(read.writer_sum, expected);
    assert_eq!(read.reader_sum, expected);
}

#[test]
fn hand_off_round_trips_are_measured() {
    for stats in [
        channel_round_trip().expect("channel round trip"),
        condvar_round_trip().expect("condvar round trip"),
    ] {
        assert!(stats.samples > 0);
        assert!(stats.median.as_secs_f64() > 0.0 && stats.median_secs().is_finite());
        assert!(stats.min <= stats.median && stats.median <= stats.max);
    }
}

#[test]
fn fixed_counters_are_exact_and_the_racy_one_never_overshoots() {
    for threads in [1, 4] {
        let counters = lost_updates(threads, 50_000).expect("part 3 runs");
        let expected = threads as u64 * 50_000;
        for fixed in [
            &counters.atomic_fetch_add,
            &counters.parking_lot_mutex,
            &counters.std_mutex,
        ] {
            assert_eq!(fixed.expected, expected, "{}", fixed.label);
            assert_eq!(fixed.counted, expected, "{}", fixed.label);
            assert_eq!(fixed.lost, 0, "{}", fixed.label);
        }
        let racy = &counters.racy_load_store;
        assert_eq!((racy.threads, racy.expected), (threads, expected));
        assert!(racy.counted <= expected, "{} > {expected}", racy.counted);
    }
}

#[test]
fn one_thread_alone_loses_nothing_even_with_load_and_store() {
    let counters = lost_updates(1, 100_000).expect("part 3 runs");
    assert_eq!(counters.racy_load_store.counted, 100_000);
    assert_eq!(counters.racy_load_store.lost, 0);
}

#[test]
fn hand_offs_are_measured_where_asked_or_not_at_all() {
    // On a thread of its own: pinning changes the calling thread's CPU mask.
    std::thread::spawn(|| {
        let allowed = allowed_cpus().expect("sched_getaffinity");
        let first = allowed[0];
        // Pinning may be refused (a locked-down container): try on a thread of its own.
        let pinnable = std::thread::spawn(move || pin_this_thread_to(first).is_ok())
            .join()
            .expect("the probing thread");
        let one = hand_off_row(Placement::OneCpu).expect("one CPU");
        assert_eq!(
            one.map(|row| row.placement),
            pinnable.then_some(Placement::OneCpu)
        );
        let two = hand_off_row(Placement::TwoCpus).expect("two CPUs");
        let allowed = allowed.len();
        assert_eq!(
            two.map(|row| row.placement),
            (pinnable && allowed >= 2).then_some(Placement::TwoCpus)
        );
        assert_eq!(
            allowed_cpus().expect("mask again").len(),
            allowed,
            "mask restored"
        );
    })
    .join()
    .expect("the measuring thread");
}

#[test]
fn the_static_sits_where_every_worker_saw_it() {
    let seen = one_address_space(2).expect("part 1 runs");
    let address = &SHARED_STATIC as *const _ as usize;
    assert_eq!(seen.parent_static_value, address);
    assert!(
        seen.workers
            .iter()
            .all(|worker| worker.static_value == address)
    );
}

#[test]
fn numbers_are_grouped_in_threes() {
    for (number, text) in [
        (0, "0"),
        (999, "999"),
        (1_000, "1_000"),
        (3_912_004, "3_912_004"),
    ] {
        assert_eq!(grouped(number), text);
    }
}

#[test]
fn parking_lot_is_small_and_does_not_poison_where_std_does() {
    // Sizes, as the header says: a one-byte lock, a one-word condvar.
    assert_eq!(std::mem::size_of::<parking_lot::Mutex<()>>(), 1);
    assert_eq!(
        std::mem::size_of::<parking_lot::Condvar>(),
        std::mem::size_of::<usize>()
    );

    let parking = parking_lot::Mutex::new(0_u64);
    let standard = std::sync::Mutex::new(0_u64);
    // A thread panics while holding each lock (its panic message is expected
    // in the test output).
    std::thread::scope(|scope| {
        let panicked = scope
            .spawn(|| {
                let _held = parking.lock();
                let _also_held = standard.lock();
                panic!("deliberate panic while holding both locks");
            })
            .join();
        assert!(panicked.is_err());
    });
    // parking_lot: the lock was simply released; lock() gives the guard.
    *parking.lock() += 1;
    assert_eq!(*parking.lock(), 1);
    // std: the lock is poisoned; lock() returns Err until you take the
    // value out of the error.
    assert!(standard.is_poisoned());
    assert!(standard.lock().is_err());
}
