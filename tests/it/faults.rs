//! Setup, verify and teardown through the fault proxy: transient faults are retried
//! without duplicating anything, and a connection cut after any mutating call leaves a
//! state that the same command finishes and teardown removes whole.

use std::process::Output;

use crate::support::{AIRBYTE_ACCOUNT, Emulator, ok, replace, setup_args_opening_group, state};
use serde_json::json;

const REGION: &str = "us-west-2";
const NAME: &str = "orders-db";

fn setup_command(emulator: &Emulator) -> Vec<String> {
    setup_args_opening_group(emulator.seed(REGION), REGION, NAME)
}

fn through_proxy(emulator: &Emulator, args: &[String]) -> Output {
    emulator.plink_through_proxy().env("AWS_REGION", REGION).args(args).output().expect("run airbyte-plink")
}

/// The same, with no retries: a cut connection ends the run at once.
fn through_cut_proxy(emulator: &Emulator, args: &[String]) -> Output {
    emulator
        .plink_through_proxy()
        .env("AWS_REGION", REGION)
        .env("AWS_MAX_ATTEMPTS", "1")
        .args(args)
        .output()
        .expect("run airbyte-plink")
}

#[tokio::test]
async fn status_over_a_hundred_deployments_stays_within_awss_rate_limits_without_an_error() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION);
    let count = 100;
    for i in 0..count {
        ok(emulator.plink().args(crate::support::setup_args(seed, REGION, &format!("db-{i:03}"))).output().unwrap());
    }
    emulator.set_throttling(true);
    let output = emulator.plink().args(["status", "--region", REGION, "--all", "--output", "json"]).output().unwrap();
    let refused = emulator.throttled();
    emulator.set_throttling(false);
    let output = ok(output);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("error") && !stderr.contains("Throttl"), "{stderr}");
    let report = crate::support::stdout_json(&output);
    let deployments = report.as_array().unwrap();
    assert_eq!(deployments.len(), count, "{report}");
    assert!(deployments.iter().all(|d| d["service_name"].as_str().is_some_and(|n| n.starts_with("com.amazonaws"))));
    // The limits were met, and absorbed: the SDK retried what AWS refused.
    assert!(refused > 0, "AWS's limits never applied: nothing was tested");
}

fn teardown() -> Vec<String> {
    ["teardown", "--name", NAME, "--yes"].map(String::from).to_vec()
}

/// The deployment exists exactly once, complete: one of each resource, no second
/// listener, its security group with one rule out and one rule in the database's group,
/// every resource tagged.
async fn assert_converged_once(emulator: &Emulator, context: &str) {
    let deployment = state::read(emulator, REGION, NAME).await;
    let lb = deployment.load_balancer();
    assert_eq!(lb.listeners.len(), 1, "{context}: one listener: {deployment:#?}");
    assert_eq!(deployment.target_group().targets.len(), 1, "{context}: one target");
    assert_eq!(deployment.service().principals, [format!("arn:aws:iam::{AIRBYTE_ACCOUNT}:root")], "{context}");
    deployment.security_group();
    assert_eq!(deployment.rules.len(), 2, "{context}: one rule out, one in: {:#?}", deployment.rules);
    let tagged = state::tagged_resources(emulator, REGION).await;
    assert_eq!(tagged.len(), 6, "{context}: load balancer, target group, service, group, 2 rules: {tagged:#?}");
}

/// Nothing of the deployment exists, tagged or under its name.
async fn assert_gone(emulator: &Emulator, context: &str) {
    assert_eq!(state::tagged_resources(emulator, REGION).await, Vec::<String>::new(), "{context}: no orphan");
    assert!(state::read(emulator, REGION, NAME).await.is_empty(), "{context}: nothing under the name");
}

