//! Where a measurement runs: two parties on one CPU, on two CPUs, or where
//! the scheduler puts them.
//!
//! A hand-off between two threads or two processes costs very different
//! amounts depending on whether the other side must be woken on another CPU
//! (an inter-processor interrupt, a CPU leaving idle) or simply runs next on
//! this one. Left unpinned, the scheduler picks either, and a figure jumps
//! between two levels. So measurements pin themselves with [`Pinned`], say
//! which placement they got, and give the old CPU mask back when done —
//! also on an early `?` return or a panic.

use std::fmt;

use nix::sched::{CpuSet, sched_getaffinity, sched_setaffinity};
use nix::unistd::Pid;

use crate::error::{Context, Result};

/// Where the two parties of a measurement run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// The caller on one allowed CPU, the other party on another.
    TwoCpus,
    /// Both on the first allowed CPU: they take turns.
    OneCpu,
    /// Wherever the scheduler puts them.
    Unpinned,
}

impl fmt::Display for Placement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // pad(), not write_str(), so `{:<11}` lines the figures up.
        f.pad(match self {
            Placement::TwoCpus => "on two CPUs",
            Placement::OneCpu => "on one CPU",
            Placement::Unpinned => "unpinned",
        })
    }
}

/// The CPUs this thread may run on (`sched_getaffinity(2)`), in order.
pub fn allowed_cpus() -> Result<Vec<usize>> {
    let mask = sched_getaffinity(Pid::from_raw(0)).context("sched_getaffinity(2)")?;
    Ok((0..CpuSet::count())
        .filter(|&cpu| mask.is_set(cpu).unwrap_or(false))
        .collect())
}

/// The calling thread pinned for one measurement; its previous CPU mask
/// comes back when this is dropped.
#[derive(Debug)]
pub struct Pinned {
    placement: Placement,
    other_cpu: Option<usize>,
    previous: Option<CpuSet>,
}

impl Pinned {
    /// Pins the calling thread as `wanted` asks (threads it starts from now
    /// on, and processes it forks, inherit the mask). When it cannot — two
    /// CPUs wanted but one allowed (`taskset -c 0`), or the kernel refused —
    /// it stays unpinned and [`Pinned::placement`] says so.
    pub fn caller(wanted: Placement) -> Result<Pinned> {
        let unpinned = Pinned {
            placement: Placement::Unpinned,
            other_cpu: None,
            previous: None,
        };
        if wanted == Placement::Unpinned {
            return Ok(unpinned);
        }
        let previous = sched_getaffinity(Pid::from_raw(0)).context("sched_getaffinity(2)")?;
        let (mine, other) = match (wanted, allowed_cpus()?.as_slice()) {
            (Placement::TwoCpus, [first, second, ..]) => (*first, *second),
            (Placement::OneCpu, [first, ..]) => (*first, *first),
            _ => return Ok(unpinned),
        };
        if pin_this_thread_to(mine).is_err() {
            return Ok(unpinned);
        }
        Ok(Pinned {
            placement: wanted,
            other_cpu: Some(other),
            previous: Some(previous),
        })
    }

    /// The placement actually in force.
    pub fn placement(&self) -> Placement {
        self.placement
    }

    /// For the other party (a forked child, a spawned thread), first thing:
    /// move to its CPU. Does nothing when unpinned.
    pub fn move_other_party(&self) {
        if let Some(cpu) = self.other_cpu {
            let _ = pin_this_thread_to(cpu);
        }
    }
}

impl Drop for Pinned {
    fn drop(&mut self) {
        if let Some(previous) = &self.previous {
            let _ = sched_setaffinity(Pid::from_raw(0), previous);
        }
    }
}

/// `sched_setaffinity(0, {cpu})`: the calling thread may run on `cpu` only.
pub fn pin_this_thread_to(cpu: usize) -> nix::Result<()> {
    let mut only = CpuSet::new();
    only.set(cpu)?;
    sched_setaffinity(Pid::from_raw(0), &only)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_previous_mask_comes_back_on_drop_even_after_a_panic() {
        // Run on a thread of its own: the mask is per thread.
        std::thread::spawn(|| {
            let before = allowed_cpus().unwrap();
            let result = std::panic::catch_unwind(|| {
                let pinned = Pinned::caller(Placement::OneCpu).unwrap();
                assert_eq!(pinned.placement(), Placement::OneCpu);
                assert_eq!(allowed_cpus().unwrap(), &before[..1]);
                panic!("measurement failed half way");
            });
            assert!(result.is_err());
            assert_eq!(allowed_cpus().unwrap(), before);
        })
        .join()
        .unwrap();
    }

    #[test]
    fn two_cpus_wanted_on_one_allowed_cpu_runs_unpinned() {
        std::thread::spawn(|| {
            let first = allowed_cpus().unwrap()[0];
            pin_this_thread_to(first).unwrap();
            let pinned = Pinned::caller(Placement::TwoCpus).unwrap();
            assert_eq!(pinned.placement(), Placement::Unpinned);
            pinned.move_other_party(); // nothing to do, and no error
            assert_eq!(allowed_cpus().unwrap(), [first]);
        })
        .join()
        .unwrap();
    }
}
