//! Saved plans against the emulator: `plan --out` then `setup --plan`, and `teardown
//! --dry-run --out` then `teardown --plan`. A saved plan applied unchanged makes exactly
//! its changes, checked in the emulator's request log and through the SDK; applied after
//! someone changed what it touches, it is refused, names the difference, and changes
//! nothing.

use std::path::Path;
use std::process::Output;

use crate::support::state;
use crate::support::{AIRBYTE_ACCOUNT, Emulator, ok, replace, setup_args, stdout_json};

const REGION: &str = "us-west-2";

fn run(emulator: &Emulator, args: &[String]) -> Output {
    emulator.plink().args(args).output().expect("run airbyte-plink")
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn with_path(mut args: Vec<String>, flag: &str, path: &Path) -> Vec<String> {
    args.extend([flag.to_string(), path.display().to_string()]);
    args
}

/// `setup_args` as a `plan` that saves to `path`.
fn plan_args(emulator: &Emulator, name: &str, path: &Path) -> Vec<String> {
    let mut args = setup_args(emulator.seed(REGION), REGION, name);
    args[0] = "plan".into();
    with_path(args, "--out", path)
}

fn read_plan(path: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).expect("a saved plan is JSON")
}

/// The mutating API calls the plan's changes stand for, sorted (a wait makes none).
fn planned_calls(saved: &serde_json::Value) -> Vec<String> {
    let mut calls: Vec<String> = saved["plan"]["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|change| change["action"] != "await_load_balancer")
        .flat_map(|change| {
            let elb = change["id"].as_str().is_some_and(|id| id.starts_with("arn:"));
            let egress = change["egress"] == true;
            let calls: &[&str] = match change["action"].as_str().unwrap() {
                "create_security_group" => &["CreateSecurityGroup"],
                // A new group's allow-all outbound rules, IPv4 and IPv6.
                "revoke_default_egress" => &["RevokeSecurityGroupEgress", "RevokeSecurityGroupEgress"],
                "authorize_rule" if egress => &["AuthorizeSecurityGroupEgress"],
                "authorize_rule" => &["AuthorizeSecurityGroupIngress"],
                "revoke_rule" if egress => &["RevokeSecurityGroupEgress"],
                "revoke_rule" => &["RevokeSecurityGroupIngress"],
                "set_security_group" => &["SetSecurityGroups"],
                "delete_security_group" => &["DeleteSecurityGroup"],
                "tag_resource" if elb => &["AddTags"],
                "tag_resource" => &["CreateTags"],
                "create_target_group" => &["CreateTargetGroup"],
                "register_targets" => &["RegisterTargets"],
                "create_load_balancer" => &["CreateLoadBalancer"],
                "set_cross_zone" => &["ModifyLoadBalancerAttributes"],
                "create_listener" => &["CreateListener"],
                "create_endpoint_service" => &["CreateVpcEndpointServiceConfiguration"],
                "update_allowed_principals" => &["ModifyVpcEndpointServicePermissions"],
                "reject_connections" => &["RejectVpcEndpointConnections"],
                "delete_endpoint_service" => &["DeleteVpcEndpointServiceConfigurations"],
                "delete_listener" => &["DeleteListener"],
                "delete_load_balancer" => &["DeleteLoadBalancer"],
                "delete_target_group" => &["DeleteTargetGroup"],
                other => panic!("no API call listed for {other}"),
            };
            calls.iter().map(|c| c.to_string()).collect::<Vec<_>>()
        })
        .collect();
    calls.sort();
    calls
}

fn sorted(mut calls: Vec<String>) -> Vec<String> {
    calls.sort();
    calls
}

#[tokio::test]
async fn a_saved_setup_plan_applies_exactly_its_changes() {
    let emulator = Emulator::start(&[REGION]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders-db.plan.json");

    let planned = ok(run(&emulator, &plan_args(&emulator, "orders-db", &path)));
    assert!(String::from_utf8_lossy(&planned.stderr).contains("setup --plan"), "says how to apply it");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "planning changes nothing");
    let saved = read_plan(&path);
    assert_eq!(saved["format_version"], 1);
    assert_eq!((saved["apply_with"].as_str(), saved["deployment"].as_str()), (Some("setup"), Some("orders-db")));
    assert!(saved["state"]["fingerprint"].as_str().unwrap().starts_with("sha256:"), "{saved}");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("secret"), "no credential in the file");

    // Applied without the spec: exactly the planned calls, and the stack AWS holds.
    emulator.clear_requests();
    let applied = ok(run(&emulator, &with_path(args(&["setup", "--no-input", "--output", "json"]), "--plan", &path)));
    assert_eq!(sorted(emulator.tool_mutations()), planned_calls(&saved));
    let deployment = state::read(&emulator, REGION, "orders-db").await;
    let service = deployment.service();
    assert_eq!(service.principals, [format!("arn:aws:iam::{AIRBYTE_ACCOUNT}:root")]);
    assert_eq!(deployment.target_group().targets, [format!("{}:5432", emulator.seed(REGION).db_instance_id)]);
    let handover = stdout_json(&applied);
    assert_eq!(handover["service_name"], service.name.as_str());

    // The same file again: the account is no longer what it was made from.
    emulator.clear_requests();
    let again = run(&emulator, &with_path(args(&["setup", "--no-input"]), "--plan", &path));
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(stderr.contains("changed since the plan"), "{stderr}");
    assert!(stderr.contains("load balancer: was absent; now arn:"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_saved_plan_is_refused_when_what_it_touches_changed_and_says_what() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    ok(run(&emulator, &setup_args(&seed, REGION, "orders-db")));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("principal.plan.json");
    // A reviewed change: another Airbyte account.
    let plan = replace(plan_args(&emulator, "orders-db", &path), "--airbyte-account-id", "444455556666");
    ok(run(&emulator, &plan));
    // The principal, and the tag on the service that records it.
    assert_eq!(planned_calls(&read_plan(&path)), ["CreateTags", "ModifyVpcEndpointServicePermissions"]);

    // Meanwhile someone allows a principal by hand.
    let service_id = state::read(&emulator, REGION, "orders-db").await.service().id.clone();
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let by_hand = "arn:aws:iam::999988887777:root";
    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&service_id)
        .add_allowed_principals(by_hand)
        .send()
        .await
        .unwrap();

    emulator.clear_requests();
    let refused = run(&emulator, &with_path(args(&["setup", "--no-input"]), "--plan", &path));
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("allowed principals: was arn:aws:iam::111122223333:root; now"), "{stderr}");
    assert!(stderr.contains(by_hand), "names what changed: {stderr}");
    assert!(stderr.contains("Nothing was changed"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    let principals = state::read(&emulator, REGION, "orders-db").await.service().principals.clone();
    assert_eq!(sorted(principals), ["arn:aws:iam::111122223333:root", by_hand]);
}

#[tokio::test]
async fn a_saved_removal_plan_removes_exactly_what_it_lists_unless_someone_connected() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    ok(run(&emulator, &setup_args(&seed, REGION, "orders-db")));
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("teardown.plan.json");
    let teardown_plan = args(&["teardown", "--region", REGION, "--name", "orders-db", "--dry-run"]);
    emulator.clear_requests();
    ok(run(&emulator, &with_path(teardown_plan.clone(), "--out", &path)));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    // Airbyte connects after the plan was made: removing the service now would break it,
    // and the plan has no rejection for it.
    let service_name = state::read(&emulator, REGION, "orders-db").await.service().name.clone();
    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service_name).await;
    emulator.clear_requests();
    let refused = run(&emulator, &with_path(args(&["teardown", "--yes"]), "--plan", &path));
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains(&format!("connection {endpoint}")), "{stderr}");
    assert!(stderr.contains("teardown --name orders-db --dry-run --out"), "says how to plan again: {stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert!(!state::read(&emulator, REGION, "orders-db").await.is_empty());

    // Planned again, it rejects the connection first, and applies exactly.
    ok(run(&emulator, &with_path(teardown_plan, "--out", &path)));
    let saved = read_plan(&path);
    assert_eq!(saved["apply_with"], "teardown");
    emulator.clear_requests();
    ok(run(&emulator, &with_path(args(&["teardown", "--yes"]), "--plan", &path)));
    let expected = planned_calls(&saved);
    assert!(expected.contains(&"RejectVpcEndpointConnections".to_string()), "{expected:?}");
    // AWS refuses the service while the rejection completes, and the load balancer
    // while the service's deletion completes; the executor calls each again. Every
    // other call is made exactly once.
    let retried = |calls: Vec<String>| -> Vec<String> {
        let mut calls = sorted(calls);
        let waited_out = ["DeleteLoadBalancer", "DeleteVpcEndpointServiceConfigurations"];
        calls.dedup_by(|a, b| a == b && waited_out.contains(&a.as_str()));
        calls
    };
    assert_eq!(retried(emulator.tool_mutations()), expected);
    assert!(state::read(&emulator, REGION, "orders-db").await.is_empty());
}

