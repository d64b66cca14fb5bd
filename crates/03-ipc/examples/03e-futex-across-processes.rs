//! 03e: two processes sleep and wake on one word in a MAP_SHARED page with futex(2). The
//! child sleeps in FUTEX_WAIT; a wake with FUTEX_PRIVATE_FLAG (what std's and parking_lot's
//! locks use) finds no sleeper, because a private futex is looked up in the caller's own
//! address space; the plain, shared FUTEX_WAKE finds the child and wakes it.
//! Run it: `cargo run -p ipc --example 03e-futex-across-processes`
//! Read next: the shared-memory chapter, part 5 (why not a Mutex in the shared page).

use libc::{FUTEX_PRIVATE_FLAG, FUTEX_WAIT, FUTEX_WAKE, SYS_futex};
use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous};
use nix::sys::time::TimeSpec;
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};
use std::num::NonZeroUsize;
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::time::{Duration, Instant};

fn futex(word: &AtomicU32, operation: i32, value: u32) -> i64 {
    let bound = TimeSpec::new(2, 0); // FUTEX_WAIT never sleeps for ever
    // SAFETY: the kernel reads the live, aligned word and `bound` during this call only.
    unsafe { libc::syscall(SYS_futex, word.as_ptr(), operation, value, bound.as_ref()) }
}

fn main() {
    let (length, access) = (NonZeroUsize::new(4096).expect("4096"), ProtFlags::all());
    // SAFETY: a fresh anonymous mapping (no hint address) overlaps no Rust object.
    let page = unsafe { mmap_anonymous(None, length, access, MapFlags::MAP_SHARED) };
    // SAFETY: a zeroed, page-aligned word that is never unmapped and only used atomically.
    let word = unsafe { AtomicU32::from_ptr(page.expect("mmap(2)").as_ptr().cast()) };
    let threads = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(threads, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            while word.load(SeqCst) == 0 {
                let slept = futex(word, FUTEX_WAIT, 0); // sleeps only while the word is 0
                let now = word.load(SeqCst);
                println!("child : FUTEX_WAIT returned {slept}; the word is {now}");
            }
            // SAFETY: _exit(2) ends the child at once (stdout is flushed at each newline).
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            let wchan = format!("/proc/{child}/wchan"); // where the child sleeps in the kernel
            let in_futex = || std::fs::read_to_string(&wchan).is_ok_and(|w| w.starts_with("futex"));
            let started = Instant::now(); // a loaded machine may be slow to run the child
            while !in_futex() && started.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(1));
            }
            assert!(in_futex(), "the child sleeps in futex_wait");
            let private = futex(word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1); // std's kind
            println!("parent: FUTEX_WAKE_PRIVATE woke {private} (should be 0: another process)");
            word.store(1, SeqCst); // the news first, then the wake-up
            let shared = futex(word, FUTEX_WAKE, 1); // no private flag: found by the page
            println!("parent: FUTEX_WAKE woke {shared} (should be 1: the child)");
            assert_eq!((private, shared), (0, 1)); // only the shared wake finds the child
            assert_eq!(waitpid(child, None), Ok(WaitStatus::Exited(child, 0)));
        }
    }
}
