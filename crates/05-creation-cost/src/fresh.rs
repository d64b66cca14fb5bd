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
    Role {
        name: POOLS,
        run: crate::rounds::pools,
    },
];
pub const CREATION: &str = "creation-cost:creation";
pub const FORK_SIZES: &str = "creation-cost:fork-sizes";
pub const IDLE_THREADS: &str = "creation-cost:idle-threads";
pub const IDLE_PROCESSES: &str = "creation-cost:idle-processes";
pub const POOLS: &str = "creation-cost:pools";

// ANCHOR: fresh
/// Starts this program again in `role` with `arguments`, waits for it, and
/// returns the figures it printed.
pub fn in_fresh_process(role: &str, arguments: &[impl ToString]) -> Result<Figures> {
    let output = support::role::command(role)
        .context("finding this program's file")?
        .args(arguments.iter().map(ToString::to_string))
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
