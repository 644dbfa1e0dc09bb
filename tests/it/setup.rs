//! `setup` against the emulator: the resulting AWS state is read back with the SDK.

use crate::support::state::{self, Deployment};
use crate::support::{
    AIRBYTE_ACCOUNT, Emulator, TOOL_ACCESS_KEY, replace, setup_args, setup_args_opening_group, stdout_json,
};

const AIRBYTE_ROOT: &str = "arn:aws:iam::111122223333:root";

fn run(emulator: &Emulator, args: &[String]) -> std::process::Output {
    emulator.plink().args(args).output().expect("run airbyte-plink")
}

fn with(mut args: Vec<String>, extra: &[&str]) -> Vec<String> {
    args.extend(extra.iter().map(|s| s.to_string()));
    args
}

fn stderr(output: &std::process::Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

fn assert_success(output: &std::process::Output) {
    assert!(output.status.success(), "exit {:?}\nstderr:\n{}", output.status.code(), stderr(output));
}

async fn az_ids(emulator: &Emulator, region: &str, subnets: &[String]) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(region).await);
    let out = ec2.describe_subnets().set_subnet_ids(Some(subnets.to_vec())).send().await.unwrap();
    let mut ids: Vec<String> = out.subnets().iter().map(|s| s.availability_zone_id().unwrap().to_string()).collect();
    ids.sort();
    ids
}

/// The stack AWS holds matches the spec exactly, and the JSON result matches AWS.
async fn assert_stack(
    emulator: &Emulator,
    region: &str,
    name: &str,
    deployment: &Deployment,
    result: &serde_json::Value,
) {
    let seed = emulator.seed(region);
    let subnets = vec![seed.private_subnets[0].clone(), seed.private_subnets[1].clone()];
    let mut sorted_subnets = subnets.clone();
    sorted_subnets.sort();

    let lb = deployment.load_balancer();
    assert_eq!((lb.scheme.as_str(), lb.kind.as_str()), ("internal", "network"));
    assert!(lb.arn.contains(":loadbalancer/net/"), "{}", lb.arn);
    assert_eq!(lb.subnets, sorted_subnets);
    assert!(lb.cross_zone);
    // Its own security group, created with it: nothing in, only the database's port out,
    // and PrivateLink traffic let through, so only PrivateLink reaches the database.
    let group = deployment.security_group();
    assert_eq!(lb.security_groups, std::slice::from_ref(&group.id));
    assert_eq!(lb.privatelink_inbound_rules.as_deref(), Some("off"));
    assert!(group.rules.iter().all(|r| r.egress), "no inbound rule: {:?}", group.rules);
    assert!(!group.rules.is_empty());
    for rule in &group.rules {
        assert_eq!((rule.protocol.as_str(), rule.from_port, rule.to_port), ("tcp", 5432, 5432), "{rule:?}");
    }

    let tg = deployment.target_group();
    assert_eq!((tg.protocol.as_str(), tg.port, tg.vpc_id.as_str()), ("TCP", 5432, seed.vpc_id.as_str()));
    assert_eq!((tg.target_type.as_str(), tg.health_check_protocol.as_str()), ("instance", "TCP"));
    assert_eq!(tg.targets, [format!("{}:5432", seed.db_instance_id)]);

    assert_eq!(lb.listeners.len(), 1, "{:?}", lb.listeners);
    let listener = &lb.listeners[0];
    assert_eq!((listener.protocol.as_str(), listener.port), ("TCP", 5432));
    assert_eq!(listener.forward_to, std::slice::from_ref(&tg.arn));

    let service = deployment.service();
    assert_eq!(service.load_balancers, std::slice::from_ref(&lb.arn));
    assert!(service.acceptance_required);
    assert_eq!(service.principals, [AIRBYTE_ROOT]);

    for tags in [&lb.tags, &tg.tags, &service.tags, &group.tags] {
        assert_eq!(tags.get("airbyte-plink:deployment").map(String::as_str), Some(name), "{tags:?}");
        assert_eq!(tags.get("airbyte-plink:managed-by").map(String::as_str), Some("airbyte-plink"));
        assert_eq!(tags.get("airbyte-plink:version").map(String::as_str), Some(env!("CARGO_PKG_VERSION")));
    }

    assert_eq!(result["service_name"], service.name.as_str());
    assert!(service.name.starts_with(&format!("com.amazonaws.vpce.{region}.vpce-svc-")), "{}", service.name);
    assert_eq!(result["service_id"], service.id.as_str());
    assert_eq!(result["region"], region);
    assert_eq!(result["load_balancer_arn"], lb.arn.as_str());
    assert_eq!(result["target_group_arn"], tg.arn.as_str());
    assert_eq!(result["allowed_principals"], serde_json::json!([AIRBYTE_ROOT]));
    assert_eq!(result["acceptance_required"], true);
    let mut reported_az_ids: Vec<String> =
        result["availability_zone_ids"].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    reported_az_ids.sort();
    assert_eq!(reported_az_ids, az_ids(emulator, region, &subnets).await);
}

