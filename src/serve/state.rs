//! What the preview's threads share: which build is served, what went wrong, and the lock
//! held while the served folder changes.
//!
//! The status is a `tokio::sync::watch` channel: the rebuilding thread and the background worker
//! (plain threads) change it, and every open event stream (a task of the HTTP runtime) wakes
//! on the change without a thread of its own.

use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64};
use tokio::sync::watch;

/// The state every connection reads.
#[derive(Default, Clone)]
pub struct Status {
    /// Bumped at every rebuild of the site (good or broken).
    pub generation: u64,
    /// Bumped when a new PDF is in place.
    pub pdf_generation: u64,
    /// Bumped when a new search index is in place.
    pub index_generation: u64,
    /// The last error, shown until a good build clears it.
    pub error: Option<String>,
}

pub struct Shared {
    /// The preview's output folder, served whole: the site in `sito/`, the reviewers' report
    /// in `revisione/`, as `build` writes them.
    pub out: PathBuf,
    pub status: watch::Sender<Status>,
    /// Held while the served folder is replaced or read.
    pub files: Mutex<()>,
    /// Set when the preview ends: the background worker stops at its next job.
    pub stop: AtomicBool,
    /// How many builds have published their pages (changed under the files lock): the
    /// worker publishes a build's search index only while its pages are the ones served.
    pub served: AtomicU64,
}

impl Shared {
    pub fn new(out: PathBuf) -> Self {
        Shared {
            out,
            status: watch::Sender::new(Status::default()),
            files: Mutex::new(()),
            stop: AtomicBool::new(false),
            served: AtomicU64::new(0),
        }
    }

    /// Changes the status and wakes every open event stream.
    pub fn update(&self, f: impl FnOnce(&mut Status)) {
        self.status.send_modify(f);
    }

    /// A copy of the status now.
    pub fn status(&self) -> Status {
        self.status.borrow().clone()
    }
}
