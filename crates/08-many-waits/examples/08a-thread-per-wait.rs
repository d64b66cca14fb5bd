//! 08a: one thread per waiting task. 100 threads each block in read(2) on a
//! pipe of their own; after 50 ms main writes one byte to every pipe, and
//! each thread wakes, checks its byte, and ends. /proc counts them.
//! Run it: `cargo run -p many-waits --example 08a-thread-per-wait`
//! Next: `08b-epoll-loop.rs`, the same 100 waits on one thread.

use std::time::{Duration, Instant};

use nix::unistd::{pipe, read, write};

const TASKS: usize = 100;
const WAIT: Duration = Duration::from_millis(50);

/// The `Threads:` line of /proc/self/status: this process's kernel tasks.
fn threads_now() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc");
    let line = status.lines().find(|l| l.starts_with("Threads:"));
    let count = &line.expect("a Threads: line")["Threads:".len()..];
    count.trim().parse().expect("a number")
}

fn main() {
    let mut write_ends = Vec::with_capacity(TASKS);
    let mut threads = Vec::with_capacity(TASKS);
    for task in 0..TASKS {
        let (read_end, write_end) = pipe().expect("pipe(2)");
        write_ends.push(write_end);
        let thread = std::thread::Builder::new()
            .stack_size(64 * 1024) // a waiting task needs little stack (std's default: 2 MiB)
            .spawn(move || {
                let mut byte = [0u8];
                read(&read_end, &mut byte).expect("read(2)"); // sleeps until the byte comes
                byte[0] == task as u8 // the right byte?
            })
            .expect("spawn: a limit on threads?");
        threads.push(thread);
    }
    let waiting = threads_now(); // every task is a thread the kernel schedules
    std::thread::sleep(WAIT); // meanwhile each thread sleeps in read(2), off the CPU
    let start = Instant::now();
    for (task, write_end) in write_ends.iter().enumerate() {
        write(write_end, &[task as u8]).expect("write(2)"); // wakes one thread
    }
    let woke_right = threads.into_iter().map(|t| t.join().expect("no panic"));
    let right = woke_right.filter(|right| *right).count();
    let took = start.elapsed();
    println!("{waiting} threads while waiting: {TASKS} tasks and main");
    println!("{right} of {TASKS} woke with the right byte, {took:?} after the first write");
    assert_eq!(
        waiting,
        TASKS + 1,
        "one kernel task per waiting thread, and main"
    );
    assert_eq!(right, TASKS, "every task got its own byte");
}
