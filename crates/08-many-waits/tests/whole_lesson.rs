//! The lesson's claims, one named test per claim. A test program of its own
//! (`harness = false`) whose `main` answers to the lesson's roles first: the
//! fresh process each model runs in is this program started again. Its
//! tests run one at a time on the main thread; `-- --list` lists them.

use std::io::Write;
use std::os::fd::{AsFd, AsRawFd};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use many_waits::work::ROUNDS;
use many_waits::{Model, ModelRun, Options, in_fresh_process, run, run_model_here};
use support::testing::{run_tests_in_one_thread, trial};

const TASKS: usize = 200;
const WAIT: Duration = Duration::from_millis(5);

/// Every model at TASKS tasks, each in a fresh process: run once, lazily.
fn runs() -> &'static [ModelRun] {
    static RUNS: OnceLock<Vec<ModelRun>> = OnceLock::new();
    RUNS.get_or_init(|| {
        let each = |model| in_fresh_process(model, TASKS, WAIT);
        Model::ALL.into_iter().map(each).collect()
    })
}

fn every_model_completes_every_task_with_the_right_answer() {
    assert_eq!(runs().len(), Model::ALL.len());
    for run in runs() {
        let figures = run
            .outcome
            .as_ref()
            .unwrap_or_else(|e| panic!("{:?}: {e}", run.model));
        assert_eq!(figures.tasks, TASKS, "{:?} started every task", run.model);
        assert_eq!(figures.finished, TASKS, "{:?} ended every task", run.model);
        assert_eq!(
            figures.totals, TASKS as u64,
            "{:?}: totals checked",
            run.model
        );
        assert_eq!(figures.right_totals, figures.totals, "{:?}", run.model);
        assert_eq!(figures.stopped_by, None, "{:?}", run.model);
    }
}

fn the_time_and_memory_figures_are_finite_and_positive() {
    for run in runs() {
        let (model, figures) = (run.model, run.outcome.as_ref().expect("the model ran"));
        assert!(figures.create > Duration::ZERO, "{model:?}");
        // The driver sleeps WAIT before each round: the finish cannot be shorter.
        assert!(figures.finish >= WAIT * ROUNDS as u32, "{model:?}");
        assert!(figures.user_per_task.is_some(), "{model:?}: PSS read");
        assert!(figures.kernel_per_task.is_some(), "{model:?}: kernel read");
        // A thread or a process per task maps and touches a stack of its own,
        // and costs a kernel stack: counted from this model's own new tasks
        // (cgroup v1, /proc/meminfo) or its cgroup (v2, unless other programs'
        // threads came and went meanwhile).
        if model.kernel_task_per_task() {
            let user = figures.user_per_task.unwrap();
            assert!(user > 0, "{model:?}: user memory per task {user}");
            let stack = figures.kernel_per_task.unwrap()[0];
            assert!(
                stack > 0 || figures.others_moved,
                "{model:?}: kernel stack {stack}"
            );
        }
    }
    let threads_while_waiting = |model| {
        let run = runs().iter().find(|run| run.model == model).unwrap();
        run.outcome.as_ref().unwrap().threads
    };
    assert_eq!(threads_while_waiting(Model::Threads), TASKS + 1);
    assert_eq!(threads_while_waiting(Model::Epoll), 1);
    assert_eq!(threads_while_waiting(Model::TokioOneThread), 1);
}

/// The model's process run alone, with a fault in its environment: its
/// stdout (the figures as lines) and stderr.
fn model_alone(word: &str, tasks: &str, fault: (&str, &str)) -> (String, String) {
    let mut command = support::role::command(many_waits::MODEL_ROLE).unwrap();
    command.args([word, tasks, "5"]).env(fault.0, fault.1);
    let output = support::testing::output_within(&mut command, Duration::from_secs(60));
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{word}: {stderr}");
    (String::from_utf8_lossy(&output.stdout).into_owned(), stderr)
}

/// The `name n1 n2 …` line of the figures, as numbers (`-`: None).
fn numbers(stdout: &str, name: &str) -> Vec<Option<i64>> {
    let line = stdout
        .lines()
        .find_map(|line| line.strip_prefix(name))
        .unwrap();
    line.split_whitespace().map(|n| n.parse().ok()).collect()
}

/// A model that stopped below `asked`: it ran the tasks it started, each
/// right, named `limit`, still read its memory, and said nothing on stderr.
fn stopped_well(word: &str, asked: i64, limit: &str, (stdout, stderr): (String, String)) {
    assert!(
        stdout.contains(&format!("stopped {limit}")),
        "{word}: {stdout}"
    );
    let counts = numbers(&stdout, "counts ");
    let [started, finished, right, checked] = [0, 1, 2, 3].map(|i| counts[i].unwrap());
    assert!((1..asked).contains(&started), "{word}: {counts:?}");
    assert_eq!(
        (finished, checked, right),
        (started, started, started),
        "{word}"
    );
    assert!(
        numbers(&stdout, "user ")[0].is_some(),
        "{word}: memory read: {stdout}"
    );
    assert!(stderr.trim().is_empty(), "{word}: {stderr}");
}

