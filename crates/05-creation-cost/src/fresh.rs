//! Measuring in a fresh process. A figure taken inside a long-lived program
//! (the tour, lesson 07's table) depends on what ran before it: a bigger
//! parent forks slower, glibc keeps an arena per thread that ever ran. So
//! every creation and memory figure is taken by this same program started
//! again in a role, which measures and prints its figures as plain lines of
//! numbers (`name n1 n2 …`, `-` for unknown) for the parent to read.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::Duration;

use support::error::{Context, Error, Result};
use support::role::Role;
use support::timing::Stats;

use crate::part4_idle_memory::Idle;
use crate::report::{IdleMemory, KernelMemory};

/// The roles, with the function each runs in the fresh process.
pub const ROLES: &[Role] = &[
    Role {
        name: CREATION,
        run: crate::roles::creation,
    },
    Role {
        name: FORK_SIZES,
        run: crate::roles::fork_sizes,
    },
    Role {
        name: IDLE_THREADS,
        run: crate::roles::idle_threads,
    },
    Role {
        name: IDLE_PROCESSES,
        run: crate::roles::idle_processes,
    },
];
pub const CREATION: &str = "creation-cost:creation";
pub const FORK_SIZES: &str = "creation-cost:fork-sizes";
pub const IDLE_THREADS: &str = "creation-cost:idle-threads";
pub const IDLE_PROCESSES: &str = "creation-cost:idle-processes";

// ANCHOR: fresh
/// Starts this program again in `role` with `argument`, waits for it, and
/// returns the figures it printed.
pub fn in_fresh_process(role: &str, argument: usize) -> Result<Figures> {
    let output = support::role::command(role)
        .context("finding this program's file")?
        .arg(argument.to_string())
        .stdout(Stdio::piped()) // its figures come back through a pipe
        .stderr(Stdio::inherit()) // its errors go where ours go
        .output() // posix_spawn, read to EOF, waitpid
        .context(format!("starting {role}"))?;
    if !output.status.success() {
        return Err(Error::msg(format!("{role} failed: {}", output.status)));
    }
    Ok(Figures::parse(&String::from_utf8_lossy(&output.stdout)))
}
// ANCHOR_END: fresh

/// Figures by name, as the fresh process printed them.
#[derive(Debug, Default)]
pub struct Figures(HashMap<String, Vec<Option<i64>>>);

impl Figures {
    fn parse(text: &str) -> Figures {
        let mut figures = HashMap::new();
        for line in text.lines() {
            let mut words = line.split_whitespace();
            if let Some(name) = words.next() {
                figures.insert(name.to_string(), words.map(|w| w.parse().ok()).collect());
            }
        }
        Figures(figures)
    }

    /// The `index`th number of line `name`; `None` if absent or unknown.
    pub fn number(&self, name: &str, index: usize) -> Option<i64> {
        self.0.get(name)?.get(index).copied().flatten()
    }

    /// A line written by [`stats_line`].
    pub fn stats(&self, name: &str) -> Result<Stats> {
        let part = |i| self.number(name, i).filter(|n| *n >= 0).map(|n| n as u64);
        let missing = || Error::msg(format!("the fresh process sent no figure {name:?}"));
        let nanos = |i| part(i).map(Duration::from_nanos).ok_or_else(missing);
        Ok(Stats {
            min: nanos(0)?,
            median: nanos(1)?,
            max: nanos(2)?,
            samples: part(3).ok_or_else(missing)? as usize,
            calls_per_sample: part(4).ok_or_else(missing)? as usize,
        })
    }
}

/// `name min median max samples calls`, durations in nanoseconds.
pub fn stats_line(name: &str, stats: &Stats) -> String {
    format!(
        "{name} {} {} {} {} {}",
        stats.min.as_nanos(),
        stats.median.as_nanos(),
        stats.max.as_nanos(),
        stats.samples,
        stats.calls_per_sample
    )
}

/// `name n1 n2 …`, `-` for an unknown number.
pub fn numbers_line(name: &str, numbers: &[Option<i64>]) -> String {
    let words: Vec<String> = numbers
        .iter()
        .map(|n| n.map_or("-".to_string(), |n| n.to_string()))
        .collect();
    format!("{name} {}", words.join(" "))
}

pub fn idle_from(figures: &Figures) -> Idle {
    let kernel = |k| figures.number("kernel", k);
    let kernel = (|| {
        Some(KernelMemory {
            kernel_stack: kernel(0)?,
            page_tables: kernel(1)?,
            slab: kernel(2)?,
        })
    })();
    Idle {
        user: figures.number("user", 0),
        page_tables: figures.number("user", 1).map(|b| b as u64),
        kernel,
        started: figures.number("children", 0).unwrap_or(0) as usize,
        reaped: figures.number("children", 1).unwrap_or(0) as usize,
    }
}

pub fn idle_memory_from(threads: &Figures, processes: &Figures, workers: usize) -> IdleMemory {
    let (threads, processes) = (idle_from(threads), idle_from(processes));
    IdleMemory {
        workers,
        source: crate::proc_files::memory_source(),
        per_thread_bytes: threads.user,
        per_process_bytes: processes.user,
        page_tables_per_process_bytes: processes.page_tables,
        kernel_per_thread: threads.kernel,
        kernel_per_process: processes.kernel,
        children_started: processes.started,
        children_reaped: processes.reaped,
    }
}
