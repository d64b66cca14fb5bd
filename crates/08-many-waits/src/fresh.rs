//! Each model in a fresh process: this same program started again in a
//! role (`support::role`), so that one model's threads, runtime and memory
//! never mix with the next one's, and so that the process that forks the
//! process model has never held tokio's threads. The fresh process prints
//! its figures as plain lines (`name n1 n2 …`, `-` for unknown); an error,
//! or a death, becomes the model's error line, and the next model runs.

use std::os::fd::AsFd;
use std::process::Stdio;
use std::time::{Duration, Instant};

use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
use nix::unistd::Pid;
use support::ChildGuard;
use support::role::Role;

use crate::figures_text::{from_lines, to_lines};
use crate::model::{die_with, run_model_here};
use crate::report::{Model, ModelFigures, ModelRun};
use crate::work::ROUNDS;

pub const MODEL_ROLE: &str = "many-waits:model";

/// The roles: one, the model in a fresh process.
pub const ROLES: &[Role] = &[Role {
    name: MODEL_ROLE,
    run: model_role,
}];

/// Runs `model` with `tasks` tasks in a fresh copy of this program, and
/// reads back its figures, or says how it failed.
pub fn in_fresh_process(model: Model, tasks: usize, wait: Duration) -> ModelRun {
    let (outcome, others_busy) =
        crate::machine::others_busy_during(|| run_fresh(model, tasks, wait));
    ModelRun {
        model,
        asked: tasks,
        outcome,
        others_busy,
    }
}

// ANCHOR: fresh
fn run_fresh(model: Model, tasks: usize, wait: Duration) -> Result<ModelFigures, String> {
    let mut command = support::role::command(MODEL_ROLE).map_err(|e| e.to_string())?;
    let (tasks_arg, wait_ms) = (tasks.to_string(), wait.as_millis().to_string());
    let parent = std::process::id().to_string(); // it dies with us (die_with)
    command.args([model.word(), &tasks_arg, &wait_ms, &parent]);
    command.stdout(Stdio::piped()).stderr(Stdio::piped()); // its figures, its error
    let mut child = command.spawn().map_err(|e| format!("posix_spawn: {e}"))?;
    let pipes = child.stdout.take().zip(child.stderr.take());
    let guard = ChildGuard::adopt(child); // killed and reaped if we stop early
    let deadline = Instant::now() + time_allowed(tasks, wait);
    let texts = pipes.and_then(|(out, err)| read_until(&out, &err, deadline));
    let Some([out, err]) = texts else {
        let _ = guard.kill();
        return Err("no figures in time: its process was killed".to_string());
    };
    let ending = guard.wait().map_err(|e| format!("waitpid(2): {e}"))?;
    match (ending.signal(), ending.is_success()) {
        (_, true) => from_lines(&out),
        (Some(signal), _) => Err(format!("its process was killed by {}", signal.as_str())),
        (None, false) => Err(last_error(&err)),
    }
}
// ANCHOR_END: fresh

/// How long a model's process may take before it is killed: generous
/// (a fork of a debug build on one busy CPU can take milliseconds), but
/// bounded, so nothing waits for ever.
fn time_allowed(tasks: usize, wait: Duration) -> Duration {
    Duration::from_secs(30) + wait * ROUNDS as u32 + Duration::from_millis(5) * tasks as u32
}

/// The fresh process's side: `MODEL TASKS WAIT_MS [PARENT_PID]`.
fn model_role(args: &[String]) -> i32 {
    let parent = args
        .get(3)
        .and_then(|pid| pid.parse().ok())
        .map(Pid::from_raw);
    if let Some(Err(error)) = parent.map(die_with) {
        eprintln!("error: {error}");
        return 1;
    }
    support::speaker::set_quiet(true); // only the figures go to stdout
    let number = |i: usize| args.get(i)?.parse::<u64>().ok().filter(|n| *n > 0);
    let model = args.first().and_then(|word| Model::from_word(word));
    let (Some(model), Some(tasks), Some(wait_ms)) = (model, number(1), number(2)) else {
        eprintln!("error: this role needs a model, a number of tasks and a wait in ms: {args:?}");
        return 2;
    };
    crate::faults::arm(model);
    match run_model_here(model, tasks as usize, Duration::from_millis(wait_ms)) {
        Ok(figures) => {
            to_lines(&figures)
                .iter()
                .for_each(|line| println!("{line}"));
            0
        }
        Err(error) => {
            eprintln!("error: {error}");
            1
        }
    }
}

/// The last line the process wrote to stderr, without `error: `.
fn last_error(stderr: &str) -> String {
    let line = stderr.lines().rev().find(|line| !line.trim().is_empty());
    let line = line.unwrap_or("it failed and said nothing");
    line.split("error: ").last().unwrap_or(line).to_string()
}

/// Reads both pipes to end of file (poll(2), no thread), or gives up at
/// `deadline`.
fn read_until(out: &impl AsFd, err: &impl AsFd, deadline: Instant) -> Option<[String; 2]> {
    let (ends, mut texts, mut open) = ([out.as_fd(), err.as_fd()], [vec![], vec![]], [true; 2]);
    while open.contains(&true) {
        let left = deadline.checked_duration_since(Instant::now())?;
        let which: Vec<usize> = (0..2).filter(|&i| open[i]).collect();
        let mut fds: Vec<PollFd> = which
            .iter()
            .map(|&i| PollFd::new(ends[i], PollFlags::POLLIN))
            .collect();
        let timeout =
            PollTimeout::try_from(left.min(Duration::from_secs(1))).unwrap_or(PollTimeout::ZERO);
        match poll(&mut fds, timeout) {
            Ok(_) | Err(nix::errno::Errno::EINTR) => {}
            Err(_) => return None,
        }
        let ready: Vec<bool> = fds.iter().map(|fd| fd.any().unwrap_or(true)).collect();
        for (&i, ready) in which.iter().zip(ready) {
            let mut buffer = [0u8; 4096];
            match ready.then(|| nix::unistd::read(ends[i], &mut buffer)) {
                Some(Ok(0)) | Some(Err(_)) => open[i] = false,
                Some(Ok(count)) => texts[i].extend_from_slice(&buffer[..count]),
                None => {}
            }
        }
    }
    Some(texts.map(|bytes| String::from_utf8_lossy(&bytes).into_owned()))
}