#[tokio::test]
async fn same_region_setup_builds_the_whole_stack() {
    let emulator = Emulator::start(&["us-east-1"]);
    let seed = emulator.seed("us-east-1");
    let output = run(&emulator, &with(setup_args(seed, "us-east-1", "orders-db"), &["--output", "json"]));
    assert_success(&output);
    let result = stdout_json(&output);
    let deployment = state::read(&emulator, "us-east-1", "orders-db").await;
    assert_stack(&emulator, "us-east-1", "orders-db", &deployment, &result).await;
    // Airbyte's region is the service's own: no cross-region support is switched on.
    assert!(deployment.service().supported_regions.iter().all(|r| r == "us-east-1"), "{:?}", deployment.service());
    assert_eq!(result["supported_regions"], serde_json::json!(["us-east-1"]));
}

#[tokio::test]
async fn cross_region_setup_adds_airbyte_region_to_supported_regions() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let output = run(&emulator, &with(setup_args(seed, "us-west-2", "orders-db"), &["--output", "json"]));
    assert_success(&output);
    let result = stdout_json(&output);
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    assert_stack(&emulator, "us-west-2", "orders-db", &deployment, &result).await;
    assert!(deployment.service().supported_regions.contains(&"us-east-1".to_string()), "{:?}", deployment.service());
    assert_eq!(result["supported_regions"], serde_json::json!(["us-west-2", "us-east-1"]));
    assert_eq!(result["airbyte_region"], "us-east-1");
}

#[tokio::test]
async fn a_second_identical_run_makes_no_change_and_prints_the_same_result() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let args = with(
        setup_args(seed, "us-west-2", "orders-db"),
        &["--output", "json", "--db-security-group", &seed.db_security_group],
    );
    let first = run(&emulator, &args);
    assert_success(&first);
    emulator.clear_requests();

    let second = run(&emulator, &args);
    assert_success(&second);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert_eq!(stdout_json(&second), stdout_json(&first));
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    deployment.service();
    assert_eq!(deployment.database_rules().len(), 1, "one rule in the database's group: {:?}", deployment.rules);
}

