//! 05d: std's Command starts a program with posix_spawn(3), which glibc runs as
//! clone(CLONE_VM|CLONE_VFORK) + execve: the child borrows the parent's memory
//! until exec, so no page table is copied. `strace -f` shows the clone3 call.
//! Run it: `cargo run --release -p creation-cost --example 05d-command-spawn`
//! Next: `05e-idle-memory.rs`, what an idle worker costs in memory.

use std::process::Command;
use std::time::Instant;

const CHILDREN: u32 = 100;

fn main() {
    let mut exited_ok = 0;
    let start = Instant::now();
    for _ in 0..CHILDREN {
        let mut child = Command::new("/bin/true").spawn().expect("posix_spawn(3)");
        let status = child.wait().expect("waitpid(2)"); // reap: no zombie
        if status.success() {
            exited_ok += 1;
        }
    }
    let each = start.elapsed() / CHILDREN;
    println!("Command::new(\"/bin/true\").spawn() + wait: {each:?} each");
    println!("{exited_ok} of {CHILDREN} exited with 0 (should be {CHILDREN})");
    assert_eq!(exited_ok, CHILDREN, "every child ran /bin/true");
}
