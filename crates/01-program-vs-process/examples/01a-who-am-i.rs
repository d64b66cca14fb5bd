//! 01a: who am I? A process asks the kernel for its process id and its
//! parent's, then opens the program file it is running and reads its first
//! four bytes: `7f 45 4c 46`, the ELF magic number.
//! Run it: `cargo run -p program-vs-process --example 01a-who-am-i`
//! Next: `01b-one-program-many-processes.rs`, the same file as three processes.

use std::fs::File;
use std::io::Read;

fn main() {
    // The process: things the kernel made when this program started.
    let pid = std::process::id(); // getpid(2)
    let parent_pid = nix::unistd::getppid(); // getppid(2): who started us
    println!("I am process {pid}; process {parent_pid} started me");

    // The program: a file on disk. /proc/self/exe links to it.
    let program = std::env::current_exe().expect("readlink(2) /proc/self/exe");
    let size = std::fs::metadata(&program).expect("stat(2)").len(); // st_size
    println!("I am running the program file {}", program.display());
    println!("its file size is {size} bytes; other processes may run it too");

    let mut magic = [0u8; 4];
    File::open(&program) // open(2)
        .and_then(|mut file| file.read_exact(&mut magic)) // read(2): 4 bytes
        .expect("read the program file");
    println!(
        "its first bytes: {:02x} {:02x} {:02x} {:02x} (should be 7f 45 4c 46, \"\\x7fELF\")",
        magic[0], magic[1], magic[2], magic[3]
    );
    // ELF is the format execve(2) knows how to load into a new process.
    assert_eq!(&magic, b"\x7fELF", "the program file is not ELF");
}
