//! Why lesson 07 measures creation in a fresh process: the same fork costs
//! more once the process has run threads: glibc keeps some of their stacks
//! and the malloc arenas they used mapped for reuse, and fork copies every
//! mapping.
//! Run it: `cargo run --release -p key-differences --example 07c-fork-after-threads`.
//! Read next: `src/part3_creation.rs`, which starts a fresh process per run.

use std::time::{Duration, Instant};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork};

/// The median of 5 batches of 20 forks, each child `_exit`ing at once.
fn fork_cost() -> Duration {
    let mut batches: Vec<Duration> = (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..20 {
                // SAFETY: every thread this program started has been joined
                // before this is called; the child only `_exit`s.
                match unsafe { fork() }.expect("fork(2)") {
                    // SAFETY: _exit is async-signal-safe and ends the child at once.
                    ForkResult::Child => unsafe { libc::_exit(0) },
                    ForkResult::Parent { child } => drop(waitpid(child, None).expect("waitpid(2)")),
                }
            }
            start.elapsed() / 20
        })
        .collect();
    batches.sort();
    batches[2]
}

fn mappings() -> usize {
    std::fs::read_to_string("/proc/self/maps").map_or(0, |maps| maps.lines().count())
}

fn main() {
    let (fresh, fresh_maps) = (fork_cost(), mappings());
    // 16 threads at once, each with a stack of its own, all joined.
    let threads: Vec<_> = (0..16)
        .map(|_| std::thread::spawn(|| std::hint::black_box(vec![1u8; 4096]).len()))
        .collect();
    let sum: usize = threads
        .into_iter()
        .map(|thread| thread.join().expect("join"))
        .sum();
    std::thread::sleep(Duration::from_millis(20)); // joined threads leave the kernel's count
    let (after, after_maps) = (fork_cost(), mappings());
    println!("fork + _exit + waitpid, fresh process:  {fresh:?} ({fresh_maps} mappings)");
    println!("the same after 16 threads ran (sum {sum}): {after:?} ({after_maps} mappings)");
    println!(
        "{:.2}× (should be above 1: more mappings to copy; noise can hide it)",
        after.as_secs_f64() / fresh.as_secs_f64()
    );
    assert!(after_maps > fresh_maps, "the threads' stacks stay mapped");
}
