//! `exercise-check verify` (`just check-solutions`, in CI): every solution
//! passes, every starting version fails as its exercise says, and every
//! fixture is graded as it must be, so that neither the checker, nor the
//! solutions, nor the judges' strictness can rot.

use std::time::Instant;

use crate::compile::Places;
use crate::exercises::{ALL, Exercise, find};
use crate::run::signals;
use crate::{Verdict, Version, check, fixtures, wrapped};

/// Grades everything; prints a line each and what went unexpectedly. Returns
/// how many went unexpectedly (0: all is well), or None when cargo could not run.
pub fn verify(places: &Places) -> Option<usize> {
    let started = Instant::now();
    println!("building every exercise, solution and fixture...");
    let release: Vec<String> = ALL
        .iter()
        .filter(|e| e.release)
        .flat_map(|e| {
            let fixtures = fixtures::ALL.iter().filter(|f| f.exercise == e.number);
            let versions = [Version::Yours, Version::Solution].into_iter();
            let versions = versions.chain(fixtures.map(Version::Fixture));
            versions.map(|version| version.bin_and_file(e).0)
        })
        .collect();
    if let Err(error) = crate::compile::build_all(places, &release) {
        println!("could not run cargo: {error}");
        return None;
    }
    let mut wrong = 0;
    for exercise in ALL {
        wrong += verify_one(places, exercise);
        let fixtures = fixtures::ALL
            .iter()
            .filter(|f| f.exercise == exercise.number);
        for fixture in fixtures.take_while(|_| signals::interrupted().is_none()) {
            wrong += verify_fixture(places, fixture);
        }
        if signals::interrupted().is_some() {
            break;
        }
    }
    let took = started.elapsed().as_secs_f64();
    if wrong == 0 {
        let (all, fixtures) = (ALL.len(), fixtures::ALL.len());
        println!("all {all} solutions pass, all {all} starting versions fail as they should,");
        println!("and all {fixtures} fixtures are graded as they must be ({took:.1} s)");
    } else {
        println!(
            "{wrong} unexpected ({took:.1} s). A starting version that passes was edited (solved?);"
        );
        println!("a solution or fixture graded otherwise, or a starting version that fails");
        println!("differently, is a bug here");
    }
    Some(wrong)
}

/// One line for `exercise`, and what went unexpectedly: how many did.
fn verify_one(places: &Places, exercise: &Exercise) -> usize {
    let solution = check(places, exercise, Version::Solution);
    let starting = check(places, exercise, Version::Yours);
    let as_expected = !starting.passed && starting.said.contains(exercise.fails_with);
    let word = |verdict: &Verdict| if verdict.passed { "passes" } else { "fails" };
    let how = match as_expected {
        true => format!("({})", exercise.fails_with),
        false => "UNEXPECTEDLY".to_string(),
    };
    let (name, passes, fails) = (exercise.bin(), word(&solution), word(&starting));
    println!(
        "{:>2} {name:<24} solution {passes:<6}  starting version {fails} {how}",
        exercise.number
    );
    let mut wrong = 0;
    for (which, verdict, unexpected) in [
        ("solution", &solution, !solution.passed),
        ("starting version", &starting, !as_expected),
    ] {
        if unexpected {
            wrong += 1;
            said(which, verdict);
        }
    }
    wrong
}

/// One line for `fixture`: 1 if it was graded otherwise than it must be.
fn verify_fixture(places: &Places, fixture: &'static fixtures::Fixture) -> usize {
    let exercise = find(fixture.exercise).expect("a fixture of a known exercise");
    let verdict = check(places, exercise, Version::Fixture(fixture));
    let as_expected = match fixture.fails_with {
        Some(words) => !verdict.passed && verdict.said.contains(words),
        None => verdict.passed,
    };
    let must = match fixture.fails_with {
        Some(words) => format!("must fail ({words})"),
        None => "must pass".to_string(),
    };
    let got = if verdict.passed { "passes" } else { "fails" };
    let how = if as_expected { "" } else { "  UNEXPECTEDLY" };
    println!("   fixture {:<32} {must}: {got}{how}", fixture.file());
    if !as_expected {
        said("fixture", &verdict);
    }
    usize::from(!as_expected)
}

fn said(which: &str, verdict: &Verdict) {
    println!(
        "{}",
        wrapped(&format!("   {which}: "), "      ", &verdict.said, 96)
    );
}
