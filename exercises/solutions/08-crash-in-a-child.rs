//! Exercise 8, solved: each document is parsed in a child process of its own, and the
//! parent reports how each child ended. The stack overflow still aborts the process it
//! happens in, but that is now document 3's child, with its own stack and address space;
//! the parent, which never parses, goes on to document 4. The parent reaps each child by pid.
//! Check it: `just check 8 --solution`.

use nix::sys::wait::{WaitStatus, waitpid};
use nix::sys::{prctl, resource::Resource, resource::setrlimit};
use nix::unistd::{ForkResult, fork};

/// Parses one group `( … )` that starts at `at`: returns its depth and where it ends.
fn group(text: &[u8], mut at: usize) -> (usize, usize) {
    let mut deepest_inside = 0;
    at += 1; // past the '('
    while at < text.len() && text[at] == b'(' {
        let (inner, end) = group(text, at); // a group inside: one call deeper
        deepest_inside = deepest_inside.max(inner);
        at = end;
    }
    (deepest_inside + 1, at + 1) // past the ')'
}

fn documents() -> Vec<String> {
    let deep = "(".repeat(1_000_000) + &")".repeat(1_000_000);
    vec!["(()())".into(), "((()))".into(), deep, "()".into()]
}

fn main() {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)"); // no core file...
    prctl::set_dumpable(false).expect("prctl(2)"); // ...even if core_pattern is a pipe
    for (number, text) in (1..).zip(documents()) {
        let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
        assert_eq!(tasks, 1, "fork needs a single-threaded process");
        // SAFETY: the assert just above checked that this process has one thread (main),
        // so the child may run ordinary Rust code: no lock can be held by a thread it lacks.
        let ForkResult::Parent { child } = unsafe { fork() }.expect("fork(2)") else {
            let (depth, _) = group(text.as_bytes(), 0); // a crash here ends only this child
            println!("document {number}: depth {depth}");
            // SAFETY: _exit(2) ends the child at once; it runs none of main's code.
            unsafe { libc::_exit(0) }
        };
        match waitpid(child, None).expect("waitpid(2)") {
            WaitStatus::Exited(_, 0) => {} // it printed its depth
            WaitStatus::Signaled(_, signal, _) => {
                println!("document {number}: crashed, killed by {signal:?}")
            }
            other => println!("document {number}: ended {other:?}"),
        }
    }
}