#[tokio::test]
async fn the_database_lets_in_only_the_load_balancers_group_not_its_subnets() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let args = with(setup_args(seed, "us-west-2", "orders-db"), &["--db-security-group", &seed.db_security_group]);
    emulator.clear_requests();
    assert_success(&run(&emulator, &args));
    // Airbyte is let in only once PrivateLink traffic passes the group and AWS's allow-all
    // outbound rule is gone (the service itself need not wait for either).
    let mutations = emulator.tool_mutations();
    let last = |action: &str| mutations.iter().rposition(|m| m == action).unwrap_or_else(|| panic!("{action}"));
    let granted = mutations.iter().position(|m| m == "ModifyVpcEndpointServicePermissions").unwrap();
    for readying in ["SetSecurityGroups", "RevokeSecurityGroupEgress"] {
        assert!(last(readying) < granted, "Airbyte let in before {readying}: {mutations:?}");
    }
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    let group = deployment.security_group();
    // One rule in the database's group, from the load balancer's group on the port.
    let rules = deployment.database_rules();
    assert_eq!(rules.len(), 1, "{rules:?}");
    let rule = rules[0];
    assert_eq!(
        (rule.group_id.as_str(), rule.egress, rule.peer.as_str()),
        (seed.db_security_group.as_str(), false, group.id.as_str())
    );
    assert_eq!((rule.protocol.as_str(), rule.from_port, rule.to_port), ("tcp", 5432, 5432));
    // No direct path: nothing in the database's group lets a load balancer subnet in.
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk("us-west-2").await);
    let all = ec2.describe_security_group_rules().send().await.unwrap();
    let database_cidrs: Vec<&str> = all
        .security_group_rules()
        .iter()
        .filter(|r| r.group_id() == Some(seed.db_security_group.as_str()) && r.is_egress() != Some(true))
        .filter_map(|r| r.cidr_ipv4())
        .collect();
    for cidr in &seed.private_subnet_cidrs {
        assert!(!database_cidrs.contains(&cidr.as_str()), "{cidr} can reach the database directly");
    }
    // Outbound, the load balancer's group goes only to the database's group.
    let egress: Vec<&str> = group.rules.iter().map(|r| r.peer.as_str()).collect();
    assert_eq!(egress, [seed.db_security_group.as_str()]);
}

#[tokio::test]
async fn human_output_hands_over_the_service_name_and_shows_the_plan_first() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let output = run(&emulator, &setup_args(seed, "us-west-2", "orders-db"));
    assert_success(&output);
    let service = state::read(&emulator, "us-west-2", "orders-db").await.service().name.clone();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains(&service), "{stdout}");
    assert!(stdout.contains("Workspace settings › Private Links"), "{stdout}");
    let stderr = stderr(&output);
    let plan_at = stderr.find("+ target group orders-db").expect("the plan is shown");
    let summary_at = stderr.find("Plan: 8 to add, 3 to change, 0 to remove.").expect("the summary line");
    let first_step_at = stderr.find("] start ").expect("progress lines");
    assert!(plan_at < summary_at && summary_at < first_step_at, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no escape codes without a terminal: {stderr:?}");
}

#[tokio::test]
async fn spec_changes_are_applied_in_place() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    assert_success(&run(&emulator, &setup_args(seed, "us-west-2", "orders-db")));
    let before = state::read(&emulator, "us-west-2", "orders-db").await;

    let three_subnets = seed.private_subnets.join(",");
    let changed = with(
        replace(setup_args(seed, "us-west-2", "orders-db"), "--subnets", &three_subnets),
        &[
            "--no-acceptance-required",
            "--no-cross-zone",
            "--tag",
            "team=data",
            "--db-security-group",
            &seed.db_security_group,
        ],
    );
    emulator.clear_requests();
    let output = run(&emulator, &changed);
    assert_success(&output);
    let mut mutations = emulator.tool_mutations();
    mutations.sort();
    assert!(
        !mutations.iter().any(|m| m.starts_with("Create") && m != "CreateTags"),
        "nothing recreated: {mutations:?}"
    );

    let after = state::read(&emulator, "us-west-2", "orders-db").await;
    let (lb, service) = (after.load_balancer(), after.service());
    assert_eq!(lb.arn, before.load_balancer().arn);
    assert_eq!(service.id, before.service().id);
    let mut expected_subnets = seed.private_subnets.clone();
    expected_subnets.sort();
    assert_eq!(lb.subnets, expected_subnets);
    assert!(!service.acceptance_required);
    assert!(!lb.cross_zone);
    for tags in [&lb.tags, &after.target_group().tags, &service.tags] {
        assert_eq!(tags.get("team").map(String::as_str), Some("data"), "{tags:?}");
    }
    // The database's group now lets the load balancer's in; the load balancer's group
    // lets out only to the database's.
    let group = after.security_group();
    let database: Vec<(&str, &str)> =
        after.database_rules().iter().map(|r| (r.group_id.as_str(), r.peer.as_str())).collect();
    assert_eq!(database, [(seed.db_security_group.as_str(), group.id.as_str())]);
    let egress: Vec<&str> = group.rules.iter().map(|r| r.peer.as_str()).collect();
    assert_eq!(egress, [seed.db_security_group.as_str()]);

    // Without the database's group and with acceptance back on: its rule goes, and the
    // load balancer's group lets out to the VPC instead.
    assert_success(&run(&emulator, &replace(setup_args(seed, "us-west-2", "orders-db"), "--subnets", &three_subnets)));
    let reverted = state::read(&emulator, "us-west-2", "orders-db").await;
    assert!(reverted.database_rules().is_empty(), "{:?}", reverted.rules);
    let egress: Vec<&str> = reverted.security_group().rules.iter().map(|r| r.peer.as_str()).collect();
    assert_eq!(egress, [seed.vpc_cidr.as_str()]);
    assert!(reverted.service().acceptance_required);

    // A subnet cannot be taken away from a load balancer with an endpoint service.
    emulator.clear_requests();
    let output = run(&emulator, &setup_args(seed, "us-west-2", "orders-db"));
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("AWS does not remove subnets"), "{}", stderr(&output));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

