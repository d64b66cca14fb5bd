//! The parts `run` calls, and `run_part`: one part alone, after what it needs.

use std::time::Duration;

use support::classroom::predict::Session;
use support::error::{Error, Result};

use crate::fresh::in_fresh_process;
use crate::limits::Limits;
use crate::options::Options;
use crate::report::{Model, ModelRun, Step};
use crate::{LESSON, machine, model, outcomes, print, summary};

/// Part 1: what every model does, on what machine, and the limits. Returns the
/// ladder, the limits, the CPUs this process may use, how busy others kept.
pub fn work_and_limits(options: &Options) -> (Vec<usize>, Limits, usize, Option<f64>) {
    let (cores, busy_before) = (model::workers(), machine::cpus_busy_now());
    summary::work(options, cores, busy_before);
    let limits = Limits::read();
    let ladder = summary::limits(options, &limits); // as far as descriptors allow
    (ladder, limits, cores, busy_before)
}

// ANCHOR: every_n
/// One model at every N of the ladder, each in a fresh process, one after
/// another; prints its time and memory tables.
pub fn every_n(model: Model, ladder: &[usize], wait: Duration) -> Vec<ModelRun> {
    print::time_header(model);
    let mut runs = Vec::new();
    for &tasks in ladder {
        print::limit_warning(model, tasks, &Limits::read()); // read before each run
        let run = in_fresh_process(model, tasks, wait);
        print::time_row(&run, wait);
        runs.push(run);
    }
    print::memory_table(&runs);
    print::answers(&runs);
    runs
}
// ANCHOR_END: every_n

/// The runs regrouped by N: every model at each N, in `Model::ALL`'s order.
pub fn by_n(ladder: &[usize], per_model: [Vec<ModelRun>; 5]) -> Vec<Step> {
    let step = |&tasks: &usize| Step {
        tasks,
        runs: Vec::new(),
    };
    let mut steps: Vec<Step> = ladder.iter().map(step).collect();
    for runs in per_model {
        steps
            .iter_mut()
            .zip(runs)
            .for_each(|(step, run)| step.runs.push(run));
    }
    steps
}

// ANCHOR: run_part
/// `--part N`: that part alone, with what it needs (the verdict draws on
/// every part, so it is left out). Errs when a model's run failed.
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    let mut class = LESSON.session(); // silent until class.part(n)
    if n == 1 {
        class.part(1);
        work_and_limits(options);
        class.end_alone();
        return Ok(());
    }
    let ladder = summary::limits(options, &Limits::read()); // what parts 2 to 6 need
    let model = |model| every_n(model, &ladder, options.wait);
    let runs = match n {
        2 => {
            class.part(2);
            let threads = model(Model::Threads);
            class.outcome(outcomes::thread_memory(&threads));
            vec![threads]
        }
        3 => {
            let threads = model(Model::Threads); // what a process is compared with
            class.part(3);
            shown_again(&threads, options.wait);
            let processes = model(Model::Processes);
            class.outcome(outcomes::thread_or_process(&threads, &processes));
            vec![threads, processes]
        }
        4 => {
            let threads = model(Model::Threads); // what the loop is compared with
            class.part(4);
            shown_again(&threads, options.wait);
            let epoll = model(Model::Epoll);
            class.outcome(outcomes::kept_up_at_100(&threads, &epoll));
            vec![threads, epoll]
        }
        5 => {
            let epoll = model(Model::Epoll); // what tokio is compared with
            class.part(5);
            shown_again(&epoll, options.wait);
            let [tokio, workers] = [Model::TokioOneThread, Model::TokioWorkers].map(model);
            class.outcome(outcomes::tokio_against_epoll(&tokio, &epoll));
            vec![epoll, tokio, workers]
        }
        6 => part_6(&mut class, &ladder, options),
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    };
    class.end_alone();
    no_failures(runs.iter().flatten())
}
// ANCHOR_END: run_part

/// Under `--part`: the tables of what ran first, so the reveal's figures show.
fn shown_again(runs: &[ModelRun], wait: Duration) {
    let Some(first) = runs.first() else { return };
    support::say!("run first, to compare with:");
    print::time_header(first.model); // then its rows, as every_n prints them
    runs.iter().for_each(|run| print::time_row(run, wait));
    print::memory_table(runs);
}

/// Part 6 alone: every model, silently, then the tables against N.
fn part_6(class: &mut Session, ladder: &[usize], options: &Options) -> Vec<Vec<ModelRun>> {
    let steps = by_n(
        ladder,
        Model::ALL.map(|model| every_n(model, ladder, options.wait)),
    );
    class.part(6);
    summary::against_n(&steps, options.out_dir.as_deref());
    class.outcome(outcomes::least_memory(&steps));
    steps.into_iter().map(|step| step.runs).collect()
}

/// An error that lists every run that failed (`N tasks, model: why`), in
/// lines of at most 100 columns; Ok when none did.
pub fn no_failures<'a>(runs: impl IntoIterator<Item = &'a ModelRun>) -> Result<()> {
    let failed = runs
        .into_iter()
        .filter_map(|run| Some((run, run.outcome.as_ref().err()?)));
    let lines: Vec<String> = failed
        .map(|(run, why)| {
            let (tasks, name) = (crate::grouped(run.asked), run.model.name());
            crate::text::in_lines(&format!("{tasks} tasks, {name}: {why}"))
        })
        .collect();
    let (count, runs) = (lines.len(), if lines.len() == 1 { "run" } else { "runs" });
    let why = format!("{count} model {runs} failed:\n{}", lines.join("\n"));
    if lines.is_empty() {
        Ok(())
    } else {
        Err(Error::msg(why))
    }
}
