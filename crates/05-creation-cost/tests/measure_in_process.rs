//! Runs the lesson inside this test process and checks the `Report`.
//!
//! The lesson forks, and fork is only safe in a single-threaded process, so
//! this target has `harness = false`: this `main` is the only thread, unlike
//! the cargo test harness, which runs tests on several threads.

use std::time::{Duration, Instant};

use creation_cost::{FORK_SIZES, MemorySource, Options, run, threads_in_this_process};
use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use support::Stats;

fn main() {
    if !cfg!(target_os = "linux") {
        println!("measure_in_process: skipped, it reads /proc (Linux only)");
        return;
    }
    // Bound the whole test: if anything hangs, SIGALRM ends the process
    // (and the test fails) after two minutes.
    // SAFETY: alarm(2) only arms a timer; it touches no memory of ours.
    unsafe { libc::alarm(120) };

    let resident_before = vm_rss();
    let report = run(&Options {
        repeats: 3,
        workers: 4,
    })
    .expect("the lesson runs");

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
    // The 512 MiB was given back.
    let resident_after = vm_rss();
    assert!(
        resident_after < resident_before + (64 << 20),
        "resident {resident_before} → {resident_after}"
    );

    // The measurements are callable with a repetition count of their own.
    check_stats(
        "fork_exit_wait(5)",
        creation_cost::fork_exit_wait(5).unwrap(),
        5,
    );
    check_stats(
        "thread_spawn_join(7)",
        creation_cost::thread_spawn_join(7).unwrap(),
        7,
    );

    println!("measure_in_process: ok");
    println!("\ntest result: ok. 1 passed; 0 failed; 0 ignored; 0 measured; 0 filtered out\n");
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
