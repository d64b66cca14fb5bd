//! Exercises 2, 4, 6 and 8: a child nobody waits for, a buffer copied by fork,
//! a fork beside a thread that holds a lock, and a crash that takes everything.

use std::time::Duration;

use super::{
    Judged, calls, code_only, count, ended_well, finished, finished_plain, lines_starting, listed,
    numbers_in, ran,
};
use crate::procs::Proc;
use crate::run::{Ending, Outcome, Snapshot};
use crate::{Built, Verdict};

/// How long a zombie may stay before it counts as forgotten.
const ZOMBIE_GRACE: Duration = Duration::from_millis(400);
/// How long a one-thread process may sleep on a futex before it counts as a deadlock.
const DEADLOCK_AFTER: Duration = Duration::from_millis(500);

/// Exercise 2: once the server says `carrying on` and its jobs have ended, no
/// job may stay a zombie.
pub fn zombie(built: &Built) -> Judged {
    let mut jobs = Jobs::default();
    let outcome = ran(built, &mut |seen| jobs.look(seen))?;
    let zombies = &outcome.left_behind;
    if outcome.ending == Ending::Exited(0)
        && !zombies.is_empty()
        && zombies.iter().all(Proc::is_zombie)
    {
        let said = format!(
            "zombies: the server ended with {} of its children still in the process table \
             (state Z, `<defunct>` in ps): {}. It carried on without ever waiting for them",
            zombies.len(),
            listed(zombies)
        );
        return Err(Verdict::fail(said, &outcome));
    }
    ended_well(&outcome)?;
    let jobs_done = outcome
        .stdout
        .lines()
        .filter(|line| line.ends_with(": done"))
        .count();
    if !outcome.stdout.contains("carrying on") || jobs_done != 3 {
        let said = format!(
            "it should print `carrying on` and 3 `job N: done` lines; it printed {jobs_done} \
             such lines"
        );
        return Err(Verdict::fail(said, &outcome));
    }
    if !jobs.seen_reaped {
        let said = "it ended before the checker could see the jobs reaped";
        return Err(Verdict::fail(said, &outcome));
    }
    let said = "the 3 jobs ran, and while the server carried on it had no child left, running \
                or zombie: each was reaped";
    Ok(Verdict::pass(said, &outcome))
}

/// The server's children, as seen after it said `carrying on`.
#[derive(Default)]
struct Jobs {
    zombies_since: Option<Duration>,
    seen_reaped: bool,
}

impl Jobs {
    /// Stops the run once every job has ended and some stayed zombies for ZOMBIE_GRACE.
    fn look(&mut self, seen: &Snapshot) -> Option<String> {
        if !seen.stdout.contains("carrying on") {
            return None;
        }
        let jobs: Vec<&Proc> = seen.tree.iter().filter(|p| p.parent == seen.root).collect();
        let zombies: Vec<Proc> = jobs
            .iter()
            .filter(|p| p.is_zombie())
            .map(|&p| p.clone())
            .collect();
        if zombies.is_empty() {
            self.zombies_since = None;
            self.seen_reaped |= jobs.is_empty();
            return None;
        }
        let since = *self.zombies_since.get_or_insert(seen.elapsed);
        let all_ended = jobs.len() == zombies.len();
        (all_ended && seen.elapsed - since >= ZOMBIE_GRACE).then(|| {
            let are = if zombies.len() == 1 {
                "it is"
            } else {
                "they are"
            };
            format!(
                "zombies: {} of the server's children ended, yet {} ms later {are} still in the \
                 process table (state Z, `<defunct>` in ps) while it carries on: {}. Nobody has \
                 waited for them",
                zombies.len(),
                ZOMBIE_GRACE.as_millis(),
                listed(&zombies)
            )
        })
    }
}

