//! The cell rules on made-up figures: the words follow the figures, flip
//! when they flip, and a disturbed figure is marked.

use crate::noise::{Look, Noise};
use crate::report::{Figure, Side, Spec, Unit};
use crate::rules::{MARK, Word, compare, disturbance};

/// A quiet machine: nobody else busy, nothing stolen.
pub fn quiet() -> Noise {
    let look = |at: f64, busy: f64, own: f64| Look {
        at_seconds: at,
        busy_seconds: busy,
        own_seconds: own,
        ..Look::default()
    };
    Noise {
        before: look(0.0, 10.0, 1.0),
        after: look(1.0, 11.0, 2.0),
    }
}

/// Other programs kept 1.5 cores busy for the second the figure took.
pub fn busy() -> Noise {
    let mut noise = quiet();
    noise.after.busy_seconds += 1.5;
    noise
}

pub fn figure(side: Side, unit: Unit, runs: &[f64], noise: Noise) -> Figure {
    let spec = Spec {
        key: "made.up",
        label: "made up",
        side,
        unit,
    };
    Figure::new(&spec, runs.to_vec(), Vec::new(), noise)
}

fn time(side: Side, runs: &[f64]) -> Figure {
    figure(side, Unit::Nanoseconds, runs, quiet())
}

#[test]
fn cheaper_and_dearer_flip_when_the_figures_do() {
    let (fast, slow) = (&[40e3, 42e3, 41e3][..], &[200e3, 210e3, 205e3][..]);
    let verdict = compare(&time(Side::Thread, fast), &time(Side::Process, slow));
    assert_eq!(verdict.word, Word::Cheaper);
    assert!((verdict.times - 5.0).abs() < 0.01, "{}", verdict.times);
    assert_eq!(
        verdict.cells(),
        ("cheaper: 5.00× less".into(), "dearer: 5.00×".into())
    );
    let flipped = compare(&time(Side::Thread, slow), &time(Side::Process, fast));
    assert_eq!(flipped.word, Word::Dearer);
    assert_eq!(flipped.cells().0, "dearer: 5.00×");
}

#[test]
fn for_a_rate_higher_is_cheaper() {
    let rate = |side, runs: &[f64]| figure(side, Unit::BytesPerSecond, runs, quiet());
    let verdict = compare(
        &rate(Side::Thread, &[9e9, 9.1e9, 9.2e9]),
        &rate(Side::Process, &[1e9, 1.1e9, 1.05e9]),
    );
    assert_eq!(verdict.word, Word::Cheaper);
}

#[test]
fn overlapping_spreads_decide_nothing() {
    let verdict = compare(
        &time(Side::Thread, &[100.0, 110.0, 105.0]),
        &time(Side::Process, &[108.0, 112.0, 111.0]),
    );
    assert_eq!(verdict.word, Word::NoClearDifference);
    assert_eq!(verdict.cells().0, "no clear difference");
}

#[test]
fn a_disturbed_figure_is_marked_and_so_is_its_word() {
    assert_eq!(
        disturbance(&time(Side::Thread, &[100.0, 101.0, 102.0])),
        None
    );
    let wide = time(Side::Thread, &[100.0, 190.0, 101.0]);
    assert!(disturbance(&wide).unwrap().contains("spread"));
    let crowded = figure(
        Side::Process,
        Unit::Nanoseconds,
        &[200.0, 201.0, 202.0],
        busy(),
    );
    assert!(
        disturbance(&crowded).unwrap().contains("1.5 cores busy"),
        "{:?}",
        disturbance(&crowded)
    );
    let verdict = compare(&time(Side::Thread, &[40.0, 41.0, 42.0]), &crowded);
    assert!(verdict.disturbed);
    assert!(verdict.cells().0.ends_with(MARK) && verdict.cells().1.ends_with(MARK));
}

/// The hypervisor gave `share` of the CPU time to other machines; nobody
/// else on this one was busy.
fn stolen(share: f64) -> Noise {
    let mut noise = quiet();
    noise.after.idle_seconds += 3.0;
    // steal ÷ (busy + idle + steal), the busy second included
    noise.after.steal_seconds += share * 4.0 / (1.0 - share);
    noise
}

#[test]
fn time_stolen_by_the_hypervisor_marks_a_figure() {
    let runs = [100.0, 101.0, 102.0];
    let light = figure(Side::Thread, Unit::Nanoseconds, &runs, stolen(0.05));
    assert_eq!(disturbance(&light), None, "{:?}", light.noise.steal_share());
    let heavy = figure(Side::Thread, Unit::Nanoseconds, &runs, stolen(0.20));
    assert!((heavy.noise.steal_share() - 0.20).abs() < 1e-9);
    let why = disturbance(&heavy).expect("20% stolen is marked");
    assert!(why.contains("stole 20%"), "{why}");
}

#[test]
fn a_size_is_marked_by_its_spread_not_by_others_cpu_time() {
    let runs = [43e3, 44e3, 45e3];
    let crowded = figure(Side::Thread, Unit::Bytes, &runs, busy());
    assert_eq!(disturbance(&crowded), None, "a byte count is not CPU time");
    let robbed = figure(Side::Thread, Unit::Bytes, &runs, stolen(0.20));
    assert_eq!(disturbance(&robbed), None, "nor is it time stolen");
    let wide = figure(Side::Thread, Unit::Bytes, &[43e3, 90e3, 44e3], busy());
    let why = disturbance(&wide).expect("a wide spread still marks a size");
    assert!(why.contains("spread"), "{why}");
}

mod doubt_tests;
