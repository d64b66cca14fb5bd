//! The reference lines follow their figures: std's extra cost is claimed
//! only when the spreads are apart, and a line is marked as its figures.

use super::{reference_lines, spin_line, std_line};
use crate::report::{Figure, Saved};
use crate::rules_tests::{busy, figure, quiet};
use crate::{Side, Unit};

fn time(key: &'static str, runs: &[f64], noisy: bool) -> Figure {
    let noise = if noisy { busy() } else { quiet() };
    let mut figure = figure(Side::Thread, Unit::Nanoseconds, runs, noise);
    figure.key = key.into();
    figure
}

fn saved(figures: Vec<Figure>) -> Saved {
    Saved {
        depth: "quick".into(),
        environment: crate::environment::Environment::read(),
        figures,
        facts: Default::default(),
    }
}

#[test]
fn std_costs_more_only_when_the_spreads_are_apart() {
    let pthread = time("creation.pthread", &[40e3, 42e3, 44e3], false);
    let apart = time("creation.std_thread", &[60e3, 62e3, 64e3], false);
    let line = std_line(&saved(vec![apart, pthread.clone()]));
    assert!(line.ends_with("std's set-up"), "{line}");
    let overlap = time("creation.std_thread", &[43e3, 46e3, 48e3], false);
    let line = std_line(&saved(vec![overlap, pthread.clone()]));
    assert!(line.ends_with("no extra cost seen"), "{line}");
    let crowded = time("creation.std_thread", &[60e3, 62e3, 64e3], true);
    let line = std_line(&saved(vec![crowded, pthread]));
    assert!(line.ends_with("std's set-up !"), "{line}");
}

#[test]
fn the_spin_line_is_marked_when_a_round_trip_is() {
    let spin = time("communication.spin", &[100.0; 3], false);
    let pipe = time("communication.pipe_two_cpus", &[10e3; 3], false);
    let line = spin_line(&saved(vec![spin.clone(), pipe]));
    assert!(line.ends_with("both CPUs busy"), "{line}");
    let crowded = time("communication.pipe_two_cpus", &[10e3; 3], true);
    let line = spin_line(&saved(vec![spin, crowded]));
    assert!(line.ends_with("both CPUs busy !"), "{line}");
}

#[test]
fn the_shares_and_blocking_lines_are_marked_as_their_figures() {
    let rate = |key: &'static str, runs: &[f64]| {
        let mut figure = figure(Side::Process, Unit::BytesPerSecond, runs, quiet());
        figure.key = key.into();
        figure
    };
    let steady = [5e9, 5.1e9, 5.2e9];
    let figures = |ring: &[f64], pipe_two_cpus: bool| {
        vec![
            rate("communication.same_work", &steady),
            rate("communication.pipe", &steady),
            rate("communication.pipe_1mib", &steady),
            rate("communication.ring", ring),
            time("communication.spin", &[100.0; 3], false),
            time("communication.condvar", &[5e3; 3], false),
            time("communication.pipe_one_cpu", &[6e3; 3], false),
            time("communication.pipe_two_cpus", &[13e3; 3], pipe_two_cpus),
        ]
    };
    let line = |lines: &[String], start: &str| {
        let found = lines.iter().find(|l| l.starts_with(start));
        found.expect(start).clone()
    };
    let quiet_lines = reference_lines(&saved(figures(&steady, false)));
    assert!(line(&quiet_lines, "  pipe did").ends_with("ring 100%"));
    assert!(line(&quiet_lines, "  Condvar").ends_with("13.0 µs"));
    assert!(line(&quiet_lines, "  of lesson 03").ends_with("look);"));
    let varying = [5e9, 8e9, 5.1e9];
    let marked = reference_lines(&saved(figures(&varying, true)));
    let shares = line(&marked, "  pipe did");
    assert!(shares.ends_with("ring 100% !"), "{shares}");
    let blocking = line(&marked, "  Condvar");
    assert!(blocking.ends_with("13.0 µs !"), "{blocking}");
    assert!(marked.iter().all(|l| l.chars().count() <= 70), "{marked:?}");
}
