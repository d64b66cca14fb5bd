//! Part 3: one process per task. Each task is a forked child that blocks
//! in `read(2)` on its socket, in an address space of its own: its own page
//! tables, its own descriptor table, a task of the kernel's each.
//!
//! The parent forks first and makes the sockets after: a fork copies the
//! parent's descriptor table, and with 10_000 sockets open each fork would
//! copy (and each child's exit close) 10_000 descriptors. (A C program
//! here: fork + close + exit + wait took 0.3 ms with 3 descriptors open
//! and 9.6 ms with 20_000.) So each child starts with a few descriptors
//! and receives its socket afterwards, over a channel (`SCM_RIGHTS`).

use std::os::fd::OwnedFd;

use nix::errno::Errno;
use nix::unistd::{ForkResult, Pid, fork, getpid, pipe, read, write};
use support::error::{Context, Error, Result};
use support::forking::{exit_child, prepare_to_fork, run_child};
use support::{ChildGuard, Ending};

use crate::driver::Driver;
use crate::meter::Meter;
use crate::model::die_with;
use crate::report::ModelFigures;
use crate::sockets::{channel, receive, send};
use crate::work::answer_rounds;

/// Forks one process per task, gives each its socket, waits for them all.
pub fn process_per_task(driver: &Driver, tasks: usize) -> Result<ModelFigures> {
    let (handout, handout_far) = channel()?; // each child's socket comes this way
    let (ready_read, ready_write) = pipe().context("pipe(2)")?;
    let parent = getpid();
    prepare_to_fork()?; // once: the loop of forks starts no thread
    let mut meter = Meter::start();
    let (mut children, mut limit) = (Vec::with_capacity(tasks), None);
    // ANCHOR: processes
    for _ in 0..tasks {
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() } {
            Ok(ForkResult::Child) => run_child(|| {
                die_with(parent)?; // SIGKILL for us if the parent dies
                drop(handout); // the sending end: only the parent keeps it
                let _ = write(&ready_write, b"r"); // "I am running"
                drop(ready_write); // so the parent sees EOF if we all die
                let (_, socket) = receive(&handout_far)?.unwrap_or(([0; 2], None));
                answer_rounds(socket.unwrap_or_else(|| exit_child(NO_SOCKET))) // read(2) blocks
            }),
            Ok(ForkResult::Parent { child }) => children.push(ChildGuard::new(child)),
            Err(errno) => {
                limit = Some(crate::limits::stopped_by(errno)); // the tasks so far still run
                break;
            }
        }
    }
    drop(ready_write); // ours too: now EOF means every child wrote or died
    wait_until_ready(&ready_read, children.len())?;
    // ANCHOR_END: processes
    let pids: Vec<Pid> = children.iter().map(ChildGuard::pid).collect();
    meter.all_waiting(&pids);
    // ANCHOR: hand_out
    let give = |task: usize, socket: OwnedFd| send(&handout, [task as u64, 0], Some(&socket));
    let (made, socket_limit) = driver.make_sockets(children.len(), give)?;
    drop(handout); // a child that got no socket now reads EOF, and ends
    driver.go(made)?;
    let mut finished = 0;
    for child in children {
        let ending = child.wait().context("waitpid(2) of a task")?;
        finished += usize::from(ending == Ending::Exited(0));
    }
    // ANCHOR_END: hand_out
    meter.all_done(); // getrusage now counts the tasks, not yet the driver
    Ok(ModelFigures {
        tasks: made, // memory is per process started; the tasks had a socket
        stopped_by: limit.or(socket_limit),
        ..meter.figures(pids.len(), finished)
    })
}

/// The exit code of a process that got no socket (a limit stopped the
/// sockets before its turn): it was no task, and ends quietly.
const NO_SOCKET: i32 = 3;

/// Reads one byte from every task; EOF first means one died unready.
fn wait_until_ready(ready_read: &OwnedFd, tasks: usize) -> Result<()> {
    let (mut seen, mut buffer) = (0, [0u8; 512]);
    while seen < tasks {
        let want = (tasks - seen).min(buffer.len());
        match read(ready_read, &mut buffer[..want]) {
            Ok(0) => {
                return Err(Error::msg(format!(
                    "only {seen} of {tasks} task processes started"
                )));
            }
            Ok(count) => seen += count,
            Err(Errno::EINTR) => continue,
            Err(errno) => return Err(errno).context("read(2) of the ready pipe"),
        }
    }
    Ok(())
}
