//! Part 3: one program, many processes. Start this same program file again
//! as more processes; each gets its own pid and its own copy of every
//! variable, so a child's change never reaches the parent.

use std::io::{BufRead, BufReader};
use std::process::{ChildStdout, Stdio};
use std::sync::atomic::Ordering;

use nix::errno::Errno;
use nix::sys::wait::{WaitPidFlag, waitpid};
use nix::unistd::Pid;
use support::error::{Context, Error, Result};
use support::{ChildGuard, say};

use crate::report::{ChildView, Report, grouped, parse_child_report};
use crate::{FILE_VALUE, GLOBAL_VALUE, MY_VALUE};

/// The role a child plays: `another_instance`, below.
pub const ROLE: &str = "program-vs-process:another-instance";

// ANCHOR: set
/// Sets my copy of `GLOBAL_VALUE` to 7 before any child starts; returns its address.
pub fn set_my_copy() -> usize {
    let address = &GLOBAL_VALUE as *const _ as usize;
    let was = GLOBAL_VALUE.swap(MY_VALUE, Ordering::SeqCst);
    say!("my GLOBAL_VALUE was {was}, at {address:#x}; I set my copy to {MY_VALUE}");
    address
}
// ANCHOR_END: set

// ANCHOR: many
/// Starts `children` more processes from this program file, relays what
/// each says, reaps each, and returns what each saw.
pub fn start_more_processes(children: u32) -> Result<Vec<ChildView>> {
    say!("starting {children} more processes from my own file with posix_spawn(3);");
    say!("on glibc 2.34 and later: clone3(CLONE_VM|CLONE_VFORK), then execve(2)");
    let mut running = Vec::new();
    for number in 1..=children {
        let mut child = support::role::command(ROLE) // my own file, in a role
            .context("current_exe")?
            .arg(number.to_string())
            .stdout(Stdio::piped()) // we read its lines, so they never interleave
            .spawn() // posix_spawn(3)
            .context("posix_spawn(3) of my own program file")?;
        let stdout = child.stdout.take().expect("stdout was piped");
        say!("started child {number} as pid {}", child.id());
        // From here on, if anything fails, the guard kills and reaps it.
        running.push((ChildGuard::adopt(child), stdout));
    }
    // ANCHOR_END: many
    // ANCHOR: reap
    // The children may overlap; we read each one's words in turn.
    let mut seen = Vec::new();
    for (guard, stdout) in running {
        let pid_seen_by_parent = guard.pid().as_raw() as u32;
        let report = relay_child_output(stdout)?;
        // waitpid(2): collect the child's exit status, so no zombie is left.
        let ending = guard.wait().context("waitpid(2)")?;
        let number = report.number;
        say!("child {number} (pid {pid_seen_by_parent}) {ending}");
        seen.push(ChildView {
            pid_seen_by_parent,
            ending,
            ..report
        });
    }
    Ok(seen)
}
// ANCHOR_END: reap

// ANCHOR: role
/// The role: another process running this same program file. Argument: the
/// child's number. Tells its story, then one `@report` line for the parent.
pub fn another_instance(args: &[String]) -> i32 {
    let Some(Ok(number)) = args.first().map(|arg| arg.parse::<u64>()) else {
        eprintln!("error: another-instance needs its number");
        return 2;
    };
    let pid = std::process::id(); // getpid(2)
    let parent_pid = nix::unistd::getppid().as_raw(); // getppid(2)
    let program = std::env::current_exe().unwrap_or_default();
    let address = &GLOBAL_VALUE as *const _ as usize;
    let before = GLOBAL_VALUE.load(Ordering::SeqCst); // the file's 100, not the parent's 7
    let after = 1_000 * number; // a value that is plainly this child's own
    GLOBAL_VALUE.store(after, Ordering::SeqCst); // changes *my* copy only
    say!("I am child {number}, pid {pid}, started by pid {parent_pid}, running:");
    say!("    {}", program.display());
    say!("my GLOBAL_VALUE is at {address:#x}, in my own address space");
    let shown = grouped(after);
    say!("my copy was {before}; I set it to {shown} (1_000 × my number, {number})");
    let exe = program.display();
    println!("@report {number} {pid} {parent_pid} {address} {before} {after} {exe}");
    0
}
// ANCHOR_END: role

/// Echoes a child's story lines and reads its `@report` line.
fn relay_child_output(stdout: ChildStdout) -> Result<ChildView> {
    let mut report = None;
    for line in BufReader::new(stdout).lines() {
        let line = line.context("read(2) from the child's stdout")?;
        match line.strip_prefix("@report ") {
            Some(fields) => report = Some(parse_child_report(fields)?),
            None => support::speaker::print_line(format_args!("{line}")),
        }
    }
    report.ok_or_else(|| Error::msg("the child ended without its @report line"))
}

// ANCHOR: mine
/// Compares each child's variable with mine, after they all ended.
pub fn compare_with_mine(children: &[ChildView], my_address: usize) {
    let now = GLOBAL_VALUE.load(Ordering::SeqCst);
    let reached = if now == MY_VALUE { "no" } else { "a" };
    say!("my GLOBAL_VALUE is {now}: {reached} child's change reached me");
    let fresh = children.iter().filter(|c| c.value_before == FILE_VALUE);
    let (fresh, all) = (fresh.count(), children.len());
    say!("{fresh} of {all} children started from the file's {FILE_VALUE}, not my {MY_VALUE}:");
    say!("execve(2) loaded each from the file, not from a copy of my memory");
    let same_place = children.iter().filter(|c| c.value_address == my_address);
    let (same, all) = (same_place.count(), children.len());
    say!("{same} of {all} children had it at my address {my_address:#x} (ASLR: part 2)");
    say!("equal or not, an address means a place in its own process's memory");
}

/// True when none of these pids is my child any more: neither running nor
/// a zombie. (A pid alone can be reused by someone else's new process.)
pub fn none_left(children: &[ChildView]) -> bool {
    let gone = |child: &ChildView| {
        let pid = Pid::from_raw(child.pid_seen_by_parent as i32);
        // WNOHANG: never wait. ECHILD: no child of mine has this pid.
        waitpid(pid, Some(WaitPidFlag::WNOHANG)) == Err(Errno::ECHILD)
    };
    let none_left = children.iter().all(gone);
    let left = if none_left { "none" } else { "some!" };
    say!("children left, running or zombie: {left}");
    say!("(waitpid(pid, WNOHANG) for each: ECHILD means not my child any more)");
    none_left
}
// ANCHOR_END: mine

impl Report {
    /// The Memory row as this run showed it: my copy is still [`MY_VALUE`],
    /// every child changed its own copy, and every child ended successfully.
    pub fn memory_kept_separate(&self) -> bool {
        let changed = |c: &ChildView| c.value_after != c.value_before && c.ending.is_success();
        let some = !self.children.is_empty();
        some && self.parent_value_after == MY_VALUE && self.children.iter().all(changed)
    }
}
