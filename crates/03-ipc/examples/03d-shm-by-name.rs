//! 03d: two unrelated processes meet at a name (TLPI's `pshm_write.c`, `pshm_read.c`): `write`
//! puts text in a new POSIX shared memory object (shm_open(3)); `read`, started later from
//! anywhere, maps it, prints it and unlinks the name. Run it in two terminals: `cargo run -p ipc
//! --example 03d-shm-by-name -- write hello`, then `... -- read`; with no argument it runs both.

use memmap2::{Mmap, MmapMut};
use nix::{fcntl::OFlag, sys::mman::shm_open, sys::mman::shm_unlink, sys::stat::Mode};
use std::fs::File;
use std::process::Command;

fn write(name: &str, text: &str) {
    if text.len() > 4092 {
        eprintln!("write: the text must fit the page after its length: 4092 bytes at most");
        std::process::exit(2); // checked before shm_open: no name is left behind
    }
    let flags = OFlag::O_CREAT | OFlag::O_EXCL | OFlag::O_RDWR; // a new object, or fail
    let mode = Mode::S_IRUSR | Mode::S_IWUSR; // rw------- as in TLPI's pshm_create.c
    let object = File::from(shm_open(name, flags, mode).expect("shm_open(3)"));
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
    shm_unlink(name).expect("shm_unlink(3)"); // remove the name first: /dev/shm is left clean
    let length = u32::from_le_bytes(page[..4].try_into().expect("4 bytes")) as usize;
    let text = String::from_utf8_lossy(page.get(4..4 + length).expect("a length that fits"));
    println!("read : found {text:?} at {name}, then unlinked the name");
}

fn run_again(args: &[&str]) -> String {
    let me = std::env::current_exe().expect("current_exe"); // a stranger: it inherits no map
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
            print!("{}", run_again(&["write", "hello", &name])); // it has exited: read
            let read = run_again(&["read", &name]);
            print!("{read}");
            assert!(read.contains(r#"found "hello""#), "the reader saw the text");
            let left = std::path::Path::new("/dev/shm").join(&name[1..]).exists();
            assert!(!left, "nothing left in /dev/shm");
        }
    }
}
