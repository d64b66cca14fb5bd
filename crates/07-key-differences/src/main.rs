//! `just compare`: the Key Differences table of threads vs processes, every
//! cell with a figure measured on this machine. The lesson is in `lib.rs`.

use std::process::ExitCode;

use clap::Parser;
use key_differences::{Depth, Options};

/// The Key Differences table, measured: memory, communication, creation,
/// fault isolation and best-for, threads against processes.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// A few seconds of measuring (the default)
    #[arg(long, conflicts_with = "thorough")]
    quick: bool,
    /// More repetitions and bigger transfers: steadier figures, ten to twenty seconds
    #[arg(long)]
    thorough: bool,
}

fn main() -> ExitCode {
    // First: the lessons this runs start this binary again in their roles.
    support::role::dispatch(key_differences::ROLES);
    let cli = Cli::parse();
    let options = Options {
        depth: if cli.thorough {
            Depth::Thorough
        } else {
            Depth::Quick
        },
        out_dir: None,
    };
    support::error::exit_code(key_differences::run(&options))
}
