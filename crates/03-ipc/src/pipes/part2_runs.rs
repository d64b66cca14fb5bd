//! Part 2's figures: the default buffer and the 1 MiB buffer streamed in
//! turn, `RUNS` times each so that both meet the same disturbances, then
//! printed as medians with their ranges, beside the machine's load.

use support::error::Result;
use support::say;
use support::timing::format_bytes;

use super::part2_stream::{LARGE_PIPE_BUFFER, stream_through_pipe};
use super::part6_verdict::stream_sentences;
use super::report::Streams;
use crate::noise::{Machine, RUNS, disturbed_line};
use crate::text::one_cpu_allowed;

/// Streams `bytes` `RUNS` times with each buffer, default and 1 MiB in
/// turn, on two CPUs where allowed; prints what they show.
pub fn both_buffers(bytes: u64) -> Result<(Streams, Streams, Machine)> {
    let machine = Machine::now(); // before the runs add their own load
    let (mut default_runs, mut large_runs) = (Vec::new(), Vec::new());
    for _ in 0..RUNS {
        default_runs.push(stream_through_pipe(bytes, None)?);
        large_runs.push(stream_through_pipe(bytes, Some(LARGE_PIPE_BUFFER))?);
    }
    let (default, large) = (Streams { runs: default_runs }, Streams { runs: large_runs });
    let lines = stream_lines(&default, &large, &machine);
    lines.iter().for_each(|line| say!("{line}"));
    let (headline, noise, reasons) = stream_sentences(&default, &large);
    [&headline, &noise].iter().for_each(|line| say!("{line}"));
    reasons.iter().for_each(|line| say!("{line}"));
    if one_cpu_allowed() {
        say!("one CPU allowed: writer and reader take turns, never copying at once");
    }
    Ok((default, large, machine))
}

/// The lines printed under part 2: each buffer's rates, and the load.
pub fn stream_lines(default: &Streams, large: &Streams, machine: &Machine) -> Vec<String> {
    let (first, (default_rates, large_rates)) = (default.first(), (default.rates(), large.rates()));
    let sums = match default.is_complete() && large.is_complete() {
        true => "ok",
        false => "DIFFER",
    };
    let each = format_bytes(first.bytes_sent);
    let mut lines = vec![format!(
        "{RUNS} runs of {each} per buffer, in turn, {}; checksums {sums}",
        first.placement
    )];
    for (streams, rates) in [(default, &default_rates), (large, &large_rates)] {
        let capacity = format_bytes(streams.first().pipe_capacity as u64);
        lines.push(format!("{capacity:>9} buffer: {}", rates.text()));
    }
    lines.push(machine.text());
    lines.extend(disturbed_line(machine, &[&default_rates, &large_rates]));
    lines
}

/// The choice of part 2's question this run showed: 1, the 1 MiB buffer
/// won every run; 2, the ranges overlap; 3, the default won every run;
/// `None` on one CPU, where the setting decides: the sides take turns.
pub fn stream_outcome(default: &Streams, large: &Streams) -> Option<usize> {
    let (slow, fast) = (default.rates(), large.rates());
    let choice = match (fast.overlaps(&slow), fast.min > slow.max) {
        (true, _) => 2,
        (false, true) => 1,
        (false, false) => 3,
    };
    (!one_cpu_allowed()).then_some(choice)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipes::Transfer;
    use std::time::Duration;

    /// The widest lines: the largest figures, a 7-digit pid in the tag.
    #[test]
    fn every_line_fits_beside_a_seven_digit_pid() {
        let tag = "[parent pid=1234567 main    ] ";
        let run = |nanos| Transfer {
            bytes_sent: 1023 << 20,
            bytes_received: 1023 << 20,
            checksum_ok: false,
            elapsed: Duration::from_nanos(nanos),
            pipe_capacity: 1023 << 10,
            write_size: 64 << 10,
            placement: support::placement::Placement::Unpinned,
        };
        let streams = Streams {
            runs: vec![run(1), run(u64::from(u32::MAX) << 8)],
        };
        let machine = Machine {
            load: 1234.56,
            cpus: 4096,
            allowed: 4096,
        };
        for line in stream_lines(&streams, &streams, &machine) {
            let columns = tag.chars().count() + line.chars().count();
            assert!(columns <= 100, "{columns} columns: {line}");
        }
    }
}
