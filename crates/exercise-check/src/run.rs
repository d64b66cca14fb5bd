//! Runs one program the way a learner would, but bounded: in a process group of
//! its own, looked at every few milliseconds, stopped when its time is up or a
//! judge has seen enough, and never leaving a process behind.
//!
//! The checker makes itself a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`):
//! a process below it whose parent dies is handed to the checker, not to init,
//! so nothing the program starts can slip away, not even in a session of its
//! own. The program itself is watched with `waitid(…, WNOWAIT)`, which sees it
//! end without reaping it: until the very end its pid, and so its process group
//! id, stay ours, and `killpg` cannot hit anyone else's group.

use std::io::Read;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::{Signal, kill, killpg};
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid, waitpid};
use nix::unistd::{Pid, getpid};

use crate::procs::{self, Proc};

/// More processes than this at once, and the run is stopped (a fork bomb).
pub const MOST_PROCESSES: usize = 200;
/// How often the program's processes are looked at.
const POLL: Duration = Duration::from_millis(10);
/// The most output kept from each stream; the rest is read and dropped.
const MOST_OUTPUT: usize = 1 << 20;

/// What a judge sees at each look: the program, its processes, its output.
pub struct Snapshot<'a> {
    pub root: Pid,
    /// `root` first, then every process below it.
    pub tree: &'a [Proc],
    pub stdout: &'a str,
    pub elapsed: Duration,
}

/// How a run ended.
#[derive(Debug, PartialEq)]
pub enum Ending {
    Exited(i32),
    Killed(Signal),
    /// A judge stopped it, having seen enough; this says what it saw.
    Stopped(String),
    TimedOut(Duration),
}

/// Everything a judge needs after the run.
pub struct Outcome {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    /// Processes still there after the program itself had ended: still
    /// running, or zombies that no parent waited for.
    pub left_behind: Vec<Proc>,
    /// The program's processes at the last look before the end.
    pub last_seen: Vec<Proc>,
    pub elapsed: Duration,
}

/// A judge's eyes during a run: returns what it saw to stop the run early.
pub type Watch<'w> = &'w mut dyn FnMut(&Snapshot) -> Option<String>;

/// Runs `program` with `args` for at most `limit`, calling `watch` at every look.
pub fn run(
    program: &Path,
    args: &[&str],
    limit: Duration,
    watch: Watch,
) -> std::io::Result<Outcome> {
    // Children of ours from before (a daemon a build left, say) are not the run's.
    let ours_before: Vec<Pid> = procs::children(getpid()).iter().map(|p| p.pid).collect();
    let (root, stdout, stderr) = start(program, args)?;
    let started = Instant::now();
    let (stopped, last_seen) = look_until_it_ends(root, limit, watch, &stdout, started);
    let elapsed = started.elapsed();
    let left_behind = match stopped {
        None => procs::children(getpid())
            .into_iter()
            .filter(|p| p.pid != root && !ours_before.contains(&p.pid))
            .flat_map(|p| procs::tree(p.pid)) // each one, and what is below it
            .collect(),
        Some(_) => Vec::new(), // we stopped it: what remains is ours to end, not its fault
    };
    let status = end_everything_below_me(root, &ours_before)?;
    let ending = stopped.unwrap_or(match status {
        WaitStatus::Exited(_, code) => Ending::Exited(code),
        WaitStatus::Signaled(_, signal, _) => Ending::Killed(signal),
        other => Ending::Stopped(format!("it ended strangely: {other:?}")),
    });
    let (stdout, stderr) = (stdout.finish(), stderr.finish());
    Ok(Outcome {
        ending,
        stdout,
        stderr,
        left_behind,
        last_seen,
        elapsed,
    })
}

/// Starts `program` in a process group of its own, below this process as its
/// subreaper; returns its pid and its two output streams, being read.
fn start(program: &Path, args: &[&str]) -> std::io::Result<(Pid, Capture, Capture)> {
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
    // SAFETY: runs in the child between fork and exec; setrlimit(2) is a plain
    // system call, async-signal-safe, and nothing here allocates.
    unsafe { command.pre_exec(move || limit_resources(process_limit)) };
    let mut child = command.spawn()?;
    let root = Pid::from_raw(child.id() as i32);
    let stdout = Capture::start(child.stdout.take().expect("piped"));
    let stderr = Capture::start(child.stderr.take().expect("piped"));
    drop(child); // from here on by pid: std's Child never waits when dropped
    // ANCHOR_END: spawn
    Ok((root, stdout, stderr))
}

