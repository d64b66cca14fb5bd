//! Part 4's figures from several fresh rounds: the median of each, and
//! `None` (printed "noise") for a kernel figure that grew by 0 or less in
//! a round, or whose rounds disagree by more than half of their median.
//! And part 5 in a fresh process: its role, and reading its figures back.

use std::time::Duration;

use support::error::{Error, Result};

use crate::fresh::{self, Figures, in_fresh_process, numbers_line};
use crate::part4_idle_memory::Idle;
use crate::report::SlabFrom::{CgroupKmem, CgroupSlab, Meminfo};
use crate::report::{IdleMemory, KernelMemory, PoolWay, Pools};
use crate::roles::serve;

/// Fresh processes per kind of idle worker.
pub const ROUNDS: usize = 3;

/// One round's figures, as the fresh process printed them.
pub fn idle_from(figures: &Figures) -> Idle {
    let kernel = |k| figures.number("kernel", k);
    let froms = [CgroupSlab, CgroupKmem, Meminfo]; // in the order of their codes
    let slab_from = kernel(3).and_then(|code| froms.get(code as usize).copied());
    Idle {
        user: figures.number("user", 0),
        page_tables: figures.number("user", 1).map(|b| b as u64),
        kernel: (|| Some([kernel(0)?, kernel(1)?, kernel(2)?]))(),
        slab_from,
        started: figures.number("children", 0).unwrap_or(0) as usize,
        reaped: figures.number("children", 1).unwrap_or(0) as usize,
    }
}

fn median(mut values: Vec<i64>) -> Option<i64> {
    values.sort_unstable();
    values.get(values.len() / 2).copied()
}

/// The median of one kernel figure over the rounds, unless it is noise.
fn steady(values: Vec<i64>) -> Option<i64> {
    let middle = median(values.clone())?;
    let (low, high) = (values.iter().min()?, values.iter().max()?);
    (*low > 0 && high - low <= middle / 2).then_some(middle)
}

fn kernel_median(rounds: &[Idle]) -> Option<KernelMemory> {
    let all: Option<Vec<[i64; 3]>> = rounds.iter().map(|round| round.kernel).collect();
    let all = all.filter(|all| !all.is_empty())?;
    let column = |k: usize| steady(all.iter().map(|figures| figures[k]).collect());
    Some(KernelMemory {
        kernel_stack: column(0),
        page_tables: column(1),
        slab: column(2),
        slab_from: rounds.iter().find_map(|round| round.slab_from)?,
    })
}

pub fn idle_memory_from(threads: &[Figures], processes: &[Figures], workers: usize) -> IdleMemory {
    let threads: Vec<Idle> = threads.iter().map(idle_from).collect();
    let processes: Vec<Idle> = processes.iter().map(idle_from).collect();
    let user = |rounds: &[Idle]| median(rounds.iter().filter_map(|r| r.user).collect());
    let tables = median(
        processes
            .iter()
            .filter_map(|r| r.page_tables.map(|b| b as i64))
            .collect(),
    );
    IdleMemory {
        workers,
        rounds: threads.len().min(processes.len()),
        source: crate::proc_files::memory_source(),
        per_thread_bytes: user(&threads),
        per_process_bytes: user(&processes),
        page_tables_per_process_bytes: tables.map(|b| b as u64),
        kernel_per_thread: kernel_median(&threads),
        kernel_per_process: kernel_median(&processes),
        children_started: processes.iter().map(|r| r.started).min().unwrap_or(0),
        children_reaped: processes.iter().map(|r| r.reaped).min().unwrap_or(0),
    }
}

/// Part 4: idle threads, then idle processes, each round in a fresh process.
pub fn idle_worker_memory(workers: usize) -> Result<IdleMemory> {
    let (mut threads, mut processes) = (Vec::new(), Vec::new());
    for _ in 0..ROUNDS {
        threads.push(in_fresh_process(fresh::IDLE_THREADS, &[workers])?);
        processes.push(in_fresh_process(fresh::IDLE_PROCESSES, &[workers])?);
    }
    Ok(idle_memory_from(&threads, &processes, workers))
}

/// Part 5 in a fresh process: `jobs` jobs, `workers` at a time.
pub fn measure_pools(jobs: usize, workers: usize) -> Result<Pools> {
    let figures = in_fresh_process(fresh::POOLS, &[jobs, workers])?;
    pools_from(&figures, jobs, workers)
}

/// Part 5 in a fresh process: `jobs`, then `workers` at a time.
pub fn pools(args: &[String]) -> i32 {
    serve(args, |jobs, rest| {
        let workers = rest.first().and_then(|w| w.parse().ok()).unwrap_or(1);
        let pools = crate::part5_pools::run_pools(jobs, workers)?;
        let mut lines = vec![numbers_line(
            "alone",
            &[Some(pools.job_alone.as_nanos() as i64)],
        )];
        for (i, way) in pools.ways.iter().enumerate() {
            let figures = [way.elapsed.as_nanos() as i64, way.results_right as i64];
            lines.push(numbers_line(&format!("way{i}"), &figures.map(Some)));
        }
        Ok(lines)
    })
}

pub fn pools_from(figures: &Figures, jobs: usize, workers: usize) -> Result<Pools> {
    let nanos = |name: &str, k| {
        figures
            .number(name, k)
            .map(|n| Duration::from_nanos(n as u64))
    };
    let missing = || Error::msg("the fresh process sent no pool figures");
    let ways = crate::part5_pools::WAYS
        .iter()
        .enumerate()
        .map(|(i, label)| {
            Ok(PoolWay {
                label,
                elapsed: nanos(&format!("way{i}"), 0).ok_or_else(missing)?,
                results_right: figures.number(&format!("way{i}"), 1) == Some(1),
            })
        });
    Ok(Pools {
        jobs,
        workers,
        job_alone: nanos("alone", 0).ok_or_else(missing)?,
        ways: ways.collect::<Result<_>>()?,
    })
}

#[cfg(test)]
mod tests {
    use super::steady;

    #[test]
    fn a_kernel_figure_is_noise_when_it_shrinks_or_the_rounds_disagree() {
        assert_eq!(steady(vec![5_857, 5_488, 5_857]), Some(5_857));
        assert_eq!(steady(vec![5_857, -5_488, 5_857]), None); // shrank once
        assert_eq!(steady(vec![2_000, 9_000, 5_000]), None); // 7_000 apart
    }
}
