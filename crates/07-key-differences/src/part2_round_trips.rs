//! Row 2, Communication, first half: one value there and back. Lesson
//! 02's threads hand it over through a Condvar or a channel, lesson 03's
//! processes through a pipe or a shared word; each figure beside the C
//! baseline's same workload.

use creation_cost::fresh::in_fresh_process;
use ipc::pipes::pipe_round_trip_placed;
use ipc::shared_memory::{Waiting, word_round_trips};
use support::error::{Error, Result};
use support::placement::{Pinned, Placement};
use support::role::Role;

use crate::baseline::Baseline;
use crate::options::Plan;
use crate::repeat::{CRound, repeat};
use crate::report::{Figure, Side, Spec, Unit};

const fn spec(key: &'static str, label: &'static str, side: Side) -> Spec {
    Spec {
        key,
        label,
        side,
        unit: Unit::Nanoseconds,
    }
}

pub const ROUND_TRIPS: [Spec; 5] = [
    spec(
        "communication.condvar",
        "Condvar round trip, 1 CPU",
        Side::Thread,
    ),
    spec(
        "communication.channel",
        "channel round trip, 1 CPU",
        Side::Thread,
    ),
    spec(
        "communication.pipe_one_cpu",
        "pipe round trip, 1 CPU",
        Side::Process,
    ),
    spec(
        "communication.pipe_two_cpus",
        "pipe round trip, 2 CPUs",
        Side::Process,
    ),
    spec("communication.spin", "shared word, spinning", Side::Process),
];

/// The role that measures one round of them in a fresh process.
pub const ROUND_TRIPS_ROLE: &str = "key-differences:round-trips";
pub const ROLES: &[Role] = &[Role {
    name: ROUND_TRIPS_ROLE,
    run: round_trips_role,
}];

/// One value there and back: between threads on one CPU (two context
/// switches, as for the pipe on one CPU), a pipe on one CPU and on two,
/// and a shared word both sides spin on. Each round runs in a fresh copy
/// of this program: a round trip on this machine settles into one speed
/// for the life of a process (its medians 20-30% apart from one process to
/// the next, in C as in Rust), so rounds in one process would agree with
/// each other and not with the next run's.
pub fn round_trips(plan: &Plan, baseline: Option<&Baseline>) -> Result<Vec<Figure>> {
    let (trips, batch) = (plan.round_trips, plan.spin_batch);
    let mut rust = || -> Result<Vec<f64>> {
        let printed = in_fresh_process(ROUND_TRIPS_ROLE, &[trips, batch])?;
        let value = |i| printed.number("round_trips", i).map(|n| n as f64);
        let missing = || Error::msg("the fresh process sent no round trips");
        (0..ROUND_TRIPS.len())
            .map(|i| value(i).ok_or_else(missing))
            .collect()
    };
    let mut c = baseline.map(|baseline| {
        move || -> Result<Vec<Option<f64>>> {
            let run = |args: &[&str], name| Ok::<_, Error>(baseline.run(args)?.median(name));
            let trips = trips.to_string();
            let condvar = run(&["condvar-round-trip"], "condvar")?;
            let one = run(&["pipe-round-trip", &trips, "one"], "pipe_one")?;
            let two = run(&["pipe-round-trip", &trips, "two"], "pipe_two")?;
            let spin = run(&["spin-round-trip", &batch.to_string()], "spin")?;
            Ok(vec![condvar, None, one, two, spin])
        }
    });
    let c = c.as_mut().map(|c| c as &mut CRound);
    repeat(&plan.cheap, &ROUND_TRIPS, &mut rust, c)
}

// ANCHOR: round_trips
/// One round, in the fresh process: each figure in nanoseconds.
fn measure_here(trips: usize, batch: usize) -> Result<Vec<f64>> {
    let pinned = Pinned::caller(Placement::OneCpu)?; // the echo threads inherit it
    let condvar = shared_memory_threads::condvar_round_trip()?;
    let channel = shared_memory_threads::channel_round_trip()?;
    drop(pinned); // the old CPU mask is back
    let (pipe_one, _) = pipe_round_trip_placed(trips, Placement::OneCpu)?;
    let (pipe_two, _) = pipe_round_trip_placed(trips, Placement::TwoCpus)?;
    let (spin, _, _) = word_round_trips(Waiting::Spin, batch)?;
    let all = [condvar, channel, pipe_one, pipe_two, spin];
    Ok(all
        .iter()
        .map(|stats| stats.median.as_nanos() as f64)
        .collect())
}
// ANCHOR_END: round_trips

/// `key-differences:round-trips TRIPS BATCH`: prints `round_trips n1 … n5`.
fn round_trips_role(args: &[String]) -> i32 {
    let number = |i: usize| args.get(i)?.parse::<usize>().ok().filter(|n| *n > 0);
    let (Some(trips), Some(batch)) = (number(0), number(1)) else {
        eprintln!("error: this role needs round trips and a batch: {args:?}");
        return 2;
    };
    match measure_here(trips, batch) {
        Ok(values) => {
            let words: Vec<String> = values.iter().map(|v| format!("{v:.0}")).collect();
            println!("round_trips {}", words.join(" "));
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            1
        }
    }
}
