//! 05c: fork(2), then the child execs /bin/true: the copied address space is
//! thrown away at once and a new program is loaded. Dearer than 05b.
//! Run it: `cargo run --release -p creation-cost --example 05c-fork-exec`
//! Next: `05d-command-spawn.rs`, std's way, which skips the copy.

use std::time::Instant;

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, execv, fork};

const CHILDREN: u32 = 100;

fn main() {
    let threads = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(threads, 1, "fork needs a single-threaded process");
    // Built before fork: after fork the child calls only execv and _exit.
    let program = c"/bin/true";
    let argv = [program];
    let mut exited_ok = 0;
    let start = Instant::now();
    for _ in 0..CHILDREN {
        // SAFETY: one thread (checked above); the child calls only execv and _exit.
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                let _ = execv(program, &argv); // returns only if it failed
                // SAFETY: _exit ends the child at once; 127 says "could not exec".
                unsafe { libc::_exit(127) }
            }
            ForkResult::Parent { child } => {
                let status = waitpid(child, None).expect("waitpid(2)");
                if status == WaitStatus::Exited(child, 0) {
                    exited_ok += 1; // /bin/true ran and exited with 0
                }
            }
        }
    }
    let each = start.elapsed() / CHILDREN;
    println!("fork + exec /bin/true + waitpid: {each:?} each, {exited_ok} of {CHILDREN} ran");
    assert_eq!(exited_ok, CHILDREN, "every child ran /bin/true");
}
