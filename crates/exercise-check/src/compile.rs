//! Builds one exercise with cargo, in the exercises' own workspace and target
//! directory, and reports the compiler's first error in one line.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the exercises are, and where their builds go.
pub struct Places {
    /// `exercises/`, with its own Cargo.toml (a workspace of its own).
    pub exercises: PathBuf,
    /// One target directory for every exercise: `$EXERCISES_TARGET_DIR`, else
    /// `exercises/` under `$CARGO_TARGET_DIR`, else `target/exercises`.
    pub target: PathBuf,
}

impl Places {
    pub fn find() -> Places {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let root = root.canonicalize().unwrap_or(root);
        let target = match (
            std::env::var_os("EXERCISES_TARGET_DIR"),
            std::env::var_os("CARGO_TARGET_DIR"),
        ) {
            (Some(dir), _) => PathBuf::from(dir),
            (None, Some(dir)) => PathBuf::from(dir).join("exercises"),
            (None, None) => root.join("target/exercises"),
        };
        Places {
            exercises: root.join("exercises"),
            target,
        }
    }
}

/// Why a build gave no program.
pub enum Refusal {
    /// The compiler refused: its first error, in one line, and how many there were.
    Compiler { first_error: String, errors: usize },
    /// cargo could not be run at all.
    NoCargo(String),
}

/// `cargo build --bin BIN` in the exercises' workspace (with `--release`
/// when `release`): the program's path.
pub fn build(places: &Places, bin: &str, release: bool) -> Result<PathBuf, Refusal> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--color",
            "never",
            "--message-format",
            "short",
            "--bin",
            bin,
        ])
        .args(release.then_some("--release"))
        .arg("--manifest-path")
        .arg(places.exercises.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&places.target)
        .output()
        .map_err(|error| Refusal::NoCargo(format!("could not run cargo: {error}")))?;
    if output.status.success() {
        let profile = if release { "release" } else { "debug" };
        return Ok(places.target.join(profile).join(bin));
    }
    let said = String::from_utf8_lossy(&output.stderr);
    Err(first_error(&said))
}

/// Builds every program of the exercises' workspace at once (cargo builds
/// them in parallel), carrying on past the ones that do not compile; then
/// the `release` ones in release.
pub fn build_all(places: &Places, release: &[String]) -> std::io::Result<()> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let bins = release.iter().flat_map(|bin| ["--bin", bin.as_str()]);
    Command::new(&cargo)
        .args(["build", "--quiet", "--release", "--keep-going"])
        .args(bins)
        .arg("--manifest-path")
        .arg(places.exercises.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&places.target)
        .output()?;
    Command::new(cargo)
        .args([
            "build",
            "--quiet",
            "--color",
            "never",
            "--bins",
            "--keep-going",
        ])
        .arg("--manifest-path")
        .arg(places.exercises.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&places.target)
        .output()
        .map(drop)
}

/// The first compiler error in cargo's short messages
/// (`file.rs:18:20: error[E0277]: …`), and how many errors there were.
pub fn first_error(said: &str) -> Refusal {
    let errors: Vec<&str> = said
        .lines()
        .filter(|line| line.contains("error[") || line.contains(": error:"))
        .collect();
    match errors.first() {
        Some(first) => Refusal::Compiler {
            first_error: without_echo(first.trim()),
            errors: errors.len(),
        },
        None => {
            let last = said
                .lines()
                .rfind(|line| !line.trim().is_empty())
                .unwrap_or("no message");
            Refusal::Compiler {
                first_error: last.trim().to_string(),
                errors: 0,
            }
        }
    }
}

/// Short messages repeat the label after the message (`…: X: X`): keep one.
fn without_echo(line: &str) -> String {
    let Some((start, message)) = line.split_once("]: ") else {
        return line.to_string();
    };
    let half = message.len().saturating_sub(2) / 2;
    match message.split_at_checked(half) {
        Some((first, rest)) if rest.strip_prefix(": ") == Some(first) => {
            format!("{start}]: {first}")
        }
        _ => line.to_string(),
    }
}
