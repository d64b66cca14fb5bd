//! 04e: the same fault as 04d, a store to 0x10, in one of four worker *processes*. Each
//! has its own address space; worker-2 dies of SIGSEGV, and the other three deliver their
//! results through their pipes, intact. The parent waits for each by pid.
//! Run it: `cargo run -p fault-isolation --example 04e-one-of-four-processes`
//! Next: the narrated demo, `just demo-fault-isolation`, and its part files.

use nix::sys::signal::{SigHandler::SigDfl, Signal::SIGSEGV, raise, signal};
use nix::sys::{prctl, resource::Resource, resource::setrlimit, wait::WaitStatus, wait::waitpid};
use nix::unistd::{ForkResult, fork, pipe};
use std::{fs::File, io::Read, io::Write};

fn worker(number: u64, mut to_pipe: File) {
    if number == 2 {
        setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)"); // no core file...
        prctl::set_dumpable(false).expect("prctl(2)"); // ...even if core_pattern is a pipe
        // SAFETY: as in 04d: an assembly store to 0x10, where this program maps nothing
        // (nor may ordinary programs, below vm.mmap_min_addr). It traps: SIGSEGV, SEGV_MAPERR.
        #[cfg(target_arch = "x86_64")]
        let () = unsafe { std::arch::asm!("mov qword ptr [{a}], 0", a = in(reg) 0x10usize) };
        // SAFETY: the same store, on aarch64.
        #[cfg(target_arch = "aarch64")]
        let () = unsafe { std::arch::asm!("str xzr, [{a}]", a = in(reg) 0x10usize) };
        // SAFETY: SIG_DFL installs no code of ours. (Other machines only: no store, no fault.)
        let _ = unsafe { signal(SIGSEGV, SigDfl) }.and(raise(SIGSEGV));
    }
    let result = (1..=1_000_000).fold(number, |sum, i| sum.wrapping_add(i * number));
    to_pipe.write_all(&result.to_le_bytes()).expect("write(2)");
}

fn main() {
    let mut workers = Vec::new();
    for number in 1..=4u64 {
        let (read_end, write_end) = pipe().expect("pipe(2)");
        // SAFETY: main starts no thread (nor does std), so this process has one: the child
        // may run ordinary Rust code.
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
        let got = bytes.len();
        println!("worker-{number} pid {pid}: {status:?}, {got} bytes of result");
        match status {
            WaitStatus::Signaled(_, SIGSEGV, false) => assert_eq!(number, 2),
            WaitStatus::Exited(_, 0) if got == 8 => delivered += 1,
            other => panic!("worker-{number} ended unexpectedly: {other:?}"),
        }
    }
    assert_eq!(delivered, 3, "the three other workers delivered");
    println!("parent: 3 of 4 results arrived; worker-2's fault stayed in worker-2");
}
