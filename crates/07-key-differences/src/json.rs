//! `--json PATH` and `--diff OLD.json`: a run saved whole (every run of
//! every figure, the noise around them, the environment), and read back.
//! The file is written to a temporary name beside PATH and renamed over
//! it, with SIGINT, SIGTERM and SIGHUP held back meanwhile: PATH is either
//! the old file or the new one, never half of one, and no temporary file
//! is left behind.

use std::io::Write;
use std::path::{Path, PathBuf};

use nix::sys::signal::{SigSet, SigmaskHow, Signal, sigprocmask};
use serde::{Deserialize, Serialize};
use support::error::{Context, Error, Result};

use crate::report::{Figure, Saved};
use crate::spread::median;

/// The layout of the saved file: raised whenever `Saved` changes shape, so
/// that a file another version wrote is refused by name, not misread.
pub const FORMAT: u64 = 1;

/// What the file holds: the format, the program's version, and the run.
#[derive(Serialize, Deserialize)]
struct File<Run> {
    format: u64,
    version: String,
    #[serde(flatten)]
    run: Run,
}

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
/// Writes `saved` to `path` whole, or not at all, under the format number
/// and the program's version.
pub fn write(saved: &Saved, path: &Path) -> Result<()> {
    let text = serde_json::to_string_pretty(&File {
        format: FORMAT,
        version: env!("CARGO_PKG_VERSION").to_string(),
        run: saved,
    })
    .map_err(|e| Error::msg(format!("JSON: {e}")))?;
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

/// Reads a run saved with `--json` by this format of the table, and
/// refuses one that another format saved, that has no figures, or whose
/// figures cannot be compared (no runs, or a median that is not above 0).
pub fn read(path: &Path) -> Result<Saved> {
    let shown = path.display();
    let text = std::fs::read_to_string(path).context(format!("--diff: reading {shown}"))?;
    let not_a_run = |error: serde_json::Error| {
        Error::msg(format!(
            "--diff: {shown} is not a run saved with --json: {error}"
        ))
    };
    let value: serde_json::Value = serde_json::from_str(&text).map_err(not_a_run)?;
    match value.get("format").map(serde_json::Value::as_u64) {
        Some(Some(FORMAT)) => {}
        Some(found) => {
            let found = found.map_or("its format is not a whole number".into(), |n| {
                format!("it is format {n}")
            });
            return Err(another_format(&shown, &found));
        }
        // Files saved before the format was written hold figures but no number.
        None if value.get("figures").is_some() => {
            return Err(another_format(&shown, "it has no format number"));
        }
        None => {
            return Err(Error::msg(format!(
                "--diff: {shown} is not a run saved with --json"
            )));
        }
    }
    let file: File<Saved> = serde_json::from_value(value).map_err(not_a_run)?;
    if file.run.figures.is_empty() {
        return Err(Error::msg(format!("--diff: {shown} has no figures")));
    }
    for figure in &file.run.figures {
        if let Some(why) = unusable(figure) {
            let key = &figure.key;
            return Err(Error::msg(format!("--diff: {shown} has {why} for {key}")));
        }
    }
    Ok(file.run)
}

/// Why a saved figure cannot be compared with, or `None`.
fn unusable(figure: &Figure) -> Option<&'static str> {
    if figure.runs.is_empty() {
        Some("no runs")
    } else if median(&figure.runs) <= 0.0 {
        Some("a median not above 0")
    } else if !figure.c_runs.is_empty() && median(&figure.c_runs) <= 0.0 {
        Some("a C median not above 0")
    } else {
        None
    }
}

fn another_format(shown: &std::path::Display, found: &str) -> Error {
    let table = "was saved by another version of the table";
    Error::msg(format!(
        "--diff: {shown} {table}: {found}; this version reads format {FORMAT}"
    ))
}
