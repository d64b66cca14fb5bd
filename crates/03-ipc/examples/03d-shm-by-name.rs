//! 03d: two unrelated processes meet at a name, not through fork: `write` creates a POSIX
//! shared memory object with shm_open(3) and puts text in it; `read`, started later from
//! anywhere, opens the same name, maps it and prints the text, then unlinks the name.
//! Run it in two terminals (TLPI's `pshm_write.c` / `pshm_read.c` are the model):
//! `cargo run -p ipc --example 03d-shm-by-name -- write hello`, then `... -- read`.
//! With no argument it runs both, as two more processes (what `cargo test` does).

use memmap2::{Mmap, MmapMut};
use nix::fcntl::OFlag;
use nix::sys::mman::{shm_open, shm_unlink};
use nix::sys::stat::Mode;
use std::fs::File;
use std::process::Command;

fn write(name: &str, text: &str) {
    let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR; // a new object, or fail
    let object = File::from(shm_open(name, flags, Mode::S_IRWXU).expect("shm_open(3)"));
    object.set_len(4096).expect("ftruncate(2)"); // a new object has size 0: give it a page
    // SAFETY: the object is ours (O_EXCL) and nothing resizes it while it is mapped.
    let mut page = unsafe { MmapMut::map_mut(&object) }.expect("mmap(2), MAP_SHARED");
    page[..4].copy_from_slice(&(text.len() as u32).to_le_bytes()); // the length, then the text
    page[4..4 + text.len()].copy_from_slice(text.as_bytes());
    println!("write: put {text:?} at {name}; the object outlives this process");
}

fn read(name: &str) {
    let object = File::from(shm_open(name, OFlag::O_RDONLY, Mode::empty()).expect("shm_open(3)"));
    // SAFETY: the writer has finished and nothing resizes the object while it is mapped.
    let page = unsafe { Mmap::map(&object) }.expect("mmap(2), MAP_SHARED");
    let length = u32::from_le_bytes(page[..4].try_into().expect("4 bytes")) as usize;
    let text = String::from_utf8_lossy(&page[4..4 + length]);
    shm_unlink(name).expect("shm_unlink(3)"); // remove the name: /dev/shm is left clean
    println!("read : found {text:?} at {name}, then unlinked the name");
}

/// Runs this program again, as a stranger: a new process that inherits no mapping.
fn run_again(args: &[&str]) -> String {
    let me = std::env::current_exe().expect("current_exe");
    let ran = Command::new(me).args(args).output().expect("spawn");
    assert!(ran.status.success(), "{args:?} succeeded");
    String::from_utf8(ran.stdout).expect("utf-8")
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |index: usize, default| args.get(index).map_or(default, String::as_str);
    match arg(0, "both") {
        "write" => write(arg(2, "/ipc-lesson-03d"), arg(1, "hello")),
        "read" => read(arg(1, "/ipc-lesson-03d")),
        _ => {
            let name = format!("/ipc-lesson-03d-{}", std::process::id()); // ours alone
            print!("{}", run_again(&["write", "hello", &name]));
            let read = run_again(&["read", &name]);
            print!("{read}");
            assert!(read.contains(r#"found "hello""#), "the reader saw the text");
            let left = std::path::Path::new("/dev/shm").join(&name[1..]).exists();
            assert!(!left, "nothing left in /dev/shm");
        }
    }
}
