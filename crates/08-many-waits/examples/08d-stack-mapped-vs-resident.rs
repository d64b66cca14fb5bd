//! 08d: what a waiting thread's stack costs. std maps 2 MiB of address space
//! for a thread's stack unless told otherwise, but only the pages the thread
//! touches become resident: /proc/self/smaps says how much of each.
//! Run it: `cargo run -p many-waits --example 08d-stack-mapped-vs-resident`
//! Next: `src/lib.rs`, the four models measured side by side.

/// Whether a `start-end perms …` line of smaps is a mapping holding `address`.
fn holds(line: &str, address: usize) -> bool {
    let range = line.split(' ').next().unwrap_or("");
    let parse = |hex| usize::from_str_radix(hex, 16).ok();
    match range.split_once('-').map(|(a, b)| (parse(a), parse(b))) {
        Some((Some(start), Some(end))) => (start..end).contains(&address),
        _ => false, // a field line such as `Rss:  8 kB`
    }
}

/// `Size:` and `Rss:` (KiB) of the mapping in /proc/self/smaps that holds `address`.
fn mapping_holding(address: usize) -> (u64, u64) {
    let smaps = std::fs::read_to_string("/proc/self/smaps").expect("read /proc/self/smaps");
    let mut lines = smaps.lines().skip_while(|line| !holds(line, address));
    lines.next().expect("a mapping holds the address");
    let mut kib = |name: &str| -> u64 {
        let field = lines
            .find(|line| line.starts_with(name))
            .expect("the field");
        let number = field[name.len()..].trim().trim_end_matches("kB").trim();
        number.parse().expect("KiB")
    };
    (kib("Size:"), kib("Rss:")) // Size comes before Rss in every mapping
}

fn main() {
    // std's default is 2 MiB; asked for here, so RUST_MIN_STACK cannot change it
    let stacks = [
        ("a 2 MiB stack (std's default)", 2 << 20),
        ("a 64 KiB stack", 64 << 10),
    ];
    for (what, bytes) in stacks {
        let builder = std::thread::Builder::new().stack_size(bytes); // mmap(2) this much
        let (mapped, resident) = builder
            .spawn(|| {
                let local = 0u8; // lives on this thread's stack
                mapping_holding(std::hint::black_box(&local) as *const u8 as usize)
            })
            .expect("spawn")
            .join()
            .expect("the thread ran");
        println!("{what}: {mapped} KiB mapped, {resident} KiB resident");
        let touched_little = resident * 4 <= mapped;
        assert!(
            touched_little,
            "a waiting thread touches a small part of its stack"
        );
    }
}
