//! 05b: start and finish a whole process: fork(2), the child _exits at once, the
//! parent waitpid(2)s. fork copies the parent's page tables; no data page is copied.
//! Run it: `cargo run --release -p creation-cost --example 05b-fork-exit`
//! Next: `05c-fork-exec.rs`, the child then becomes another program.

use std::time::Instant;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

const CHILDREN: u32 = 300;

fn main() {
    let threads = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(threads, 1, "fork needs a single-threaded process");
    let mut exited_ok = 0;
    let start = Instant::now();
    for _ in 0..CHILDREN {
        // SAFETY: one thread (checked above), and the child only calls _exit.
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                // SAFETY: _exit ends the child at once, running no inherited cleanup.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => {
                let status = waitpid(child, None).expect("waitpid(2)"); // reap: no zombie
                if status == WaitStatus::Exited(child, 0) {
                    exited_ok += 1;
                }
            }
        }
    }
    let each = start.elapsed() / CHILDREN;
    println!("fork + _exit + waitpid: {each:?} each, {exited_ok} of {CHILDREN} exited with 0");
    assert_eq!(exited_ok, CHILDREN, "every child exited with 0");
}
