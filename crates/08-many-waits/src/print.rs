//! One model's tables: time, then memory per task, one row per N.
//! Every line fits in 100 columns with its tag (30 columns with a 7-digit pid).

use std::time::Duration;

use support::say;
use support::timing::{format_duration, three_figures};

use crate::text::{bytes, grouped, wrapped};

use crate::limits::Limits;
use crate::machine::BUSY;
use crate::report::{Model, ModelFigures, ModelRun};
use crate::work::ROUNDS;

/// Before a model runs: a line if a limit read now may stop it below N.
pub fn limit_warning(model: Model, tasks: usize, limits: &Limits) {
    if let Some((room, what)) = limits
        .tightest(model)
        .filter(|(room, _)| *room < tasks as u64)
    {
        let (name, room) = (model.name(), grouped(room as usize));
        wrapped("", &format!("({name} may stop near {room} tasks: {what})"));
    }
}

/// The time table's header: the model's name, then the columns.
pub fn time_header(model: Model) {
    let titles = ["create", "finish", "× waits", "CPU", "switches", "forced"];
    let [create, finish, ratio, cpu, switches, forced] = titles;
    say!(
        "{:<17}{create:>8}{finish:>9}{ratio:>8}{cpu:>9}{switches:>9}{forced:>8}",
        model.name()
    );
}

/// A row's name: `1_000 tasks`.
fn row_name(tasks: usize) -> String {
    format!("{} tasks", grouped(tasks))
}

/// One run's time row, its error line, or its row and why it stopped.
pub fn time_row(run: &ModelRun, wait: Duration) {
    let name = row_name(run.asked);
    let figures = match &run.outcome {
        Ok(figures) => figures,
        Err(error) => return wrapped(&format!("{name:<16}"), &format!("ERROR: {error}")),
    };
    let waits = wait * ROUNDS as u32;
    let ratio = three_figures(figures.finish.as_secs_f64() / waits.as_secs_f64());
    let (create, finish) = (
        format_duration(figures.create),
        format_duration(figures.finish),
    );
    let (voluntary, forced) = (figures.switches.0.max(0), figures.switches.1.max(0));
    let (voluntary, forced) = (grouped(voluntary as usize), grouped(forced as usize));
    let cpu = format_duration(figures.cpu);
    let busy = run.others_busy.is_some_and(|busy| busy >= BUSY);
    let mark = if busy { " !" } else { "" };
    say!("{name:<17}{create:>8}{finish:>9}{ratio:>8}{cpu:>9}{voluntary:>9}{forced:>8}{mark}");
    if let Some(limit) = &figures.stopped_by {
        let (tasks, asked) = (grouped(figures.tasks), grouped(run.asked));
        wrapped(
            " ",
            &format!("stopped at {tasks} of {asked} tasks: {limit}"),
        );
    }
}

/// Memory per task: user (PSS), kernel stack, page tables, slab, all.
pub fn memory_table(runs: &[ModelRun]) {
    let [user, stack, tables, slab, all] = ["user", "k. stack", "p. tables", "slab", "all"];
    say!(
        "{:<17}{user:>10}{stack:>10}{tables:>10}{slab:>10}{all:>10}",
        "memory per task"
    );
    for run in runs {
        let Ok(figures) = &run.outcome else { continue };
        let kernel = figures.kernel_per_task.map_or([None; 3], |k| k.map(Some));
        let [stack, tables, slab] = kernel.map(bytes);
        let (user, all) = (
            bytes(figures.user_per_task),
            bytes(figures.memory_per_task()),
        );
        let (name, mark) = (
            row_name(run.asked),
            if figures.others_moved { " *" } else { "" },
        );
        say!("{name:<17}{user:>10}{stack:>10}{tables:>10}{slab:>10}{all:>10}{mark}");
    }
    let moved = |run: &ModelRun| run.outcome.as_ref().is_ok_and(|f| f.others_moved);
    if runs.iter().any(moved) {
        say!("* kernel figures not the model's alone (others' threads, or a fall)");
    }
}

/// Whether every task's total was right, and every task ended cleanly, at
/// every N; and any limit the model's process raised.
pub fn answers(runs: &[ModelRun]) {
    answer_lines(runs).iter().for_each(|line| say!("{line}"));
}

fn answer_lines(runs: &[ModelRun]) -> Vec<String> {
    let ran: Vec<_> = runs
        .iter()
        .filter_map(|run| Some((run, run.outcome.as_ref().ok()?)))
        .collect();
    let right = |f: &ModelFigures| {
        f.right_totals == f.totals && f.finished == f.tasks && f.totals == f.tasks as u64
    };
    let mut lines = Vec::new();
    if runs
        .iter()
        .any(|run| run.others_busy.is_some_and(|busy| busy >= BUSY))
    {
        lines.push(format!(
            "! ran beside other programs' work ({BUSY}+ CPUs): those times are shared"
        ));
    }
    let every_task = |(run, f): &(&ModelRun, &ModelFigures)| f.tasks == run.asked && right(f);
    if ran.len() == runs.len() && ran.iter().all(every_task) {
        lines.push("at every N: all the tasks ended, each with the right total".into());
    } else {
        for (run, f) in ran {
            let (right, ended) = (grouped(f.right_totals as usize), grouped(f.finished));
            let (name, tasks) = (row_name(run.asked), grouped(f.tasks));
            lines.push(format!(
                "{name:<17}{right} right totals, {ended} of {tasks} tasks ended"
            ));
        }
    }
    let raised = runs.iter().rev().find_map(|run| {
        let raised = run.outcome.as_ref().ok()?.nofile_raised?;
        Some((raised, run.asked))
    });
    if let Some(((from, to), tasks)) = raised {
        let (from, to, tasks) = (grouped(from as usize), grouped(to as usize), grouped(tasks));
        lines.push(format!(
            "(soft RLIMIT_NOFILE raised from {from} to {to} for {tasks} tasks)"
        ));
    }
    lines
}

#[cfg(test)]
mod tests;
