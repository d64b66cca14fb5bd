//! Exercise 6, solved: fork the workers first, start the logger after. `fork` copies only
//! the calling thread: the child got stdout's lock in the state the logger thread had
//! left it (held), and no thread in the child would ever release it. Before the logger
//! starts, this process has one thread, so no lock can be held by a thread the child lacks.
//! Check it: `just check 6 --solution`.

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
    let mut children = Vec::new();
    for number in 1..=3 {
        let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
        assert_eq!(tasks, 1, "fork needs a single-threaded process");
        // SAFETY: the assert just above checked that this process has one thread (main),
        // so the child may run ordinary Rust code: no lock can be held by a thread it lacks.
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                println!("worker {number}: pid {}, at work", getpid());
                // SAFETY: _exit(2) ends the child at once; it runs none of main's code.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    let (log, logger) = start_logger(); // a second thread only now, after the last fork
    log.send("started 3 workers".to_string()).expect("log");
    for child in children {
        let status = waitpid(child, None).expect("waitpid(2)");
        log.send(format!("worker {child} ended: {status:?}"))
            .expect("log");
    }
    drop(log); // the logger's loop ends when every sender is gone
    logger.join().expect("the logger thread");
}
