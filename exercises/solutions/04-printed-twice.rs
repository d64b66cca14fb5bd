//! Exercise 4, solved: flush before fork. A `BufWriter` keeps unwritten text in this
//! process's memory; fork copied that memory, buffer and all, so each worker wrote the
//! parent's unflushed first line ahead of its own. Flushed (written out with write(2))
//! before each fork, the buffer a child inherits is empty. The same holds for `print!`
//! without a newline. Check it: `just check 4 --solution`.

use std::io::{BufWriter, Write};

use nix::sys::wait::waitpid;
use nix::unistd::{ForkResult, fork, getpid};

const WORKERS: u32 = 3;

fn main() {
    let mut out = BufWriter::new(std::io::stdout()); // one write(2) per flush, not per line
    writeln!(out, "report: {WORKERS} workers, parent pid {}", getpid()).expect("write");
    let mut children = Vec::new();
    for number in 1..=WORKERS {
        out.flush().expect("write(2)"); // empty the buffer before fork copies it
        let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
        assert_eq!(tasks, 1, "fork needs a single-threaded process");
        // SAFETY: the assert just above checked that this process has one thread (main),
        // so the child may run ordinary Rust code: no lock can be held by a thread it lacks.
        match unsafe { fork() }.expect("fork(2)") {
            ForkResult::Child => {
                writeln!(out, "worker {number}: pid {}, done", getpid()).expect("write");
                out.flush().expect("write(2)"); // _exit below would not flush it
                // SAFETY: _exit(2) ends the child at once; it runs none of main's code.
                unsafe { libc::_exit(0) }
            }
            ForkResult::Parent { child } => children.push(child),
        }
    }
    for child in children {
        waitpid(child, None).expect("waitpid(2)"); // reap each worker
    }
    writeln!(out, "report: every worker has ended").expect("write");
} // `out` is dropped here: BufWriter flushes what it still holds
