//! Runs one program the way a learner would, but bounded: in a process group of
//! its own, looked at every few milliseconds, stopped when its time is up, a
//! judge has seen enough or the checker is interrupted, and then cleared.
//!
//! The checker makes itself a *child subreaper* (`prctl(PR_SET_CHILD_SUBREAPER)`):
//! a process below it whose parent dies is handed to the checker, not to init,
//! so nothing the program starts can slip away, not even in a session of its
//! own. The program itself is watched with `waitid(…, WNOWAIT)`, which sees it
//! end without reaping it: until the very end its pid, and so its process group
//! id, stay ours, and `killpg` cannot hit anyone else's group.
//!
//! - `start`: the program's start, with its limits.
//! - `cleanup`: stop and kill everything below the checker, and reap it.
//! - `capture`: its output, read on threads of their own.
//! - [`signals`]: Ctrl-C (SIGINT), SIGTERM and SIGHUP end the run, not the checker.

mod capture;
mod cleanup;
pub mod signals;
mod start;

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, Instant};

use nix::errno::Errno;
use nix::sys::signal::Signal;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use nix::unistd::{Pid, getpid};

use crate::procs::{self, Proc};
use capture::Capture;

/// More processes than this at once, and the run is stopped (a fork bomb).
pub const MOST_PROCESSES: usize = 200;
/// How often the program's processes are looked at.
const POLL: Duration = Duration::from_millis(10);

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
    /// A judge stopped it, having seen enough, or the checker was
    /// interrupted, or the run could not be cleared: this says what happened.
    Stopped(String),
    TimedOut(Duration),
}

/// Everything a judge needs after the run.
pub struct Outcome {
    pub ending: Ending,
    pub stdout: String,
    pub stderr: String,
    /// Processes still there after the program itself had ended: still
    /// running, or zombies that the program (or a process of it) never waited
    /// for. Orphans that ended after their parent are not counted: init
    /// would have reaped them, and the checker does.
    pub left_behind: Vec<Proc>,
    /// Every process (but the program) that was the checker's child when the
    /// program ended: each one's parent ended without waiting for it, so the
    /// kernel handed it to the checker, its subreaper. A process its parent
    /// waited for is reaped then and there, and never comes here. Exact, not
    /// a look's luck: nothing below the checker is reaped before this is read.
    pub handed_over: Vec<Proc>,
    /// The read(2) calls (`syscr` in `/proc/PID/io`) of the program and of
    /// every process reaped below it (the kernel adds a child's counts to its
    /// parent's when the parent reaps it), read when the program ended by
    /// itself, before the checker reaped it.
    pub read_calls: Option<u64>,
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
    let (root, stdout, stderr) = start::start(program, args)?;
    let started = Instant::now();
    let mut looks = Looks::new(program);
    let stopped = looks.until_it_ends(root, limit, watch, &stdout, started);
    let elapsed = started.elapsed();
    let (left_behind, handed_over) = match stopped {
        None => looks.left_behind(root, &ours_before),
        Some(_) => (Vec::new(), Vec::new()), // we stopped it: what remains is ours to end
    };
    let read_calls = stopped.is_none().then(|| procs::read_calls(root)).flatten();
    let (status, not_cleared) = cleanup::end_everything_below_me(root, &ours_before);
    let ending = match (stopped, status) {
        _ if !not_cleared.is_empty() => Ending::Stopped(cleanup::not_cleared(&not_cleared)),
        (Some(stopped), _) => stopped,
        (None, Ok(WaitStatus::Exited(_, code))) => Ending::Exited(code),
        (None, Ok(WaitStatus::Signaled(_, signal, _))) => Ending::Killed(signal),
        (None, other) => Ending::Stopped(format!("it ended strangely: {other:?}")),
    };
    let (stdout, stderr) = (stdout.finish(), stderr.finish());
    Ok(Outcome {
        ending,
        stdout,
        stderr,
        left_behind,
        handed_over,
        read_calls,
        last_seen: looks.last_seen,
        elapsed,
    })
}

/// What the looks at one run remember.
struct Looks {
    last_seen: Vec<Proc>,
    /// Every pid seen as the program's own child: its zombies are its fault.
    roots_children: HashSet<Pid>,
    /// Whole program names, by pid, to name the zombies (whose name the
    /// kernel cuts at 15 bytes) the way they were named alive.
    names: HashMap<Pid, String>,
}

impl Looks {
    fn new(program: &Path) -> Looks {
        let name = program
            .file_name()
            .map(|n| n.to_string_lossy().into_owned());
        let names = HashMap::from([(Pid::from_raw(0), name.unwrap_or_default())]);
        Looks {
            last_seen: Vec::new(),
            roots_children: HashSet::new(),
            names,
        }
    }

    /// Looks at the program every POLL until it ends, its time is up, it has
    /// too many processes, the checker is interrupted, or `watch` has seen
    /// enough. Returns why it was stopped (None: it ended by itself).
    fn until_it_ends(
        &mut self,
        root: Pid,
        limit: Duration,
        watch: Watch,
        stdout: &Capture,
        started: Instant,
    ) -> Option<Ending> {
        loop {
            if has_ended(root) {
                return None;
            }
            if let Some(signal) = signals::interrupted() {
                let why = format!("the checker was interrupted ({signal:?}) and ended the run");
                return Some(Ending::Stopped(why));
            }
            let elapsed = started.elapsed();
            if elapsed >= limit {
                return Some(Ending::TimedOut(limit));
            }
            self.last_seen = procs::tree(root);
            self.remember(root);
            if self.last_seen.len() > MOST_PROCESSES {
                let why =
                    format!("it had more than {MOST_PROCESSES} processes at once (a fork bomb?)");
                return Some(Ending::Stopped(why));
            }
            let text = stdout.text();
            let snapshot = Snapshot {
                root,
                tree: &self.last_seen,
                stdout: &text,
                elapsed,
            };
            if let Some(seen) = watch(&snapshot) {
                return Some(Ending::Stopped(seen));
            }
            sleep(POLL);
        }
    }

    fn remember(&mut self, root: Pid) {
        for proc in &self.last_seen {
            if proc.parent == root {
                self.roots_children.insert(proc.pid);
            }
            if !proc.is_zombie() {
                self.names.insert(proc.pid, proc.name.clone());
            }
        }
    }

    /// Our children (but `root` and those in `spare`) and all below them,
    /// less the orphans that ended: what the program left behind. And our
    /// children, every one: what was handed to us unreaped.
    fn left_behind(&self, root: Pid, spare: &[Pid]) -> (Vec<Proc>, Vec<Proc>) {
        let known: Vec<String> = self.names.values().cloned().collect();
        let mut handed_over: Vec<Proc> = procs::children(getpid())
            .into_iter()
            .filter(|p| p.pid != root && !spare.contains(&p.pid))
            .collect();
        procs::name_zombies(&mut handed_over, &known);
        let children: Vec<Pid> = handed_over
            .iter()
            .filter(|p| !p.is_zombie() || self.roots_children.contains(&p.pid))
            .map(|p| p.pid)
            .collect();
        let mut left = procs::below(&children);
        procs::name_zombies(&mut left, &known);
        (left, handed_over)
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
