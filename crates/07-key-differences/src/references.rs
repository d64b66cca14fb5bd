//! The references that bound the figures (the same work without a second
//! party, what std adds to a thread, one CPU or two), and the verdict: what
//! this run showed, in words only as far as its figures go. Every line fits
//! in 70 columns, so 100 with the speaker tag.

use crate::report::{Figure, Saved};
use crate::rules::{MARK, Word, compare};

/// The references: the same work without the second party, and what each
/// transport reached of it; what std adds to a thread; one CPU or two.
pub fn reference_lines(saved: &Saved) -> Vec<String> {
    let value = |key: &str| saved.figure(key).map_or(0.0, Figure::median);
    let text = |key: &str| saved.figure(key).map_or("?".into(), Figure::text);
    let same_work = value("communication.same_work").max(1.0);
    let share = |key: &str| 100.0 * value(key) / same_work;
    let mut lines = vec![
        format!(
            "the ring's work in 1 process: {}, no IPC; of it, the",
            text("communication.same_work")
        ),
        format!(
            "  pipe did {:.0}%, the 1 MiB pipe {:.0}%, the ring {:.0}%{}",
            share("communication.pipe"),
            share("communication.pipe_1mib"),
            share("communication.ring"),
            mark_of(saved, &SHARES)
        ),
        format!(
            "a word passed by spinning: {} a round trip, the clock reads",
            text("communication.spin")
        ),
        format!(
            "  of lesson 03's wait loop included (2 after a first look);{}",
            mark_of(saved, &["communication.spin"])
        ),
        spin_line(saved),
        "blocking round trips on 1 CPU, 2 context switches each:".to_string(),
        format!(
            "  Condvar {}, pipe {}; on 2 CPUs the pipe took {}{}",
            text("communication.condvar"),
            text("communication.pipe_one_cpu"),
            text("communication.pipe_two_cpus"),
            mark_of(saved, &BLOCKING)
        ),
        std_line(saved),
    ];
    if saved.environment.cores_allowed < 2 {
        lines.push("1 CPU allowed: the \"2 CPUs\" figures ran on that one CPU".to_string());
    }
    lines
}

mod marks;
use marks::{BLOCKING, SHARES, mark_of};

/// Whether spinning beat every blocking round trip in this run: on two CPUs
/// it should; on one, the spinner must be descheduled for the other side.
fn spin_line(saved: &Saved) -> String {
    let median = |key: &str| saved.figure(key).map_or(f64::INFINITY, Figure::median);
    let keys = [
        "communication.spin",
        "communication.condvar",
        "communication.channel",
        "communication.pipe_one_cpu",
        "communication.pipe_two_cpus",
    ];
    let fastest = keys[1..].iter().map(|key| median(key));
    let mark = mark_of(saved, &keys);
    match median(keys[0]) < fastest.fold(f64::INFINITY, f64::min) {
        true => format!("  the fastest hand-off measured here; it keeps both CPUs busy{mark}"),
        false => format!("  slower than blocking here: the spinner waits for the scheduler{mark}"),
    }
}

/// What std's `thread::spawn` adds to `pthread_create`: a cost only when
/// the two spreads are apart (`rules::compare`), marked as its figures are.
fn std_line(saved: &Saved) -> String {
    let keys = ["creation.std_thread", "creation.pthread"];
    let (Some(std), Some(pthread)) = (saved.figure(keys[0]), saved.figure(keys[1])) else {
        return "std's thread::spawn or pthread_create was not measured".to_string();
    };
    let verdict = compare(std, pthread);
    let times = verdict.times;
    let mark = mark_of(saved, &keys);
    match verdict.word {
        Word::Dearer => {
            format!("thread::spawn took {times:.2}× pthread_create's time: std's set-up{mark}")
        }
        Word::Cheaper => {
            format!("thread::spawn took {times:.2}× less time than pthread_create{mark}")
        }
        Word::NoClearDifference => {
            format!("thread::spawn against pthread_create: no extra cost seen{mark}")
        }
    }
}

/// What this run showed, in words only as far as its figures go.
pub fn verdict_lines(saved: &Saved) -> Vec<String> {
    let pair =
        |thread: &str, process: &str| Some(compare(saved.figure(thread)?, saved.figure(process)?));
    let said = |verdict: Option<crate::rules::Verdict>, what: &str| match verdict {
        Some(v) if v.word == Word::Cheaper && !v.disturbed => {
            format!("cheaper to {what} ({:.1}×)", v.times)
        }
        Some(v) if v.word == Word::Cheaper => {
            format!("cheaper to {what} ({:.1}×, {MARK})", v.times)
        }
        _ => format!("not shown cheaper to {what}"),
    };
    let start = said(pair("creation.std_thread", "creation.fork_exit"), "start");
    let keep = said(pair("memory.thread", "memory.process"), "keep");
    let facts = &saved.facts;
    let (crash_threads, crash_processes) = crate::part4_fault_isolation::claims(&facts.faults);
    let shared = match facts.threads_share_memory && facts.read_in_place {
        true => "memory shared, no copy".to_string(),
        false => format!("sharing NOT seen {MARK}"),
    };
    let separate = match facts.processes_separate && facts.transfers_verified {
        true => "memory separate, copies".to_string(),
        false => format!("separation NOT seen {MARK}"),
    };
    let env = &saved.environment;
    let cpu: String = env.cpu.chars().take(60).collect();
    vec![
        format!(
            "machine: {} of {} cores, Linux {}",
            env.cores_allowed, env.cores_online, env.kernel
        ),
        format!("  {cpu}"),
        format!("  {}; {}", env.virtualisation, env.date),
        format!("in this run threads were {start}"),
        format!("  and {keep} than processes;"),
        format!("threads: {shared}; {crash_threads}"),
        format!("processes: {separate}; {crash_processes}"),
        "these figures are for this machine and this run: run it on yours".to_string(),
    ]
}

#[cfg(test)]
#[path = "references_tests.rs"]
mod tests;
