//! 06a: waiting work on threads. Eight threads each block in read(2) on a pipe, the way a
//! task waits for a socket's answer; the kernel takes each off the CPU, so all eight wait
//! at once, and one answer time later every wait ends together.
//! Run it: `cargo run -p when-to-use-which --example 06a-waiting-on-threads`
//! Read next: 06b, where the work computes instead of waiting.

use std::fs::{File, read_dir, read_to_string};
use std::io::{Read, Write};
use std::time::{Duration, Instant};

const TASKS: usize = 8;
const WAIT: Duration = Duration::from_millis(40); // the "service's" answer time

/// What the kernel says each thread of this process is waiting in (`/proc/…/wchan`).
fn waiting_in() -> Vec<String> {
    let threads = read_dir("/proc/self/task")
        .expect("/proc/self/task")
        .flatten();
    let wchan = |thread: std::fs::DirEntry| read_to_string(thread.path().join("wchan")).ok();
    threads.filter_map(wchan).collect()
}

fn main() {
    let started = Instant::now();
    std::thread::scope(|scope| {
        let mut answer_pipes = Vec::new();
        for task in 1..=TASKS {
            let (read_end, write_end) = nix::unistd::pipe().expect("pipe(2)");
            answer_pipes.push(File::from(write_end));
            scope.spawn(move || {
                let mut answer = [0u8; 1];
                let read = File::from(read_end).read_exact(&mut answer); // blocks in read(2)
                assert_eq!(read.map(|_| answer[0] as usize).ok(), Some(task * 10));
            });
        }
        let in_read = || {
            waiting_in()
                .iter()
                .filter(|w| w.ends_with("pipe_read"))
                .count()
        };
        let deadline = Instant::now() + Duration::from_secs(5); // never wait for ever
        while in_read() < TASKS && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(1));
        }
        println!(
            "{} of {TASKS} threads asleep in a pipe read at once",
            in_read()
        );
        assert_eq!(in_read(), TASKS, "every task waits at the same time");
        std::thread::sleep(WAIT); // the service takes its time, then answers everyone
        for (task, mut pipe) in (1..=TASKS).zip(answer_pipes) {
            pipe.write_all(&[(task * 10) as u8]).expect("write(2)"); // wakes that task
        }
    }); // the scope joins every task
    let (elapsed, one_by_one) = (started.elapsed(), WAIT * TASKS as u32);
    println!("{TASKS} tasks × {WAIT:?} of waiting took {elapsed:.1?} (one by one: {one_by_one:?})");
}