/// With the descriptor limit at 48, each model's process can make only
/// some sockets: it runs those tasks, names the limit, and keeps room for
/// what follows (tokio's runtime, /proc readings, the driver's copies).
fn every_model_stopped_by_the_descriptor_limit_names_it() {
    for model in Model::ALL {
        let fault = (many_waits::faults::NOFILE_ENV, "48");
        let output = model_alone(model.word(), "100", fault);
        stopped_well(model.word(), 100, "RLIMIT_NOFILE (48)", output);
    }
}

/// With vm.max_map_count taken as 1_000, the thread model stops before a
/// new thread's signal stack finds no map left (std would abort), and
/// names the limit.
fn threads_stopped_by_the_map_count_name_it() {
    let fault = (many_waits::faults::MAX_MAP_COUNT_ENV, "1000");
    let output = model_alone("threads", "400", fault);
    stopped_well("threads", 400, "vm.max_map_count (1_000)", output);
}

/// Beside a thread that keeps printing (its lines go to /dev/null: fd 1 is
/// pointed there for the call, then put back), `body` runs; returns what
/// it returned.
fn beside_a_printing_thread<T>(body: impl FnOnce() -> T) -> T {
    static STOP: AtomicBool = AtomicBool::new(false);
    STOP.store(false, Ordering::Relaxed);
    let saved = std::io::stdout().as_fd().try_clone_to_owned().unwrap(); // dup(2)
    let null = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/null")
        .unwrap();
    // SAFETY: both descriptors are open for the whole call; dup2 replaces fd 1.
    assert_eq!(unsafe { libc::dup2(null.as_raw_fd(), 1) }, 1);
    let printer = std::thread::spawn(|| {
        while !STOP.load(Ordering::Relaxed) {
            let _ = writeln!(std::io::stdout(), "printing thread");
        }
    });
    let result = body();
    STOP.store(true, Ordering::Relaxed);
    printer.join().unwrap();
    let _ = std::io::stdout().flush(); // the last lines, still to /dev/null
    // SAFETY: `saved` is the original stdout, open until the end of this call.
    assert_eq!(unsafe { libc::dup2(saved.as_raw_fd(), 1) }, 1);
    result
}

/// A model run in this process forks (its driver, its task processes):
/// beside another thread it refuses, at once, instead of hanging.
fn embedded_beside_a_printing_thread_a_model_refuses_to_fork() {
    for model in [Model::Threads, Model::Processes] {
        let result = beside_a_printing_thread(|| run_model_here(model, 5, WAIT));
        let error = result.expect_err("a second thread is running").to_string();
        assert!(
            error.starts_with("refusing to fork: this process has "),
            "{error}"
        );
    }
}

/// The whole lesson only starts fresh processes (posix_spawn), so beside a
/// printing thread it finishes, every model included.
fn beside_a_printing_thread_the_lesson_finishes() {
    let out_dir = std::env::temp_dir().join(format!("many-waits-test-{}", std::process::id()));
    let options = Options {
        ladder: vec![10],
        wait: WAIT,
        out_dir: Some(out_dir.clone()),
    };
    support::speaker::set_quiet(true);
    let report = beside_a_printing_thread(|| run(&options)).expect("the lesson ran");
    support::speaker::set_quiet(false);
    assert!(report.failures().is_empty(), "{:?}", report.failures());
    let chart = report.chart.expect("the chart was written");
    assert!(std::fs::read_to_string(&chart).unwrap().contains("</svg>"));
    std::fs::remove_dir_all(out_dir).unwrap();
}

fn figures_for_lesson_07_come_for_every_model() {
    let table = many_waits::figures_for_table(50).expect("every model ran");
    assert_eq!((table.tasks_asked, table.tasks), (50, 50));
    let models: Vec<Model> = table.rows.iter().map(|row| row.model).collect();
    assert_eq!(models, Model::ALL);
    for row in &table.rows {
        assert_eq!(row.tasks, 50, "{:?}", row.model);
        assert!(
            row.create > Duration::ZERO && row.wall > Duration::ZERO,
            "{row:?}"
        );
    }
}

fn main() {
    support::role::dispatch(&[many_waits::ROLES]);
    run_tests_in_one_thread(vec![
        trial(
            "every_model_completes_every_task_with_the_right_answer",
            every_model_completes_every_task_with_the_right_answer,
        ),
        trial(
            "the_time_and_memory_figures_are_finite_and_positive",
            the_time_and_memory_figures_are_finite_and_positive,
        ),
        trial(
            "every_model_stopped_by_the_descriptor_limit_names_it",
            every_model_stopped_by_the_descriptor_limit_names_it,
        ),
        trial(
            "threads_stopped_by_the_map_count_name_it",
            threads_stopped_by_the_map_count_name_it,
        ),
        trial(
            "embedded_beside_a_printing_thread_a_model_refuses_to_fork",
            embedded_beside_a_printing_thread_a_model_refuses_to_fork,
        ),
        trial(
            "beside_a_printing_thread_the_lesson_finishes",
            beside_a_printing_thread_the_lesson_finishes,
        ),
        trial(
            "figures_for_lesson_07_come_for_every_model",
            figures_for_lesson_07_come_for_every_model,
        ),
    ])
}
