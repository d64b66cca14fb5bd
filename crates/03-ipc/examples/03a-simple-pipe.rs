//! 03a: a pipe carries bytes from one process to another. The parent writes a message and
//! closes its write end; the child reads until end of file (EOF), which it sees only when
//! every write end is closed. Modelled on TLPI's `simple_pipe.c`.
//! Run it: `cargo run -p ipc --example 03a-simple-pipe`
//! Read next: `03b-no-eof-broken.rs`, the same pipe with one close forgotten.

use std::io::{Read, Write};

use nix::sys::wait::{WaitStatus, waitpid};
use nix::unistd::{ForkResult, fork, pipe};

const MESSAGE: &[u8] = b"hello through a pipe";

fn main() {
    let (read_end, write_end) = pipe().expect("pipe(2)"); // two fds: [0] reads, [1] writes
    std::io::stdout().flush().expect("flush"); // or the child inherits unprinted text
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count(); // one per thread
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            drop(write_end); // the child only reads: close its copy of the write end
            let mut received = Vec::new();
            let mut reader = std::fs::File::from(read_end);
            reader.read_to_end(&mut received).expect("read(2)"); // returns at EOF
            println!(
                "child : read {} bytes: {:?}",
                received.len(),
                String::from_utf8_lossy(&received)
            );
            std::io::stdout().flush().expect("flush");
            // SAFETY: _exit(2) ends this process at once; it runs none of main's code
            // after the match, and no destructor or atexit handler.
            unsafe { libc::_exit(if received == MESSAGE { 0 } else { 1 }) }
        }
        ForkResult::Parent { child } => {
            drop(read_end); // the parent only writes
            let mut writer = std::fs::File::from(write_end);
            writer.write_all(MESSAGE).expect("write(2)");
            drop(writer); // close(2) the last write end: the child's read now sees EOF
            println!(
                "parent: wrote {} bytes and closed the write end",
                MESSAGE.len()
            );
            let status = waitpid(child, None).expect("waitpid(2)");
            assert_eq!(
                status,
                WaitStatus::Exited(child, 0),
                "the child read the whole message"
            );
            println!("parent: the child read it all and saw EOF");
        }
    }
}
