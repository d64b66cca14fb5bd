//! Row 2, Communication, second half: bulk data. Threads have nothing to
//! copy (lesson 02 reads a buffer in place); processes copy through a pipe
//! or a ring in shared pages (lesson 03). Each figure beside the C
//! baseline's same workload.

use ipc::pipes::{LARGE_PIPE_BUFFER, stream_through_pipe};
use ipc::shared_memory::{ring_between_processes, same_work_in_one_process};
use support::error::{Error, Result};

use crate::baseline::Baseline;
use crate::options::Plan;
use crate::repeat::{CRound, repeat};
use crate::report::{Figure, Side, Spec, Unit};

const fn spec(key: &'static str, label: &'static str, side: Side) -> Spec {
    Spec {
        key,
        label,
        side,
        unit: Unit::BytesPerSecond,
    }
}

pub const BULK: [Spec; 4] = [
    spec("communication.pipe", "pipe, 64 KiB buffer", Side::Process),
    spec(
        "communication.pipe_1mib",
        "pipe, 1 MiB buffer",
        Side::Process,
    ),
    spec("communication.ring", "shared-memory ring", Side::Process),
    spec(
        "communication.same_work",
        "ring's work, 1 process",
        Side::Reference,
    ),
];

/// Lesson 02: a thread reads a 1 MiB buffer another filled, where it lies.
pub fn read_in_place() -> Result<bool> {
    Ok(shared_memory_threads::read_in_place(1 << 20)?.in_place())
}

/// Bulk data between two processes on two CPUs: a pipe with its default
/// buffer and with 1 MiB, a ring in shared memory, and the ring's work done
/// by one process. Every transfer carries a checksum; `verified` says
/// whether every one matched.
pub fn bulk(plan: &Plan, baseline: Option<&Baseline>, verified: &mut bool) -> Result<Vec<Figure>> {
    let bytes = plan.transfer_bytes;
    // ANCHOR: bulk
    let mut rust = || -> Result<Vec<f64>> {
        let pipe = stream_through_pipe(bytes, None)?;
        let pipe_1mib = stream_through_pipe(bytes, Some(LARGE_PIPE_BUFFER))?;
        let ring = ring_between_processes(bytes, &Default::default())?;
        let (elapsed, same_ok) = same_work_in_one_process(bytes);
        *verified &= pipe.is_complete() && pipe_1mib.is_complete() && ring.checksum_ok && same_ok;
        let same_work = bytes as f64 / elapsed.as_secs_f64().max(1e-9);
        Ok(vec![
            pipe.bytes_per_second(),
            pipe_1mib.bytes_per_second(),
            ring.bytes_per_second(),
            same_work,
        ])
    };
    // ANCHOR_END: bulk
    let mut c = baseline.map(|baseline| {
        move || -> Result<Vec<Option<f64>>> {
            let size = bytes.to_string();
            let run = |args: &[&str], name| Ok::<_, Error>(baseline.run(args)?.rate(name));
            let pipe = run(&["pipe-stream", &size, "default"], "pipe_default")?;
            let large = run(&["pipe-stream", &size, "large"], "pipe_large")?;
            let ring = run(&["ring", &size], "ring")?;
            Ok(vec![
                pipe,
                large,
                ring,
                run(&["same-work", &size], "same_work")?,
            ])
        }
    });
    let c = c.as_mut().map(|c| c as &mut CRound);
    repeat(&plan.cheap, &BULK, &mut rust, c)
}
