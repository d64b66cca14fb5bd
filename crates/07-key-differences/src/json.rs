//! `--json PATH` and `--diff OLD.json`: a run saved whole (every run of
//! every figure, the noise around them, the environment), and read back.
//! The file is written to a temporary name beside PATH and renamed over
//! it, with SIGINT, SIGTERM and SIGHUP held back meanwhile: PATH is either
//! the old file or the new one, never half of one, and no temporary file
//! is left behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use support::error::{Context, Error, Result};

use crate::report::Saved;

fn temporary_beside(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map_or("run.json".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.{}.tmp", std::process::id()))
}

/// Checks, before anything is measured, that `path` can be written: a
/// temporary file is created beside it and removed.
pub fn check_writable(path: &Path) -> Result<()> {
    let temporary = temporary_beside(path);
    std::fs::File::create(&temporary)
        .context(format!("--json {}: creating a file there", path.display()))?;
    std::fs::remove_file(&temporary).context(format!("removing {}", temporary.display()))?;
    if path.is_dir() {
        return Err(Error::msg(format!(
            "--json {}: that is a directory",
            path.display()
        )));
    }
    Ok(())
}

// ANCHOR: write_atomically
/// Writes `saved` to `path` whole, or not at all.
pub fn write(saved: &Saved, path: &Path) -> Result<()> {
    let text = serde_json::to_string_pretty(saved).map_err(|e| Error::msg(format!("JSON: {e}")))?;
    let temporary = temporary_beside(path);
    let held = SigSet::from_iter([Signal::SIGINT, Signal::SIGTERM, Signal::SIGHUP]);
    let mut before = SigSet::empty();
    // Held back, not lost: a Ctrl-C now is delivered once the mask is restored.
    sigprocmask(SigmaskHow::SIG_BLOCK, Some(&held), Some(&mut before)).context("sigprocmask(2)")?;
    let written = (|| -> Result<()> {
        let mut file =
            std::fs::File::create(&temporary).context(format!("create {}", temporary.display()))?;
        file.write_all(text.as_bytes())
            .context(format!("write {}", temporary.display()))?;
        file.sync_all()
            .context(format!("fsync {}", temporary.display()))?;
        std::fs::rename(&temporary, path).context(format!("rename to {}", path.display()))
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temporary);
    }
    sigprocmask(SigmaskHow::SIG_SETMASK, Some(&before), None).context("sigprocmask(2)")?;
    written
}
// ANCHOR_END: write_atomically

/// Reads a run saved with `--json`.
pub fn read(path: &Path) -> Result<Saved> {
    let text =
        std::fs::read_to_string(path).context(format!("--diff: reading {}", path.display()))?;
    serde_json::from_str(&text).map_err(|error| {
        Error::msg(format!(
            "--diff: {} is not a run saved with --json: {error}",
            path.display()
        ))
    })
}
