//! 08b: the same 100 waits on one thread. One epoll instance watches every
//! pipe (level-triggered), and epoll_wait(2) sleeps until some pipe has a
//! byte, then returns just those. One thread waits for all 100 (a second
//! thread, started after the count, plays the writer).
//! Run it: `cargo run -p many-waits --example 08b-epoll-loop`
//! Next: `08c-tokio-tasks.rs`, the same loop written for you, as async tasks.

use std::time::Duration;

use nix::sys::epoll::{Epoll, EpollCreateFlags, EpollEvent, EpollFlags};
use nix::unistd::{pipe, read, write};

const TASKS: usize = 100;
const WAIT: Duration = Duration::from_millis(50);

fn threads_now() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc");
    let line = status.lines().find(|l| l.starts_with("Threads:"));
    let count = &line.expect("a Threads: line")["Threads:".len()..];
    count.trim().parse().expect("a number")
}

fn main() {
    let epoll = Epoll::new(EpollCreateFlags::EPOLL_CLOEXEC).expect("epoll_create1(2)");
    let (mut read_ends, mut write_ends) = (Vec::new(), Vec::new());
    for task in 0..TASKS {
        let (read_end, write_end) = pipe().expect("pipe(2)");
        // EPOLLIN, no EPOLLET: level-triggered, reported while a byte is unread
        let interest = EpollEvent::new(EpollFlags::EPOLLIN, task as u64);
        epoll.add(&read_end, interest).expect("epoll_ctl(2) ADD");
        read_ends.push(read_end);
        write_ends.push(write_end);
    }
    let waiting = threads_now(); // 100 tasks wait, and only main exists
    let writer = std::thread::spawn(move || {
        std::thread::sleep(WAIT); // the world the tasks wait for
        for (task, write_end) in write_ends.iter().enumerate() {
            write(write_end, &[task as u8]).expect("write(2)");
        }
    });
    let (mut answered, mut right, mut sleeps) = (0, 0, 0);
    let mut events = [EpollEvent::empty(); 32];
    while answered < TASKS {
        let ready = epoll.wait(&mut events, 1_000u16).expect("epoll_wait(2)"); // sleeps
        assert!(ready > 0, "no pipe had a byte within a second");
        sleeps += 1;
        for event in &events[..ready] {
            let task = event.data() as usize;
            let mut byte = [0u8];
            read(&read_ends[task], &mut byte).expect("read(2)"); // will not block: readable
            epoll.delete(&read_ends[task]).expect("epoll_ctl(2) DEL"); // this task is done
            (answered, right) = (answered + 1, right + usize::from(byte[0] == task as u8));
        }
    }
    writer.join().expect("the writer ran");
    println!("{waiting} thread while {TASKS} tasks waited; {right} of {TASKS} right bytes");
    println!("{sleeps} epoll_wait calls returned them, up to 32 at a time");
    assert_eq!(waiting, 1, "one thread waited for every task");
    assert_eq!(right, TASKS, "every task got its own byte");
}
