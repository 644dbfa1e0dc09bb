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

/// The visible commands, from the top-level help: the names at the start of its
/// command lines (descriptions that wrap are indented further).
fn commands() -> Vec<String> {
    let help = plink(&["--help"]);
    let listing = help.split("Commands:").nth(1).expect("a command list").split("Options:").next().unwrap();
    listing
        .lines()
        .filter(|line| line.starts_with("  ") && !line.starts_with("   "))
        .filter_map(|line| line.split_whitespace().next())
        .filter(|name| *name != "help")
        .map(str::to_string)
        .collect()
}

/// Every long flag a command's help lists as an option (`--flag` or `-f, --flag` at the
/// start of a line).
fn flags(command: &str) -> BTreeSet<String> {
    plink(&[command, "--help"])
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
    assert!(commands.len() >= 8, "{commands:?}");
    assert!(flags("setup").len() >= 25, "the flags are read from the help: {:?}", flags("setup"));
    for (shell, file) in SHELLS {
        let committed = read(&root().join("completions").join(file));
        assert!(
            committed == plink(&["completions", shell]),
            "completions/{file} is stale: run ./scripts/generate-reference"
        );
        for command in &commands {
            assert!(committed.contains(command.as_str()), "{shell} completes {command}");
        }
    }
    let bash = read(&root().join("completions/airbyte-plink.bash"));
    for command in &commands {
        for flag in flags(command) {
            assert!(bash.contains(&format!("--{flag}")), "bash completes {command} --{flag}");
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
        assert!(committed.starts_with(".ie") || committed.contains(".TH"), "{name} is a man page");
    }
    for command in commands() {
        let page = read(&committed_dir.join(format!("airbyte-plink-{command}.1")));
        for flag in flags(&command) {
            let roff = format!("\\-\\-{}", flag.replace('-', "\\-"));
            assert!(page.contains(&roff), "the {command} page documents --{flag}");
        }
    }
}
