//! 04b: two panics that end the whole process. A panic on the **main** thread ends it
//! with exit status 101; a panic while a thread is already unwinding (here, in a `Drop`)
//! cannot unwind further, so Rust calls `abort()`, which raises SIGABRT.
//! Run it: `cargo run -p fault-isolation --example 04b-panic-that-ends-the-process`
//! Next: 04c, a panic that leaves a lock behind.

use std::os::unix::process::ExitStatusExt;
use std::process::{Command, Stdio};

use nix::sys::prctl;
use nix::sys::resource::{Resource, setrlimit};

struct PanicsWhenDropped;

impl Drop for PanicsWhenDropped {
    fn drop(&mut self) {
        panic!("a second panic, during unwinding"); // panic-in-panic: abort
    }
}

fn child(case: &str) {
    // No core file for the abort: limit 0, and not dumpable (a piped core_pattern
    // ignores the limit). PR_SET_DUMPABLE is reset by execve, so set it here.
    setrlimit(Resource::RLIMIT_CORE, 0, 0).expect("setrlimit(2)");
    prctl::set_dumpable(false).expect("prctl(2)");
    let _idle = std::thread::spawn(std::thread::park); // a second thread: it dies too
    if case == "main" {
        panic!("a panic on the main thread"); // main unwinds, then the process exits 101
    }
    let _guard = PanicsWhenDropped;
    panic!("the first panic"); // unwinding drops _guard, which panics again
}

fn main() {
    // Only our own marker makes a child: `cargo test` passes filters and flags of its own.
    let marker = std::env::args().find_map(|arg| arg.strip_prefix("--child=").map(String::from));
    if let Some(case) = marker {
        return child(&case); // "main" or "in-drop"
    }
    let me = std::env::current_exe().expect("readlink(2) /proc/self/exe");
    for case in ["main", "in-drop"] {
        let status = Command::new(&me)
            .arg(format!("--child={case}"))
            .stderr(Stdio::null())
            .status()
            .expect("spawn");
        println!(
            "panic {case:8}: exit code {:?}, signal {:?}",
            status.code(),
            status.signal()
        );
        let expected =
            [(Some(101), None), (None, Some(libc::SIGABRT))][usize::from(case != "main")];
        assert_eq!((status.code(), status.signal()), expected);
        assert!(!status.core_dumped(), "core dumps were off");
    }
}
