//! 03b, BROKEN on purpose: the child forgets to close its own copy of the write end, so
//! end of file never comes: its `read` blocks for ever, because a write end (its own) is
//! still open. The parent checks that 300 ms after its own close the child still sleeps in
//! the kernel's pipe read (`anon_pipe_read` on new kernels), then ends it with SIGKILL.
//! Run it: `cargo run -p ipc --example 03b-no-eof-broken`
//! Read next: `03a-simple-pipe.rs` again: its `drop(write_end)` is what this lacks.

use std::io::Read;
use std::time::{Duration, Instant};

use nix::sys::signal::{Signal, kill};
use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe, write};

fn main() {
    let (read_end, write_end) = pipe().expect("pipe(2)");
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            // BUG: no `drop(write_end)` here: the child still holds a write end itself.
            let mut received = Vec::new();
            let result = std::fs::File::from(read_end).read_to_end(&mut received); // no EOF
            println!("child : read_to_end returned {result:?}: never printed");
            // SAFETY: _exit(2) ends the child at once, running no destructor.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            drop(read_end);
            write(&write_end, b"hello").expect("write(2)");
            drop(write_end); // the parent closes its write end, correctly
            let wchan = format!("/proc/{child}/wchan"); // where the child sleeps in the kernel
            let in_read =
                || std::fs::read_to_string(&wchan).is_ok_and(|w| w.ends_with("pipe_read"));
            let started = Instant::now(); // a loaded machine may be slow to run the child
            while !in_read() && started.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(Duration::from_millis(300)); // EOF would have come long ago
            let still_reading = in_read();
            println!(
                "parent: 300 ms after my close, is the child still in read(2)? {still_reading}"
            );
            kill(child, Signal::SIGKILL).expect("kill(2)"); // our bound on the hang
            let status = waitpid(child, None).expect("waitpid(2)");
            println!("parent: the child's own write end kept its read waiting; {status:?}");
            assert!(still_reading, "the child's read was still waiting for EOF");
            assert_eq!(status, WaitStatus::Signaled(child, Signal::SIGKILL, false));
        }
    }
}