/// Exercise 4: every line once, in order: the report's first line first, a
/// line from each worker (its own pid, not the parent's), the last line last.
pub fn printed_twice(built: &Built) -> Judged {
    let outcome = finished_plain(built)?;
    let lines: Vec<&str> = outcome.stdout.lines().collect();
    let first = lines.first().copied().unwrap_or_default();
    if !first.starts_with("report: 3 workers") {
        let said =
            format!("the first line should be the report's `report: 3 workers…`; it was `{first}`");
        return Err(Verdict::fail(said, &outcome));
    }
    let times = lines.iter().filter(|line| **line == first).count();
    if times != 1 {
        let said = format!(
            "duplicated output: `{first}` appeared {times} times, written once by the parent"
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let last = lines.last().copied().unwrap_or_default();
    if last != "report: every worker has ended" || lines.len() != 5 {
        let said = format!(
            "it should print 5 lines, `report: every worker has ended` last: it printed {}, \
             the last `{last}`",
            lines.len()
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let parent = numbers_in(first).last().copied();
    let mut pids = Vec::new();
    for number in 1..=3 {
        let worker = format!("worker {number}: pid ");
        let line = lines.iter().find(|line| line.starts_with(&worker));
        let pid = line.and_then(|line| numbers_in(line).get(1).copied());
        if pid.is_none()
            || pid == parent
            || pids.contains(&pid)
            || lines_starting(&outcome.stdout, &worker) != 1
        {
            let said = format!(
                "`{worker}…` should appear once, with that worker's own pid (not the parent's, \
                 nor another worker's)"
            );
            return Err(Verdict::fail(said, &outcome));
        }
        pids.push(pid);
    }
    let said = "every line appeared once and in order: the report's first line, each worker's \
                (from its own pid), the report's last line";
    Ok(Verdict::pass(said, &outcome))
}

/// Exercise 6: no worker may hang on a lock, the program must end, the
/// logger must log, and no worker may be forked while the logger thread ran.
pub fn fork_with_a_logger(built: &Built) -> Judged {
    let mut stuck_since = None;
    let outcome = finished(built, &mut |seen| deadlock(seen, &mut stuck_since))?;
    let stdout = &outcome.stdout;
    let logged = stdout
        .lines()
        .filter(|l| l.starts_with("[log] ") && l.ends_with(" 3 workers"))
        .count();
    let ended = stdout
        .lines()
        .filter(|l| l.starts_with("[log] worker ") && l.contains(" ended"))
        .count();
    if logged != 1 || ended != 3 {
        let said = format!(
            "the logger should log `… 3 workers` once and `worker … ended` 3 times; it \
             logged them {logged} and {ended} times"
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let mut workers = Vec::new();
    for number in 1..=3 {
        let worker = format!("worker {number}: pid ");
        let line = stdout.lines().find(|line| line.starts_with(&worker));
        match line.and_then(|line| numbers_in(line).get(1).copied()) {
            Some(pid) if lines_starting(stdout, &worker) == 1 => workers.push(pid),
            _ => {
                let said = format!("it ended, but the line `{worker}…` did not appear once");
                return Err(Verdict::fail(said, &outcome));
            }
        }
    }
    let said = match unsound_fork(built, &outcome, &workers)? {
        Some(execed) => format!(
            "each of the 3 workers printed its line, the logger logged, and the program ended; \
             {execed}"
        ),
        None => "each of the 3 workers printed its line, the logger logged, the program ended, \
                 and every worker was forked before the logger thread started"
            .to_string(),
    };
    Ok(Verdict::pass(said, &outcome))
}

/// A fork while the logger thread runs is unsound even when it does not hang.
/// Thread ids and pids come from one counter, handed out in turn: a logger
/// thread whose id comes before a worker's pid was started before that
/// worker was forked. (A worker that runs a program of its own, with
/// `Command::new`, may start after the logger: exec replaces everything fork
/// copied. Then this returns what the pass must say.)
fn unsound_fork(
    built: &Built,
    outcome: &Outcome,
    workers: &[u64],
) -> Result<Option<String>, Verdict> {
    let source = std::fs::read_to_string(&built.source).unwrap_or_default();
    let execs = calls(&code_only(&source), "Command::new");
    let logger = outcome
        .stdout
        .lines()
        .find_map(|line| line.strip_prefix("[log] logger thread "));
    let Some(&tid) = logger.map(numbers_in).unwrap_or_default().first() else {
        let said = "the logger's first line, `[log] logger thread TID started`, is missing";
        return Err(Verdict::fail(said, outcome));
    };
    let pid_max = std::fs::read_to_string("/proc/sys/kernel/pid_max");
    let pid_max: u64 = pid_max
        .ok()
        .and_then(|t| t.trim().parse().ok())
        .unwrap_or(1 << 22);
    let before = |pid: u64| (pid + pid_max - tid) % pid_max < pid_max / 2; // tid came first
    match workers.iter().find(|&&pid| before(pid)) {
        Some(pid) if execs => Ok(Some(format!(
            "worker pid {pid} started after the logger thread (tid {tid}), but the code starts \
             its workers with `Command::new`, which execs a program in the forked child"
        ))),
        Some(pid) => {
            let said = format!(
                "unsound, though it ended: worker pid {pid} was forked after the logger thread \
                 (tid {tid}) had started, so in a process of two threads; it ended only because \
                 no lock happened to be held then. Fork the workers while main is the only thread"
            );
            Err(Verdict::fail(said, outcome))
        }
        None => Ok(None),
    }
}

/// Stops the run when a process of one thread (below the program) has slept
/// on a futex for DEADLOCK_AFTER: no thread of its own can wake it.
fn deadlock(seen: &Snapshot, stuck_since: &mut Option<Duration>) -> Option<String> {
    let stuck: Vec<Proc> = seen
        .tree
        .iter()
        .skip(1)
        .filter(|p| p.threads == 1 && p.wchan.contains("futex"))
        .cloned()
        .collect();
    if stuck.is_empty() {
        *stuck_since = None;
        return None;
    }
    let since = *stuck_since.get_or_insert(seen.elapsed);
    let parent = seen.tree.first()?;
    (seen.elapsed - since >= DEADLOCK_AFTER).then(|| {
        format!(
            "a deadlock: {} with one thread each {} slept on a futex (a lock) for {} ms: {}. Their \
             only thread is the one waiting, so a lock of their own (stdout's is one) can never \
             be released. Their parent: {}",
            count(stuck.len(), "worker", "workers"),
            if stuck.len() == 1 { "has" } else { "have" },
            DEADLOCK_AFTER.as_millis(),
            listed(&stuck),
            parent.describe()
        )
    })
}

/// Exercise 8: the program survives document 3's crash, which really happens
/// (Rust's stack overflow message on stderr), and reports each document once.
pub fn crash_in_a_child(built: &Built) -> Judged {
    let outcome = ran(built, &mut |_| None)?;
    let reported: Vec<&str> = outcome
        .stdout
        .lines()
        .filter(|l| l.starts_with("document "))
        .collect();
    if let Ending::Killed(signal) = outcome.ending {
        let stderr = outcome.stderr.lines().find(|line| !line.trim().is_empty());
        let said = format!(
            "the whole program was killed by {signal:?} after {} of 4 documents: document 3's \
             crash took the rest with it. Its stderr said: \"{}\"",
            reported.len(),
            stderr.unwrap_or("nothing").trim()
        );
        return Err(Verdict::fail(said, &outcome));
    }
    ended_well(&outcome)?;
    each_document_once(&outcome)?;
    for (number, depth) in [(1, 2), (2, 3), (4, 1)] {
        let wanted = format!("document {number}: depth {depth}");
        if !reported.contains(&wanted.as_str()) {
            let said = format!("it survived, but `{wanted}` is missing");
            return Err(Verdict::fail(said, &outcome));
        }
    }
    let third = reported.iter().find(|line| line.starts_with("document 3:"));
    let third = third.copied().unwrap_or_default();
    if !third.contains("SIG") {
        let said = format!("document 3's line should name the signal that ended it: `{third}`");
        return Err(Verdict::fail(said, &outcome));
    }
    if !outcome.stderr.contains("has overflowed its stack") {
        let said = format!(
            "it says `{third}`, but no process overflowed its stack: Rust's message `thread … \
             has overflowed its stack` is not on stderr. Document 3 must really be parsed"
        );
        return Err(Verdict::fail(said, &outcome));
    }
    let said = format!(
        "the program survived document 3's stack overflow and said `{third}`; the \
                        other depths arrived, each once"
    );
    Ok(Verdict::pass(said, &outcome))
}

/// Each of the 4 documents' lines appears once (a child that forgot `_exit`
/// goes on with the loop and repeats them).
fn each_document_once(outcome: &Outcome) -> Result<(), Verdict> {
    for number in 1..=4 {
        let times = lines_starting(&outcome.stdout, &format!("document {number}:"));
        if times != 1 {
            let said = format!("`document {number}: …` appeared {times} times, not once");
            return Err(Verdict::fail(said, outcome));
        }
    }
    Ok(())
}
