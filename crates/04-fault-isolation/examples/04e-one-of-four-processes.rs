//! 04e: the same fault in one of four worker *processes*. Each worker has its own address
//! space; worker-2 dies of SIGSEGV, and the other three deliver their results through
//! their pipes, intact. The parent waits for each by pid.
//! Run it: `cargo run -p fault-isolation --example 04e-one-of-four-processes`
//! Next: the narrated demo, `just demo-fault-isolation`, and its part files.

use nix::sys::resource::{Resource, setrlimit};
use nix::sys::signal::{SigHandler, Signal, raise, signal};
use nix::sys::{prctl, wait::WaitStatus, wait::waitpid};
use nix::unistd::{ForkResult, fork, pipe};
use std::fs::File;
use std::io::{Read, Write};

fn worker(number: u64, mut to_parent: File) {
    if number == 2 {
        setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)"); // no core file...
        prctl::set_dumpable(false).expect("prctl(2)"); // ...even if core_pattern is a pipe
        // SAFETY: SIG_DFL installs no handler of ours; it undoes std's SIGSEGV handler.
        unsafe { signal(Signal::SIGSEGV, SigHandler::SigDfl) }.expect("signal(2)");
        raise(Signal::SIGSEGV).expect("raise(3)"); // the default action: this process ends
    }
    let result = (1..=1_000_000).fold(number, |sum, i| sum.wrapping_add(i * number));
    to_parent
        .write_all(&result.to_le_bytes())
        .expect("write(2)");
}

fn main() {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    let mut workers = Vec::new();
    for number in 1..=4u64 {
        let (read_end, write_end) = pipe().expect("pipe(2)");
        // SAFETY: one thread (checked above): the child may run ordinary Rust code.
        if let ForkResult::Parent { child } = unsafe { fork() }.expect("fork(2)") {
            workers.push((number, child, File::from(read_end)));
            continue; // and write_end is dropped: else the parent never sees EOF
        }
        worker(number, File::from(write_end));
        // SAFETY: _exit(2) ends the child at once, running none of main's code.
        unsafe { libc::_exit(0) }
    }
    let mut delivered = 0;
    for (number, pid, mut read_end) in workers {
        let mut bytes = Vec::new();
        read_end.read_to_end(&mut bytes).expect("read(2)"); // EOF when the child is gone
        let status = waitpid(pid, None).expect("waitpid(2)"); // this pid, not any child
        println!(
            "worker-{number} pid {pid}: {status:?}, {} bytes of result",
            bytes.len()
        );
        match status {
            WaitStatus::Signaled(_, Signal::SIGSEGV, false) => assert_eq!(number, 2),
            WaitStatus::Exited(_, 0) if bytes.len() == 8 => delivered += 1,
            other => panic!("worker-{number} ended unexpectedly: {other:?}"),
        }
    }
    assert_eq!(delivered, 3, "the three other workers delivered");
    println!("parent: 3 of 4 results arrived; worker-2's fault stayed in worker-2");
}
