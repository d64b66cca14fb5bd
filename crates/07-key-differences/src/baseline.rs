//! The C baseline: `baseline/primitives.c`, the same primitives with the
//! same workloads in plain C. Its source is part of this binary; with
//! `--against-c` it is written beside the build's other files, compiled
//! with the system C compiler (the one cargo links with), and run once per
//! group of figures, in a process of its own, right after the Rust runs.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use support::error::{Context, Error, Result};

/// The C program's source, as in `crates/07-key-differences/baseline/`.
pub const SOURCE: &str = include_str!("../baseline/primitives.c");

/// The compiled C baseline.
#[derive(Debug, Clone)]
pub struct Baseline {
    pub program: PathBuf,
    /// `cc --version`'s first line.
    pub compiler: String,
}

/// Why the baseline could not be built.
#[derive(Debug)]
pub enum BuildError {
    /// No C compiler: a clear message, and exit code 2.
    NoCompiler(String),
    Failed(Error),
}

/// Writes the source into `dir` and compiles it with `$CC` (or `cc`):
/// `cc -O2 -pthread -o primitives primitives.c`, unless it is built already.
pub fn build(dir: &Path) -> std::result::Result<Baseline, BuildError> {
    let compiler = std::env::var("CC").unwrap_or_else(|_| "cc".to_string());
    let version = match Command::new(&compiler).arg("--version").output() {
        Ok(output) if output.status.success() => String::from_utf8_lossy(&output.stdout)
            .lines()
            .next()
            .unwrap_or("")
            .to_string(),
        _ => {
            return Err(BuildError::NoCompiler(format!(
                "--against-c needs a C compiler, and `{compiler}` could not be run: install one \
             (gcc or clang; cargo needs it to link too) or name it in CC"
            )));
        }
    };
    let failed = |e: Error| BuildError::Failed(e);
    std::fs::create_dir_all(dir)
        .context(format!("mkdir -p {}", dir.display()))
        .map_err(failed)?;
    // ANCHOR: build
    let (source, program) = (dir.join("primitives.c"), dir.join("primitives"));
    let current = std::fs::read_to_string(&source).is_ok_and(|text| text == SOURCE);
    if !current || !program.exists() {
        std::fs::write(&source, SOURCE)
            .context(format!("write {}", source.display()))
            .map_err(failed)?;
        let output = Command::new(&compiler)
            .args(["-O2", "-pthread", "-o"])
            .arg(&program)
            .arg(&source)
            .output()
            .context(format!("running {compiler}"))
            .map_err(failed)?;
        if !output.status.success() {
            let why = String::from_utf8_lossy(&output.stderr);
            return Err(failed(Error::msg(format!(
                "{compiler} could not build the baseline:\n{why}"
            ))));
        }
    }
    Ok(Baseline {
        program,
        compiler: version,
    })
    // ANCHOR_END: build
}

/// The lines one run of the C program printed, by their first word.
#[derive(Debug, Default)]
pub struct Printed(HashMap<String, Vec<f64>>);

impl Baseline {
    /// Runs `primitives ARGS…` in a fresh process and reads its lines.
    pub fn run(&self, args: &[&str]) -> Result<Printed> {
        let output = Command::new(&self.program)
            .args(args)
            .output()
            .context(format!("running {}", self.program.display()))?;
        if !output.status.success() {
            let why = String::from_utf8_lossy(&output.stderr);
            return Err(Error::msg(format!("the C baseline {args:?} failed: {why}")));
        }
        Ok(Printed::parse(&String::from_utf8_lossy(&output.stdout)))
    }
}

impl Printed {
    pub fn parse(text: &str) -> Printed {
        let lines = text.lines().filter_map(|line| {
            let mut words = line.split_whitespace();
            let name = words.next()?.to_string();
            Some((name, words.filter_map(|w| w.parse().ok()).collect()))
        });
        Printed(lines.collect())
    }

    /// The median of a `NAME min median max samples calls` line, in ns.
    pub fn median(&self, name: &str) -> Option<f64> {
        self.0.get(name)?.get(1).copied()
    }

    /// A `NAME bytes elapsed_ns ok` line as bytes per second, if ok.
    pub fn rate(&self, name: &str) -> Option<f64> {
        match self.0.get(name)?.as_slice() {
            [bytes, nanos, ok] if *ok == 1.0 && *nanos > 0.0 => Some(bytes / nanos * 1e9),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_printed_lines_are_read_back() {
        let printed =
            Printed::parse("placement two\nfork 1 200000 3 5 30\nring 1000 500 1\nbad 1 2 0\n");
        assert_eq!(printed.median("fork"), Some(200_000.0));
        assert_eq!(printed.rate("ring"), Some(2e9));
        assert_eq!(printed.rate("bad"), None, "a failed checksum is no figure");
        assert_eq!(printed.median("exec"), None);
    }
}
