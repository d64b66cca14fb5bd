//! One model at one N, run in this process: start the driver, make the
//! sockets, run the model, collect the driver's tally. Each fresh process
//! of the lesson runs this once (`fresh.rs`); a test may call it too.

use std::os::fd::OwnedFd;
use std::time::Duration;

use nix::sys::resource::{Resource, getrlimit, setrlimit};
use nix::sys::signal::Signal;
use nix::unistd::{Pid, getppid};
use support::error::{Context, Error, Result};

use crate::driver::Driver;
use crate::limits::SPARE_DESCRIPTORS;
use crate::report::{Model, ModelFigures};
use crate::{part2_threads, part3_processes, part4_epoll, part5_tokio};

// ANCHOR: run_model_here
/// Runs `model` with `tasks` tasks, each waiting `wait` before each of its
/// questions, in this process. It forks (the driver, and in the process
/// model every task), so it refuses unless this process has one thread.
pub fn run_model_here(model: Model, tasks: usize, wait: Duration) -> Result<ModelFigures> {
    let nofile_raised = raise_soft_nofile(tasks); // each task's socket is a descriptor
    let driver = Driver::start(wait)?; // forks: checks that we have one thread
    let mut figures = match model {
        Model::Processes => part3_processes::process_per_task(&driver, tasks)?,
        other => {
            let (sockets, limit) = sockets_for(&driver, tasks)?; // made before the model starts
            let figures = match other {
                Model::Threads => part2_threads::thread_per_task(&driver, &sockets)?,
                Model::Epoll => part4_epoll::epoll_loop(&driver, &sockets)?,
                Model::TokioOneThread => part5_tokio::async_tasks(&driver, sockets, None)?,
                _ => part5_tokio::async_tasks(&driver, sockets, Some(workers()))?,
            };
            let stopped_by = figures.stopped_by.clone().or(limit);
            ModelFigures {
                stopped_by,
                ..figures
            }
        }
    };
    (figures.right_totals, figures.totals) = driver.answers()?;
    driver.reap()?;
    figures.nofile_raised = nofile_raised;
    Ok(figures)
}
// ANCHOR_END: run_model_here

/// Raises the soft RLIMIT_NOFILE of this process (and of the processes it
/// starts from now on) to what `tasks` need, at most the hard limit.
/// Returns (from, to) when it raised it.
pub fn raise_soft_nofile(tasks: usize) -> Option<(u64, u64)> {
    let (soft, hard) = getrlimit(Resource::RLIMIT_NOFILE).ok()?;
    let needed = (tasks as u64 + SPARE_DESCRIPTORS).min(hard);
    if needed <= soft {
        return None;
    }
    // setrlimit(2): an unprivileged process may raise its soft limit up to the hard one.
    setrlimit(Resource::RLIMIT_NOFILE, needed, hard).ok()?;
    Some((soft, needed))
}

/// Every task's socket, kept by this process (the driver has the other
/// ends), and the limit that stopped the making of them, if one did.
fn sockets_for(driver: &Driver, tasks: usize) -> Result<(Vec<OwnedFd>, Option<String>)> {
    let mut sockets = Vec::with_capacity(tasks);
    let (_, limit) = driver.make_sockets(tasks, |_, task_end| {
        sockets.push(task_end);
        Ok(())
    })?;
    Ok((sockets, limit))
}

/// The multi-thread runtime's workers: one per CPU this process may use.
pub fn workers() -> usize {
    support::placement::allowed_cpus().map_or(1, |cpus| cpus.len().max(1))
}

/// Asks for SIGKILL when our parent ends, however it ends (strictly: when
/// the thread of `parent` that forked or spawned us does), so no model,
/// driver or task outlives it; errs if it has already gone.
pub fn die_with(parent: Pid) -> Result<()> {
    nix::sys::prctl::set_pdeathsig(Signal::SIGKILL).context("prctl(PR_SET_PDEATHSIG)")?;
    match getppid() == parent {
        true => Ok(()),
        false => Err(Error::msg("our parent ended before we started")),
    }
}
