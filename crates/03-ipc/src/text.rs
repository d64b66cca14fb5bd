//! Numbers printed one way in both demos: `75_439`, `2.1×`, `57%`; and why
//! a pair meant for two CPUs was not on two.

/// What [`why_not_two_cpus`] says when only one CPU may be used.
pub const ONE_CPU: &str = "one CPU allowed";

/// Why a pair meant for two CPUs ran unpinned: this process may use one CPU
/// only (`taskset`, a container), or the kernel refused to pin it.
pub fn why_not_two_cpus() -> &'static str {
    match one_cpu_allowed() {
        true => ONE_CPU,
        false => "pinning to two CPUs failed",
    }
}

/// This process may use one CPU only (`sched_getaffinity(2)`).
pub fn one_cpu_allowed() -> bool {
    support::placement::allowed_cpus().is_ok_and(|cpus| cpus.len() == 1)
}

/// A count with `_` between groups of three digits: `4_000_000`.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string().into_bytes();
    let groups: Vec<&[u8]> = digits.rchunks(3).rev().collect();
    String::from_utf8(groups.join(&b'_')).expect("digits are ASCII")
}

/// A ratio as a multiple: `2.1×`.
pub fn times(ratio: f64) -> String {
    format!("{ratio:.1}×")
}

/// A ratio as a percentage: `57%`.
pub fn percent(ratio: f64) -> String {
    format!("{:.0}%", ratio * 100.0)
}

#[cfg(test)]
mod tests {
    #[test]
    fn groups_of_three() {
        assert_eq!(super::grouped(0), "0");
        assert_eq!(super::grouped(4_000_000), "4_000_000");
        assert_eq!(super::grouped(75_439), "75_439");
    }
}