/// The AZ IDs AWS reports the service available in.
async fn service_zones(emulator: &Emulator, service_id: &str) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk("us-west-2").await);
    let found = ec2.describe_vpc_endpoint_service_configurations().service_ids(service_id).send().await.unwrap();
    let mut zones = found.service_configurations()[0].availability_zone_ids().to_vec();
    zones.sort();
    zones
}

#[tokio::test]
async fn a_zone_added_to_the_load_balancer_is_enabled_for_the_service_and_handed_over() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let args = with(setup_args(seed, "us-west-2", "orders-db"), &["--output", "json"]);
    let first = stdout_json(&run(&emulator, &args));
    let id = first["service_id"].as_str().unwrap().to_string();
    let two = az_ids(&emulator, "us-west-2", &seed.private_subnets[..2]).await;
    assert_eq!(service_zones(&emulator, &id).await, two);
    assert_eq!(first["availability_zone_ids"], serde_json::json!(two));

    // A third zone: AWS takes a while to ready it, and enables it for the service only
    // when asked.
    // Each modification makes the service Pending for longer than a look's interval.
    emulator.set_zone_ready(1.5);
    emulator.set_service_pending(2.5, 0.0);
    let wider = stdout_json(&run(&emulator, &replace(args.clone(), "--subnets", &seed.private_subnets.join(","))));
    assert_eq!(service_state(&emulator, &id).await, "Available", "handed over before AWS had settled it");
    let three = az_ids(&emulator, "us-west-2", &seed.private_subnets).await;
    assert_eq!(service_zones(&emulator, &id).await, three, "the service is not available in the new zone");
    assert_eq!(wider["service_id"], first["service_id"]);
    assert_eq!(wider["availability_zone_ids"], serde_json::json!(three), "handed over the service's zones");

    // Converged: nothing more to change, and verify finds the service in every zone.
    emulator.clear_requests();
    assert_success(&run(&emulator, &replace(args, "--subnets", &seed.private_subnets.join(","))));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    let verify = run(
        &emulator,
        &with(vec!["verify".into()], &["--region", "us-west-2", "--name", "orders-db", "--output", "json"]),
    );
    let checks = stdout_json(&verify)["checks"].as_array().unwrap().clone();
    let zones = checks.iter().find(|c| c["id"] == "endpoint-service.zones").expect("the zones are checked");
    assert_eq!(zones["status"], "pass", "{zones}");
}

