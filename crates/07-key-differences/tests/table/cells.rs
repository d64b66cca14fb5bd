//! The cells of the first three rows on made-up figures, nothing measured:
//! each word compares the pair its row names, and flips when they do.

use key_differences::environment::Environment;
use key_differences::noise::Noise;
use key_differences::{Facts, Figure, Saved, Side, Spec, Unit, table};

/// A steady figure of three runs around `x`, on a quiet machine.
fn figure(key: &'static str, unit: Unit, x: f64) -> Figure {
    let spec = Spec {
        key,
        label: key,
        side: Side::Thread,
        unit,
    };
    Figure::new(
        &spec,
        vec![x * 0.99, x, x * 1.01],
        Vec::new(),
        Noise::default(),
    )
}

/// Every figure the rows need at 1 (ns, bytes or bytes/s), with `set` on top.
pub fn saved(set: &[(&'static str, f64)]) -> Saved {
    let at = |key: &'static str| set.iter().find(|(k, _)| *k == key).map_or(1.0, |(_, x)| *x);
    let keys = [
        ("memory.thread", Unit::Bytes),
        ("memory.process", Unit::Bytes),
        ("communication.condvar", Unit::Nanoseconds),
        ("communication.pipe_one_cpu", Unit::Nanoseconds),
        ("communication.pipe_two_cpus", Unit::Nanoseconds),
        ("communication.pipe", Unit::BytesPerSecond),
        ("communication.ring", Unit::BytesPerSecond),
        ("creation.std_thread", Unit::Nanoseconds),
        ("creation.pthread", Unit::Nanoseconds),
        ("creation.fork_exit", Unit::Nanoseconds),
        ("creation.fork_exec", Unit::Nanoseconds),
        ("creation.spawn", Unit::Nanoseconds),
    ];
    Saved {
        depth: "quick".into(),
        environment: Environment::read(),
        figures: keys.map(|(key, unit)| figure(key, unit, at(key))).into(),
        facts: Facts::default(),
    }
}

/// Row `n`'s words for the threads and the processes, given `set`.
fn words(n: u32, set: &[(&'static str, f64)]) -> (Vec<String>, Vec<String>) {
    let row = table::row(&saved(set), n).expect("every figure is there");
    let owned = |lines: Vec<&str>| lines.into_iter().map(String::from).collect();
    (owned(row.threads.lines()), owned(row.processes.lines()))
}

fn has(lines: &[String], word: &str) -> bool {
    lines.iter().any(|line| line == word)
}

/// Memory, Communication (the Condvar against the pipe on ONE CPU, not
/// the pipe on two) and Creation: "cheaper"/"dearer" as the pair says.
pub fn each_row_compares_its_own_pair() {
    let pairs = [
        (1, "memory.thread", "memory.process", None),
        (
            2,
            "communication.condvar",
            "communication.pipe_one_cpu",
            Some("communication.pipe_two_cpus"),
        ),
        (3, "creation.std_thread", "creation.fork_exit", None),
    ];
    for (n, thread, process, decoy) in pairs {
        // The thread half the process; a decoy a quarter of the thread.
        let mut set = vec![(thread, 100.0), (process, 200.0)];
        set.extend(decoy.map(|key| (key, 25.0)));
        let (threads, processes) = words(n, &set);
        assert!(has(&threads, "cheaper: 2.00× less"), "row {n}: {threads:?}");
        assert!(has(&processes, "dearer: 2.00×"), "row {n}: {processes:?}");
        let flipped = [(thread, 200.0), (process, 100.0)];
        let (threads, processes) = words(n, &[&flipped[..], &set[2..]].concat());
        assert!(has(&threads, "dearer: 2.00×"), "row {n}: {threads:?}");
        assert!(
            has(&processes, "cheaper: 2.00× less"),
            "row {n}: {processes:?}"
        );
    }
}
