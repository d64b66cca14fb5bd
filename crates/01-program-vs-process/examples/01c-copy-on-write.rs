//! 01c: copy-on-write. After fork(2) parent and child share each private page,
//! write-protected; the first write to a page makes the kernel copy it for the
//! writer, in a page fault getrusage(2) counts: the copy is made then, not at fork.
//! Run it: `cargo run -p program-vs-process --example 01c-copy-on-write`
//! Next: lesson 02, `02a-same-address.rs`: threads, which share one copy.

use nix::sys::resource::{UsageWho, getrusage};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork};

fn minor_faults() -> i64 {
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage(2)");
    usage.minor_page_faults() // faults the kernel handled without reading a disk
}

/// Page faults taken while writing `value` to the first byte of `page`.
#[inline(never)] // one copy of this code, run three times
fn faults_while_writing(page: &mut [u8], value: u8) -> i64 {
    let before = minor_faults();
    std::hint::black_box(&mut *page)[0] = value; // black_box: stays between the counts
    minor_faults() - before
}

fn main() {
    // SAFETY: sysconf(3) only reads a value; it has no preconditions.
    let page_size = unsafe { libc::sysconf(libc::_SC_PAGESIZE) } as usize; // 4096 on x86-64
    // Two whole pages of heap that hold nothing but our two variables.
    let mut heap = vec![0u8; 3 * page_size];
    let start = heap.as_ptr().align_offset(page_size);
    let (warm_up, value) = heap[start..start + 2 * page_size].split_at_mut(page_size);
    warm_up[0] = 1; // the parent writes both pages before fork,
    value[0] = 100; // so both are really in memory, and shared after it

    let threads = std::fs::read_dir("/proc/self/task").unwrap().count(); // one entry each
    assert_eq!(threads, 1, "fork needs a single-threaded process");
    // SAFETY: the assert above checked there is one thread, so the child may run any code.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            // A child also faults the first time it runs a piece of code: run
            // the measuring code once on the other page, to count only the copy.
            faults_while_writing(warm_up, 2);
            let was = value[0];
            let first = faults_while_writing(value, 200); // the kernel copies the page now
            let again = faults_while_writing(value, 201); // already my own copy
            println!("child:  my copy was {was}; I wrote 200, then 201 to its page");
            println!("child:  page faults at my first write: {first}, at my second: {again}");
            let copied_at_first_write = first >= 1 && again == 0;
            // SAFETY: _exit ends the child at once, running none of the
            // cleanup it inherited from the parent.
            unsafe { libc::_exit(if copied_at_first_write { 0 } else { 1 }) }
        }
        ForkResult::Parent { child } => {
            let status = waitpid(child, None).expect("waitpid(2)"); // reap the child
            println!("parent: the child has ended; my copy is still {}", value[0]);
            let child_saw_the_copy = status == WaitStatus::Exited(child, 0);
            assert!(child_saw_the_copy, "child: {status:?}");
            assert_eq!(value[0], 100, "the child's write reached the parent");
        }
    }
}
