//! Part 4: two unrelated processes meet at a name. The demo starts a reader
//! and a writer (this program again, in hidden roles); all they share is a
//! `shm_open` name, which the reader unlinks once it has mapped the object.
//! Listing `03d-shm-by-name.rs` is the short form.

use std::time::Duration;

use nix::sys::mman::shm_unlink;
use nix::sys::wait::{Id, WaitPidFlag, WaitStatus, waitid};
use support::error::{Context, Error, Result};
use support::{ChildGuard, say};

use super::part4_roles::{READER_ROLE, WRITER_ROLE};
use super::report::Named;
use super::test_hooks::{KillPoint, TestHooks};

/// Unlinks the name when dropped (every return, `?` and panic), and
/// registers it for Ctrl-C, which skips destructors.
struct NameCleanup {
    name: String,
    path: String,
}

impl NameCleanup {
    fn register(name: String) -> NameCleanup {
        let path = format!("/dev/shm{name}");
        support::guard::unlink_on_interrupt(&path);
        NameCleanup { name, path }
    }
}

impl Drop for NameCleanup {
    fn drop(&mut self) {
        let _ = shm_unlink(self.name.as_str()); // ENOENT, usually: the reader did it
        support::guard::forget_path(&self.path);
    }
}

/// Starts a writer and a reader that share only a name, and watches both.
pub fn strangers_meet_at_a_name(total: u64, hooks: &TestHooks) -> Result<Named> {
    // The name is all the two will share; our pid keeps it unique.
    let cleanup = NameCleanup::register(format!("/ipc-lesson-03-{}", std::process::id()));
    say!(
        "two strangers start; they share only the name {}",
        cleanup.name
    );
    // ANCHOR: named
    let start = |role: &str, kill: KillPoint| -> Result<ChildGuard> {
        let kill = if hooks.kill == Some(kill) { "1" } else { "0" };
        let hold = hooks.hold_named.as_millis().to_string();
        let child = support::role::command(role)
            .context("current_exe()")?
            .args([cleanup.name.as_str(), &total.to_string(), kill, &hold])
            .spawn()
            .context(format!("spawn the {role}"))?;
        Ok(ChildGuard::adopt(child))
    };
    let reader = start(READER_ROLE, KillPoint::NamedReader)?;
    let writer = start(WRITER_ROLE, KillPoint::NamedWriter)?;
    // Neither can tell that the other died: its memory just stops changing.
    // So we watch both, and stop the survivor if one fails.
    watch_both([("writer", writer), ("reader", reader)])?;
    // ANCHOR_END: named
    let path = cleanup.path.clone();
    drop(cleanup); // shm_unlink(3), in case the reader could not
    let name_gone = !std::path::Path::new(&path).exists();
    say!(
        "both ended well; {path} {}",
        if name_gone {
            "is gone"
        } else {
            "IS STILL THERE"
        }
    );
    Ok(Named {
        path,
        bytes: total,
        name_gone,
    })
}

/// Waits for both children; the first that fails stops the other (its
/// guard kills it when dropped) and becomes the error.
fn watch_both(children: [(&str, ChildGuard); 2]) -> Result<()> {
    let mut running: Vec<(&str, Option<ChildGuard>)> = children
        .into_iter()
        .map(|(who, guard)| (who, Some(guard)))
        .collect();
    while running.iter().any(|(_, guard)| guard.is_some()) {
        for (who, slot) in running.iter_mut() {
            let Some(guard) = slot else { continue };
            // waitid(2) with WNOHANG | WNOWAIT: ended? It looks, not reaps.
            let flags = WaitPidFlag::WEXITED | WaitPidFlag::WNOHANG | WaitPidFlag::WNOWAIT;
            let status = waitid(Id::Pid(guard.pid()), flags).context("waitid(2)")?;
            if status == WaitStatus::StillAlive {
                continue;
            }
            let (pid, guard) = (guard.pid(), slot.take().expect("checked above"));
            let ending = guard.wait().context(format!("waitpid(2) for the {who}"))?;
            if !ending.is_success() {
                return Err(Error::msg(format!(
                    "the {who} (pid {pid}) {ending} mid-transfer; the other one was stopped"
                )));
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    Ok(())
}
