//! 02d: a forked child gets a copy of its parent's memory, not a share of it. The child
//! adds to the counter, at the very same virtual address, and the parent's value does
//! not move: the child wrote to its own copy of the page (copy-on-write).
//! Run it: `cargo run -p shared-memory-threads --example 02d-fork-copies`
//! Read next: lesson 03 (`crates/03-ipc`), where processes share memory on purpose.

use std::io::Write;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, getpid};

static COUNTER: AtomicU64 = AtomicU64::new(100);

fn main() {
    let address = &COUNTER as *const AtomicU64 as usize;
    println!(
        "parent pid {}: counter = {} at {address:#x}",
        getpid(),
        COUNTER.load(Relaxed)
    );
    std::io::stdout().flush().expect("flush"); // or the child inherits unprinted text
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count(); // one per thread
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            COUNTER.fetch_add(1, Relaxed); // a write: now the child has its own copy of the page
            let mine = COUNTER.load(Relaxed);
            println!("child  pid {}: counter = {mine} at {address:#x}", getpid());
            std::io::stdout().flush().expect("flush");
            // SAFETY: _exit(2) ends this process at once; it runs none of main's code
            // after the match, and no destructor or atexit handler.
            unsafe { libc::_exit(if mine == 101 { 0 } else { 1 }) }
        }
        ForkResult::Parent { child } => {
            let status = waitpid(child, None).expect("waitpid(2)"); // the child has added by now
            let mine = COUNTER.load(Relaxed);
            println!("parent pid {}: counter = {mine} at {address:#x}", getpid());
            assert_eq!(status, WaitStatus::Exited(child, 0), "the child saw 101");
            assert_eq!(mine, 100, "the child's write did not reach the parent");
            println!("same address, two values: two address spaces");
        }
    }
}
