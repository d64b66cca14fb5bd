//! Timing a mode: wall clock and CPU time, repeats interleaved so that no
//! mode always runs first (or last) in a quiet or busy moment.

use std::time::{Duration, Instant};

use nix::sys::resource::{UsageWho, getrusage};
use support::error::{Context, Error, Result};
use support::forking::prepare_to_fork;
use support::say;
use support::timing::format_duration;

use crate::report::Timed;

/// The three ways of running a job.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Serial,
    Threads,
    Processes,
}

pub const MODES: [Mode; 3] = [Mode::Serial, Mode::Threads, Mode::Processes];

/// One run's figures, before the speed-up is known.
#[derive(Debug, Clone, Copy)]
pub struct Measured {
    pub wall: Duration,
    pub cpu_time: Duration,
    pub answer: u64,
}

impl Measured {
    pub fn cores_busy(&self) -> f64 {
        self.cpu_time.as_secs_f64() / self.wall.as_secs_f64()
    }

    pub fn with_speedup(&self, baseline: &Measured) -> Timed {
        Timed {
            wall: self.wall,
            cpu_time: self.cpu_time,
            speedup: baseline.wall.as_secs_f64() / self.wall.as_secs_f64(),
            cores_busy: self.cores_busy(),
            answer: self.answer,
        }
    }
}

/// Runs `job` once, timing it by the wall clock and by CPU time used.
pub fn measure_once(job: impl FnOnce() -> Result<u64>) -> Result<Measured> {
    let cpu_before = cpu_time_used()?;
    let started = Instant::now();
    let answer = job()?;
    let wall = started.elapsed();
    let cpu_time = cpu_time_used()?.saturating_sub(cpu_before);
    Ok(Measured {
        wall,
        cpu_time,
        answer,
    })
}

/// Runs every mode `repeats` times, interleaved: repeat 1 runs serial,
/// threads, processes; repeat 2 threads, processes, serial; and so on.
/// Returns every run of each mode, in the order they ran; every run must
/// give the same answer. `job(mode, first)` is told whether this is the
/// mode's first run (the one whose workers speak). Before a processes run,
/// outside the clock, `prepare_to_fork` checks that this process has one
/// thread again.
pub fn measure_modes(
    repeats: usize,
    mut job: impl FnMut(Mode, bool) -> Result<u64>,
) -> Result<[Vec<Measured>; 3]> {
    let mut runs: [Vec<Measured>; 3] = Default::default();
    for repeat in 0..repeats.max(1) {
        for turn in 0..3 {
            let index = (repeat + turn) % 3;
            if MODES[index] == Mode::Processes {
                prepare_to_fork()?;
            }
            let run = measure_once(|| job(MODES[index], repeat == 0))?;
            runs[index].push(run);
        }
    }
    let answer = runs[0][0].answer;
    if let Some(odd) = runs.iter().flatten().find(|run| run.answer != answer) {
        let odd = odd.answer;
        return Err(Error::msg(format!("the same job gave {answer} and {odd}")));
    }
    Ok(runs)
}

/// The median run by wall time (the upper one of an even count).
pub fn median(runs: &[Measured]) -> Measured {
    let mut sorted = runs.to_vec();
    sorted.sort_by_key(|run| run.wall);
    sorted[sorted.len() / 2]
}

/// CPU time used so far by this process's threads and its reaped children,
/// user plus system (getrusage(2)).
fn cpu_time_used() -> Result<Duration> {
    let mut total = Duration::ZERO;
    for who in [UsageWho::RUSAGE_SELF, UsageWho::RUSAGE_CHILDREN] {
        let usage = getrusage(who).context("getrusage(2)")?;
        for time in [usage.user_time(), usage.system_time()] {
            total += Duration::from_secs(time.tv_sec() as u64)
                + Duration::from_micros(time.tv_usec() as u64);
        }
    }
    Ok(total)
}

/// A table of modes. "Cores busy" is CPU time over wall time: how many
/// CPUs were working for the job, on average, while it ran.
pub fn print_modes(modes: &[(&str, &Timed)]) {
    say!("mode              wall   CPU time  cores busy  speed-up  answer");
    for (mode, timed) in modes {
        say!(
            "{mode:<10} {:>9}  {:>9}  {:>10.2}  {:>7.2}×  {}",
            format_duration(timed.wall),
            format_duration(timed.cpu_time),
            timed.cores_busy,
            timed.speedup,
            grouped(timed.answer)
        );
    }
}

/// `1 core`, `2 cores`.
pub fn counted(count: usize, noun: &str) -> String {
    match count {
        1 => format!("1 {noun}"),
        count => format!("{} {noun}s", grouped(count as u64)),
    }
}

/// `5_000_000`: digits grouped by three, the one way numbers are printed.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let mut out = String::new();
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            out.push('_');
        }
        out.push(digit);
    }
    out
}
