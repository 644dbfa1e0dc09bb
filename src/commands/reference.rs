//! Shell completions and man pages, generated from the command-line definition itself
//! so they always list every command and flag. The copies in `completions/` and
//! `docs/man/` are checked against this output by the tests.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::cli::Cli;
use crate::failure::Failure;

const NAME: &str = "airbyte-plink";

pub fn completions(shell: clap_complete::Shell) -> Result<(), Failure> {
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), NAME, &mut script);
    match std::io::stdout().write_all(&script) {
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Failure::Failed(format!("cannot write the completion script: {e}")))
        }
        _ => Ok(()),
    }
}

/// `airbyte-plink.1`, and `airbyte-plink-<command>.1` for every visible command.
pub fn man_pages(dir: &Path) -> Result<(), Failure> {
    let cannot = |e: std::io::Error| {
        Failure::Usage(format!("--out-dir: cannot write to {}: {e}; choose a writable directory", dir.display()))
    };
    std::fs::create_dir_all(dir).map_err(cannot)?;
    let mut cli = Cli::command();
    // Built, so that every command's page lists the global options too.
    cli.build();
    let mut pages = vec![(NAME.to_string(), cli.clone())];
    add_pages(&cli, NAME, &mut pages);
    for (name, command) in pages {
        let mut page = Vec::new();
        clap_mangen::Man::new(command).render(&mut page).map_err(cannot)?;
        std::fs::write(dir.join(format!("{name}.1")), page).map_err(cannot)?;
    }
    Ok(())
}

/// A page for every visible command under `parent`, and for theirs in turn, named like
/// git's (`airbyte-plink-export-cloudformation`); each synopsis keeps the command as
/// typed (`airbyte-plink export cloudformation`).
fn add_pages(parent: &clap::Command, prefix: &str, pages: &mut Vec<(String, clap::Command)>) {
    for command in parent.get_subcommands().filter(|c| !c.is_hide_set() && c.get_name() != "help") {
        let name = format!("{prefix}-{}", command.get_name());
        pages.push((name.clone(), command.clone().name(name.clone()).version(env!("CARGO_PKG_VERSION"))));
        add_pages(command, &name, pages);
    }
}