/// Whatever a cut run left is the deployment's own: tagged, so the tool finds it.
async fn assert_no_untagged_leftovers(emulator: &Emulator, context: &str) {
    let deployment = state::read(emulator, REGION, NAME).await;
    let tag = |tags: &state::Tags| tags.get("airbyte-plink:deployment").map(String::as_str) == Some(NAME);
    assert!(deployment.load_balancers.iter().all(|lb| tag(&lb.tags)), "{context}: {deployment:#?}");
    assert!(deployment.target_groups.iter().all(|tg| tag(&tg.tags)), "{context}: {deployment:#?}");
    assert!(deployment.load_balancers.len() <= 1 && deployment.target_groups.len() <= 1, "{context}: no duplicate");
    assert!(deployment.services.len() <= 1, "{context}: no duplicate service");
}

#[tokio::test]
async fn with_one_call_in_five_failing_setup_verify_and_teardown_succeed_without_duplicates() {
    let emulator = Emulator::start(&[REGION]);
    emulator.faults(json!({ "fault_rate": 0.2, "seed": 5 }));

    ok(through_proxy(&emulator, &setup_command(&emulator)));
    assert_converged_once(&emulator, "setup through faults").await;
    ok(through_proxy(&emulator, &["verify".into(), "--name".into(), NAME.into()]));
    ok(through_proxy(&emulator, &teardown()));
    assert_gone(&emulator, "teardown through faults").await;

    let stats = emulator.fault_stats();
    eprintln!("through faults: {stats:?}");
    let injected: u64 = stats.injected.values().sum();
    assert!(injected >= 5, "faults were injected: {stats:?}");
    assert!(stats.injected.len() >= 3, "of several kinds: {stats:?}");
    assert!(stats.injected.contains_key("lost_answer"), "including answers lost after the call took effect");
}

#[tokio::test]
async fn every_mutating_call_is_safe_to_repeat_when_its_answer_is_lost() {
    let emulator = Emulator::start(&[REGION]);
    emulator.faults(json!({ "lose_first_answers": true }));
    ok(through_proxy(&emulator, &setup_command(&emulator)));
    assert_converged_once(&emulator, "setup with every answer lost once").await;
    let stats = emulator.fault_stats();
    assert!(stats.injected["lost_answer"] >= 9, "every mutating call of setup was repeated: {stats:?}");

    emulator.faults(json!({ "lose_first_answers": true }));
    let service = state::read(&emulator, REGION, NAME).await.service().name.clone();
    emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
    ok(through_proxy(&emulator, &teardown()));
    assert_gone(&emulator, "teardown with every answer lost once").await;
    let stats = emulator.fault_stats();
    assert!(stats.injected["lost_answer"] >= 7, "every mutating call of teardown was repeated: {stats:?}");
}

#[tokio::test]
async fn setup_cut_after_any_mutating_call_resumes_to_one_whole_deployment() {
    let emulator = Emulator::start(&[REGION]);
    let setup = setup_command(&emulator);
    cut_after_each_mutating_call(&emulator, &setup, async |emulator, context| {
        assert_converged_once(emulator, context).await
    })
    .await;
}

#[tokio::test]
async fn setup_with_a_follower_cut_after_any_mutating_call_resumes_to_one_whole_deployment() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    // An Aurora cluster: the follower comes with it, its role, function, rules and alarm.
    let mut setup = replace(setup_command(&emulator), "--target", &seed.aurora_endpoint);
    setup = replace(setup, "--port", &seed.aurora_port.to_string());
    setup.extend(["--dns-server".to_string(), emulator.dns.clone()]);
    cut_after_each_mutating_call(&emulator, &setup, async |emulator, context| {
        let follower = state::follower(emulator, REGION, NAME).await.unwrap_or_else(|| panic!("{context}: follower"));
        assert_eq!(follower.state, "Active", "{context}");
        assert_eq!(follower.rules.len(), 2, "{context}");
        for (name, rule) in &follower.rules {
            assert_eq!(rule.targets, vec![follower.function_arn.clone()], "{context}: {name}");
        }
        // Function, role, two rules, alarm and log group: one of each.
        let made = state::follower_resources(emulator, REGION).await;
        assert_eq!(made.len(), 6, "{context}: {made:?}");
    })
    .await;
}

