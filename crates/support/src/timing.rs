//! Repeat-and-time: run a closure many times and report the minimum, the
//! median and the maximum, because one timing on a shared machine is noise.
//!
//! To keep the measurement from measuring itself, [`measure`] reads the
//! clock once per *batch* of calls, not once per call, and divides: with a
//! batch of 1 000 calls of 50 ns each, the two clock reads (about 20–40 ns)
//! add well under 0.1% to the figure.

use std::fmt;
use std::time::{Duration, Instant};

/// Min / median / max of a set of timings, each the cost of one call.
///
/// Where a timing covered a batch of calls (see [`measure`]), each timing is
/// the *mean* cost of one call in its batch: `min` and `max` are then the
/// cheapest and dearest batch, not the cheapest and dearest single call.
/// [`Stats::calls_per_sample`] says which, and `Display` prints it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stats {
    pub min: Duration,
    pub median: Duration,
    pub max: Duration,
    /// How many timings the figures summarise.
    pub samples: usize,
    /// How many calls each timing covered (1: single calls were timed).
    pub calls_per_sample: usize,
}

impl Stats {
    /// Summarises timings. Panics on an empty list: a measurement that
    /// produced nothing is a bug in the caller.
    pub fn from_samples(mut samples: Vec<Duration>) -> Stats {
        assert!(!samples.is_empty(), "Stats needs at least one sample");
        samples.sort_unstable();
        let n = samples.len();
        let median = if n % 2 == 1 {
            samples[n / 2]
        } else {
            (samples[n / 2 - 1] + samples[n / 2]) / 2
        };
        Stats {
            min: samples[0],
            median,
            max: samples[n - 1],
            samples: n,
            calls_per_sample: 1,
        }
    }

    /// Summarises timings that are each the mean of `calls` calls.
    pub fn from_batch_means(samples: Vec<Duration>, calls: usize) -> Stats {
        Stats {
            calls_per_sample: calls,
            ..Stats::from_samples(samples)
        }
    }

    /// The median in seconds, as a float (handy for ratios).
    pub fn median_secs(&self) -> f64 {
        self.median.as_secs_f64()
    }
}

impl fmt::Display for Stats {
    /// `median 36.2 µs (30.1 µs–80.4 µs over 21 batches of 50)`, or for single
    /// calls `median 36.2 µs (30.1 µs–80.4 µs over 21 calls)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "median {} ({}–{} over {}",
            format_duration(self.median),
            format_duration(self.min),
            format_duration(self.max),
            self.samples
        )?;
        match self.calls_per_sample {
            1 => f.write_str(" calls)"),
            calls => write!(f, " batches of {calls})"),
        }
    }
}

/// Times `call`: first `warmup` calls untimed, then `samples` timings, each
/// the average over a batch of `batch` calls between two clock reads.
pub fn measure(warmup: usize, samples: usize, batch: usize, mut call: impl FnMut()) -> Stats {
    assert!(
        samples > 0 && batch > 0,
        "measure needs samples and batch > 0"
    );
    for _ in 0..warmup {
        call();
    }
    let timings = (0..samples)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                call();
            }
            start.elapsed() / batch as u32
        })
        .collect();
    Stats::from_batch_means(timings, batch)
}

/// Like [`measure`], for a call that can fail: the first error stops the
/// measurement and is returned.
pub fn try_measure<E>(
    warmup: usize,
    samples: usize,
    batch: usize,
    mut call: impl FnMut() -> Result<(), E>,
) -> Result<Stats, E> {
    assert!(
        samples > 0 && batch > 0,
        "measure needs samples and batch > 0"
    );
    for _ in 0..warmup {
        call()?;
    }
    let mut timings = Vec::with_capacity(samples);
    for _ in 0..samples {
        let start = Instant::now();
        for _ in 0..batch {
            call()?;
        }
        timings.push(start.elapsed() / batch as u32);
    }
    Ok(Stats::from_batch_means(timings, batch))
}

