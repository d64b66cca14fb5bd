//! Part 5, processes: a new process per job, and a pool forked once. The
//! workers claim jobs and add their results through two counters in a
//! `MAP_SHARED` page: a private page would be copied on write, and the
//! parent would never see the children's sums.

use std::num::NonZeroUsize;
use std::ptr::NonNull;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};

use nix::sys::mman::{MapFlags, ProtFlags, mmap_anonymous, munmap};
use nix::sys::wait::WaitStatus;
use nix::unistd::{ForkResult, fork};
use support::ChildGuard;
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};

use crate::part5_pools::job;

/// The next job to claim and the running total, shared by every process.
struct Counters {
    next: AtomicUsize,
    total: AtomicU64,
}

/// One shared page holding the counters; unmapped on drop.
struct SharedPage(NonNull<Counters>);

impl SharedPage {
    fn new() -> Result<SharedPage> {
        let length = NonZeroUsize::new(4096).expect("non-zero");
        let (read_write, shared) = (
            ProtFlags::PROT_READ | ProtFlags::PROT_WRITE,
            MapFlags::MAP_SHARED,
        );
        // SAFETY: a fresh anonymous mapping overlaps nothing of ours; it is
        // zero-filled, and all-zero bytes are valid atomics.
        let page =
            unsafe { mmap_anonymous(None, length, read_write, shared) }.context("mmap(2)")?;
        Ok(SharedPage(page.cast()))
    }

    fn counters(&self) -> &Counters {
        // SAFETY: the page is mapped, aligned, zero-initialised and lives
        // as long as `self`; atomics may be shared between processes.
        unsafe { self.0.as_ref() }
    }
}

impl Drop for SharedPage {
    fn drop(&mut self) {
        // SAFETY: the mapping was made by `new` and nothing uses it after drop.
        let _ = unsafe { munmap(self.0.cast(), 4096) };
    }
}

/// A process per job, `workers` at a time: fork them, reap them, next wave.
pub fn per_job_processes(jobs: usize, workers: usize) -> Result<u64> {
    prepare_to_fork()?; // once: nothing below starts a thread
    let page = SharedPage::new()?;
    for wave in (0..jobs).collect::<Vec<_>>().chunks(workers) {
        let mut children = Vec::with_capacity(wave.len());
        for &index in wave {
            // SAFETY: prepare_to_fork checked above that this process has
            // one thread, so the child may run ordinary Rust code.
            match unsafe { fork() }.context("fork(2)")? {
                ForkResult::Child => run_child(|| {
                    page.counters()
                        .total
                        .fetch_add(job(index as u64), Ordering::Relaxed);
                    Ok(())
                }),
                ForkResult::Parent { child } => children.push(ChildGuard::new(child)),
            }
        }
        reap_all(children)?;
    }
    Ok(page.counters().total.load(Ordering::Relaxed))
}

// ANCHOR: pre_forked
/// `workers` processes forked once; each claims jobs until none is left.
pub fn pre_forked_pool(jobs: usize, workers: usize) -> Result<u64> {
    prepare_to_fork()?; // once: nothing below starts a thread
    let page = SharedPage::new()?;
    let mut children = Vec::with_capacity(workers);
    for _ in 0..workers {
        // SAFETY: prepare_to_fork checked above that this process has one
        // thread, so the child may run ordinary Rust code.
        match unsafe { fork() }.context("fork(2)")? {
            ForkResult::Child => run_child(|| {
                let counters = page.counters();
                loop {
                    let index = counters.next.fetch_add(1, Ordering::Relaxed); // claim a job
                    if index >= jobs {
                        return Ok(());
                    }
                    counters
                        .total
                        .fetch_add(job(index as u64), Ordering::Relaxed);
                }
            }),
            ForkResult::Parent { child } => children.push(ChildGuard::new(child)),
        }
    }
    reap_all(children)?;
    Ok(page.counters().total.load(Ordering::Relaxed))
}
// ANCHOR_END: pre_forked

/// waitpid(2) each child, through its guard (no zombie is left); each
/// must exit with 0. Returns how many were reaped.
pub(crate) fn reap_all(children: Vec<ChildGuard>) -> Result<usize> {
    let mut reaped = 0;
    for child in children {
        let pid = child.pid();
        let status = child.waitpid().context("waitpid(2)")?;
        if status != WaitStatus::Exited(pid, 0) {
            return Err(Error::msg(format!("child {pid} ended: {status:?}")));
        }
        reaped += 1;
    }
    Ok(reaped)
}
