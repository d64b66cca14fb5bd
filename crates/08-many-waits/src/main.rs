//! `many-waits`: lesson 08's demo. The lesson itself is `src/lib.rs`.

use std::process::ExitCode;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, parser::ValueSource};
use many_waits::{DEFAULT_TOP, DEFAULT_WAIT_MS, Limits, MAX_TASKS, MAX_WAIT_MS, Options};

#[derive(Parser)]
#[command(
    version,
    about = "Lesson 08: 10 to 10_000 waiting tasks on threads, processes, epoll and async tasks",
    long_about = None,
    next_line_help = true
)]
struct Cli {
    /// Every model at this one number of tasks, instead of the ladder [range: 1..=100000]
    #[arg(long, conflicts_with_all = ["sweep", "quick"],
          value_parser = clap::value_parser!(u32).range(1..=MAX_TASKS as i64))]
    tasks: Option<u32>,
    /// The ladder's top: 10, 100, … up to this many tasks [range: 10..=100000]
    #[arg(long, default_value_t = DEFAULT_TOP,
          value_parser = clap::value_parser!(u32).range(10..=MAX_TASKS as i64))]
    sweep: u32,
    /// Milliseconds the driver sleeps before each of 3 rounds [range: 1..=1000]
    #[arg(long, default_value_t = DEFAULT_WAIT_MS,
          value_parser = clap::value_parser!(u32).range(1..=MAX_WAIT_MS as i64))]
    wait_ms: u32,
    /// The quick form: 10, 100 and 1_000 tasks, 20 ms waits
    #[arg(long, conflicts_with_all = ["sweep", "wait_ms"])]
    quick: bool,

    #[command(flatten)]
    classroom: support::classroom::Classroom,
}

fn main() -> ExitCode {
    // First thing, before options or threads: a fresh copy of this program
    // started to run one model runs it here, and exits.
    support::role::dispatch(&[many_waits::ROLES]);
    let matches = Cli::command().get_matches();
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|error| error.exit());
    support::classroom::start(&cli.classroom, &[many_waits::LESSON]);
    let given = |id: &str| matches.value_source(id) == Some(ValueSource::CommandLine);
    // A number asked for on the command line must fit the descriptor limit.
    let asked = cli.tasks.or(given("sweep").then_some(cli.sweep));
    let (room, hard) = (Limits::read().descriptor_room(), Limits::read().nofile.1);
    if let Some(asked) = asked.filter(|asked| *asked as u64 > room) {
        let n = |number: u64| many_waits::grouped(number as usize);
        let (asked, hard, most) = (n(asked as u64), n(hard), n(room));
        eprintln!("error: {asked} tasks need {asked} descriptors in one process;");
        eprintln!("RLIMIT_NOFILE's hard limit ({hard}, `ulimit -Hn`) allows at most {most} here");
        return ExitCode::from(2);
    }
    let options = match (cli.quick, cli.tasks) {
        (true, _) => Options::quick(),
        (false, tasks) => Options {
            ladder: tasks.map_or_else(
                || many_waits::ladder(cli.sweep as usize),
                |n| vec![n as usize],
            ),
            wait: Duration::from_millis(cli.wait_ms as u64),
            out_dir: None,
        },
    };
    // Exit code 1, with every failed run listed, when a model's run failed.
    support::error::exit_code(support::classroom::whole_or_part(
        &many_waits::LESSON,
        || {
            many_waits::run(&options)
                .and_then(|r| many_waits::no_failures(r.steps.iter().flat_map(|s| &s.runs)))
        },
        |n| many_waits::run_part(n, &options),
    ))
}
