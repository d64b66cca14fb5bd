//! Exercise 2: reap the zombie. A server starts three background jobs and carries on
//! serving. Each job is done within milliseconds, yet it stays in the process table, a
//! zombie (`<defunct>` in `ps`), until its parent waits for it: this parent never does.
//! Done when `just check 2` passes: no job of the server's is left a zombie while it
//! carries on (keep the `carrying on` line). Read: chapter 01, part 3 and listing 01b.

use std::process::Command;
use std::thread::sleep;
use std::time::Duration;

fn main() {
    for job in 1..=3 {
        // A stand-in for real work (compress a log, send a mail): a program of its own.
        let child = Command::new("echo")
            .arg(format!("job {job}: done"))
            .spawn() // posix_spawn(3): a new process running `echo`
            .expect("posix_spawn(3) of echo");
        println!("server: started job {job} as pid {}", child.id());
    }
    println!("server: carrying on");
    for tick in 1..=10 {
        sleep(Duration::from_millis(100)); // a stand-in for serving requests
        println!("server: serving ({tick} of 10)");
    }
}
