//! Small helpers for the panic scenarios (1 and 2): a panic told through
//! `say!`, a payload as text, a value that says when it is unwound.

use std::any::Any;
use std::thread;

use support::say;

/// Says so when it is dropped during a panic: unwinding runs the
/// destructors on the panicking thread's stack, and on no other.
pub(crate) struct SaysWhenUnwound(pub &'static str);

impl Drop for SaysWhenUnwound {
    fn drop(&mut self) {
        if thread::panicking() {
            say!("unwinding: dropping {} on my own stack", self.0);
        }
    }
}

/// The text of a panic payload (`panic!` with a literal gives a `&str`,
/// with arguments a `String`).
pub(crate) fn payload_text(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        text.to_string()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "(a payload that is not text)".to_string()
    }
}

/// Runs `body` with a panic hook that tells each panic through `say!`
/// (stdout, with the speaker tag) instead of the default hook's
/// `thread 'worker-2' panicked at …` on stderr, then puts the previous hook
/// back. The hook runs on the panicking thread, before unwinding starts.
pub(crate) fn with_panics_told_by_say<T>(body: impl FnOnce() -> T) -> T {
    let previous_hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|info| {
        say!("PANIC {:?}", payload_text(info.payload()));
    }));
    let result = body();
    std::panic::set_hook(previous_hook);
    result
}