#[tokio::test]
async fn a_saved_plan_for_another_command_version_or_spec_is_refused_before_aws_is_asked() {
    let emulator = Emulator::start(&[REGION]);
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("orders-db.plan.json");
    ok(run(&emulator, &plan_args(&emulator, "orders-db", &path)));
    emulator.clear_requests();

    let refusal = |args: Vec<String>, says: &str| {
        let output = run(&emulator, &args);
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert_eq!(output.status.code(), Some(2), "{stderr}");
        assert!(stderr.contains(says), "{says:?} in {stderr}");
    };
    refusal(
        with_path(args(&["teardown", "--yes"]), "--plan", &path),
        "apply it with `airbyte-plink setup --plan FILE`",
    );
    refusal(
        with_path(args(&["setup", "--no-input", "--name", "other"]), "--plan", &path),
        "leave out --config and the spec flags",
    );
    refusal(
        with_path(args(&["setup", "--no-input", "--region", "eu-west-3"]), "--plan", &path),
        "it was made for region us-west-2",
    );
    let newer = dir.path().join("newer.plan.json");
    std::fs::write(
        &newer,
        std::fs::read_to_string(&path).unwrap().replace("\"format_version\": 1", "\"format_version\": 2"),
    )
    .unwrap();
    refusal(with_path(args(&["setup", "--no-input"]), "--plan", &newer), "format_version is 2");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}
