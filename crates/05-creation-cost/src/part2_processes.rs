//! Part 2, processes: start one, wait for it to end. `fork` + `_exit`,
//! `fork` + `exec`, and std's `Command`, which uses `posix_spawn`.

use std::ffi::{CStr, c_char};
use std::process::Command;

use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, Pid, fork};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::prepare_to_fork;
use support::timing::{Stats, try_measure};

pub(crate) const FORK_BATCH: usize = 30;
const EXEC_BATCH: usize = 10;

/// `fork`, the child `_exit`s at once, the parent reaps it.
pub fn fork_exit_wait(repeats: usize) -> Result<Stats> {
    // Once, before the timed loop: it reads /proc (tens of µs), which would
    // distort the figures, and the loop starts no thread.
    prepare_to_fork()?;
    try_measure(1, repeats, FORK_BATCH, fork_exit_once)
}

// ANCHOR: fork_exit
/// One fork + `_exit` + waitpid. Every caller calls `prepare_to_fork`
/// once before its timed loop of these.
pub(crate) fn fork_exit_once() -> Result<()> {
    // SAFETY: prepare_to_fork checked, once before this timed loop, that
    // this process has one thread, and the loop starts none; so the child
    // may run ordinary Rust code. It runs none: it only `_exit`s.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => {
            // SAFETY: `_exit` is async-signal-safe and ends the child at
            // once. Raw on purpose, not `run_child`: the figure is the cost
            // of a bare fork.
            unsafe { libc::_exit(0) }
        }
        ForkResult::Parent { child } => reap(child),
    }
}
// ANCHOR_END: fork_exit

/// `fork`, the child replaces itself with `/bin/true`, the parent reaps it.
pub fn fork_exec_wait(repeats: usize) -> Result<Stats> {
    prepare_to_fork()?; // once, before the timed loop (which starts no thread)
    // Made before fork: after fork the child calls only execv and _exit.
    let program: &CStr = c"/bin/true";
    let argv: [*const c_char; 2] = [program.as_ptr(), std::ptr::null()];
    try_measure(1, repeats, EXEC_BATCH, || {
        // SAFETY: prepare_to_fork checked above that this process has one
        // thread, and the loop starts none; the child calls only execv and
        // _exit, both async-signal-safe.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => {
                // SAFETY: `argv` is a null-terminated array of pointers to
                // NUL-terminated strings that outlive the call; execv returns
                // only on failure, and then _exit(127) ends the child.
                unsafe {
                    libc::execv(program.as_ptr(), argv.as_ptr());
                    libc::_exit(127)
                }
            }
            ForkResult::Parent { child } => reap(child),
        }
    })
}

// ANCHOR: command
/// std's way: `Command::spawn`, then wait.
pub fn command_spawn_wait(repeats: usize) -> Result<Stats> {
    try_measure(1, repeats, EXEC_BATCH, || {
        // std calls posix_spawn(3), which glibc runs as clone3(CLONE_VM |
        // CLONE_VFORK) + execve: the child borrows our memory until exec,
        // so no page table is copied.
        let child = Command::new("/bin/true")
            .spawn()
            .context("spawning /bin/true (posix_spawn)")?;
        let ending = ChildGuard::adopt(child).wait().context("waitpid(2)")?;
        if ending.is_success() {
            Ok(())
        } else {
            Err(Error::msg(format!("/bin/true {ending}")))
        }
    })
}
// ANCHOR_END: command

/// Waits for a forked child in plain view and checks that it exited with 0.
fn reap(child: Pid) -> Result<()> {
    // The guard kills and reaps the child if we bail out or panic.
    let guard = ChildGuard::new(child);
    // waitpid(2), through the guard: collect the child, so no zombie is left.
    match guard.waitpid().context("waitpid(2)")? {
        WaitStatus::Exited(_, 0) => Ok(()),
        other => Err(Error::msg(format!(
            "child {child} did not exit with 0: {other:?}"
        ))),
    }
}

/// How one row is measured: `repeats` in, its figure out.
type Measure = fn(usize) -> Result<Stats>;

/// The rows of parts 1 and 2 that `names` names (every row when it names
/// none), measured here, in this process (the fresh copy runs this).
/// The processes first: after the thousands of threads of part 1 (glibc
/// keeps their cached stacks and extra malloc arenas), a fork was 2-3×
/// dearer here: 440-880 µs against 180-270 µs in a fresh process, in turns.
pub fn measure_creation_here(repeats: usize, names: &[&str]) -> Result<Vec<(&'static str, Stats)>> {
    let wanted = |name: &str| names.is_empty() || names.contains(&name);
    prepare_to_fork()?; // each checks again: one thread
    let processes: [(_, Measure); 3] = [
        ("fork", fork_exit_wait),
        ("exec", fork_exec_wait),
        ("command", command_spawn_wait),
    ];
    let mut rows = Vec::new();
    for (name, measure) in processes.into_iter().filter(|(name, _)| wanted(name)) {
        rows.push((name, measure(repeats)?));
    }
    let threads = ["std", "pthread", "scope"];
    let stats = crate::part1_threads::thread_rows(repeats, threads.map(wanted))?;
    let threads = threads.into_iter().zip(stats);
    rows.extend(threads.filter_map(|(name, stats)| Some((name, stats?))));
    Ok(rows)
}
