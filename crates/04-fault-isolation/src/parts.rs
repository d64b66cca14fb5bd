//! `--part N`: one scenario alone, with the checks `run` makes first; and
//! what part 5's run showed, for `--predict` (both `run` and `run_part`).

use support::error::Result;
use support::forking::prepare_to_fork;

use crate::report::SupervisorReport;
use crate::{
    LESSON, Options, crash_in_child, crash_in_thread, panic_in_thread, panic_while_holding_a_lock,
    supervisor,
};

// ANCHOR: run_part
/// `--part N`: that scenario alone (the verdict draws on every part, so it
/// is left out).
pub fn run_part(n: u32, options: &Options) -> Result<()> {
    options.check()?;
    prepare_to_fork()?; // scenarios 4 and 5 fork: refuse before any runs
    let mut class = LESSON.session(); // --predict, --pause
    class.part(n);
    // Each prints its story as it goes; their reports feed only run's verdict.
    match n {
        1 => _ = panic_in_thread(options)?,
        2 => _ = panic_while_holding_a_lock()?,
        3 => _ = crash_in_thread(options)?,
        4 => _ = crash_in_child(options)?,
        5 => class.outcome(supervisor_outcome(&supervisor(options)?)),
        _ => unreachable!("support::classroom::start accepts only the parts questions.md declares"),
    }
    class.end_alone();
    Ok(())
}
// ANCHOR_END: run_part

/// What part 5's run showed: 1, every worker finished with the fault-free
/// result; 2, the supervisor gave up on one; `None`, nothing crashed (so
/// nothing to judge) or a wrong result (the verdict says so).
pub(crate) fn supervisor_outcome(supervisor: &SupervisorReport) -> Option<usize> {
    match supervisor.result {
        _ if supervisor.crashes.is_empty() => None,
        Some(result) if result == supervisor.fault_free => Some(1),
        None => Some(2),
        Some(_) => None,
    }
}
