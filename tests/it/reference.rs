//! The shell completions in `completions/` and the man pages in `docs/man/` are what the
//! binary generates now (regenerate with `./scripts/generate-reference`), and they
//! cover every command and flag.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

const SHELLS: [(&str, &str); 5] = [
    ("bash", "airbyte-plink.bash"),
    ("zsh", "_airbyte-plink"),
    ("fish", "airbyte-plink.fish"),
    ("powershell", "_airbyte-plink.ps1"),
    ("elvish", "airbyte-plink.elv"),
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn plink(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_airbyte-plink")).args(args).output().expect("run airbyte-plink");
    assert!(output.status.success(), "{args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}; run ./scripts/generate-reference", path.display()))
}

/// The commands a help text lists: the names at the start of its command lines
/// (descriptions that wrap are indented further).
fn listed_commands(help: &str) -> Vec<String> {
    let Some(listing) = help.split("Commands:").nth(1) else { return Vec::new() };
    listing
        .split("Options:")
        .next()
        .unwrap()
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every visible command, as typed: `setup`, …, `export cloudformation`.
fn commands() -> Vec<Vec<String>> {
    let mut all = Vec::new();
    for command in listed_commands(&plink(&["--help"])) {
        for sub in listed_commands(&plink(&[&command, "--help"])) {
            all.push(vec![command.clone(), sub]);
        }
        all.push(vec![command]);
    }
    all
}

/// Every long flag a command's help lists as an option (`--flag` or `-f, --flag` at the
/// start of a line).
fn flags(command: &[String]) -> BTreeSet<String> {
    let mut args: Vec<&str> = command.iter().map(String::as_str).collect();
    args.push("--help");
    plink(&args)
        .lines()
        .map(str::trim_start)
        .filter_map(|line| match line.strip_prefix("--") {
            Some(long) => Some(long),
            None if line.starts_with('-') => line.split_once(", --").map(|(_, long)| long),
            None => None,
        })
        .filter_map(|long| long.split([' ', '=', '<', ',', '.']).next())
        .filter(|flag| !flag.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn committed_completions_are_current_and_complete_every_command_and_flag() {
    let commands = commands();
    assert!(commands.len() >= 10, "{commands:?}");
    let setup = flags(&["setup".to_string()]);
    assert!(setup.len() >= 25, "the flags are read from the help: {setup:?}");
    for (shell, file) in SHELLS {
        let committed = read(&root().join("completions").join(file));
        assert!(
            committed == plink(&["completions", shell]),
            "completions/{file} is stale: run ./scripts/generate-reference"
        );
        for command in &commands {
            let last = command.last().unwrap();
            assert!(committed.contains(last.as_str()), "{shell} completes {command:?}");
        }
    }
    let bash = read(&root().join("completions/airbyte-plink.bash"));
    for command in &commands {
        for flag in flags(command) {
            assert!(bash.contains(&format!("--{flag}")), "bash completes {command:?} --{flag}");
        }
    }
}

/// What bash offers after typing `words` and pressing Tab.
fn bash_completes(words: &str) -> Vec<String> {
    let script = format!(
        "source {}; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMP_LINE=\"{words}\"; \
         _airbyte-plink airbyte-plink \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; printf '%s\\n' \"${{COMPREPLY[@]}}\"",
        root().join("completions/airbyte-plink.bash").display()
    );
    let output = Command::new("bash").args(["-c", &script]).output().expect("run bash");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).lines().map(str::to_string).collect()
}

#[test]
fn bash_completes_commands_and_their_flags() {
    assert_eq!(bash_completes("airbyte-plink tear"), ["teardown"]);
    let setup = bash_completes("airbyte-plink setup --airbyte-");
    assert!(setup.contains(&"--airbyte-region".to_string()) && setup.contains(&"--airbyte-account-id".to_string()));
    assert!(bash_completes("airbyte-plink verify --ou").contains(&"--output".to_string()));
    assert_eq!(bash_completes("airbyte-plink export cloudformation --from-"), ["--from-deployment"]);
}

#[test]
fn committed_man_pages_are_current_and_cover_every_command() {
    let generated = tempfile::tempdir().unwrap();
    plink(&["man", "--out-dir", &generated.path().display().to_string()]);
    let names = |dir: &Path| -> BTreeSet<String> {
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect()
    };
    let committed_dir = root().join("docs/man");
    assert_eq!(names(&committed_dir), names(generated.path()), "docs/man is stale: run ./scripts/generate-reference");
    for name in names(generated.path()) {
        let committed = read(&committed_dir.join(&name));
        assert!(committed == read(&generated.path().join(&name)), "docs/man/{name} is stale");
        let title = format!(".TH {} 1", name.trim_end_matches(".1"));
        for section in [title.as_str(), ".SH NAME", ".SH SYNOPSIS", ".SH OPTIONS"] {
            assert!(committed.contains(section), "{name} is a man page with {section}");
        }
    }
    for command in commands() {
        let page = read(&committed_dir.join(format!("airbyte-plink-{}.1", command.join("-"))));
        for flag in flags(&command) {
            let roff = format!("\\-\\-{}", flag.replace('-', "\\-"));
            assert!(page.contains(&roff), "the {command:?} page documents --{flag}");
        }
    }
}
