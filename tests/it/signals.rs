//! SIGINT and SIGTERM while setup or teardown is changing AWS: no further call starts,
//! the person is told what exists, the exit code is 130, and the same command resumes.

use std::io::{BufRead, BufReader};
use std::process::{Child, Stdio};
use std::sync::mpsc;

use crate::support::{Emulator, ok, setup_args_opening_group, state};
use nix::sys::signal::{Signal, kill};
use nix::unistd::Pid;
use serde_json::json;

const REGION: &str = "us-west-2";
const NAME: &str = "orders-db";

fn setup_command(emulator: &Emulator) -> Vec<String> {
    setup_args_opening_group(emulator.seed(REGION), REGION, NAME)
}

fn teardown_command() -> Vec<String> {
    ["teardown", "--name", NAME, "--yes"].map(String::from).to_vec()
}

/// What an interrupted run printed, and how it ended.
struct Interrupted {
    code: Option<i32>,
    stderr: String,
    /// Changes the tool started after it had time to notice the signal (it announces each
    /// on stderr just before its call), and mutating calls that reached AWS (the proxy)
    /// so long after the signal that they cannot have been sent before it.
    calls_after_signal: usize,
}

/// Time for the tool to notice a signal. Generous: every call takes the proxy's 250 ms,
/// so a run that went on after the signal would start its next change later than this.
const NOTICE: f64 = 0.15;
/// How long after the signal a call may still reach the proxy when it was sent just
/// before it: a change whose dependency had just finished starts at the same moment the
/// signal is sent, and on a loaded machine its request can take a while to arrive.
const IN_FLIGHT: f64 = 1.0;

fn now() -> f64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs_f64()
}

/// Runs the binary through the slowed proxy and sends `signal` once its first change is
/// done, while others are under way.
fn interrupt(emulator: &Emulator, args: &[String], signal: Signal) -> Interrupted {
    emulator.faults(json!({ "latency_ms": 250 }));
    let mut child: Child = emulator
        .plink_process()
        .env("AWS_ENDPOINT_URL", &emulator.proxy)
        .env("AWS_REGION", REGION)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start airbyte-plink");
    let stderr = child.stderr.take().unwrap();
    let (lines, received) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let mut seen = Vec::new();
    let mut signalled_at = None;
    let mut late_starts = 0;
    for line in received.iter() {
        if signalled_at.is_none() && line.contains("] done ") {
            signalled_at = Some(now());
            kill(Pid::from_raw(child.id() as i32), signal).expect("send the signal");
        }
        if line.contains("] start ") && signalled_at.is_some_and(|at| now() > at + NOTICE) {
            late_starts += 1;
        }
        seen.push(line);
    }
    let signalled_at =
        signalled_at.unwrap_or_else(|| panic!("the run made a change to interrupt:\n{}", seen.join("\n")));
    let status = child.wait().unwrap();
    let stats = emulator.fault_stats();
    emulator.faults(json!({}));
    let late_calls = stats.mutation_times.iter().filter(|t| **t > signalled_at + IN_FLIGHT).count();
    let calls_after_signal = late_starts + late_calls;
    assert!(stats.mutation_times.iter().any(|t| *t < signalled_at), "calls were made before the signal: {stats:?}");
    Interrupted { code: status.code(), stderr: seen.join("\n"), calls_after_signal }
}

async fn interrupted_setup_resumes(signal: Signal) {
    let emulator = Emulator::start(&[REGION]);
    let setup = setup_command(&emulator);
    emulator.clear_requests();
    let run = interrupt(&emulator, &setup, signal);
    assert_eq!(run.code, Some(130), "{signal}: {}", run.stderr);
    assert!(run.stderr.contains("Made before the interruption ("), "{signal}: says what exists: {}", run.stderr);
    assert!(run.stderr.contains("Run the same command again to finish"), "{signal}: {}", run.stderr);
    assert_eq!(run.calls_after_signal, 0, "{signal}: no call started after the signal:\n{}", run.stderr);
    let cut_short = state::read(&emulator, REGION, NAME).await;
    assert!(cut_short.services.is_empty(), "{signal}: it stopped before the endpoint service: {cut_short:#?}");

    ok(emulator.plink().args(&setup).output().unwrap());
    let deployment = state::read(&emulator, REGION, NAME).await;
    assert_eq!(deployment.load_balancer().listeners.len(), 1);
    deployment.target_group();
    deployment.service();
    deployment.security_group();
    assert_eq!(deployment.rules.len(), 2, "{signal}: no duplicate rule");
}

async fn interrupted_teardown_resumes(signal: Signal) {
    let emulator = Emulator::start(&[REGION]);
    ok(emulator.plink().args(setup_command(&emulator)).output().unwrap());
    emulator.clear_requests();
    let run = interrupt(&emulator, &teardown_command(), signal);
    assert_eq!(run.code, Some(130), "{signal}: {}", run.stderr);
    assert!(run.stderr.contains("Removed before the interruption ("), "{signal}: {}", run.stderr);
    assert!(run.stderr.contains(&format!("Run `airbyte-plink teardown --name {NAME}` again")), "{}", run.stderr);
    assert_eq!(run.calls_after_signal, 0, "{signal}: no call started after the signal:\n{}", run.stderr);
    let cut_short = state::read(&emulator, REGION, NAME).await;
    assert_eq!(cut_short.target_groups.len(), 1, "{signal}: it stopped before the target group: {cut_short:#?}");

    ok(emulator.plink().env("AWS_REGION", REGION).args(teardown_command()).output().unwrap());
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
}

#[tokio::test]
async fn sigint_during_setup() {
    interrupted_setup_resumes(Signal::SIGINT).await;
}

#[tokio::test]
async fn sigterm_during_setup() {
    interrupted_setup_resumes(Signal::SIGTERM).await;
}

#[tokio::test]
async fn sigint_during_teardown() {
    interrupted_teardown_resumes(Signal::SIGINT).await;
}

#[tokio::test]
async fn sigterm_during_teardown() {
    interrupted_teardown_resumes(Signal::SIGTERM).await;
}
