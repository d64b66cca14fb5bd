//! `just compare`: the Key Differences table of threads vs processes, every
//! cell decided by figures measured on this machine. The lesson is in `lib.rs`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use key_differences::{Depth, Options, baseline, files, json};

/// The Key Differences table, measured: memory, communication, creation,
/// fault isolation and best-for, threads against processes.
#[derive(Parser)]
#[command(
    version,
    about = "Lesson 07: the Key Differences table, every cell decided by figures measured here",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// More runs per figure and bigger transfers: steadier figures, in under 30 s
    #[arg(long)]
    thorough: bool,
    /// Also run the project's C baseline (built with cc) beside the Rust figures
    #[arg(long)]
    against_c: bool,
    /// Save every sample and the machine to this JSON file, whole or not at all
    #[arg(long, value_name = "PATH")]
    json: Option<PathBuf>,
    /// Compare with a run saved with --json: ratios and both runs' noise marks
    #[arg(long, value_name = "OLD.json")]
    diff: Option<PathBuf>,
    /// Where to write the table and chart (not given: target/key-differences)
    #[arg(long, value_name = "DIR")]
    out: Option<PathBuf>,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

/// Bad input is found before anything is measured: exit code 2.
fn options(cli: Cli) -> Result<Options, String> {
    let diff = cli
        .diff
        .as_deref()
        .map(json::read)
        .transpose()
        .map_err(|e| e.to_string())?;
    let out_dir = cli.out.clone();
    if let Some(dir) = &out_dir {
        // First, so that `--json` may name a file in it.
        if dir.exists() && !dir.is_dir() {
            return Err(format!("--out {}: that is not a directory", dir.display()));
        }
        std::fs::create_dir_all(dir).map_err(|e| format!("--out {}: {e}", dir.display()))?;
    }
    if let Some(path) = &cli.json {
        if support::classroom::chosen_part(&key_differences::LESSON).is_some() {
            return Err("--json saves a whole run: leave out --part".to_string());
        }
        json::check_writable(path).map_err(|e| e.to_string())?;
    }
    let baseline = match cli.against_c {
        false => None,
        true => {
            let dir = files::default_out_dir()
                .map_err(|e| e.to_string())?
                .join("baseline");
            match baseline::build(&dir) {
                Ok(built) => Some(built),
                Err(baseline::BuildError::NoCompiler(why)) => return Err(why),
                Err(baseline::BuildError::Failed(error)) => return Err(error.to_string()),
            }
        }
    };
    let depth = if cli.thorough {
        Depth::Thorough
    } else {
        Depth::Quick
    };
    Ok(Options {
        depth,
        out_dir,
        json: cli.json,
        diff,
        baseline,
    })
}

fn main() -> ExitCode {
    // First: the lessons this runs start this binary again in their roles.
    support::role::dispatch(key_differences::ROLES);
    let cli = Cli::parse();
    support::classroom::start(&cli.classroom, &[key_differences::LESSON]);
    match options(cli) {
        Ok(options) => support::error::exit_code(support::classroom::whole_or_part(
            &key_differences::LESSON,
            || key_differences::run(&options),
            |n| key_differences::run_part(n, &options),
        )),
        Err(why) => {
            eprintln!("error: {why}");
            ExitCode::from(2)
        }
    }
}
