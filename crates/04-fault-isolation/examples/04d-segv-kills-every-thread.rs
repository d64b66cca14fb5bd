//! 04d: a real fault in one thread ends every thread of its process. The kernel sends
//! SIGSEGV to the faulting thread; the signal's *default action* ends the whole process.
//! The parent decodes the raw wait status by hand: WIFSIGNALED, WTERMSIG.
//! Run it: `cargo run -p fault-isolation --example 04d-segv-kills-every-thread`. Next: 04e.

use nix::sys::signal::{SigHandler::SigDfl, Signal, Signal::SIGSEGV, raise, signal};
use nix::sys::{prctl, resource::Resource, resource::setrlimit};
use nix::unistd::{ForkResult, fork};
use std::sync::atomic::{AtomicU32, Ordering::SeqCst};
use std::time::{Duration, Instant};

fn child() -> ! {
    setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)"); // no core file...
    prctl::set_dumpable(false).expect("prctl(2)"); // ...even if core_pattern is a pipe
    static STARTED: AtomicU32 = AtomicU32::new(0);
    for worker in [1, 3, 4] {
        std::thread::spawn(move || {
            STARTED.fetch_add(1, SeqCst);
            std::thread::sleep(Duration::from_secs(10)); // "working": the process dies first
            println!("worker-{worker}: finished"); // never printed: the process is gone
        });
    }
    std::thread::spawn(|| {
        let deadline = Instant::now() + Duration::from_secs(1); // a bounded wait
        while STARTED.load(SeqCst) < 3 && Instant::now() < deadline {
            std::thread::yield_now();
        }
        let started = STARTED.load(SeqCst);
        println!("worker-2: main and {started} other workers are alive; I store to 0x10");
        // SAFETY: an assembly store, which the compiler may neither remove nor assume not to
        // trap. This program maps nothing at 0x10; vm.mmap_min_addr (4096 by default, often
        // 65536) also keeps ordinary programs from mapping there. So it traps, touching nothing.
        #[cfg(target_arch = "x86_64")]
        let () = unsafe { std::arch::asm!("mov qword ptr [{a}], 0", a = in(reg) 0x10usize) };
        // SAFETY: the same store, on aarch64.
        #[cfg(target_arch = "aarch64")]
        let () = unsafe { std::arch::asm!("str xzr, [{a}]", a = in(reg) 0x10usize) };
        // SAFETY: SIG_DFL installs no code of ours. (Other machines only: no store, no fault.)
        let _ = unsafe { signal(SIGSEGV, SigDfl) }.and(raise(SIGSEGV));
    });
    std::thread::sleep(Duration::from_secs(10)); // main sleeps, and dies asleep
    std::process::exit(3) // reached only if worker-2 did not end the process
}

fn main() {
    // SAFETY: main has started no thread (and std starts none of its own), so this process
    // has one thread: the child may run ordinary Rust code.
    let ForkResult::Parent { child: pid } = unsafe { fork() }.expect("fork(2)") else {
        child() // the child's arm: it never returns
    };
    let mut status = 0;
    // SAFETY: waitpid writes the status of our own child `pid` into `status`.
    let reaped = unsafe { libc::waitpid(pid.as_raw(), &mut status, 0) }; // until it ends
    assert_eq!(reaped, pid.as_raw(), "waitpid(2)");
    let (signaled, signo) = (libc::WIFSIGNALED(status), libc::WTERMSIG(status));
    let name = Signal::try_from(signo).map_or("?", Signal::as_str); // the number, decoded
    println!("parent: status {status:#x}: WIFSIGNALED {signaled}, WTERMSIG {signo} ({name})");
    assert!(signaled && signo == libc::SIGSEGV, "killed by SIGSEGV");
    assert!(!libc::WCOREDUMP(status), "core dumps were off");
}