#[tokio::test]
async fn ip_targets_are_registered_and_replaced_without_gaps() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let args = |target: &str| replace(setup_args(seed, "us-west-2", "analytics"), "--target", target);
    assert_success(&run(&emulator, &args("10.0.1.10")));
    let tg = state::read(&emulator, "us-west-2", "analytics").await;
    assert_eq!(tg.target_group().target_type, "ip");
    assert_eq!(tg.target_group().targets, ["10.0.1.10:5432"]);

    emulator.clear_requests();
    assert_success(&run(&emulator, &args("10.0.2.20,10.0.1.10")));
    // The new target is registered, and recorded on the target group for sync-targets
    // (side by side: neither needs the other).
    let sorted = |mut calls: Vec<String>| {
        calls.sort();
        calls
    };
    assert_eq!(sorted(emulator.tool_mutations()), ["AddTags", "RegisterTargets"]);
    emulator.clear_requests();
    assert_success(&run(&emulator, &args("10.0.2.20")));
    assert_eq!(sorted(emulator.tool_mutations()), ["AddTags", "DeregisterTargets"]);
    let tg = state::read(&emulator, "us-west-2", "analytics").await;
    assert_eq!(tg.target_group().targets, ["10.0.2.20:5432"]);
    assert_eq!(tg.target_group().tags["airbyte-plink:targets"], "10.0.2.20");
    assert_success(&run(&emulator, &args("10.0.2.20,10.0.1.10")));
    let tg = state::read(&emulator, "us-west-2", "analytics").await;
    assert_eq!(tg.target_group().tags["airbyte-plink:targets"], "10.0.1.10 10.0.2.20");
}

#[tokio::test]
async fn hostname_targets_are_resolved_with_the_given_dns_server() {
    let emulator = Emulator::start(&["us-west-2"]);
    emulator.set_dns("orders.cluster-abc.us-west-2.rds.amazonaws.com", &["10.0.2.30", "10.0.1.31"]);
    let seed = emulator.seed("us-west-2");
    let args = with(
        replace(
            setup_args(seed, "us-west-2", "orders-aurora"),
            "--target",
            "orders.cluster-abc.us-west-2.rds.amazonaws.com",
        ),
        &["--dns-server", &emulator.dns],
    );
    assert_success(&run(&emulator, &args));
    let tg = state::read(&emulator, "us-west-2", "orders-aurora").await;
    assert_eq!(tg.target_group().target_type, "ip");
    assert_eq!(tg.target_group().targets, ["10.0.1.31:5432", "10.0.2.30:5432"]);
}

#[tokio::test]
async fn dry_run_and_plan_change_nothing_and_the_dry_run_config_applies_as_is() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let mut plan_args = setup_args(seed, "us-west-2", "orders-db");
    plan_args[0] = "plan".into();
    plan_args.retain(|a| a != "--no-input");

    let plan = run(&emulator, &plan_args);
    assert_success(&plan);
    let stdout = String::from_utf8_lossy(&plan.stdout);
    assert!(stdout.contains("+ endpoint service on orders-db"), "{stdout}");

    let plan_json = run(&emulator, &with(plan_args, &["--output", "json"]));
    assert_success(&plan_json);
    let plan_json = stdout_json(&plan_json);
    assert_eq!(plan_json["summary"]["add"], 8);
    assert_eq!(plan_json["changes"][0]["action"], "create_security_group");

    let dry_run = run(&emulator, &with(setup_args(seed, "us-west-2", "orders-db"), &["--dry-run"]));
    assert_success(&dry_run);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert!(state::read(&emulator, "us-west-2", "orders-db").await.is_empty());

    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), &dry_run.stdout).unwrap();
    let applied = emulator.plink().args(["setup", "--no-input", "--config"]).arg(config.path()).output().unwrap();
    assert_success(&applied);
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    assert_eq!(deployment.service().principals, [AIRBYTE_ROOT]);
    assert_eq!(deployment.target_group().targets, [format!("{}:5432", seed.db_instance_id)]);
}

#[tokio::test]
async fn flags_override_the_config_file() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(
        config.path(),
        format!(
            "name = \"from-file\"\nregion = \"us-west-2\"\nairbyte_region = \"us\"\nairbyte_account_id = \"{AIRBYTE_ACCOUNT}\"\n\
             targets = [\"10.0.1.10\"]\nport = 3306\nvpc_id = \"{}\"\nsubnets = [\"{}\", \"{}\"]\n[tags]\nteam = \"data\"\n",
            seed.vpc_id, seed.private_subnets[0], seed.private_subnets[1]
        ),
    )
    .unwrap();
    let output = emulator
        .plink()
        .args(["setup", "--no-input", "--port", "5432", "--config"])
        .arg(config.path())
        .output()
        .unwrap();
    assert_success(&output);
    let deployment = state::read(&emulator, "us-west-2", "from-file").await;
    assert_eq!(deployment.target_group().port, 5432);
    assert_eq!(deployment.load_balancer().tags.get("team").map(String::as_str), Some("data"));
}

