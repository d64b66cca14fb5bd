//! Part 4: what an idle worker costs in memory, user and kernel. Each count
//! runs in a fresh process (see `fresh.rs`) that has run no other thread, so
//! glibc's per-thread arenas from earlier work do not inflate it.

use std::os::fd::OwnedFd;
use std::thread;

use nix::unistd::{ForkResult, Pid, fork, pipe, read, write};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};

use crate::pool_processes::reap_all;
use crate::proc_files::{growth_per_worker, kernel_growth, kernel_reading, memory_source};
use crate::proc_files::{status_field, user_bytes};
use crate::report::SlabFrom;

/// What N idle workers of one kind added, per worker.
#[derive(Debug, Default)]
pub struct Idle {
    pub user: Option<i64>,
    /// Kernel stack, page tables, slab; and where the slab figure came from.
    pub kernel: Option<[i64; 3]>,
    pub slab_from: Option<SlabFrom>,
    /// Page tables of each idle child (processes only).
    pub page_tables: Option<u64>,
    pub started: usize,
    pub reaped: usize,
}

/// N threads, each blocked in read(2) on one pipe until we close its write end.
pub fn idle_threads(workers: usize) -> Result<Idle> {
    let source = memory_source();
    let (user_before, kernel_before) = (user_bytes(Pid::this(), &source), kernel_reading());
    let tables_before = status_field(Pid::this(), "VmPTE:");
    let (ready_read, ready_write) = pipe().context("pipe(2)")?;
    let (go_read, go_write) = pipe().context("pipe(2)")?;
    let during = thread::scope(|scope| -> Result<_> {
        let go_write = go_write; // however this returns, closed before the joins
        let mut handles = Vec::with_capacity(workers);
        for _ in 0..workers {
            let (ready_write, go_read) = (&ready_write, &go_read);
            let idle = move || {
                let _ = write(ready_write, b"r"); // "I am running"
                let _ = read(go_read, &mut [0u8]); // idle until EOF
            };
            handles.push(
                thread::Builder::new()
                    .spawn_scoped(scope, idle)
                    .context("spawn")?,
            );
        }
        wait_until_ready(&ready_read, workers)?;
        let tables = status_field(Pid::this(), "VmPTE:");
        let during = (user_bytes(Pid::this(), &source), kernel_reading(), tables);
        drop(go_write); // close(2): every blocked read returns 0 (EOF)
        for handle in handles {
            let _ = handle.join();
        }
        Ok(during)
    })?;
    // Page tables: the growth of ours (the threads' stacks are in our map).
    let tables = during
        .2
        .zip(tables_before)
        .map(|(d, b)| d as i64 - b as i64);
    Ok(Idle {
        user: growth_per_worker(user_before, during.0, workers),
        kernel: kernel_growth(kernel_before, during.1, tables, workers),
        slab_from: during.1.map(|k| k.slab_from),
        started: workers,
        reaped: workers,
        ..Idle::default()
    })
}

/// N forked children, each blocked in read(2) until we close `go_write`.
/// User memory counts us plus every child: PSS splits a shared page.
pub fn idle_processes(workers: usize, args: &[String]) -> Result<Idle> {
    prepare_to_fork()?; // once: the loop of forks starts no thread
    let source = memory_source();
    let (user_before, kernel_before) = (user_bytes(Pid::this(), &source), kernel_reading());
    let tables_before = status_field(Pid::this(), "VmPTE:");
    let (ready_read, ready_write) = pipe().context("pipe(2)")?;
    let (go_read, go_write) = pipe().context("pipe(2)")?;
    // ANCHOR: idle_processes
    let mut children = Vec::with_capacity(workers);
    for index in 0..workers {
        // SAFETY: prepare_to_fork checked just above that this process has
        // one thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => run_child(|| {
                drop(go_write); // our copy, or our own read never sees EOF
                if crate::faults::dies_before_ready(index, args) {
                    return Err(Error::msg("idle child 1 dies before it is ready (test)"));
                }
                let _ = write(&ready_write, b"r"); // "I am running"
                drop(ready_write); // so a sibling that dies early means EOF for the parent
                let _ = read(&go_read, &mut [0u8]); // idle until the parent closes go_write
                Ok(())
            }),
            ForkResult::Parent { child } => children.push(ChildGuard::new(child)),
        }
    }
    drop(ready_write); // ours too: now EOF means every child wrote or died
    wait_until_ready(&ready_read, workers)?;
    // ANCHOR_END: idle_processes
    let kernel = kernel_reading();
    let pids: Vec<Pid> = children.iter().map(ChildGuard::pid).collect();
    let user = summed(&pids, |pid| user_bytes(pid, &source)).zip(user_bytes(Pid::this(), &source));
    let children_tables = summed(&pids, |pid| status_field(pid, "VmPTE:"));
    let ours = status_field(Pid::this(), "VmPTE:");
    let tables = children_tables.zip(ours).map(|(c, d)| (c + d) as i64);
    let tables = tables.zip(tables_before).map(|(all, b)| all - b as i64);
    drop(go_write); // close(2): every child's read returns 0, and it exits
    let reaped = reap_all(children)?;
    Ok(Idle {
        user: growth_per_worker(user_before, user.map(|(a, b)| a + b), workers),
        kernel: kernel_growth(kernel_before, kernel, tables, workers),
        slab_from: kernel.map(|k| k.slab_from),
        page_tables: children_tables.map(|total| total / workers.max(1) as u64),
        started: workers,
        reaped,
    })
}

/// `figure` of every process in `children`, added up.
fn summed(children: &[Pid], figure: impl Fn(Pid) -> Option<u64>) -> Option<u64> {
    children
        .iter()
        .try_fold(0, |sum, &pid| Some(sum + figure(pid)?))
}

/// Reads one byte from every worker; EOF first means one died unready.
fn wait_until_ready(ready_read: &OwnedFd, workers: usize) -> Result<()> {
    let (mut seen, mut buffer) = (0, [0u8; 64]);
    while seen < workers {
        let want = (workers - seen).min(buffer.len());
        match read(ready_read, &mut buffer[..want]) {
            Ok(0) => {
                let message = format!("only {seen} of {workers} idle workers started");
                return Err(Error::msg(message));
            }
            Ok(count) => seen += count,
            Err(nix::errno::Errno::EINTR) => continue,
            Err(error) => return Err(error).context("read(2) of the ready pipe"),
        }
    }
    Ok(())
}
