//! The prompts, on stderr with one theme. A prompt that cannot be answered (Ctrl-C,
//! closed input) ends the run as interrupted, before anything has changed.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::failure::Failure;

fn interrupted(_: dialoguer::Error) -> Failure {
    Failure::Interrupted { during_apply: false, name: None }
}

fn theme() -> ColorfulTheme {
    ColorfulTheme::default()
}

pub fn select(prompt: &str, items: &[String], default: usize) -> Result<usize, Failure> {
    Select::with_theme(&theme())
        .with_prompt(prompt)
        .items(items)
        .default(default)
        .max_length(12)
        .interact()
        .map_err(interrupted)
}

pub fn multi_select(prompt: &str, items: &[String], checked: &[bool]) -> Result<Vec<usize>, Failure> {
    MultiSelect::with_theme(&theme())
        .with_prompt(prompt)
        .items(items)
        .defaults(checked)
        .max_length(12)
        .interact()
        .map_err(interrupted)
}

/// Text input, re-asked with the reason until `validate` accepts it.
pub fn input(
    prompt: &str,
    default: Option<String>,
    validate: impl Fn(&str) -> Result<(), String> + 'static,
) -> Result<String, Failure> {
    let theme = theme();
    let mut input = Input::<String>::with_theme(&theme)
        .with_prompt(prompt)
        .validate_with(move |value: &String| validate(value.trim()));
    if let Some(default) = default {
        input = input.default(default);
    }
    input.interact_text().map(|value| value.trim().to_string()).map_err(interrupted)
}

pub fn confirm(prompt: &str, default: bool) -> Result<bool, Failure> {
    Confirm::with_theme(&theme()).with_prompt(prompt).default(default).interact().map_err(interrupted)
}

/// A line of explanation between questions.
pub fn say(text: &str) {
    eprintln!("{}", console::style(text).dim().for_stderr());
}