/// A duration with three significant figures and a fitting unit:
/// `850 ns`, `36.2 µs`, `1.25 ms`, `2.00 s`.
pub fn format_duration(duration: Duration) -> String {
    let nanos = duration.as_secs_f64() * 1e9;
    let (value, unit) = if nanos < 1e3 {
        (nanos, "ns")
    } else if nanos < 1e6 {
        (nanos / 1e3, "µs")
    } else if nanos < 1e9 {
        (nanos / 1e6, "ms")
    } else {
        (nanos / 1e9, "s")
    };
    format!("{} {unit}", three_figures(value))
}

/// A byte count in binary units: `512 B`, `64.0 KiB`, `256 MiB`, `1.50 GiB`.
pub fn format_bytes(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit < UNITS.len() - 1 {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{bytes} B")
    } else {
        format!("{} {}", three_figures(value), UNITS[unit])
    }
}

/// A transfer rate: `bytes` moved in `elapsed`, as `1.30 GiB/s`.
pub fn format_rate(bytes: u64, elapsed: Duration) -> String {
    let per_second = bytes as f64 / elapsed.as_secs_f64().max(1e-12);
    format!("{}/s", format_bytes(per_second as u64))
}

/// Three significant figures: 1.23, 12.3, 123.
pub fn three_figures(value: f64) -> String {
    if value >= 100.0 {
        format!("{value:.0}")
    } else if value >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_min_and_max_of_odd_and_even_sets() {
        let ms = Duration::from_millis;
        let odd = Stats::from_samples(vec![ms(5), ms(1), ms(3)]);
        assert_eq!((odd.min, odd.median, odd.max), (ms(1), ms(3), ms(5)));
        let even = Stats::from_samples(vec![ms(4), ms(1), ms(2), ms(10)]);
        assert_eq!((even.min, even.median, even.max), (ms(1), ms(3), ms(10)));
        assert_eq!(even.samples, 4);
    }

    #[test]
    fn measure_calls_warmup_plus_samples_times_batch() {
        let mut calls = 0;
        let stats = measure(3, 5, 7, || calls += 1);
        assert_eq!(calls, 3 + 5 * 7);
        assert_eq!(stats.samples, 5);
        assert_eq!(stats.calls_per_sample, 7);
        assert!(stats.min <= stats.median && stats.median <= stats.max);
    }

    #[test]
    fn the_summary_says_whether_it_timed_batches_or_single_calls() {
        let us = Duration::from_micros;
        let single = Stats::from_samples(vec![us(30), us(36), us(80)]);
        assert_eq!(
            single.to_string(),
            "median 36.0 µs (30.0 µs–80.0 µs over 3 calls)"
        );
        let batches = Stats::from_batch_means(vec![us(30), us(36), us(80)], 50);
        assert!(
            batches.to_string().ends_with("over 3 batches of 50)"),
            "{batches}"
        );
    }

    #[test]
    fn try_measure_stops_at_the_first_error() {
        let mut calls = 0;
        let result = try_measure(0, 10, 10, || {
            calls += 1;
            if calls == 4 { Err("boom") } else { Ok(()) }
        });
        assert_eq!(result, Err("boom"));
        assert_eq!(calls, 4);
    }

    #[test]
    fn durations_bytes_and_rates_read_naturally() {
        assert_eq!(format_duration(Duration::from_nanos(850)), "850 ns");
        assert_eq!(format_duration(Duration::from_nanos(36_240)), "36.2 µs");
        assert_eq!(format_duration(Duration::from_micros(1_250)), "1.25 ms");
        assert_eq!(format_duration(Duration::from_secs(2)), "2.00 s");
        assert_eq!(format_bytes(512), "512 B");
        assert_eq!(format_bytes(64 * 1024), "64.0 KiB");
        assert_eq!(format_bytes(256 << 20), "256 MiB");
        assert_eq!(format_bytes(3 << 29), "1.50 GiB");
        assert_eq!(
            format_rate(1 << 30, Duration::from_millis(500)),
            "2.00 GiB/s"
        );
    }
}
