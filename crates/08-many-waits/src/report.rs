//! What the lesson measured (read by the tests and the tour; lesson 07 may use it).

use std::path::PathBuf;
use std::time::Duration;

use support::kernel_memory::SlabFrom;

use crate::{limits::Limits, text::grouped};

/// A way to run N waiting tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Model {
    /// One std thread per task, each blocked in read(2).
    Threads,
    /// One forked process per task, each blocked in read(2).
    Processes,
    /// One thread, one epoll instance over every task's socket.
    Epoll,
    /// Async tasks on tokio's current_thread runtime (one thread).
    TokioOneThread,
    /// Async tasks on tokio's multi-thread runtime (a worker per CPU).
    TokioWorkers,
}

impl Model {
    /// Every model, in the order the lesson runs them.
    pub const ALL: [Model; 5] = [
        Model::Threads,
        Model::Processes,
        Model::Epoll,
        Model::TokioOneThread,
        Model::TokioWorkers,
    ];

    /// Its name in the tables (at most 17 columns).
    pub fn name(self) -> &'static str {
        match self {
            Model::Threads => "thread per task",
            Model::Processes => "process per task",
            Model::Epoll => "epoll, 1 thread",
            Model::TokioOneThread => "tokio, 1 thread",
            Model::TokioWorkers => "tokio, workers",
        }
    }

    /// Its word on the command line of its fresh process.
    pub fn word(self) -> &'static str {
        match self {
            Model::Threads => "threads",
            Model::Processes => "processes",
            Model::Epoll => "epoll",
            Model::TokioOneThread => "tokio-current-thread",
            Model::TokioWorkers => "tokio-multi-thread",
        }
    }

    pub fn from_word(word: &str) -> Option<Model> {
        Model::ALL.into_iter().find(|model| model.word() == word)
    }

    /// Whether each task is a task of the kernel's (a thread or a process).
    pub fn kernel_task_per_task(self) -> bool {
        matches!(self, Model::Threads | Model::Processes)
    }
}

/// One model at one N, as its fresh process measured it.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelFigures {
    /// Tasks started: N, or fewer if a limit stopped the model.
    pub tasks: usize,
    pub stopped_by: Option<String>, // the limit that stopped it below N
    pub finished: usize,            // tasks that ended without an error
    /// Totals the driver found right, of those it checked (one a task).
    pub right_totals: u64,
    pub totals: u64,
    /// From the first task's creation until every task waited.
    pub create: Duration,
    /// From the driver's `go` until every task had ended.
    pub finish: Duration,
    /// User + system CPU time of the model's processes (not the driver's).
    pub cpu: Duration,
    /// Context switches (getrusage): voluntary (a wait), involuntary.
    pub switches: (i64, i64),
    /// Per task: user memory (PSS), kernel stack, page tables, slab.
    pub user_per_task: Option<i64>,
    pub kernel_per_task: Option<[i64; 3]>,
    pub slab_from: Option<SlabFrom>,
    /// Other programs' threads came or went between the kernel's readings.
    pub others_moved: bool,
    /// Threads in the model's process while its tasks waited.
    pub threads: usize,
    /// The soft RLIMIT_NOFILE, raised from, to (when it was).
    pub nofile_raised: Option<(u64, u64)>,
}

impl ModelFigures {
    /// User and kernel memory per task, when every part was measured.
    pub fn memory_per_task(&self) -> Option<i64> {
        let kernel = self.kernel_per_task?;
        Some(self.user_per_task? + kernel.iter().sum::<i64>())
    }
}

/// One model's run at one N: its figures, or the error line to print.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelRun {
    pub model: Model,
    pub asked: usize,
    pub outcome: Result<ModelFigures, String>,
    pub others_busy: Option<f64>, // CPUs other programs kept busy meanwhile
}

/// Every model at one N.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub tasks: usize,
    pub runs: Vec<ModelRun>,
}

impl Step {
    pub fn figures(&self, model: Model) -> Option<&ModelFigures> {
        let run = self.runs.iter().find(|run| run.model == model)?;
        run.outcome.as_ref().ok()
    }
}

/// The whole run.
#[derive(Debug, Clone)]
pub struct Report {
    pub wait: Duration,
    pub limits: Limits,
    pub steps: Vec<Step>,
    /// The SVG chart, when it was written.
    pub chart: Option<PathBuf>,
    /// CPUs this process may use (the multi-thread runtime's workers).
    pub cores: usize,
    pub busy_before: Option<f64>, // CPUs other programs kept busy at first
}

impl Report {
    /// Every model run that failed, as `N tasks, model: why`.
    pub fn failures(&self) -> Vec<String> {
        let runs = self.steps.iter().flat_map(|step| &step.runs);
        let failed = runs.filter_map(|run| Some((run, run.outcome.as_ref().err()?)));
        failed
            .map(|(run, why)| format!("{} tasks, {}: {why}", grouped(run.asked), run.model.name()))
            .collect()
    }
}
