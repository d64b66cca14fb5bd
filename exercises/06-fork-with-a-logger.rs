//! Exercise 6: fork in a program that has a logger thread. The logger holds stdout's lock
//! while it waits for lines (one lock for all its writes). Then main forks three workers;
//! each prints one line and exits, yet the program hangs. Make it sound: fork only while
//! this process has one thread. Done when `just check 6` passes: each worker's line
//! appears, and the program ends. Read: chapter 02, part 4 (why `fork` wants one thread).

use std::io::Write;
use std::sync::mpsc;
use std::thread;

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, getpid, gettid};

/// Starts the logger thread; returns once it holds stdout, its output.
fn start_logger() -> (mpsc::Sender<String>, thread::JoinHandle<()>) {
    let (to_logger, lines) = mpsc::channel::<String>();
    let (ready, is_ready) = mpsc::sync_channel(0);
    let logger = thread::spawn(move || {
        let mut out = std::io::stdout().lock(); // lock once, write many lines
        writeln!(out, "[log] logger thread {} started", gettid()).expect("write(2)");
        ready.send(()).expect("main waits for this");
        for line in lines {
            writeln!(out, "[log] {line}").expect("write(2)");
        }
    });
    is_ready.recv().expect("the logger started");
    (to_logger, logger)
}

fn main() {
    let (log, logger) = start_logger();
    log.send("starting 3 workers".to_string()).expect("log");
    let mut children = Vec::new();
    for number in 1..=3 {
        // SAFETY: the child only prints one line and then calls _exit(2).
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                println!("worker {number}: pid {}, at work", getpid());
                // SAFETY: _exit(2) ends the child at once; it runs none of main's code.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    for child in children {
        let status = waitpid(child, None).expect("waitpid(2)");
        log.send(format!("worker {child} ended: {status:?}"))
            .expect("log");
    }
    drop(log); // the logger's loop ends when every sender is gone
    logger.join().expect("the logger thread");
}
