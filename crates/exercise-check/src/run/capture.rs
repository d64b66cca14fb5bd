//! One output stream of the program, read on a thread of its own so that the
//! program never stalls on a full pipe; the first MiB is kept.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::sleep;
use std::time::{Duration, Instant};

/// The most output kept from each stream; the rest is read and dropped.
const MOST_OUTPUT: usize = 1 << 20;

pub(super) struct Capture {
    bytes: Arc<Mutex<Vec<u8>>>,
    done: Arc<AtomicBool>,
}

impl Capture {
    pub(super) fn start(mut source: impl Read + Send + 'static) -> Capture {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let done = Arc::new(AtomicBool::new(false));
        let (into, finished) = (Arc::clone(&bytes), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut buffer = [0; 8192];
            loop {
                match source.read(&mut buffer) {
                    Ok(0) => break,
                    Ok(read) => {
                        let mut kept = into.lock().expect("the capture lock");
                        let room = MOST_OUTPUT.saturating_sub(kept.len());
                        kept.extend_from_slice(&buffer[..read.min(room)]);
                    }
                    Err(error) if error.kind() == std::io::ErrorKind::Interrupted => {}
                    Err(_) => break,
                }
            }
            finished.store(true, Ordering::Release);
        });
        Capture { bytes, done }
    }

    pub(super) fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes.lock().expect("the capture lock")).into_owned()
    }

    /// The whole output, once every writer is gone (at most a second's wait:
    /// after `end_everything_below_me` no writer is left).
    pub(super) fn finish(&self) -> String {
        let give_up = Instant::now() + Duration::from_secs(1);
        while !self.done.load(Ordering::Acquire) && Instant::now() < give_up {
            sleep(Duration::from_millis(1));
        }
        self.text()
    }
}