#[tokio::test]
async fn an_interrupted_setup_is_finished_by_running_it_again() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let args = setup_args(seed, "us-west-2", "orders-db");
    emulator.deny(&["CreateVpcEndpointServiceConfiguration"]);
    let failed = run(&emulator, &args);
    assert_eq!(failed.status.code(), Some(4), "{}", stderr(&failed));
    let message = stderr(&failed);
    assert!(message.contains("ec2:CreateVpcEndpointServiceConfiguration"), "names the IAM action: {message}");
    assert!(message.contains("run the same command again"), "{message}");
    let partial = state::read(&emulator, "us-west-2", "orders-db").await;
    assert_eq!((partial.load_balancers.len(), partial.target_groups.len(), partial.services.len()), (1, 1, 0));

    emulator.allow_all();
    let finished = run(&emulator, &with(args, &["--output", "json"]));
    assert_success(&finished);
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    assert_stack(&emulator, "us-west-2", "orders-db", &deployment, &stdout_json(&finished)).await;
}

#[tokio::test]
async fn a_subnet_replaced_within_its_zone_is_removed_first_and_never_removed_under_a_service() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    // A setup cut off before its service leaves the load balancer on the first two
    // private subnets.
    let args = setup_args(seed, "us-west-2", "orders-db");
    emulator.deny(&["CreateVpcEndpointServiceConfiguration"]);
    assert_eq!(run(&emulator, &args).status.code(), Some(4));
    emulator.allow_all();

    // Run again with another subnet in the first one's zone: AWS takes the removal first,
    // and adds its successor only once the removal is done (here after 1 s).
    emulator.set_subnet_removal(1.0);
    let (same_zone, second) = (&seed.private_subnet_same_az, &seed.private_subnets[1]);
    let moved = replace(args.clone(), "--subnets", &format!("{same_zone},{second}"));
    emulator.clear_requests();
    let output = run(&emulator, &moved);
    assert_success(&output);
    assert!(stderr(&output).contains("wait for AWS to finish removing subnets"), "{}", stderr(&output));
    let set_subnets = emulator.requests().iter().filter(|r| r.action == "SetSubnets").count();
    assert_eq!(set_subnets, 2, "removed, then added");
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    let mut subnets = deployment.load_balancer().subnets.clone();
    subnets.sort();
    let mut wanted = vec![same_zone.clone(), second.clone()];
    wanted.sort();
    assert_eq!(subnets, wanted);
    assert_eq!(deployment.services.len(), 1, "the service is built on the load balancer as it ends up");

    // With the service on it, AWS refuses to remove a subnet: explained, nothing changed.
    emulator.clear_requests();
    let refused = run(&emulator, &args);
    assert_eq!(refused.status.code(), Some(1), "{}", stderr(&refused));
    assert!(stderr(&refused).contains("AWS does not remove subnets from a load balancer with an endpoint service"));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    // Adding one is allowed.
    let third = &seed.private_subnets[2];
    assert_success(&run(&emulator, &replace(args, "--subnets", &format!("{same_zone},{second},{third}"))));
    assert_eq!(state::read(&emulator, "us-west-2", "orders-db").await.load_balancer().subnets.len(), 3);
}