/// Runs `setup` once to count its mutating calls, then for each: cut the connection
/// after it, check that what is left is the deployment's own, run the same command
/// again and check the result with `converged`, re-run it (no change), tear down.
async fn cut_after_each_mutating_call(emulator: &Emulator, setup: &[String], converged: impl AsyncFn(&Emulator, &str)) {
    // How many mutating calls a setup from scratch makes.
    emulator.faults(json!({}));
    ok(through_proxy(emulator, setup));
    let calls = emulator.fault_stats().mutations;
    eprintln!("setup from scratch makes {calls} mutating calls");
    assert!(calls >= 8, "setup makes its mutating calls: {calls}");
    ok(emulator.plink().args(teardown()).env("AWS_REGION", REGION).output().unwrap());

    for cut in 1..=calls {
        let context = format!("cut after mutating call {cut} of {calls}");
        emulator.faults(json!({ "cut_after_mutations": cut }));
        let stopped = through_cut_proxy(emulator, setup);
        assert_eq!(stopped.status.code(), Some(1), "{context}: {}", String::from_utf8_lossy(&stopped.stderr));
        let stderr = String::from_utf8_lossy(&stopped.stderr);
        assert!(stderr.contains("setup stopped after"), "{context}: says how far it got: {stderr}");
        assert!(stderr.contains("run the same command again"), "{context}: says how to finish: {stderr}");
        assert!(stderr.contains(&format!("airbyte-plink teardown --name {NAME}")), "{context}: and how to undo");
        assert!(emulator.fault_stats().cut, "{context}: the cut happened");
        assert_no_untagged_leftovers(emulator, &context).await;

        emulator.faults(json!({}));
        ok(through_proxy(emulator, setup));
        converged(emulator, &context).await;
        emulator.faults(json!({}));
        ok(through_proxy(emulator, setup));
        assert_eq!(emulator.fault_stats().mutations, 0, "{context}: the re-run after it changes nothing");

        ok(through_proxy(emulator, &teardown()));
        assert_gone(emulator, &context).await;
    }
}

/// A deployment with a connection from Airbyte waiting for acceptance, so teardown
/// also has one to reject.
async fn deploy_with_pending_connection(emulator: &Emulator) {
    ok(emulator.plink().args(setup_command(emulator)).output().unwrap());
    let service = state::read(emulator, REGION, NAME).await.service().name.clone();
    emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
}

#[tokio::test]
async fn teardown_cut_after_any_mutating_call_finishes_on_the_next_run() {
    let emulator = Emulator::start(&[REGION]);
    deploy_with_pending_connection(&emulator).await;
    emulator.faults(json!({}));
    ok(through_proxy(&emulator, &teardown()));
    let calls = emulator.fault_stats().mutations;
    eprintln!("teardown makes {calls} mutating calls");
    assert!(calls >= 7, "teardown makes its mutating calls: {calls}");

    for cut in 1..=calls {
        let context = format!("teardown cut after mutating call {cut} of {calls}");
        deploy_with_pending_connection(&emulator).await;
        emulator.faults(json!({ "cut_after_mutations": cut }));
        let stopped = through_cut_proxy(&emulator, &teardown());
        assert_eq!(stopped.status.code(), Some(1), "{context}: {}", String::from_utf8_lossy(&stopped.stderr));
        let stderr = String::from_utf8_lossy(&stopped.stderr);
        assert!(stderr.contains("teardown stopped after"), "{context}: {stderr}");
        assert!(stderr.contains(&format!("`airbyte-plink teardown --name {NAME}` again")), "{context}: {stderr}");

        emulator.faults(json!({}));
        ok(through_proxy(&emulator, &teardown()));
        assert_gone(&emulator, &context).await;
    }
}
