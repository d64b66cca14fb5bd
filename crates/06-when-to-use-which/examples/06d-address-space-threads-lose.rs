//! 06d: where threads lose. Two workers each map 256 KiB, write every page and unmap it,
//! 600 times. As threads they share one address space: a munmap(2) must flush the TLB of
//! a CPU running the other thread too (an interrupt: a "TLB shootdown"). Processes don't.
//! Run it: `cargo run --release -p when-to-use-which --example 06d-address-space-threads-lose`
//! Read next: the lesson's part 5 (`src/part5_address_space.rs`) measures it with repeats.

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::wait::{WaitStatus, wait};
use nix::unistd::{ForkResult, fork};

const BYTES: usize = 256 * 1024;

/// TLB shootdowns so far, on all CPUs (the "TLB:" line of /proc/interrupts).
fn tlb_shootdowns() -> u64 {
    let table = std::fs::read_to_string("/proc/interrupts").expect("/proc/interrupts");
    let line = table.lines().find(|l| l.trim_start().starts_with("TLB:"));
    let counts = line.unwrap_or("TLB: 0").split_whitespace().skip(1);
    counts.map_while(|count| count.parse::<u64>().ok()).sum()
}

fn map_touch_unmap() {
    let (length, write) = (BYTES.try_into().expect("not 0"), ProtFlags::PROT_WRITE);
    for _ in 0..600 {
        // SAFETY: a fresh private mapping, written only through `bytes`, then unmapped.
        let map = unsafe { mmap_anonymous(None, length, write, MapFlags::MAP_PRIVATE) }.unwrap();
        // SAFETY: the BYTES just mapped are writable, and nothing else refers to them.
        let bytes = unsafe { std::slice::from_raw_parts_mut(map.cast::<u8>().as_ptr(), BYTES) };
        bytes.fill(1); // a page fault per page: the kernel makes each page now
        // SAFETY: `bytes` is not used any more.
        unsafe { munmap(map, BYTES) }.expect("munmap(2)"); // flush it from every TLB
    }
}

fn main() {
    for workers in ["processes", "threads"] {
        let (before, started) = (tlb_shootdowns(), std::time::Instant::now());
        if workers == "processes" {
            for _ in 0..2 {
                // SAFETY: one thread (none started yet): the child may run ordinary Rust code.
                if let ForkResult::Child = unsafe { fork() }.expect("fork(2)") {
                    map_touch_unmap(); // in an address space of its own
                    // SAFETY: _exit(2) ends the child here; it never returns into main.
                    unsafe { libc::_exit(0) }
                }
            }
            for ended in [wait(), wait()] {
                assert!(matches!(ended, Ok(WaitStatus::Exited(_, 0)))); // wait(2): each child
            }
        } else {
            std::thread::scope(|scope| {
                scope.spawn(map_touch_unmap); // a second thread, in this address space
                map_touch_unmap(); // and this one
            });
        }
        let (took, shootdowns) = (started.elapsed(), tlb_shootdowns() - before);
        println!("2 {workers:<9}: {took:>8.1?}, {shootdowns:>5} TLB shootdowns (whole machine)");
    }
    println!("(threads should cause more; on one CPU there is no other CPU's TLB to flush)");
}