#[tokio::test]
async fn a_change_aws_cannot_make_in_place_is_explained_and_nothing_changes() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    assert_success(&run(&emulator, &setup_args(seed, "us-west-2", "orders-db")));
    emulator.clear_requests();
    let output = run(&emulator, &replace(setup_args(seed, "us-west-2", "orders-db"), "--port", "5433"));
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(message.contains("target group orders-db must be replaced: its port is fixed"), "{message}");
    assert!(message.contains("Nothing was changed"), "{message}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_same_named_resource_the_tool_does_not_own_is_left_alone() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    state::create_foreign_load_balancer(&emulator, "us-west-2", "shared-name", &seed.private_subnets[..2]).await;
    emulator.clear_requests();
    let output = run(&emulator, &setup_args(seed, "us-west-2", "shared-name"));
    assert_eq!(output.status.code(), Some(2));
    let message = stderr(&output);
    assert!(message.contains("--name: load balancer shared-name"), "{message}");
    assert!(message.contains("not created by airbyte-plink"), "{message}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

#[tokio::test]
async fn a_single_az_works_with_a_warning_when_airbyte_is_in_the_same_region() {
    // Airbyte's "us" is us-east-1: not cross-region, for which AWS requires two AZs.
    let emulator = Emulator::start(&["us-east-1"]);
    let seed = emulator.seed("us-east-1");
    let output =
        run(&emulator, &replace(setup_args(seed, "us-east-1", "orders-db"), "--subnets", &seed.private_subnets[0]));
    assert_success(&output);
    assert!(stderr(&output).contains("! only one AZ"), "{}", stderr(&output));
    // The database instance is in the first private subnet's AZ: no warning about it.
    assert!(!stderr(&output).contains("gets no traffic"), "{}", stderr(&output));

    // An address in an AZ without a load balancer subnet is flagged before anything changes.
    let other_az = replace(
        replace(setup_args(seed, "us-east-1", "elsewhere"), "--subnets", &seed.private_subnets[0]),
        "--target",
        "10.0.3.30",
    );
    let output = run(&emulator, &with(other_az, &["--dry-run"]));
    assert_success(&output);
    assert!(stderr(&output).contains("target 10.0.3.30 is in"), "{}", stderr(&output));
    assert!(stderr(&output).contains("gets no traffic; add a private subnet in"), "{}", stderr(&output));
    assert_eq!(
        state::read(&emulator, "us-east-1", "orders-db").await.load_balancer().subnets,
        [seed.private_subnets[0].clone()]
    );
}

#[tokio::test]
async fn the_service_waits_for_the_load_balancer_which_is_polled_with_backoff() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    // AWS takes minutes; 2.5 s is enough to see the polls.
    emulator.set_provisioning(2.5);
    emulator.clear_requests();
    let output = run(&emulator, &setup_args(seed, "us-west-2", "orders-db"));
    assert_success(&output);
    assert!(stderr(&output).contains("wait for load balancer orders-db to become active (state: provisioning)"));
    state::read(&emulator, "us-west-2", "orders-db").await.service();

    // Polled at once, after 1 s and after 3 s: backoff, where a poll every second would
    // make four calls and a tight loop dozens. The service came after the last poll.
    let calls: Vec<String> =
        emulator.requests().into_iter().filter(|r| r.access_key == TOOL_ACCESS_KEY).map(|r| r.action).collect();
    let created = calls.iter().position(|c| c == "CreateLoadBalancer").unwrap();
    let polls: Vec<usize> = (created..calls.len()).filter(|&i| calls[i] == "DescribeLoadBalancers").collect();
    assert_eq!(polls.len(), 3, "{calls:?}");
    let service = calls.iter().position(|c| c == "CreateVpcEndpointServiceConfiguration").unwrap();
    assert!(polls.iter().all(|&poll| poll < service), "{calls:?}");
}

/// The endpoint service's state as AWS reports it now.
async fn service_state(emulator: &Emulator, service_id: &str) -> String {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk("us-west-2").await);
    let out = ec2.describe_vpc_endpoint_service_configurations().service_ids(service_id).send().await.unwrap();
    out.service_configurations()[0].service_state().map(|s| s.as_str().to_string()).unwrap_or_default()
}

