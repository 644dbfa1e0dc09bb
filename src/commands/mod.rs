//! Commands: each turns its arguments into the engine's inputs, runs the engine and
//! hands the result to the renderers. The binary's `main` stays thin.

pub mod accept;
pub mod day2;
pub mod export;
pub mod reference;
pub mod setup;
pub mod status;
pub mod sync_targets;
pub mod teardown;
pub mod verify;

use std::io::IsTerminal;

use crate::cli::{Cli, Command, ExportFormat, GlobalArgs, OutputFormat};
use crate::failure::Failure;
use crate::spec::SpecDraft;

/// How this run may talk to the person (or pipeline) that started it.
#[derive(Debug, Clone, Copy)]
pub struct Ui {
    pub output: OutputFormat,
    /// A person is at a terminal and may be asked questions.
    pub can_prompt: bool,
    pub assume_yes: bool,
    /// Spinners and redrawn lines on stderr, rather than plain lines.
    pub live_progress: bool,
}

impl Ui {
    pub fn new(global: &GlobalArgs) -> Self {
        // A CI runner may give us a pseudo-terminal; `CI` set means nobody is there.
        let in_ci = std::env::var_os("CI").is_some_and(|v| !v.is_empty() && v != "false");
        let stderr_tty = std::io::stderr().is_terminal();
        Ui {
            output: global.output,
            can_prompt: !global.no_input && !in_ci && stderr_tty && std::io::stdin().is_terminal(),
            assume_yes: global.yes,
            live_progress: stderr_tty && !in_ci,
        }
    }

    /// A line of commentary for people, on stderr so stdout stays the result.
    pub fn note(&self, text: impl AsRef<str>) {
        if self.output == OutputFormat::Human {
            eprintln!("{}", text.as_ref());
        }
    }
}

pub async fn run(cli: &Cli) -> Result<(), Failure> {
    let ui = Ui::new(&cli.global);
    match &cli.command {
        Command::Setup(args) => {
            if let Some(path) = &args.plan {
                return setup::apply_saved(&cli.global, &args.spec, path, &ui).await;
            }
            let mode = if args.dry_run { setup::Mode::DryRun } else { setup::Mode::Apply };
            let files = setup::Files { save_config: args.save_config.as_deref(), plan_out: args.out.as_deref() };
            setup::run_with(&cli.global, &args.spec, mode, files, SpecDraft::default(), &ui).await
        }
        Command::Plan(args) => {
            let files = setup::Files { plan_out: args.out.as_deref(), ..setup::Files::default() };
            setup::run_with(&cli.global, &args.spec, setup::Mode::Plan, files, SpecDraft::default(), &ui).await
        }
        Command::Accept(args) => accept::run(&cli.global, args, &ui).await,
        Command::Status(args) => status::run(&cli.global, args, &ui).await,
        Command::Verify(args) => verify::run(&cli.global, args, &ui).await,
        Command::SyncTargets(args) => sync_targets::run(&cli.global, args, &ui).await,
        Command::Teardown(args) => teardown::run(&cli.global, args, &ui).await,
        Command::Export(ExportFormat::Cloudformation(args)) => export::cloudformation(&cli.global, args, &ui).await,
        Command::IamPolicy(args) => {
            day2::print_json(&crate::aws::permissions::policy(&args.commands));
            Ok(())
        }
        Command::Completions(args) => reference::completions(args.shell),
        Command::Man(args) => reference::man_pages(&args.out_dir),
    }
}
