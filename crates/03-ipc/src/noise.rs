//! Figures from repeated runs on a shared machine: each rate as a median
//! with its range, how busy the machine was, and whether two rates differ
//! by more than the run's own noise. Both demos use it, so that no verdict
//! explains a difference its figures cannot tell from noise.

use support::timing::format_bytes;

/// How many times each transfer is run, the two being compared alternating.
pub const RUNS: usize = 5;

/// A spread wider than this (the fastest run over the slowest) is "wide".
const WIDE: f64 = 1.5;

/// Rates from several runs, in bytes per second.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Spread {
    pub median: f64,
    pub min: f64,
    pub max: f64,
    pub runs: usize,
}

impl Spread {
    /// The median, minimum and maximum of `rates` (at least one).
    pub fn of(rates: &[f64]) -> Spread {
        assert!(!rates.is_empty(), "a spread needs at least one run");
        let mut sorted = rates.to_vec();
        sorted.sort_by(f64::total_cmp);
        let n = sorted.len();
        let median = (sorted[(n - 1) / 2] + sorted[n / 2]) / 2.0;
        Spread {
            median,
            min: sorted[0],
            max: sorted[n - 1],
            runs: n,
        }
    }

    /// The two ranges have a rate in common: this run cannot tell them apart.
    pub fn overlaps(&self, other: &Spread) -> bool {
        self.min <= other.max && other.min <= self.max
    }

    /// The fastest run was more than 1.5× the slowest.
    pub fn is_wide(&self) -> bool {
        self.max > WIDE * self.min
    }

    /// `875 MiB/s (801 MiB/s–903 MiB/s, 5 runs)`: at most 45 columns.
    pub fn text(&self) -> String {
        let rate = |value: f64| format!("{}/s", format_bytes(value as u64));
        let (median, min, max) = (rate(self.median), rate(self.min), rate(self.max));
        format!("{median} ({min}–{max}, {} runs)", self.runs)
    }
}

/// How busy the machine was while the figures were taken.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Machine {
    /// The 1-minute load average (`/proc/loadavg`): runnable tasks, averaged.
    pub load: f64,
    /// CPUs online; the load average counts tasks on all of them.
    pub cpus: usize,
    /// CPUs this process may run on (fewer under `taskset`).
    pub allowed: usize,
}

impl Machine {
    /// Reads `/proc/loadavg` and the CPU counts now.
    pub fn now() -> Machine {
        let text = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
        let first = text.split_whitespace().next().unwrap_or("0");
        // SAFETY: sysconf only reads a system setting.
        let online = unsafe { libc::sysconf(libc::_SC_NPROCESSORS_ONLN) };
        let allowed = support::placement::allowed_cpus().map_or(1, |cpus| cpus.len());
        Machine {
            load: first.parse().unwrap_or(0.0),
            cpus: usize::try_from(online).unwrap_or(1).max(1),
            allowed,
        }
    }

    /// More tasks wanted a CPU, on average, than there are CPUs.
    pub fn is_busy(&self) -> bool {
        self.load > self.cpus as f64
    }

    /// `load average 3.82 (1 min); 2 CPUs, this run may use 2`.
    pub fn text(&self) -> String {
        format!(
            "load average {:.2} (1 min); {} CPUs, this run may use {}",
            self.load, self.cpus, self.allowed
        )
    }

    /// Why `spreads` should not be trusted, if they should not: a busy
    /// machine or a wide spread. `None`: nothing seen that disturbs them.
    pub fn disturbance(&self, spreads: &[&Spread]) -> Option<String> {
        if self.is_busy() {
            Some(format!("load {:.2} > {} CPUs", self.load, self.cpus))
        } else if spreads.iter().any(|spread| spread.is_wide()) {
            Some(format!("a spread over {WIDE}×"))
        } else {
            None
        }
    }
}

/// The line that marks figures not to be trusted, or `None`.
pub fn disturbed_line(machine: &Machine, spreads: &[&Spread]) -> Option<String> {
    let why = machine.disturbance(spreads)?;
    Some(format!("  disturbed ({why}): rerun on a quiet machine"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_range_and_overlap() {
        let slow = Spread::of(&[3.0, 1.0, 2.0]);
        assert_eq!((slow.median, slow.min, slow.max), (2.0, 1.0, 3.0));
        assert_eq!(Spread::of(&[1.0, 4.0]).median, 2.5);
        assert!(slow.overlaps(&Spread::of(&[2.5, 9.0])));
        assert!(!slow.overlaps(&Spread::of(&[3.5, 9.0])));
        assert!(slow.is_wide() && !Spread::of(&[2.0, 2.9]).is_wide());
    }

    #[test]
    fn a_busy_machine_or_a_wide_spread_is_a_disturbance() {
        let (narrow, wide) = (Spread::of(&[2.0, 2.1]), Spread::of(&[1.0, 2.0]));
        let quiet = Machine {
            load: 0.5,
            cpus: 2,
            allowed: 2,
        };
        let busy = Machine { load: 7.5, ..quiet };
        assert_eq!(quiet.disturbance(&[&narrow]), None);
        assert!(quiet.disturbance(&[&narrow, &wide]).is_some());
        assert!(busy.disturbance(&[&narrow]).unwrap().contains("7.50 > 2"));
    }
}
