//! 04d: a real fault in one thread ends every thread of its process. The kernel sends
//! SIGSEGV to the faulting thread; the signal's *default action* ends the whole process.
//! The parent decodes the raw wait status by hand: WIFSIGNALED, WTERMSIG.
//! Run it: `cargo run -p fault-isolation --example 04d-segv-kills-every-thread`
//! Next: 04e, the same fault in one of four processes.

use nix::sys::{prctl, resource::Resource, resource::setrlimit};
use nix::unistd::{ForkResult, fork};
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::time::{Duration, Instant};

#[cfg(target_arch = "x86_64")]
fn store_to_address_0x10() {
    // SAFETY: nothing is mapped at 0x10 (below vm.mmap_min_addr), so the store traps and
    // the kernel sends SIGSEGV to this thread; no memory Rust knows about is touched.
    unsafe { std::arch::asm!("mov qword ptr [{a}], 0", a = in(reg) 0x10usize) }; // a store
}

fn child() -> ! {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)"); // no core file...
    prctl::set_dumpable(false).expect("prctl(2)"); // ...even if core_pattern is a pipe
    static STARTED: AtomicU32 = AtomicU32::new(0);
    for worker in [1, 3, 4] {
        std::thread::spawn(move || {
            STARTED.fetch_add(1, SeqCst);
            std::thread::sleep(Duration::from_secs(1)); // "working", far longer than needed
            println!("worker-{worker}: finished"); // never printed: the process is gone
        });
    }
    std::thread::spawn(|| {
        let deadline = Instant::now() + Duration::from_secs(1); // a bounded wait
        while STARTED.load(SeqCst) < 3 && Instant::now() < deadline {
            std::thread::yield_now();
        }
        println!("child: worker-2 stores to address 0x10; main and 3 workers are running");
        store_to_address_0x10(); // the assembly store: a real fault, not undefined behaviour
    });
    std::thread::sleep(Duration::from_secs(2)); // main sleeps, and dies asleep
    std::process::exit(3) // reached only if the store did not fault
}

fn main() {
    let tasks = std::fs::read_dir("/proc/self/task").expect("/proc").count();
    assert_eq!(tasks, 1, "fork needs a single-threaded process");
    // SAFETY: one thread (checked just above): the child may run ordinary Rust code.
    let ForkResult::Parent { child: pid } = unsafe { fork() }.expect("fork(2)") else {
        child() // the child's arm: it never returns
    };
    let mut status = 0;
    // SAFETY: waitpid writes the status of our own child `pid` into `status`.
    let reaped = unsafe { libc::waitpid(pid.as_raw(), &mut status, 0) }; // until it ends
    assert_eq!(reaped, pid.as_raw(), "waitpid(2)");
    let (signaled, signal) = (libc::WIFSIGNALED(status), libc::WTERMSIG(status));
    println!("parent: status {status:#x}: WIFSIGNALED {signaled}, WTERMSIG {signal} (SIGSEGV)");
    assert!(
        signaled && signal == libc::SIGSEGV,
        "killed by a signal, not exited"
    );
    assert!(!libc::WCOREDUMP(status), "core dumps were off");
}
