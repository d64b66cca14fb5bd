//! How busy was the machine? /proc/stat counts every CPU's busy and idle
//! time, getrusage(2) counts ours: the difference is what other programs
//! took while we measured. Spin for 200 ms and see.
//! Run it: `cargo run -p key-differences --example 07b-noise-from-proc`.
//! Read next: 07c-fork-after-threads.rs, and `src/noise.rs`.

use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};

/// CPU seconds so far: (all CPUs busy, all CPUs idle, this process).
fn look() -> (f64, f64, f64) {
    let stat = std::fs::read_to_string("/proc/stat").expect("read /proc/stat");
    // `cpu  user nice system idle iowait irq softirq steal …`, in ticks
    let cpu_line = stat.lines().next().expect("a cpu line");
    let ticks: Vec<f64> = cpu_line
        .split_whitespace()
        .skip(1)
        .map(|w| w.parse().unwrap())
        .collect();
    // SAFETY: sysconf(3) only reads a system setting.
    let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
    let busy = (ticks[0] + ticks[1] + ticks[2] + ticks[5] + ticks[6]) / per_second;
    let idle = (ticks[3] + ticks[4]) / per_second;
    let usage = getrusage(UsageWho::RUSAGE_SELF).expect("getrusage(2)"); // our own CPU time
    let times = [usage.user_time(), usage.system_time()];
    let ours = times
        .iter()
        .map(|t| t.tv_sec() as f64 + t.tv_usec() as f64 * 1e-6)
        .sum();
    (busy, idle, ours)
}

fn main() {
    let load = std::fs::read_to_string("/proc/loadavg").expect("read /proc/loadavg");
    println!(
        "load average, 1 minute: {}",
        load.split_whitespace().next().unwrap_or("?")
    );
    let ((busy_before, idle_before, ours_before), started) = (look(), Instant::now());
    let mut spins = 0u64;
    while started.elapsed() < Duration::from_millis(200) {
        spins = std::hint::black_box(spins + 1); // one CPU busy: ours
    }
    let ((busy_after, idle_after, ours_after), wall) = (look(), started.elapsed().as_secs_f64());
    let (busy, ours) = (busy_after - busy_before, ours_after - ours_before);
    let others = ((busy - ours) / wall).max(0.0); // the machine's busy time, less ours
    let idle = idle_after - idle_before;
    println!("all CPUs: {busy:.2} s busy, {idle:.2} s idle, in {wall:.2} s");
    println!(
        "ours: {:.2} cores busy (should be close to 1: we spun)",
        ours / wall
    );
    println!("others: {others:.2} cores busy (0 on a quiet machine, ±0.1: ticks)");
    assert!(ours > 0.0 && spins > 0, "we used CPU time");
}
