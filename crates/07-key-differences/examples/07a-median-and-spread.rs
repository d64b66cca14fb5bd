//! One timing on a shared machine is noise: time fork + _exit + waitpid in
//! batches until they agree within 20% (or half a second has passed), and
//! report the median with its spread, as `just compare` does below five runs.
//! Run it: `cargo run -p key-differences --example 07a-median-and-spread`.
//! Read next: 07b-noise-from-proc.rs, which asks the machine how busy it was.

use std::time::{Duration, Instant};

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

const BATCH: u32 = 20; // forks between two clock reads

fn one_batch() -> Duration {
    let start = Instant::now();
    for _ in 0..BATCH {
        // SAFETY: this program starts no thread, so the child may run any
        // code; it runs none: it only `_exit`s.
        match unsafe { fork() }.expect("fork(2)") {
            // SAFETY: _exit is async-signal-safe and ends the child at once.
            ForkResult::Child => unsafe { libc::_exit(0) },
            ForkResult::Parent { child } => {
                let status = waitpid(child, None).expect("waitpid(2)"); // no zombie left
                assert_eq!(status, WaitStatus::Exited(child, 0));
            }
        }
    }
    start.elapsed() / BATCH // the mean cost of one fork in this batch
}

fn main() {
    let started = Instant::now();
    let mut batches: Vec<Duration> = Vec::new();
    loop {
        batches.push(one_batch());
        let mut sorted = batches.clone();
        sorted.sort();
        let (n, low, high) = (sorted.len(), sorted[0], sorted[sorted.len() - 1]);
        let spread = high.as_secs_f64() / low.as_secs_f64();
        let (steady, out_of_time) = (
            spread <= 1.2,
            started.elapsed() > Duration::from_millis(500),
        );
        if n >= 3 && (steady || out_of_time) {
            let median = (sorted[(n - 1) / 2] + sorted[n / 2]) / 2; // even n: the middle two's mean
            println!("fork + _exit + waitpid: median {median:?} ({low:?}–{high:?}, {n} batches)");
            match steady {
                true => println!("steady: the batches agree within {spread:.2}×"),
                false => {
                    println!("disturbed: spread {spread:.2}× over 1.2×; rerun on a quiet machine")
                }
            }
            assert!(low <= median && median <= high); // the median lies inside its spread
            break;
        }
    }
}
