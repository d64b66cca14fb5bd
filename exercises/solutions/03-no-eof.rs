//! Exercise 3, solved: the parent closes its own copy of the write end before it reads.
//! `read` returns end of file only when every write end of the pipe is closed, in every
//! process; after fork both processes held one, and the parent's kept its own read
//! waiting after the child had gone. (The child's `drop(read_end)` is tidy, not needed.)
//! Check it: `just check 3 --solution`.

use std::fs::File;
use std::io::{BufRead, BufReader, Write};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, pipe};

fn main() {
    let (read_end, write_end) = pipe().expect("pipe(2)");
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count(); // one per thread
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: the assert just above checked that this process has one thread (main), so
    // the child may run ordinary Rust code: no lock can be held by a thread it lacks.
    match unsafe { fork() }.expect("fork(2)") {
        ForkResult::Child => {
            drop(read_end); // the child only writes
            let count = 101 + u64::from(std::process::id() % 100); // the child's choice
            let mut to_parent = File::from(write_end);
            for number in 1..=count {
                writeln!(to_parent, "{number}").expect("write(2)");
            }
            println!("child : sent {count} numbers");
            // SAFETY: _exit(2) ends the child at once; it runs none of main's code below.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => {
            drop(write_end); // the parent only reads: close its write end, or no EOF
            let from_child = BufReader::new(File::from(read_end));
            let mut sum = 0;
            for line in from_child.lines() {
                sum += line.expect("read(2)").parse::<u64>().expect("a number");
            }
            println!("parent: sum = {sum}");
            let status = waitpid(child, None).expect("waitpid(2)");
            println!("parent: child {child} ended: {status:?}");
        }
    }
}
