//! The prompts, on stderr with one theme. A prompt that cannot be answered (Ctrl-C,
//! closed input) ends the run as interrupted, before anything has changed.

use dialoguer::theme::ColorfulTheme;
use dialoguer::{Confirm, Input, MultiSelect, Select};

use crate::failure::Failure;

fn interrupted(_: dialoguer::Error) -> Failure {
    Failure::Interrupted { changing: None }
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

/// The caller reports the choice itself: echoing every chosen label would not fit.
pub fn multi_select(prompt: &str, items: &[String], checked: &[bool]) -> Result<Vec<usize>, Failure> {
    MultiSelect::with_theme(&theme())
        .with_prompt(prompt)
        .items(items)
        .defaults(checked)
        .max_length(12)
        .report(false)
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

/// A sentence or two of explanation between questions, wrapped to the terminal (at
/// most 80 columns, so it reads the same everywhere).
pub fn say(text: &str) {
    let width = console::Term::stderr().size_checked().map_or(80, |(_, columns)| usize::from(columns)).min(80);
    for line in wrap(text, width.saturating_sub(1).max(20)) {
        eprintln!("{}", console::style(line).dim().for_stderr());
    }
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    #[test]
    fn explanations_wrap_at_the_width() {
        let lines = super::wrap("one two three four five six seven", 10);
        assert_eq!(lines, ["one two", "three four", "five six", "seven"]);
        assert!(lines.iter().all(|l| l.len() <= 10));
    }
}
