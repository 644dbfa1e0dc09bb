//! The binary in a pseudo-terminal, driven by keystrokes as a person would.

use nix::sys::wait::WaitStatus;
use rexpect::session::{PtySession, spawn_command};

use super::Emulator;

pub const DOWN: &str = "\x1b[B";
pub const ENTER: &str = "\r";

/// The binary in a pseudo-terminal, as a person would run it: no `CI`, no `--no-input`.
pub fn spawn(emulator: &Emulator, args: &[String], dir: &std::path::Path) -> PtySession {
    let mut cmd = emulator.plink_process();
    cmd.args(args)
        .current_dir(dir)
        .env_remove("CI")
        .env("AIRBYTE_PLINK_DNS_SERVER", &emulator.dns)
        .env("TERM", "xterm")
        .env("NO_COLOR", "1")
        .env("COLUMNS", "80");
    spawn_command(cmd, Some(30_000)).expect("spawn airbyte-plink in a pseudo-terminal")
}

/// Sends keys once the prompt is reading them: keys typed while the terminal is still
/// in line mode are held by the line discipline until a newline.
pub fn keys(session: &mut PtySession, keys: &str) {
    std::thread::sleep(std::time::Duration::from_millis(300));
    session.send(keys).expect("send keys");
    session.flush().expect("flush keys");
}

pub fn expect(session: &mut PtySession, text: &str) -> String {
    session.exp_string(text).unwrap_or_else(|e| panic!("waiting for {text:?}: {e}"))
}

pub fn exit_code(session: &PtySession) -> i32 {
    match session.process().wait().expect("wait for airbyte-plink") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("airbyte-plink did not exit normally: {other:?}"),
    }
}
