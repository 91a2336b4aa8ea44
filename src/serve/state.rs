//! What the preview's threads share: which build is served, what went wrong, and the lock
//! held while the served folder changes.

use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::{Condvar, Mutex};

/// The state every connection reads.
#[derive(Default)]
pub struct Status {
    /// Bumped at every rebuild of the site (good or broken).
    pub generation: u64,
    /// Bumped when a new PDF is in place.
    pub pdf_generation: u64,
    /// The last error, shown until a good build clears it.
    pub error: Option<String>,
}

pub struct Shared {
    /// The folder being served.
    pub site: PathBuf,
    pub status: Mutex<Status>,
    pub changed: Condvar,
    /// Held while the served folder is replaced or read.
    pub files: Mutex<()>,
    pub stop: AtomicBool,
}

impl Shared {
    pub fn new(site: PathBuf) -> Self {
        Shared {
            site,
            status: Mutex::new(Status::default()),
            changed: Condvar::new(),
            files: Mutex::new(()),
            stop: AtomicBool::new(false),
        }
    }

    /// Changes the status and wakes every waiting connection.
    pub fn update(&self, f: impl FnOnce(&mut Status)) {
        let mut s = self.status.lock().unwrap_or_else(|p| p.into_inner());
        f(&mut s);
        self.changed.notify_all();
    }
}
