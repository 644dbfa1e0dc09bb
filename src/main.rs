//! airbyte-plink: AWS PrivateLink from Airbyte Cloud to a database, in one command.

mod aws;
mod cli;
mod commands;
mod dns;
mod engine;
mod failure;
mod follower;
mod interruption;
mod problems;
mod render;
mod spec;
#[cfg(test)]
mod testing;
mod wizard;

use std::process::ExitCode;

use clap::Parser;
use tokio::signal::unix::{SignalKind, signal};

use crate::failure::{Failure, exit};

fn main() -> ExitCode {
    let cli = cli::Cli::parse();
    init_tracing(cli.global.verbose);
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the async runtime: {e}");
            return ExitCode::from(exit::ERROR as u8);
        }
    };
    let result = runtime.block_on(async {
        // Installed before anything runs: a Ctrl-C at a prompt then ends that prompt
        // (which reports it) instead of killing the process mid-line.
        let (mut interrupt, mut terminate) = match (signal(SignalKind::interrupt()), signal(SignalKind::terminate())) {
            (Ok(interrupt), Ok(terminate)) => (interrupt, terminate),
            (Err(e), _) | (_, Err(e)) => {
                return Err(Failure::Usage(format!("cannot watch for Ctrl-C and SIGTERM: {e}")));
            }
        };
        tokio::select! {
            // The signals are checked first, so once one has arrived the command is not
            // polled again: no further call starts.
            biased;
            // The one place Ctrl-C and SIGTERM are handled: the call in flight is
            // abandoned, and the message says what exists (see `interruption`).
            _ = interrupt.recv() => Err(interruption::failure()),
            _ = terminate.recv() => Err(interruption::failure()),
            result = commands::run(&cli) => result,
        }
    });
    // A prompt hides the cursor while it runs; show it again whatever happened.
    let stderr = console::Term::stderr();
    if stderr.is_term() {
        let _ = stderr.show_cursor();
    }
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("{}", failure.message());
            ExitCode::from(u8::try_from(failure.exit_code()).unwrap_or(1))
        }
    }
}

/// `-v` shows the tool's own steps, `-vv` also the AWS SDK's requests. A fixed list of
/// targets, not an `EnvFilter`: that one would bring in a regex engine for two settings.
fn init_tracing(verbosity: u8) {
    use tracing::Level;
    use tracing_subscriber::filter::Targets;
    use tracing_subscriber::prelude::*;

    let filter = match verbosity {
        0 => return,
        1 => Targets::new().with_target("airbyte_plink", Level::DEBUG),
        _ => Targets::new()
            .with_target("airbyte_plink", Level::TRACE)
            .with_target("aws_smithy_runtime", Level::DEBUG)
            .with_target("aws_config", Level::DEBUG),
    };
    tracing_subscriber::registry()
        .with(tracing_subscriber::fmt::layer().with_writer(std::io::stderr))
        .with(filter)
        .init();
}
