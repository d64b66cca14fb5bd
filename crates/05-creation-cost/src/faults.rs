//! The one fault a test can inject: an idle child that dies before it
//! writes its ready byte. The parent must report it, not wait forever.

/// The idle-processes role's second argument that turns the fault on.
pub const ONE_DIES_EARLY: &str = "one-dies-early";

/// Whether idle child `index` should die before it says it is ready.
pub fn dies_before_ready(index: usize, args: &[String]) -> bool {
    index == 0 && args.iter().any(|arg| arg == ONE_DIES_EARLY)
}
