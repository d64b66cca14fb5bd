//! 01b: one program, many processes. The program starts its own file twice
//! more; each child reports its pid, its parent's pid and its program file.
//! (std's `Command::spawn` calls posix_spawn(3); glibc 2.34 and later make the
//! child with clone3(CLONE_VM|CLONE_VFORK), then it calls execve(2).)
//! Run it: `cargo run -p program-vs-process --example 01b-one-program-many-processes`
//! Next: `01c-copy-on-write.rs`, a child made by fork(2), and its memory.

use std::process::{Command, Stdio};

fn main() {
    let program = std::env::current_exe().expect("readlink(2) /proc/self/exe");
    if std::env::args().nth(1).as_deref() == Some("child") {
        // A child: this same file, started again as a new process.
        let parent_pid = nix::unistd::getppid(); // getppid(2)
        println!("{} {parent_pid} {}", std::process::id(), program.display());
        return;
    }
    let my_pid = std::process::id(); // getpid(2)
    println!("parent: I am pid {my_pid}, running this program file:");
    println!("    {}", program.display());
    // Start both before reaping either: until waitpid, even a child that has
    // ended keeps its pid (a zombie), so the two pids must differ.
    let children: Vec<_> = (0..2)
        .map(|_| {
            Command::new(&program) // the same program file...
                .arg("child") // ...told to play the child
                .stdout(Stdio::piped()) // we read what it prints
                .spawn() // posix_spawn(3): a new process, then execve(2)
                .expect("posix_spawn(3)")
        })
        .collect();
    let mut child_pids = Vec::new();
    for child in children {
        let spawned_pid = child.id();
        let output = child.wait_with_output().expect("waitpid(2)"); // reap it
        assert!(output.status.success(), "child {spawned_pid} failed");
        let words = String::from_utf8(output.stdout).expect("utf-8");
        let mut words = words.trim_end().splitn(3, ' ');
        let pid: u32 = words.next().unwrap().parse().unwrap();
        let parent_pid: u32 = words.next().unwrap().parse().unwrap();
        let child_program = words.next().unwrap();
        let same = child_program == program.to_str().unwrap();
        let file = if same { "the same file" } else { child_program };
        println!("parent: a child says: pid {pid}, parent {parent_pid}, program {file}");
        assert_eq!(pid, spawned_pid, "spawn's pid is the child's getpid()");
        assert_eq!(parent_pid, my_pid, "the child's parent is this process");
        assert!(same, "the child runs {child_program}, not my file");
        child_pids.push(pid);
    }
    assert!(child_pids[0] != child_pids[1] && !child_pids.contains(&my_pid));
    println!("parent: one program file, three processes: {my_pid}, {child_pids:?}");
}
