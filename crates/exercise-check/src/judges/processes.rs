//! Exercises 2, 4, 6 and 8: a child nobody waits for, a buffer copied by fork,
//! a fork beside a thread that holds a lock, and a crash that takes everything.

use std::time::Duration;

use super::{Judged, count, ended_well, finished, finished_plain, lines_starting, listed, ran};
use crate::procs::Proc;
use crate::run::{Ending, Snapshot};
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

/// Exercise 4: every line once.
pub fn printed_twice(built: &Built) -> Judged {
    let outcome = finished_plain(built)?;
    let Some(first) = outcome
        .stdout
        .lines()
        .find(|line| line.starts_with("report: "))
    else {
        return Err(Verdict::fail(
            "it did not print its `report: …` line",
            &outcome,
        ));
    };
    let times = outcome.stdout.lines().filter(|line| line == &first).count();
    if times != 1 {
        let said = format!(
            "duplicated output: `{first}` appeared {times} times, written once by the parent"
        );
        return Err(Verdict::fail(said, &outcome));
    }
    for number in 1..=3 {
        let worker = format!("worker {number}: ");
        let times = lines_starting(&outcome.stdout, &worker);
        if times != 1 {
            let said = format!("a line starting `{worker}` appeared {times} times, not once");
            return Err(Verdict::fail(said, &outcome));
        }
    }
    let said = "every line appeared once: the report's first line, and each worker's";
    Ok(Verdict::pass(said, &outcome))
}

/// Exercise 6: no worker may hang on a lock, and the program must end.
pub fn fork_with_a_logger(built: &Built) -> Judged {
    let mut stuck_since = None;
    let outcome = finished(built, &mut |seen| deadlock(seen, &mut stuck_since))?;
    for number in 1..=3 {
        let worker = format!("worker {number}: ");
        if lines_starting(&outcome.stdout, &worker) != 1 {
            let said = format!("it ended, but the line `{worker}…` did not appear once");
            return Err(Verdict::fail(said, &outcome));
        }
    }
    let said = "each of the 3 workers printed its line, and the program ended";
    Ok(Verdict::pass(said, &outcome))
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
            "a deadlock: {} with one thread each {} slept on a futex (a lock) for {} ms: {}. No \
             other thread in them can release it. Their parent: {}",
            count(stuck.len(), "worker", "workers"),
            if stuck.len() == 1 { "has" } else { "have" },
            DEADLOCK_AFTER.as_millis(),
            listed(&stuck),
            parent.describe()
        )
    })
}

/// Exercise 8: the program survives document 3's crash and reports it.
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
    for (number, depth) in [(1, 2), (2, 3), (4, 1)] {
        let wanted = format!("document {number}: depth {depth}");
        if !reported.contains(&wanted.as_str()) {
            return Err(Verdict::fail(
                format!("it survived, but `{wanted}` is missing"),
                &outcome,
            ));
        }
    }
    let third = reported.iter().find(|line| line.starts_with("document 3:"));
    match third {
        Some(line) if line.contains("SIG") => {
            let said = format!("the program survived and said `{line}`; the other depths arrived");
            Ok(Verdict::pass(said, &outcome))
        }
        Some(line) => {
            let said = format!("document 3's line should name the signal that ended it: `{line}`");
            Err(Verdict::fail(said, &outcome))
        }
        None => Err(Verdict::fail(
            "it survived, but said nothing of document 3",
            &outcome,
        )),
    }
}
