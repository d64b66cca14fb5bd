//! The program's start: a process group of its own, below the checker as its
//! subreaper, with no core files, a process limit, and SIGKILL if the checker
//! itself dies.

use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use nix::unistd::Pid;

use super::capture::Capture;
use crate::procs;

/// Starts `program` in a process group of its own, below this process as its
/// subreaper; returns its pid and its two output streams, being read. Call it
/// from a thread that outlives the run (the main thread): the program gets
/// SIGKILL when the thread that started it ends.
pub(super) fn start(program: &Path, args: &[&str]) -> std::io::Result<(Pid, Capture, Capture)> {
    // ANCHOR: spawn
    nix::sys::prctl::set_child_subreaper(true)?;
    let mut command = Command::new(program);
    command.args(args);
    command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    command.process_group(0); // setpgid(0, 0): a group of its own, for killpg
    let process_limit = process_limit();
    // SAFETY: runs in the child between fork and exec; setrlimit(2) and
    // prctl(2) are plain system calls, async-signal-safe, and nothing here
    // allocates.
    unsafe { command.pre_exec(move || limit_resources(process_limit)) };
    let mut child = command.spawn()?;
    let root = Pid::from_raw(child.id() as i32);
    let stdout = Capture::start(child.stdout.take().expect("piped"));
    let stderr = Capture::start(child.stderr.take().expect("piped"));
    drop(child); // from here on by pid: std's Child never waits when dropped
    // ANCHOR_END: spawn
    Ok((root, stdout, stderr))
}

/// For an ordinary user, the process limit that leaves room for 512 more
/// processes of theirs (RLIMIT_NPROC counts every process and thread of the
/// user): a fork bomb then fails at fork(2). root is not bound by it.
fn process_limit() -> Option<libc::rlim_t> {
    // SAFETY: getuid(2) takes nothing, cannot fail, and only returns a number.
    let uid = unsafe { libc::getuid() };
    if uid == 0 {
        return None;
    }
    let mine = procs::threads_of_user(uid);
    Some((mine + 512) as libc::rlim_t)
}

/// In the child, before exec: SIGKILL when the checker dies (a backstop, for
/// a checker killed by SIGKILL), no core files, at most `processes` processes.
fn limit_resources(processes: Option<libc::rlim_t>) -> std::io::Result<()> {
    // SAFETY: prctl(2) with PR_SET_PDEATHSIG reads only its integer arguments.
    unsafe { libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL as libc::c_ulong) };
    let no_core = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: setrlimit(2) reads the struct we pass and nothing else.
    unsafe { libc::setrlimit(libc::RLIMIT_CORE, &no_core) };
    if let Some(most) = processes {
        let limit = libc::rlimit {
            rlim_cur: most,
            rlim_max: most,
        };
        // SAFETY: as above.
        unsafe { libc::setrlimit(libc::RLIMIT_NPROC, &limit) };
    }
    Ok(())
}
