//! 05e: 100 idle threads, each blocked in read(2) on one pipe. The kernel keeps a
//! stack for each (KernelStack in /proc/meminfo); our own memory grows by a
//! little stack each. Whole-system figures: other programs add noise.
//! Run it: `cargo run --release -p creation-cost --example 05e-idle-memory`
//! Next: `src/lib.rs`, the measured lesson (idle processes too).

use std::fs::read_to_string;

const THREADS: usize = 100;

/// A `Name:   1234 kB` line of a /proc file, in KiB.
fn kib(file: &str, name: &str) -> i64 {
    let text = read_to_string(file).expect("read /proc");
    let line = text.lines().find(|l| l.starts_with(name)).expect("field");
    line[name.len()..]
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse()
        .expect("a number")
}

fn main() {
    let (kernel_before, mine_before) = (
        kib("/proc/meminfo", "KernelStack:"),
        kib("/proc/self/status", "VmRSS:"),
    );
    let (go_read, go_write) = nix::unistd::pipe().expect("pipe(2)");
    let threads: Vec<_> = (0..THREADS)
        .map(|_| {
            let go_read = go_read.try_clone().expect("dup(2)");
            // idle: read(2) blocks until every write end is closed
            std::thread::spawn(move || nix::unistd::read(&go_read, &mut [0u8]))
        })
        .collect();
    std::thread::sleep(std::time::Duration::from_millis(50)); // let them all block
    let running = kib("/proc/self/status", "Threads:"); // the count, not KiB
    let kernel_stack = kib("/proc/meminfo", "KernelStack:") - kernel_before;
    let resident = kib("/proc/self/status", "VmRSS:") - mine_before;
    drop(go_write); // close(2): every read returns 0, every thread ends
    for thread in threads {
        assert_eq!(thread.join().expect("no panic").expect("read(2)"), 0, "EOF");
    }
    println!("{running} threads ran: {THREADS} idle ones and main");
    let each = kernel_stack as f64 / THREADS as f64;
    println!("kernel stacks grew {kernel_stack} KiB ({each:.1} KiB each; about 16 KiB on x86-64)");
    let mine = resident as f64 / THREADS as f64;
    println!("our resident memory grew {resident} KiB ({mine:.1} KiB each)");
    assert_eq!(
        running,
        THREADS as i64 + 1,
        "every idle thread was alive at once"
    );
}
