//! The whole lesson, fork included, as `harness = false` test program: its
//! only thread is `main`, as when `just demo-threads` runs, so `run` may
//! fork. It asserts on the structured `Report` rather than on the text.

use shared_memory_threads::{Options, run};

fn main() {
    // If anything hangs, SIGALRM ends this test program (and fails it)
    // after two minutes. A forked child does not inherit the alarm.
    nix::unistd::alarm::set(120);

    let options = Options {
        threads: 3,
        increments: 100_000,
    };
    let report = run(&options).expect("the lesson runs");

    // Part 1.
    let space = &report.address_space;
    assert_eq!(space.workers.len(), 3);
    assert!(space.shared_addresses_agree());
    assert!(space.stacks_are_distinct());
    // Part 2.
    assert_eq!(
        report.direct_read.reader_address,
        report.direct_read.writer_address
    );
    assert_eq!(report.direct_read.reader_sum, report.direct_read.writer_sum);
    assert!(report.hand_off.channel.median_secs() > 0.0);
    assert!(report.hand_off.condvar.median_secs() > 0.0);
    // Part 3.
    let counters = &report.counters;
    for fixed in [
        &counters.atomic_fetch_add,
        &counters.parking_lot_mutex,
        &counters.std_mutex,
    ] {
        assert_eq!(fixed.counted, 300_000, "{}", fixed.label);
    }
    let racy = &counters.racy_load_store;
    assert!(racy.counted <= 300_000);
    assert_eq!(racy.lost, 300_000 - racy.counted);
    assert!(report.cores >= 1);
    // Part 4: the thread's additions reached the parent; the child's did not.
    let fork = &report.fork;
    assert!(
        fork.child_ending.is_success(),
        "child: {}",
        fork.child_ending
    );
    if cfg!(target_os = "linux") {
        assert_eq!(fork.threads_at_fork, Some(1), "forked from a single thread");
    }
    assert_eq!(fork.parent_view_after_thread, 100_000);
    assert_eq!(fork.child_view, 100_000 + fork.child_added);
    assert_eq!(
        fork.child_address, fork.parent_address,
        "same virtual address"
    );
    assert_eq!(
        fork.parent_view_after_child, fork.parent_view_after_thread,
        "unchanged"
    );

    println!("whole_lesson: every claim of the report checked");
    println!("\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n");
}
