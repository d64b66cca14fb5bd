//! 06d: where threads lose. Two workers each map 256 KiB, write every page, unmap it, 600 times.
//! As threads they share one address space: a munmap(2) must flush the TLB of a CPU running the
//! other thread too (an interrupt: a "TLB shootdown"); processes don't. Next: the lesson's part 5.
//! Run it: `cargo run --release -p when-to-use-which --example 06d-address-space-threads-lose`

use nix::sys::mman::{MapFlags, ProtFlags as Prot, mmap_anonymous, munmap};
use nix::sys::wait::{WaitStatus, wait};
use nix::unistd::{ForkResult, fork};

fn map_touch_unmap() {
    const LENGTH: std::num::NonZeroUsize = std::num::NonZeroUsize::new(256 * 1024).unwrap();
    let (bytes, prot) = (LENGTH.get(), Prot::PROT_READ | Prot::PROT_WRITE);
    for _ in 0..600 {
        // SAFETY: a fresh private mapping, written only here, then unmapped.
        let map = unsafe { mmap_anonymous(None, LENGTH, prot, MapFlags::MAP_PRIVATE) }.unwrap();
        // SAFETY: the `bytes` just mapped are writable; nothing else refers to them.
        unsafe { map.cast::<u8>().write_bytes(1, bytes) }; // a page fault makes each page
        // SAFETY: the mapping is not used any more.
        unsafe { munmap(map, bytes) }.expect("munmap(2)"); // flush it from every TLB
    }
}

/// Runs `work`, then idles as long; prints the TLB shootdowns the machine counted in each.
fn counted(who: &str, work: impl FnOnce()) {
    let shootdowns = || -> u64 {
        let table = std::fs::read_to_string("/proc/interrupts").expect("/proc/interrupts");
        let line = table.lines().find(|l| l.trim_start().starts_with("TLB:")); // all CPUs
        let counts = line.unwrap_or("TLB: 0").split_whitespace().skip(1);
        counts.map_while(|n| n.parse::<u64>().ok()).sum()
    };
    let (before, started) = (shootdowns(), std::time::Instant::now());
    work();
    let (took, during) = (started.elapsed(), shootdowns() - before);
    std::thread::sleep(took); // nothing of ours runs: only other programs' shootdowns count
    let [during, idle] = [during, shootdowns() - before - during].map(|count| {
        let digits = count.to_string().into_bytes(); // 1234 is printed 1_234
        let groups = digits.rchunks(3).rev().map(String::from_utf8_lossy);
        groups.collect::<Vec<_>>().join("_")
    });
    println!("{who:<11} {took:>7.1?}: {during:>5} TLB shootdowns; idle as long: {idle:>3}");
}

fn main() {
    counted("2 processes", || {
        // SAFETY: one thread (none started yet): the child may run ordinary Rust code.
        if let ForkResult::Child = unsafe { fork() }.expect("fork(2)") {
            map_touch_unmap(); // in an address space of its own
            // SAFETY: _exit(2) ends the child here; it never returns into main.
            unsafe { libc::_exit(0) }
        }
        map_touch_unmap(); // and this process, in its own
        assert!(matches!(wait(), Ok(WaitStatus::Exited(_, 0)))); // wait(2) for the child
    });
    counted("2 threads", || {
        let other = std::thread::spawn(map_touch_unmap); // a second thread, same address space
        map_touch_unmap(); // and this one
        other.join().expect("the other thread");
    });
    println!("expected on 2+ CPUs (it varies): threads above processes by more than idle");
}
