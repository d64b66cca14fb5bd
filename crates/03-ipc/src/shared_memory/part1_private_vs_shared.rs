//! Part 1: after fork, a `MAP_PRIVATE` page is the child's own copy-on-write
//! copy, while a `MAP_SHARED` page is one page both processes see. Listing
//! `03c-private-vs-shared.rs` is the short form.

use std::fs::File;

use memmap2::MmapMut;
use nix::sys::memfd::{MFdFlags, memfd_create};
use nix::unistd::{ForkResult, fork};
use support::error::{Context, Error, Result};
use support::forking::{prepare_to_fork, run_child};
use support::{ChildGuard, say};

use super::report::Mappings;

pub const PARENT_NOTE: &str = "written by the parent before fork";
pub const CHILD_NOTE: &str = "written by the child after fork";
const PAGE: usize = 4096;

// ANCHOR: pages
pub fn private_vs_shared() -> Result<Mappings> {
    // memmap2's anonymous map is mmap(MAP_PRIVATE | MAP_ANONYMOUS).
    let mut private_page = MmapMut::map_anon(PAGE).context("mmap(2) MAP_PRIVATE")?;
    // memfd_create(2): a file that lives only in RAM, with no name on disk.
    let memfd = memfd_create(c"ipc-lesson-page", MFdFlags::MFD_CLOEXEC).context("memfd_create")?;
    let memfd = File::from(memfd);
    memfd
        .set_len(PAGE as u64)
        .context("ftruncate(2) of the memfd")?;
    // SAFETY: mapping a file is unsafe because someone could truncate it
    // under us; this memfd is ours and our child's alone, and nobody does.
    let mut shared_page = unsafe { MmapMut::map_mut(&memfd) }.context("mmap(2) MAP_SHARED")?;
    // ANCHOR_END: pages
    write_note(&mut private_page, PARENT_NOTE);
    write_note(&mut shared_page, PARENT_NOTE);
    say!("two pages, both reading {PARENT_NOTE:?}");
    // ANCHOR: fork
    prepare_to_fork()?; // one thread only; also flushes stdout
    // SAFETY: prepare_to_fork checked just above that this process has one
    // thread, so the child may run ordinary Rust code.
    match unsafe { fork() }.context("fork(2)")? {
        ForkResult::Child => run_child(|| {
            write_note(&mut private_page, CHILD_NOTE); // lands in my copy of the page
            write_note(&mut shared_page, CHILD_NOTE); // lands in the one page both map
            say!("wrote {CHILD_NOTE:?} into both");
            Ok(())
        }),
        // ANCHOR_END: fork
        ForkResult::Parent { child } => {
            let ending = ChildGuard::new(child).wait().context("waitpid(2)")?; // writes done
            if !ending.is_success() {
                return Err(Error::msg(format!("the child (pid {child}) {ending}")));
            }
            let (private_parent_saw, shared_parent_saw) =
                (read_note(&private_page), read_note(&shared_page));
            say!("MAP_PRIVATE page, same address: {private_parent_saw:?}");
            say!("MAP_SHARED  page:               {shared_parent_saw:?}");
            say!("the child's private write hit its own copy;");
            say!("the shared page is one page in both");
            let (private_child_saw, shared_child_saw) = (CHILD_NOTE.into(), CHILD_NOTE.into());
            Ok(Mappings {
                private_child_saw,
                private_parent_saw,
                shared_child_saw,
                shared_parent_saw,
            })
        }
    }
}

/// Stores `note` at the start of `page`: a length byte, then the text.
fn write_note(page: &mut [u8], note: &str) {
    page[0] = note.len() as u8;
    page[1..1 + note.len()].copy_from_slice(note.as_bytes());
}

fn read_note(page: &[u8]) -> String {
    String::from_utf8_lossy(&page[1..1 + page[0] as usize]).into_owned()
}

impl Mappings {
    /// The child's write to the `MAP_PRIVATE` page never reached the parent.
    pub fn private_hides_child_write(&self) -> bool {
        self.private_child_saw == CHILD_NOTE && self.private_parent_saw == PARENT_NOTE
    }

    /// The child's write to the `MAP_SHARED` page is what the parent read.
    pub fn shared_shows_child_write(&self) -> bool {
        self.shared_child_saw == CHILD_NOTE && self.shared_parent_saw == CHILD_NOTE
    }
}
