//! Part 1: the program, a file on disk. Where is the file this process is
//! running, how big is it, and what do its first bytes say?

use std::io::Read;

use support::error::{Context, Result};
use support::say;

use crate::report::{ElfHeader, ProgramFile, grouped};

// ANCHOR: program
/// Finds this process's program file and reads its ELF header.
pub fn look_at_the_program_file() -> Result<ProgramFile> {
    // The program this process is running: on Linux, the /proc/self/exe link.
    let path = std::env::current_exe().context("current_exe (readlink /proc/self/exe)")?;
    let size_bytes = std::fs::metadata(&path)
        .context(format!("stat(2) of {}", path.display()))?
        .len();
    // The first 64 bytes: the ELF header, which execve(2) reads first.
    let mut header = [0u8; 64];
    std::fs::File::open(&path)
        .and_then(|mut file| file.read_exact(&mut header))
        .context(format!("read(2) of {}", path.display()))?;
    let magic = [header[0], header[1], header[2], header[3]];
    let elf = parse_elf_header(&header);
    let program = ProgramFile {
        path,
        size_bytes,
        magic,
        elf,
    };
    tell(&program);
    Ok(program)
}
// ANCHOR_END: program

fn tell(program: &ProgramFile) {
    say!("program file (std::env::current_exe, the /proc/self/exe link):");
    say!("    {}", program.path.display());
    say!("file size:    {} bytes", grouped(program.size_bytes));
    let [a, b, c, d] = program.magic;
    let meaning = match program.magic == *b"\x7fELF" {
        true => "(\"\\x7fELF\"): ELF, the format execve(2) loads",
        false => "(not ELF)",
    };
    say!("first bytes:  {a:02x} {b:02x} {c:02x} {d:02x} {meaning}");
    if let Some(elf) = &program.elf {
        let (bits, kind, machine, entry) = (elf.bits, elf.kind, elf.machine, elf.entry);
        say!("ELF header:   {bits}-bit {kind} for {machine}");
        let note = match kind {
            "position-independent executable" => "an offset: the kernel picks the load address",
            _ => "the address of the first instruction",
        };
        say!("entry point:  {entry:#x} ({note})");
    }
    say!("the file does nothing by being there: it runs only when execve(2)");
    say!("loads it into a process");
}

// ANCHOR: elf
/// Reads the ELF header fields a learner can recognise (see elf(5)).
pub fn parse_elf_header(header: &[u8; 64]) -> Option<ElfHeader> {
    if header[..4] != *b"\x7fELF" {
        return None;
    }
    let bits = match header[4] {
        1 => 32, // EI_CLASS: ELFCLASS32
        2 => 64, // ELFCLASS64
        _ => return None,
    };
    let little_endian = header[5] == 1; // EI_DATA: ELFDATA2LSB
    let read = |bytes: &[u8]| -> u64 {
        let add = |value: u64, byte: &u8| value << 8 | *byte as u64;
        match little_endian {
            true => bytes.iter().rev().fold(0, add), // lowest byte first
            false => bytes.iter().fold(0, add),
        }
    };
    let kind = match read(&header[16..18]) {
        1 => "relocatable object",              // ET_REL: a .o file
        2 => "executable",                      // ET_EXEC: loaded at a fixed address
        3 => "position-independent executable", // ET_DYN: loaded anywhere
        4 => "core file",
        _ => "ELF file of unknown type",
    };
    // ANCHOR_END: elf
    let machine = match read(&header[18..20]) {
        0x03 => "x86",
        0x3e => "x86-64",
        0x28 => "ARM",
        0xb7 => "AArch64",
        0xf3 => "RISC-V",
        _ => "another machine",
    };
    let entry_bytes = if bits == 64 { 24..32 } else { 24..28 }; // e_entry
    let entry = read(&header[entry_bytes]);
    Some(ElfHeader {
        bits,
        kind,
        machine,
        entry,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_elf_header_of_a_64_bit_pie_reads_back() {
        let mut header = [0u8; 64];
        header[..4].copy_from_slice(b"\x7fELF");
        header[4] = 2; // 64-bit
        header[5] = 1; // little-endian
        header[16] = 3; // ET_DYN
        header[18] = 0x3e; // x86-64
        header[24..32].copy_from_slice(&0x1040u64.to_le_bytes());
        let elf = parse_elf_header(&header).unwrap();
        let seen = (elf.bits, elf.kind, elf.machine, elf.entry);
        assert_eq!(
            seen,
            (64, "position-independent executable", "x86-64", 0x1040)
        );
        header[0] = b'#';
        assert_eq!(parse_elf_header(&header), None);
    }

    #[test]
    fn a_32_bit_big_endian_executable_reads_back() {
        let mut header = [0u8; 64];
        header[..4].copy_from_slice(b"\x7fELF");
        header[4] = 1; // 32-bit
        header[5] = 2; // big-endian
        header[17] = 2; // ET_EXEC
        header[19] = 0x28; // ARM
        header[24..28].copy_from_slice(&0x8000u32.to_be_bytes());
        let elf = parse_elf_header(&header).unwrap();
        let seen = (elf.bits, elf.kind, elf.machine, elf.entry);
        assert_eq!(seen, (32, "executable", "ARM", 0x8000));
    }
}
