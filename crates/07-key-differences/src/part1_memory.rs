//! Row 1, Memory: threads share one address space, processes each have
//! their own, and what an idle worker of each kind costs to keep. The
//! checks are lessons 01 and 02's; the memory is lesson 05's, counted in
//! processes started fresh for it (user memory and the kernel's).

use creation_cost::fresh::{Figures, IDLE_PROCESSES, IDLE_THREADS, in_fresh_process};
use support::error::{Error, Result};

use crate::options::Plan;
use crate::repeat::repeat;
use crate::report::{Figure, Side, Spec, Unit};

pub const SPECS: [Spec; 2] = [
    Spec {
        key: "memory.thread",
        label: "idle thread, memory",
        side: Side::Thread,
        unit: Unit::Bytes,
    },
    Spec {
        key: "memory.process",
        label: "idle process, memory",
        side: Side::Process,
        unit: Unit::Bytes,
    },
];

/// Lesson 02: four threads each see one value at the main thread's address.
pub fn threads_share_memory() -> Result<bool> {
    let space = shared_memory_threads::one_address_space(4)?;
    Ok(space.workers.len() == 4 && space.shared_addresses_agree())
}

/// Lesson 01: two children change their copy of a static; ours stays.
pub fn processes_separate() -> Result<bool> {
    let options = program_vs_process::Options { children: 2 };
    Ok(program_vs_process::run(&options)?.memory_kept_separate())
}

// ANCHOR: idle_memory
/// Memory per idle worker: each run starts one fresh process that holds N
/// idle threads and one that forks N idle children (lesson 05's roles).
pub fn idle_memory(plan: &Plan) -> Result<Vec<Figure>> {
    let workers = plan.idle_workers;
    let mut round = || -> Result<Vec<f64>> {
        let threads = in_fresh_process(IDLE_THREADS, &[workers])?;
        let processes = in_fresh_process(IDLE_PROCESSES, &[workers])?;
        Ok(vec![per_worker(&threads)?, per_worker(&processes)?])
    };
    repeat(&plan.dear, &SPECS, &mut round, None)
}
// ANCHOR_END: idle_memory

/// What one fresh process counted per worker: user memory (PSS) plus the
/// kernel's (kernel stack, page tables, slab), as lesson 05's "all" column.
fn per_worker(figures: &Figures) -> Result<f64> {
    let user = figures.number("user", 0);
    let user = user.ok_or_else(|| Error::msg("the fresh process counted no memory"))?;
    let kernel: i64 = (0..3).filter_map(|i| figures.number("kernel", i)).sum();
    Ok((user + kernel) as f64)
}
