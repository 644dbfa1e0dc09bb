//! What to tell the person when Ctrl-C or SIGTERM arrives. The signals are handled in
//! one place (`main`); whatever is changing AWS (setup's apply, teardown) registers here
//! what it has done so far, so the message says what exists and how to go on.

use std::sync::Mutex;

use crate::failure::{Changing, Failure, Work};

struct Applying {
    changing: Changing,
    total: usize,
    done: Vec<String>,
}

static APPLYING: Mutex<Option<Applying>> = Mutex::new(None);

fn state() -> std::sync::MutexGuard<'static, Option<Applying>> {
    APPLYING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Changes to deployment `name` start: `total` of them, for `work`.
pub fn begin(name: &str, total: usize, work: Work) {
    let changing = Changing { name: name.to_string(), work };
    *state() = Some(Applying { changing, total, done: Vec::new() });
}

/// One change was made.
pub fn done(label: String) {
    if let Some(applying) = state().as_mut() {
        applying.done.push(label);
    }
}

/// The changes ended, one way or the other.
pub fn end() {
    *state() = None;
}

/// The failure for an interruption now; while applying, it first lists what was made.
pub fn failure() -> Failure {
    match state().take() {
        None => Failure::Interrupted { changing: None },
        Some(applying) => {
            let (made, none) = if applying.changing.work == Work::Teardown {
                ("Removed", "Nothing was removed")
            } else {
                ("Made", "No change was made")
            };
            if applying.done.is_empty() {
                eprintln!("{none} before the interruption.");
            } else {
                eprintln!("{made} before the interruption ({} of {} changes):", applying.done.len(), applying.total);
                for label in &applying.done {
                    eprintln!("  ✓ {label}");
                }
            }
            Failure::Interrupted { changing: Some(applying.changing) }
        }
    }
}
