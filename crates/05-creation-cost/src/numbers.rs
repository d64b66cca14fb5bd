//! Numbers printed one way: counts as `9_545_128`, signed byte counts.

use support::timing::format_bytes;

/// `9545128` as `9_545_128`: every count in the lesson is printed this way.
pub fn grouped(number: u64) -> String {
    let digits = number.to_string();
    let groups: Vec<_> = digits
        .as_bytes()
        .rchunks(3)
        .rev()
        .map(String::from_utf8_lossy)
        .collect();
    groups.join("_")
}

pub fn signed_bytes(bytes: Option<i64>) -> String {
    match bytes {
        Some(b) if b < 0 => format!("-{}", format_bytes(b.unsigned_abs())),
        Some(b) => format_bytes(b as u64),
        None => "?".to_string(),
    }
}
