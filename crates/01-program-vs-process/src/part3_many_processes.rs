//! Part 3: one program, many processes. Start this same program file again
//! as more processes; each gets its own pid and its own copy of every
//! variable, so a child's change never reaches the parent.

use std::io::{BufRead, BufReader};
use std::process::{ChildStdout, Stdio};
use std::sync::atomic::Ordering;

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;
use support::error::{Context, Error, Result};
use support::{ChildGuard, say};

use crate::GLOBAL_VALUE;
use crate::report::{ChildView, grouped, parse_child_report};

/// The role a child plays: `another_instance`, below.
pub const ROLE: &str = "program-vs-process:another-instance";

// ANCHOR: many
/// Starts `children` more processes from this program file, relays what
/// each says, reaps each, and returns what each saw.
pub fn start_more_processes(children: u32) -> Result<Vec<ChildView>> {
    say!("starting {children} more processes from my own file with posix_spawn(3);");
    say!("glibc: clone3(CLONE_VM|CLONE_VFORK), then execve(2) in the child");
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
    // The children run at the same time; we read each one's words in turn.
    let mut seen = Vec::new();
    for (guard, stdout) in running {
        let pid_seen_by_parent = guard.pid().as_raw() as u32;
        let report = relay_child_output(stdout)?;
        // waitpid(2): collect the child's exit status, so no zombie is left.
        let ending = guard.wait().context("waitpid(2)")?;
        say!(
            "child {} (pid {pid_seen_by_parent}) {ending}",
            report.number
        );
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
    let before = GLOBAL_VALUE.load(Ordering::SeqCst); // 100, from the program file
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
pub fn compare_with_mine(children: &[ChildView], my_address: usize, my_value: u64) {
    let now = GLOBAL_VALUE.load(Ordering::SeqCst);
    let reached = if now == my_value { "no" } else { "a" };
    say!("my GLOBAL_VALUE is {now}: {reached} child's change reached me");
    let same_place = children.iter().filter(|c| c.value_address == my_address);
    let (same, all) = (same_place.count(), children.len());
    say!("{same} of {all} children had it at my address {my_address:#x} (ASLR: part 2)");
    say!("equal or not, an address means a place in its own process's memory");
}

/// True when no process has any of these pids any more, not even a zombie.
pub fn none_left(children: &[ChildView]) -> bool {
    let gone = |child: &ChildView| {
        let pid = Pid::from_raw(child.pid_seen_by_parent as i32);
        kill(pid, None) == Err(Errno::ESRCH) // signal 0: does it exist? ESRCH: no
    };
    let none_left = children.iter().all(gone);
    let left = if none_left { "none" } else { "some!" };
    say!("children left, running or zombie: {left} (kill(pid, 0) for each)");
    none_left
}
// ANCHOR_END: mine
