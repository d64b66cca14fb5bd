//! 05a: start and finish a thread, twice: through std, then through the raw
//! pthread_create(3) that std calls. Both are clone(2) into the same address space.
//! Run it: `cargo run --release -p creation-cost --example 05a-thread-spawn`
//! Next: `05b-fork-exit.rs`, a whole process started and finished.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

const THREADS: usize = 2_000;
static RAN: AtomicUsize = AtomicUsize::new(0); // each thread adds 1

extern "C" fn empty_thread(_arg: *mut libc::c_void) -> *mut libc::c_void {
    RAN.fetch_add(1, Ordering::Relaxed);
    std::ptr::null_mut()
}

fn main() {
    let start = Instant::now();
    for _ in 0..THREADS {
        let handle = std::thread::spawn(|| RAN.fetch_add(1, Ordering::Relaxed)); // clone(2)
        handle.join().expect("the thread panicked"); // waits until the thread has ended
    }
    let std_each = start.elapsed() / THREADS as u32;

    let start = Instant::now();
    for _ in 0..THREADS {
        let mut thread: libc::pthread_t = 0;
        // SAFETY: `thread` is a valid place for the id, null attributes mean the
        // defaults, and empty_thread is an extern "C" function that ignores its argument.
        let created = unsafe {
            libc::pthread_create(
                &mut thread,
                std::ptr::null(),
                empty_thread,
                std::ptr::null_mut(),
            )
        };
        assert_eq!(created, 0, "pthread_create(3)");
        // SAFETY: `thread` was created just above and is joined exactly once.
        let joined = unsafe { libc::pthread_join(thread, std::ptr::null_mut()) };
        assert_eq!(joined, 0, "pthread_join(3)");
    }
    let raw_each = start.elapsed() / THREADS as u32;

    println!("std::thread::spawn + join: {std_each:?} each");
    println!("pthread_create + join:     {raw_each:?} each");
    println!("std's extra calls per thread (`strace -f -c`): sched_getaffinity, gettid, a 12 KiB");
    println!("mmap + mprotect (guard page) for a signal stack, 3 sigaltstack (query, install,");
    println!("disable) and its munmap; none of them for the raw pthread_create");
    assert_eq!(
        RAN.load(Ordering::Relaxed),
        2 * THREADS,
        "every thread ran once"
    );
}