/// Looks at the program every POLL until it ends, its time is up, it has too
/// many processes, or `watch` has seen enough. Returns why it was stopped
/// (None: it ended by itself) and the processes seen last.
fn look_until_it_ends(
    root: Pid,
    limit: Duration,
    watch: Watch,
    stdout: &Capture,
    started: Instant,
) -> (Option<Ending>, Vec<Proc>) {
    let mut last_seen = Vec::new();
    loop {
        if has_ended(root) {
            return (None, last_seen);
        }
        let elapsed = started.elapsed();
        if elapsed >= limit {
            return (Some(Ending::TimedOut(limit)), last_seen);
        }
        last_seen = procs::tree(root);
        if last_seen.len() > MOST_PROCESSES {
            let why = format!("it had more than {MOST_PROCESSES} processes at once (a fork bomb?)");
            return (Some(Ending::Stopped(why)), last_seen);
        }
        let text = stdout.text();
        let snapshot = Snapshot {
            root,
            tree: &last_seen,
            stdout: &text,
            elapsed,
        };
        if let Some(seen) = watch(&snapshot) {
            return (Some(Ending::Stopped(seen)), last_seen);
        }
        sleep(POLL);
    }
}

/// Whether `root` has ended, asked without reaping it (WNOWAIT).
fn has_ended(root: Pid) -> bool {
    let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
    !matches!(
        waitid(Id::Pid(root), flags),
        Ok(WaitStatus::StillAlive) | Err(Errno::EINTR)
    )
}

/// Kills the program's process group and every process below the checker
/// (but the children in `spare`, which were there before the run), reaps them
/// all, and reaps `root` last, returning how it ended. A process
/// that ends hands its children to us (we are their subreaper) before it can
/// be reaped, so: kill, wait for the end, reap, and look again, until no child
/// but `root` is left.
// ANCHOR: end_everything
fn end_everything_below_me(root: Pid, spare: &[Pid]) -> nix::Result<WaitStatus> {
    let give_up = Instant::now() + Duration::from_secs(10);
    let _ = killpg(root, Signal::SIGKILL); // root is unreaped: its group id is still ours
    // Once root has ended, its children are ours: look for them only then.
    while !has_ended(root) && Instant::now() < give_up {
        sleep(Duration::from_millis(1));
    }
    loop {
        let _ = killpg(root, Signal::SIGKILL); // whatever joined the group meanwhile
        let others: Vec<Pid> = procs::children(getpid())
            .into_iter()
            .map(|p| p.pid)
            .filter(|&pid| pid != root && !spare.contains(&pid))
            .collect();
        if others.is_empty() || Instant::now() > give_up {
            break;
        }
        for &pid in &others {
            let _ = kill(pid, Signal::SIGKILL); // our child: its pid cannot be reused yet
        }
        for pid in others {
            reap_within(pid, give_up);
        }
    }
    // ANCHOR_END: end_everything
    loop {
        match waitpid(root, None) {
            Err(Errno::EINTR) => continue,
            other => return other,
        }
    }
}

/// Reaps our child `pid`, which was sent SIGKILL, waiting at most until `give_up`.
fn reap_within(pid: Pid, give_up: Instant) {
    while let Ok(WaitStatus::StillAlive) | Err(Errno::EINTR) =
        waitpid(pid, Some(WaitPidFlag::WNOHANG))
    {
        if Instant::now() > give_up {
            return;
        }
        sleep(Duration::from_millis(1));
    }
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

/// In the child, before exec: no core files, and at most `processes` processes.
fn limit_resources(processes: Option<libc::rlim_t>) -> std::io::Result<()> {
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

/// One output stream, read on a thread of its own so the program never stalls
/// on a full pipe.
struct Capture {
    bytes: Arc<Mutex<Vec<u8>>>,
    done: Arc<AtomicBool>,
}

impl Capture {
    fn start(mut source: impl Read + Send + 'static) -> Capture {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let done = Arc::new(AtomicBool::new(false));
        let (into, finished) = (Arc::clone(&bytes), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut buffer = [0; 8192];
            loop {
                match source.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(read) => {
                        let mut kept = into.lock().expect("the capture lock");
                        let room = MOST_OUTPUT.saturating_sub(kept.len());
                        kept.extend_from_slice(&buffer[..read.min(room)]);
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            finished.store(true, Ordering::Release);
        });
        Capture { bytes, done }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().expect("the capture lock")).into_owned()
    }

    /// The whole output, once every writer is gone (at most a second's wait:
    /// after `end_everything_below_me` no writer is left).
    fn finish(&self) -> String {
        let give_up = Instant::now() + Duration::from_secs(1);
        while !self.done.load(Ordering::Acquire) && Instant::now() < give_up {
            sleep(Duration::from_millis(1));
        }
        self.text()
    }
}
