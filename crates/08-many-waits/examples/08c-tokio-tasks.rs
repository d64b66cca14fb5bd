//! 08c: the same 100 waits as async tasks on tokio's current_thread runtime.
//! Each task reads like 08a's thread; `.await` parks the task, not the thread,
//! and the runtime runs 08b's loop underneath (`strace -f` shows epoll_wait).
//! Run it: `cargo run -p many-waits --example 08c-tokio-tasks`
//! Next: `08d-stack-mapped-vs-resident.rs`, what a waiting thread costs.

use std::time::Duration;

use nix::unistd::{pipe, write};
use tokio::io::AsyncReadExt;
use tokio::net::unix::pipe::Receiver;

const TASKS: usize = 100;
const WAIT: Duration = Duration::from_millis(50);

fn threads_now() -> usize {
    let status = std::fs::read_to_string("/proc/self/status").expect("read /proc");
    let line = status.lines().find(|l| l.starts_with("Threads:"));
    let count = &line.expect("a Threads: line")["Threads:".len()..];
    count.trim().parse().expect("a number")
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread() // every task on this thread
        .enable_io() // its reactor: one epoll instance
        .build()
        .expect("tokio's runtime");
    let (right, waiting) = runtime.block_on(async {
        let (mut write_ends, mut tasks) = (Vec::new(), Vec::new());
        for task in 0..TASKS {
            let (read_end, write_end) = pipe().expect("pipe(2)");
            // O_NONBLOCK, then epoll_ctl(2) ADD on the runtime's epoll instance
            let mut receiver = Receiver::from_owned_fd(read_end).expect("register the pipe");
            write_ends.push(write_end);
            tasks.push(tokio::spawn(async move {
                let mut byte = [0u8];
                receiver.read_exact(&mut byte).await.expect("read(2)"); // parks this task
                byte[0] == task as u8
            }));
        }
        let waiting = threads_now(); // 100 tasks, and still one thread
        let writer = std::thread::spawn(move || {
            std::thread::sleep(WAIT);
            for (task, write_end) in write_ends.iter().enumerate() {
                write(write_end, &[task as u8]).expect("write(2)");
            }
        });
        let mut right = 0;
        for task in tasks {
            right += usize::from(task.await.expect("the task ran"));
        }
        writer.join().expect("the writer ran");
        (right, waiting)
    });
    println!("{waiting} thread while {TASKS} async tasks waited; {right} of {TASKS} right bytes");
    assert_eq!(waiting, 1, "one thread ran every task");
    assert_eq!(right, TASKS, "every task got its own byte");
}
