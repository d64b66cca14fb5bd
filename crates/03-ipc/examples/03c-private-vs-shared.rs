//! 03c: after fork, a `MAP_PRIVATE` page is the child's own copy (copy-on-write), while a
//! `MAP_SHARED` page is one page seen by both: the child's write reaches the parent only
//! through the shared one. Both pages are anonymous, made with mmap(2) before the fork.
//! Run it: `cargo run -p ipc --example 03c-private-vs-shared`
//! Read next: `03d-shm-by-name.rs`, two processes that share a page without a fork.

use std::num::NonZeroUsize;
use std::ptr::NonNull;

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

fn page(sharing: MapFlags) -> NonNull<u8> {
    let length = NonZeroUsize::new(4096).expect("non-zero");
    let protection = ProtFlags::PROT_READ | ProtFlags::PROT_WRITE;
    // SAFETY: a fresh anonymous mapping (no hint address) overlaps no Rust object.
    let page = unsafe { mmap_anonymous(None, length, protection, sharing) }.expect("mmap(2)");
    page.cast() // zero-filled; never unmapped: it lives until the process ends
}

fn main() {
    let private = page(MapFlags::MAP_PRIVATE); // copy-on-write after fork
    let shared = page(MapFlags::MAP_SHARED); // one page, whoever maps it
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            // SAFETY: both pages are 4096 bytes, mapped readable and writable, and this
            // process has one thread, so nothing else touches them here.
            unsafe {
                (
                    private.as_ptr().write_volatile(42),
                    shared.as_ptr().write_volatile(42),
                )
            };
            println!("child : wrote 42 into both pages");
            // SAFETY: _exit(2) ends the child at once (stdout is flushed at each newline).
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            let status = waitpid(child, None).expect("waitpid(2)"); // the child has written
            assert_eq!(status, WaitStatus::Exited(child, 0));
            // SAFETY: as in the child; the child has ended, so no one writes now.
            let (mine, ours) = unsafe {
                (
                    private.as_ptr().read_volatile(),
                    shared.as_ptr().read_volatile(),
                )
            };
            println!(
                "parent: MAP_PRIVATE page holds {mine} (should be 0: the child wrote its copy)"
            );
            println!("parent: MAP_SHARED  page holds {ours} (should be 42: one page for both)");
            assert_eq!((mine, ours), (0, 42));
        }
    }
}
