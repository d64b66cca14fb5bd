//! For lesson 07's Best For row: each model at one N, quietly, with the
//! figures the row needs (memory per task, creation and wall time).

use std::time::Duration;

use support::error::{Error, Result};

use crate::fresh::in_fresh_process;
use crate::limits::Limits;
use crate::options::Options;
use crate::report::Model;

/// What lesson 07's Best For row needs: per model, at one N.
#[derive(Debug, Clone, PartialEq)]
pub struct TableFigures {
    /// The N asked for, and the N every row ran (lower if the descriptor
    /// limit allows fewer).
    pub tasks_asked: usize,
    pub tasks: usize,
    pub rows: Vec<TableRow>,
}

/// One model's row: memory per task (user + kernel), creation and wall time.
#[derive(Debug, Clone, PartialEq)]
pub struct TableRow {
    pub model: Model,
    /// Tasks it reached (fewer than `tasks` if a limit stopped it).
    pub tasks: usize,
    pub memory_per_task: Option<i64>,
    pub create: Duration,
    pub wall: Duration,
}

// ANCHOR: for_table
/// For lesson 07's Best For row: every model at `tasks` tasks (or as many
/// as the descriptor limit allows), each in a fresh process, with the
/// default wait; nothing printed. Memory per task is user + kernel.
pub fn figures_for_table(tasks: usize) -> Result<TableFigures> {
    let reached = tasks.min(Limits::read().descriptor_room() as usize).max(1);
    let wait = Options::default().wait;
    let rows = Model::ALL.iter().map(|&model| {
        let run = in_fresh_process(model, reached, wait);
        let figures = run
            .outcome
            .map_err(|e| Error::msg(format!("{}: {e}", model.name())))?;
        Ok(TableRow {
            model,
            tasks: figures.tasks,
            memory_per_task: figures.memory_per_task(),
            create: figures.create,
            wall: figures.finish,
        })
    });
    let rows = rows.collect::<Result<Vec<_>>>()?;
    Ok(TableFigures {
        tasks_asked: tasks,
        tasks: reached,
        rows,
    })
}
// ANCHOR_END: for_table
