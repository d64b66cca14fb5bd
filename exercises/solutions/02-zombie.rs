//! Exercise 2, solved: the server keeps each job's `Child` and waits for it. Dropping a
//! `Child` does not wait for it (std gives `Child` no `Drop` that would), so each job's
//! process stayed a zombie. Here `wait()` is waitpid(2) on that one pid: it reaps the job
//! and says how it ended. A server that must not block would call `try_wait()` (waitpid
//! with WNOHANG) on every pass of its loop instead. Check it: `just check 2 --solution`.

use std::process::Command;
use std::thread::sleep;
use std::time::Duration;

fn main() {
    let mut jobs = Vec::new();
    for job in 1..=3 {
        let child = Command::new("echo")
            .arg(format!("job {job}: done"))
            .spawn() // posix_spawn(3): a new process running `echo`
            .expect("posix_spawn(3) of echo");
        println!("server: started job {job} as pid {}", child.id());
        jobs.push((job, child)); // keep it: we owe it a wait
    }
    for (job, mut child) in jobs {
        let status = child.wait().expect("waitpid(2)"); // reap it: no zombie is left
        println!("server: job {job} (pid {}) ended: {status}", child.id());
    }
    println!("server: carrying on");
    for tick in 1..=10 {
        sleep(Duration::from_millis(100)); // a stand-in for serving requests
        println!("server: serving ({tick} of 10)");
    }
}
