use super::SlabFrom::{CgroupKmem, CgroupSlab, Meminfo};
use super::*;

#[test]
fn kib_fields_read_as_bytes() {
    let text = "Name:\tx\nVmRSS:\t    1234 kB\nVmPTE:\t  48 kB\n";
    assert_eq!(kib_field(text, "VmRSS:"), Some(1234 * 1024));
    assert_eq!(kib_field(text, "VmPTE:"), Some(48 * 1024));
    assert_eq!(kib_field(text, "Pss:"), None);
}

fn at(from: SlabFrom, kernel_stack: i64, slab: i64, threads: i64) -> Option<KernelReading> {
    Some(KernelReading {
        kernel_stack,
        slab,
        slab_from: from,
        machine_threads: Some(threads),
        stack_each: Some(16_384),
    })
}

#[test]
fn cgroup_v1_kmem_less_own_stacks_and_page_tables_is_slab() {
    // kmem grew 100_000: 2 tasks' stacks (32_768), 200 of page tables.
    let (before, during) = (
        at(CgroupKmem, 0, 0, 100),
        at(CgroupKmem, 900_000, 100_000, 102),
    );
    let growth = kernel_growth_of(before, during, Some(200), 2, 2).unwrap();
    assert_eq!(
        growth.per_worker,
        [16_384, 100, (100_000 - 32_768 - 200) / 2]
    );
    assert!(
        !growth.others_moved,
        "the machine gained our 2 threads only"
    );
}

#[test]
fn a_machine_wide_figure_is_never_subtracted_from_a_cgroup_one() {
    // Other programs started 1_000 threads: the machine's KernelStack
    // soared, the cgroup's kmem did not; the slab figure stays ours.
    let (before, during) = (
        at(CgroupKmem, 0, 0, 100),
        at(CgroupKmem, 16_000_000, 40_000, 1_100),
    );
    let growth = kernel_growth_of(before, during, Some(0), 0, 10).unwrap();
    assert_eq!(growth.per_worker, [0, 0, 4_000]);
    assert!(growth.others_moved, "1_000 threads not ours");
}

#[test]
fn cgroup_v2_and_meminfo_figures_are_growths_of_one_source() {
    for from in [CgroupSlab, Meminfo] {
        let (before, during) = (at(from, 1_000, 1_000, 50), at(from, 33_768, 1_900, 52));
        let growth = kernel_growth_of(before, during, Some(200), 2, 2).unwrap();
        assert_eq!(growth.per_worker, [16_384, 100, 450]);
        assert!(!growth.others_moved);
    }
}

#[test]
fn this_process_has_a_kernel_reading_and_page_tables() {
    let reading = kernel_reading().expect("a reading");
    assert!(
        reading.stack_each.is_some_and(|each| each >= 4_096),
        "{reading:?}"
    );
    assert!(status_field(Pid::this(), "VmPTE:").is_some());
}