#[tokio::test]
async fn a_service_is_handed_over_only_once_aws_reports_it_available() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    // AWS: a new service is Pending for a while, and for a moment unknown by its ID. The
    // looks come at once, after 1 s and every 2 s: the second sees Pending, even late.
    emulator.set_service_pending(3.0, 0.5);
    let output = run(&emulator, &with(setup_args(seed, "us-west-2", "orders-db"), &["--output", "json"]));
    assert_success(&output);
    let progress = stderr(&output);
    assert!(progress.contains("wait for the endpoint service of orders-db to become available"), "{progress}");
    assert!(progress.contains("(state: Pending)"), "{progress}");
    // Checked at once, independently: what was handed over is Available, and allows Airbyte.
    let handover = stdout_json(&output);
    let service_id = handover["service_id"].as_str().unwrap().to_string();
    assert_eq!(service_state(&emulator, &service_id).await, "Available");
    assert_eq!(state::read(&emulator, "us-west-2", "orders-db").await.service().principals, [AIRBYTE_ROOT]);

    // A change to the service makes it Pending again: handed over once it is Available.
    let eu = replace(setup_args(seed, "us-west-2", "orders-db"), "--airbyte-region", "eu");
    let changed = run(&emulator, &eu);
    assert_success(&changed);
    assert!(stderr(&changed).contains("(state: Pending)"), "{}", stderr(&changed));
    assert_eq!(service_state(&emulator, &service_id).await, "Available");
}

#[tokio::test]
async fn a_service_deleted_under_its_load_balancer_is_built_anew_and_never_handed_over() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let args = with(setup_args(seed, "us-west-2", "orders-db"), &["--output", "json"]);
    let first = stdout_json(&run(&emulator, &args))["service_id"].as_str().unwrap().to_string();
    // Deleted by hand; the load balancer stays. AWS binds the setup's client token to the
    // deleted service: the same request answers with it, Deleted.
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk("us-west-2").await);
    let deleted = ec2.delete_vpc_endpoint_service_configurations().service_ids(&first).send().await.unwrap();
    assert!(deleted.unsuccessful().is_empty());

    let again = run(&emulator, &args);
    assert_success(&again);
    let handover = stdout_json(&again);
    let second = handover["service_id"].as_str().unwrap();
    assert_ne!(second, first, "handed over the deleted service");
    assert_eq!(service_state(&emulator, second).await, "Available");
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    assert_eq!(deployment.service().id, second);
    assert_eq!(deployment.service().principals, [AIRBYTE_ROOT]);

    // Deleted again, and set up with another tag: another request, which AWS refuses
    // (IdempotentParameterMismatch) under a token it saw with other parameters.
    ec2.delete_vpc_endpoint_service_configurations().service_ids(second).send().await.unwrap();
    let retagged = run(&emulator, &with(args.clone(), &["--tag", "team=finance"]));
    assert_success(&retagged);
    let third = stdout_json(&retagged)["service_id"].as_str().unwrap().to_string();
    assert!(third != first && third != second, "handed over a deleted service");
    let service = ec2.describe_vpc_endpoint_service_configurations().service_ids(&third).send().await.unwrap();
    let tags = service.service_configurations()[0].tags();
    assert!(tags.iter().any(|t| t.key() == Some("team") && t.value() == Some("finance")), "{tags:?}");
}

/// The whole scripted run as it reads in a CI log: who the tool acts as, the plan, each
/// step and the handover, with the emulator's random IDs and the timings filtered out.
/// Independent steps finish in any order, so the progress lines are compared sorted.
#[tokio::test]
async fn a_scripted_setup_reads_as_identity_plan_progress_and_handover() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2");
    let output = run(&emulator, &setup_args_opening_group(seed, "us-west-2", "orders-db"));
    assert_success(&output);
    let stderr = stderr(&output);
    let (mut progress, plan): (Vec<&str>, Vec<&str>) = stderr.lines().partition(|line| line.starts_with('['));
    progress.sort_by_key(|line| line.split_once(']').map(|(_, step)| step.to_string()));
    let transcript = format!(
        "--- stderr: identity and plan\n{}\n--- stderr: progress, sorted\n{}\n--- stdout\n{}",
        plan.join("\n"),
        progress.join("\n"),
        String::from_utf8_lossy(&output.stdout)
    );
    insta::with_settings!({filters => vec![
        (r"\b(vpc|subnet|sg|i)-[0-9a-f]{8,17}\b", "$1-[id]"),
        (r"\bvpce-svc-[0-9a-f]+\b", "vpce-svc-[id]"),
        (r"\[\s*\d+\.\d+s\]", "[time]"),
    ]}, {
        insta::assert_snapshot!(transcript);
    });
}
