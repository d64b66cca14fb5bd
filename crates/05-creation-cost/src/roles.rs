//! Both sides of the fresh-process roles: what each role measures and
//! prints (`creation`, `fork_sizes`, `idle_*`), and how the parent reads
//! it back (`*_from`). The transport is in `fresh.rs`.

use support::error::Result;

use crate::fresh::{Figures, numbers_line, stats_line};
use crate::part3_fork_size::{FORK_SIZES, fork_after_touching};
use crate::part4_idle_memory::{Idle, idle_processes as processes, idle_threads as threads};
use crate::report::{CreationCosts, ForkAtSize};

/// Runs `body` with the role's first argument, a number, and prints its lines.
pub(crate) fn serve(
    args: &[String],
    body: impl FnOnce(usize, &[String]) -> Result<Vec<String>>,
) -> i32 {
    support::speaker::set_quiet(true); // only the figures go to stdout
    let number = args.first().and_then(|word| word.parse().ok());
    let Some(number) = number.filter(|n| *n > 0) else {
        eprintln!("error: this role needs a whole number from 1 up, got {args:?}");
        return 2;
    };
    match body(number, &args[1..]) {
        Ok(lines) => {
            lines.iter().for_each(|line| println!("{line}"));
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            1
        }
    }
}

/// Arguments: the repeats, then the rows to measure (`std` … `command`; none: all).
pub fn creation(args: &[String]) -> i32 {
    serve(args, |repeats, names| {
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let rows = crate::part2_processes::measure_creation_here(repeats, &names)?;
        let rows = rows.iter().map(|(name, stats)| stats_line(name, stats));
        let pid = numbers_line("pid", &[Some(std::process::id() as i64)]);
        Ok(rows.chain([pid]).collect())
    })
}

pub fn creation_from(figures: &Figures) -> Result<CreationCosts> {
    Ok(CreationCosts {
        thread_spawn: figures.stats("std")?,
        pthread_create: figures.stats("pthread")?,
        thread_scope: figures.stats("scope")?,
        fork_exit: figures.stats("fork")?,
        fork_exec: figures.stats("exec")?,
        command: figures.stats("command")?,
        measured_in_pid: figures.number("pid", 0).map(|pid| pid as u32),
    })
}

pub fn fork_sizes(args: &[String]) -> i32 {
    serve(args, |repeats, _| {
        let mut lines = Vec::new();
        for (i, bytes) in FORK_SIZES.into_iter().enumerate() {
            let at = fork_after_touching(bytes, repeats)?;
            let (rss, pte) = (at.parent_resident_bytes, at.parent_page_table_bytes);
            let sizes = [Some(bytes as u64), rss, pte].map(|b| b.map(|b| b as i64));
            let sizes = [&sizes[..], &[at.faults_after_fork]].concat();
            lines.push(numbers_line(&format!("size{i}"), &sizes));
            lines.push(stats_line(&format!("fork{i}"), &at.fork_exit));
            let optional = [
                ("copy", at.copy_page_table_bytes),
                ("before", at.rewrite_before_fork),
                ("after", at.rewrite_after_fork),
            ];
            for (name, stats) in optional {
                if let Some(stats) = stats {
                    lines.push(stats_line(&format!("{name}{i}"), &stats));
                }
            }
        }
        Ok(lines)
    })
}

pub fn fork_sizes_from(figures: &Figures) -> Result<Vec<ForkAtSize>> {
    (0..FORK_SIZES.len())
        .map(|i| {
            let size = |k| figures.number(&format!("size{i}"), k);
            Ok(ForkAtSize {
                touched_bytes: size(0).unwrap_or(0) as u64,
                parent_resident_bytes: size(1).map(|b| b as u64),
                parent_page_table_bytes: size(2).map(|b| b as u64),
                faults_after_fork: size(3),
                fork_exit: figures.stats(&format!("fork{i}"))?,
                copy_page_table_bytes: figures.stats(&format!("copy{i}")).ok(),
                rewrite_before_fork: figures.stats(&format!("before{i}")).ok(),
                rewrite_after_fork: figures.stats(&format!("after{i}")).ok(),
            })
        })
        .collect()
}

fn idle_lines(idle: Idle) -> Vec<String> {
    let kernel = idle.kernel.map_or([None; 3], |k| k.map(Some));
    let kernel = [&kernel[..], &[idle.slab_from.map(|from| from as i64)]].concat();
    let counts = [idle.started as i64, idle.reaped as i64].map(Some);
    vec![
        numbers_line("user", &[idle.user, idle.page_tables.map(|b| b as i64)]),
        numbers_line("kernel", &kernel),
        numbers_line("children", &counts),
    ]
}

/// The round before freed its workers' kernel memory (task records, after
/// an RCU grace period) for a while after it ended: without this wait, a
/// round's "before" reading could still include some of it (measured here:
/// slab per idle thread -5.5 KiB back to back, +5.9 KiB with 50 ms between).
const SETTLE: std::time::Duration = std::time::Duration::from_millis(100);

pub fn idle_threads(args: &[String]) -> i32 {
    std::thread::sleep(SETTLE);
    serve(args, |workers, _| Ok(idle_lines(threads(workers)?)))
}

pub fn idle_processes(args: &[String]) -> i32 {
    std::thread::sleep(SETTLE);
    serve(args, |workers, rest| {
        Ok(idle_lines(processes(workers, rest)?))
    })
}
