//! What to tell the person when Ctrl-C arrives. The signal is handled in one place
//! (`main`); whatever is applying changes registers here what it has done so far, so the
//! message says what exists and that the same command resumes.

use std::sync::Mutex;

use crate::failure::Failure;

struct Applying {
    name: String,
    total: usize,
    done: Vec<String>,
}

static APPLYING: Mutex<Option<Applying>> = Mutex::new(None);

fn state() -> std::sync::MutexGuard<'static, Option<Applying>> {
    APPLYING.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Changes to deployment `name` start: `total` of them.
pub fn begin(name: &str, total: usize) {
    *state() = Some(Applying { name: name.to_string(), total, done: Vec::new() });
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
        None => Failure::Interrupted { during_apply: false, name: None },
        Some(applying) => {
            if applying.done.is_empty() {
                eprintln!("No change was made before the interruption.");
            } else {
                eprintln!("Made before the interruption ({} of {} changes):", applying.done.len(), applying.total);
                for label in &applying.done {
                    eprintln!("  ✓ {label}");
                }
            }
            Failure::Interrupted { during_apply: true, name: Some(applying.name) }
        }
    }
}
