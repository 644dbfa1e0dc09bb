//! Day 2 against the emulator, with Airbyte's side played by another AWS account:
//! setup → Airbyte's endpoint → accept → verify, every broken condition caught by name,
//! drift repaired by sync-targets, and status of every deployment.

use std::process::Output;

use crate::support::{AIRBYTE_ACCOUNT, Emulator, ok, replace, setup_args, state, stdout_json};
use serde_json::Value;

const REGION: &str = "us-west-2";
const STRANGER: &str = "999988887777";

fn run(emulator: &Emulator, args: &[&str]) -> Output {
    emulator
        .plink()
        .env("AWS_REGION", REGION)
        .args(args)
        .args(["--dns-server", &emulator.dns])
        .output()
        .expect("run airbyte-plink")
}

/// Setup for the seeded RDS instance, by hostname, opening its security group.
fn setup(emulator: &Emulator, name: &str) -> Vec<String> {
    let seed = emulator.seed(REGION);
    let mut args = replace(setup_args(seed, REGION, name), "--target", &seed.rds_endpoint);
    args.extend(["--db-security-group".to_string(), seed.db_security_group.clone()]);
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(run(emulator, &refs));
    args
}

fn verify(emulator: &Emulator, name: &str, extra: &[&str]) -> (Option<i32>, Value) {
    let output = run(emulator, &[&["verify", "--name", name, "--output", "json"], extra].concat());
    (output.status.code(), stdout_json(&output))
}

fn status_of<'a>(report: &'a Value, id: &str) -> &'a str {
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("no check {id}"))["status"]
        .as_str()
        .unwrap()
}

fn failing(report: &Value) -> Vec<String> {
    report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "fail")
        .map(|c| c["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn setup_then_airbyte_connects_then_accept_then_verify_passes() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    setup(&emulator, "orders-db");
    let service = state::read(&emulator, REGION, "orders-db").await.service().name.clone();

    // Before Airbyte connects, verify passes with a warning that says what to do.
    let (code, report) = verify(&emulator, "orders-db", &[]);
    assert_eq!(code, Some(0), "{report:#}");
    assert_eq!(status_of(&report, "connection.airbyte-available"), "warn");
    assert_eq!(verify(&emulator, "orders-db", &["--strict"]).0, Some(3), "--strict fails on warnings");

    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "pendingAcceptance");

    let accepted = stdout_json(&ok(run(&emulator, &["accept", "--name", "orders-db", "--output", "json"])));
    assert_eq!(accepted["accepted"], serde_json::json!([endpoint]));
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "available");

    let (code, report) = verify(&emulator, "orders-db", &["--strict"]);
    assert_eq!(code, Some(0), "{report:#}");
    assert!(report["checks"].as_array().unwrap().iter().all(|c| c["status"] == "pass"), "{report:#}");
    assert_eq!(report["summary"]["failed"], 0);
}

#[tokio::test]
async fn accept_takes_only_airbyte_and_leaves_or_rejects_strangers() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    setup(&emulator, "orders-db");
    let deployment = state::read(&emulator, REGION, "orders-db").await;
    let service = deployment.service();

    // Nobody else may connect until someone allows them.
    let ec2 = emulator.ec2_as(STRANGER, "us-east-1").await;
    let vpc =
        ec2.create_vpc().cidr_block("10.60.0.0/16").send().await.unwrap().vpc().unwrap().vpc_id().unwrap().to_string();
    let refused = ec2
        .create_vpc_endpoint()
        .vpc_id(vpc)
        .service_name(&service.name)
        .vpc_endpoint_type(aws_sdk_ec2::types::VpcEndpointType::Interface)
        .send()
        .await;
    assert!(refused.is_err(), "a stranger cannot see the service");

    let provider = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    provider
        .modify_vpc_endpoint_service_permissions()
        .service_id(&service.id)
        .add_allowed_principals(format!("arn:aws:iam::{STRANGER}:root"))
        .send()
        .await
        .unwrap();
    let stranger = emulator.interface_endpoint(STRANGER, &service.name).await;
    let airbyte = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service.name).await;

    let human = ok(run(&emulator, &["accept", "--name", "orders-db"]));
    let text = String::from_utf8_lossy(&human.stdout);
    assert!(text.contains(&format!("accepted {airbyte}")), "{text}");
    assert!(text.contains(&format!("left pending: {stranger} from account {STRANGER}")), "{text}");
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &airbyte).await, "available");
    assert_eq!(emulator.endpoint_state(STRANGER, &stranger).await, "pendingAcceptance");

    let (code, report) = verify(&emulator, "orders-db", &[]);
    assert_eq!(code, Some(3));
    assert_eq!(failing(&report), ["principals.no-unexpected"]);

    let rejected =
        stdout_json(&ok(run(&emulator, &["accept", "--name", "orders-db", "--reject-others", "--output", "json"])));
    assert_eq!(rejected["rejected"], serde_json::json!([stranger]));
    assert_eq!(emulator.endpoint_state(STRANGER, &stranger).await, "rejected");
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &airbyte).await, "available");
}

#[tokio::test]
async fn verify_names_each_broken_condition_and_setup_or_sync_repairs_it() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    let setup_args = setup(&emulator, "orders-db");
    let rerun_setup = || ok(run(&emulator, &setup_args.iter().map(String::as_str).collect::<Vec<_>>()));
    let seed = emulator.seed(REGION).clone();
    let d = state::read(&emulator, REGION, "orders-db").await;
    let (service_id, lb_arn, tg_arn) =
        (d.service().id.clone(), d.load_balancer().arn.clone(), d.target_group().arn.clone());
    let config = emulator.sdk(REGION).await;
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let airbyte_root = format!("arn:aws:iam::{AIRBYTE_ACCOUNT}:root");
    assert!(failing(&verify(&emulator, "orders-db", &[]).1).is_empty());

    let expect_failures = |checks: &[&str]| {
        let (code, report) = verify(&emulator, "orders-db", &[]);
        assert_eq!(code, Some(3), "{checks:?}: {report:#}");
        assert_eq!(failing(&report), checks, "{report:#}");
    };
    let expect_failure = |check: &str| expect_failures(&[check]);

    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&service_id)
        .remove_allowed_principals(&airbyte_root)
        .send()
        .await
        .unwrap();
    expect_failure("principals.airbyte-allowed");
    rerun_setup();

    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&service_id)
        .add_allowed_principals("*")
        .send()
        .await
        .unwrap();
    expect_failure("principals.no-wildcard");
    rerun_setup();

    let listener = elb.describe_listeners().load_balancer_arn(&lb_arn).send().await.unwrap();
    elb.delete_listener().listener_arn(listener.listeners()[0].listener_arn().unwrap()).send().await.unwrap();
    // AWS marks the targets of a group no listener forwards to unused.
    expect_failures(&["listener.forwarding", "targets.healthy"]);
    rerun_setup();

    emulator.set_target_health(&tg_arn, &seed.rds_address, "unhealthy");
    expect_failure("targets.healthy");
    emulator.set_target_health(&tg_arn, &seed.rds_address, "healthy");

    let cross_zone = aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
        .key("load_balancing.cross_zone.enabled")
        .value("false")
        .build();
    elb.modify_load_balancer_attributes().load_balancer_arn(&lb_arn).attributes(cross_zone).send().await.unwrap();
    expect_failure("load-balancer.cross-zone");
    rerun_setup();

    ec2.modify_vpc_endpoint_service_configuration()
        .service_id(&service_id)
        .remove_supported_regions("us-east-1")
        .send()
        .await
        .unwrap();
    expect_failure("regions.airbyte-supported");
    rerun_setup();

    ec2.modify_vpc_endpoint_service_configuration()
        .service_id(&service_id)
        .acceptance_required(false)
        .send()
        .await
        .unwrap();
    expect_failure("acceptance.as-configured");
    rerun_setup();

    // The load balancer's own group: someone lets the VPC in through it, or removes the
    // database's rule for it, or turns PrivateLink filtering back on.
    let group = d.security_group().id.clone();
    let from_the_vpc = aws_sdk_ec2::types::IpPermission::builder()
        .ip_protocol("tcp")
        .from_port(5432)
        .to_port(5432)
        .ip_ranges(aws_sdk_ec2::types::IpRange::builder().cidr_ip("10.0.0.0/16").build())
        .build();
    ec2.authorize_security_group_ingress().group_id(&group).ip_permissions(from_the_vpc).send().await.unwrap();
    expect_failure("security-group.no-inbound");
    rerun_setup();

    let rules = ec2.describe_security_group_rules().filters(state::filter("group-id", &seed.db_security_group));
    let rules = rules.send().await.unwrap();
    let lets_in_group = rules
        .security_group_rules()
        .iter()
        .find(|r| r.referenced_group_info().and_then(|g| g.group_id()) == Some(group.as_str()))
        .and_then(|r| r.security_group_rule_id())
        .unwrap()
        .to_string();
    ec2.revoke_security_group_ingress()
        .group_id(&seed.db_security_group)
        .security_group_rule_ids(lets_in_group)
        .send()
        .await
        .unwrap();
    expect_failure("database.allows-load-balancer");
    rerun_setup();

    elb.set_security_groups()
        .load_balancer_arn(&lb_arn)
        .security_groups(&group)
        .enforce_security_group_inbound_rules_on_private_link_traffic(
            aws_sdk_elasticloadbalancingv2::types::EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::On,
        )
        .send()
        .await
        .unwrap();
    expect_failure("security-group.privatelink-not-filtered");
    rerun_setup();

    // An RDS failover: the endpoint now resolves to another address.
    emulator.set_dns(&seed.rds_endpoint, &["10.0.1.77"]);
    expect_failure("targets.dns-current");

    emulator.clear_requests();
    let preview =
        stdout_json(&ok(run(&emulator, &["sync-targets", "--name", "orders-db", "--dry-run", "--output", "json"])));
    assert_eq!(preview["register"], serde_json::json!(["10.0.1.77:5432"]));
    assert_eq!(preview["deregister"], serde_json::json!([format!("{}:5432", seed.rds_address)]));
    assert_eq!(preview["applied"], false);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    ok(run(&emulator, &["sync-targets", "--name", "orders-db"]));
    assert_eq!(emulator.tool_mutations(), ["RegisterTargets", "DeregisterTargets"]);
    assert_eq!(state::read(&emulator, REGION, "orders-db").await.target_group().targets, ["10.0.1.77:5432"]);
    assert!(failing(&verify(&emulator, "orders-db", &[]).1).is_empty());

    emulator.clear_requests();
    let again = ok(run(&emulator, &["sync-targets", "--name", "orders-db"]));
    assert!(String::from_utf8_lossy(&again.stdout).contains("are current"));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

#[tokio::test]
async fn junit_has_one_test_case_per_check_and_marks_failures() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    setup(&emulator, "orders-db");
    let tg = state::read(&emulator, REGION, "orders-db").await.target_group().arn.clone();
    emulator.set_target_health(&tg, &emulator.seed(REGION).rds_address, "unhealthy");
    let (_, report) = verify(&emulator, "orders-db", &[]);
    let output = run(&emulator, &["verify", "--name", "orders-db", "--output", "junit"]);
    assert_eq!(output.status.code(), Some(3));
    let xml = String::from_utf8(output.stdout).unwrap();
    let doc = roxmltree::Document::parse(&xml).expect("JUnit output is XML");
    let cases: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("testcase")).collect();
    assert_eq!(cases.len(), report["checks"].as_array().unwrap().len());
    let failed: Vec<&str> = cases
        .iter()
        .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
        .map(|c| c.attribute("name").unwrap())
        .collect();
    assert_eq!(failed, ["targets.healthy"]);
}

#[tokio::test]
async fn status_lists_every_deployment_with_connections_and_target_health() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    setup(&emulator, "orders-db");
    let seed = emulator.seed(REGION).clone();
    ok(emulator
        .plink()
        .args(replace(setup_args(&seed, REGION, "billing-db"), "--target", "10.0.3.40"))
        .output()
        .unwrap());
    let service = state::read(&emulator, REGION, "orders-db").await.service().name.clone();
    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;

    emulator.clear_requests();
    let all = stdout_json(&ok(run(&emulator, &["status", "--all", "--output", "json"])));
    let names: Vec<&str> = all.as_array().unwrap().iter().map(|d| d["deployment"].as_str().unwrap()).collect();
    assert_eq!(names, ["billing-db", "orders-db"]);
    let orders = &all[1];
    assert_eq!(orders["connections"][0]["endpoint_id"], endpoint.as_str());
    assert_eq!(orders["connections"][0]["state"], "pendingAcceptance");
    assert_eq!(orders["targets"][0]["health"], "healthy");
    // All deployments are read region-wide: one listing of each kind of resource and one
    // call for every connection, not one lookup per deployment.
    let calls: Vec<String> = emulator.requests().into_iter().map(|r| r.action).collect();
    let count = |action: &str| calls.iter().filter(|c| *c == action).count();
    // The followers' schedules, alarms and runs too: one listing each, one GetFunction per deployment.
    for listing in [
        "DescribeLoadBalancers",
        "DescribeTargetGroups",
        "DescribeVpcEndpointConnections",
        "DescribeTags",
        "ListRules",
        "DescribeAlarms",
        "GetMetricData",
    ] {
        assert_eq!(count(listing), 1, "{listing}: {calls:?}");
    }
    assert_eq!(count("DescribeTargetHealth"), 2, "{calls:?}");
    assert_eq!(count("GetFunction"), 2, "{calls:?}");
    // …and each deployment's status is what asking for it alone shows.
    for deployment in all.as_array().unwrap() {
        let name = deployment["deployment"].as_str().unwrap();
        let alone = stdout_json(&ok(run(&emulator, &["status", "--name", name, "--output", "json"])));
        assert_eq!(&alone[0], deployment, "{name}");
    }

    let human = String::from_utf8(ok(run(&emulator, &["status"])).stdout).unwrap();
    assert!(human.contains("billing-db") && human.contains("orders-db"), "{human}");
    assert!(human.contains("0 available, 1 pending"), "{human}");
    // With two deployments, commands about one need --name.
    let ambiguous = run(&emulator, &["verify"]);
    assert_eq!(ambiguous.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&ambiguous.stderr)
            .contains("--name is required: this region has deployments billing-db, orders-db")
    );
}

#[tokio::test]
async fn accept_wait_accepts_the_request_when_it_arrives() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    setup(&emulator, "orders-db");
    let service = state::read(&emulator, REGION, "orders-db").await.service().name.clone();
    let waiting = emulator
        .plink_process()
        .env("AWS_REGION", REGION)
        .args(["accept", "--name", "orders-db", "--wait", "--timeout", "120s", "--output", "json"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Airbyte's request arrives while `accept` waits.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
    let output = ok(waiting.wait_with_output().unwrap());
    assert_eq!(stdout_json(&output)["accepted"], serde_json::json!([endpoint]));
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "available");

    let timed_out = run(&emulator, &["accept", "--name", "orders-db", "--reject-others", "--wait", "--timeout", "1s"]);
    assert!(timed_out.status.success(), "Airbyte's connection is already there: nothing to wait for");
}

#[tokio::test]
async fn verify_and_status_work_with_read_only_permissions() {
    let emulator = Emulator::start(&[REGION, "us-east-1"]);
    setup(&emulator, "orders-db");
    emulator.deny(&[
        "CreateTargetGroup",
        "RegisterTargets",
        "DeregisterTargets",
        "CreateLoadBalancer",
        "SetSubnets",
        "ModifyLoadBalancerAttributes",
        "CreateListener",
        "ModifyListener",
        "AddTags",
        "CreateVpcEndpointServiceConfiguration",
        "ModifyVpcEndpointServiceConfiguration",
        "ModifyVpcEndpointServicePermissions",
        "CreateTags",
        "AuthorizeSecurityGroupIngress",
        "RevokeSecurityGroupIngress",
        "AcceptVpcEndpointConnections",
        "RejectVpcEndpointConnections",
    ]);
    emulator.clear_requests();
    let (code, report) = verify(&emulator, "orders-db", &[]);
    assert_eq!(code, Some(0), "{report:#}");
    ok(run(&emulator, &["status", "--name", "orders-db"]));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

/// The zones the target group's targets are registered for, by address, as AWS reports.
async fn target_zones(emulator: &Emulator, target_group_arn: &str) -> Vec<(String, Option<String>)> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let health = elb.describe_target_health().target_group_arn(target_group_arn).send().await.unwrap();
    let mut zones: Vec<(String, Option<String>)> = health
        .target_health_descriptions()
        .iter()
        .filter_map(|d| d.target())
        .map(|t| (t.id().unwrap_or_default().to_string(), t.availability_zone().map(str::to_string)))
        .collect();
    zones.sort();
    zones
}

#[tokio::test]
async fn an_address_outside_the_vpc_is_registered_for_every_zone_by_setup_and_by_sync_targets() {
    // A database reached through peering: its hostname resolves outside the seeded VPC
    // (10.0.0.0/16). AWS refuses such an address without AvailabilityZone=all.
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    emulator.set_dns(&seed.rds_endpoint, &["10.9.0.5"]);
    let mut args = replace(setup_args(&seed, REGION, "peered-db"), "--target", &seed.rds_endpoint);
    args.push("--allow-targets-outside-vpc".into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(run(&emulator, &args));
    let deployment = state::read(&emulator, REGION, "peered-db").await;
    let tg_arn = deployment.target_group().arn.clone();
    assert_eq!(target_zones(&emulator, &tg_arn).await, [("10.9.0.5".to_string(), Some("all".to_string()))]);
    // The load balancer's group lets out to that address alone (on the port).
    let egress: Vec<&str> = deployment.security_group().rules.iter().map(|r| r.peer.as_str()).collect();
    assert_eq!(egress, ["10.9.0.5/32"]);

    // Setup again: the registration AWS reports is the one it asks for; nothing to do.
    emulator.clear_requests();
    ok(run(&emulator, &args));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    // The peer moves the database: sync-targets registers the new address the same way,
    // lets the load balancer out to it first, and shuts off the old one after.
    emulator.set_dns(&seed.rds_endpoint, &["10.9.0.77"]);
    emulator.clear_requests();
    ok(run(&emulator, &["sync-targets", "--name", "peered-db"]));
    let calls = emulator.tool_mutations();
    assert_eq!(
        calls,
        ["AuthorizeSecurityGroupEgress", "RegisterTargets", "DeregisterTargets", "RevokeSecurityGroupEgress"]
    );
    assert_eq!(target_zones(&emulator, &tg_arn).await, [("10.9.0.77".to_string(), Some("all".to_string()))]);
    let moved = state::read(&emulator, REGION, "peered-db").await;
    let egress: Vec<&str> = moved.security_group().rules.iter().map(|r| r.peer.as_str()).collect();
    assert_eq!(egress, ["10.9.0.77/32"]);
}

/// The `targets.healthy` check of a verify report: its status and detail.
fn targets_healthy(emulator: &Emulator) -> (String, String) {
    let (_, report) = verify(emulator, "orders-db", &[]);
    let check = report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "targets.healthy").unwrap().clone();
    (check["status"].as_str().unwrap().to_string(), check["detail"].as_str().unwrap().to_string())
}

#[tokio::test]
async fn verify_names_the_cause_of_each_target_state_aws_reports() {
    let emulator = Emulator::start(&[REGION]);
    setup(&emulator, "orders-db");
    let seed = emulator.seed(REGION).clone();
    let deployment = state::read(&emulator, REGION, "orders-db").await;
    let (tg, lb) = (deployment.target_group().arn.clone(), deployment.load_balancer().arn.clone());
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    assert_eq!(targets_healthy(&emulator).0, "pass");

    // An address in the AZ the load balancer has no subnet in: AWS marks it unused.
    let stray = aws_sdk_elasticloadbalancingv2::types::TargetDescription::builder().id("10.0.3.70").port(5432).build();
    elb.register_targets().target_group_arn(&tg).targets(stray.clone()).send().await.unwrap();
    let (status, detail) = targets_healthy(&emulator);
    assert_eq!(status, "fail");
    assert!(detail.contains("10.0.3.70:5432 is unused (Target.NotInUse): its AZ is not enabled"), "{detail}");
    assert!(!detail.contains(&seed.rds_address), "the healthy target is not named: {detail}");
    elb.deregister_targets().target_group_arn(&tg).targets(stray).send().await.unwrap();

    // Without a listener, AWS marks every target unused, for want of traffic, not of a zone.
    let listeners = elb.describe_listeners().load_balancer_arn(&lb).send().await.unwrap();
    elb.delete_listener().listener_arn(listeners.listeners()[0].listener_arn().unwrap()).send().await.unwrap();
    let (status, detail) = targets_healthy(&emulator);
    assert_eq!(status, "fail");
    assert!(
        detail.contains("is unused (Target.NotInUse): the target group gets no traffic from a listener"),
        "{detail}"
    );

    // Failing health checks while draining its connections; and health AWS cannot tell,
    // which may pass by itself.
    emulator.set_target_health_for(&tg, &seed.rds_address, "unhealthy.draining", Some("Target.FailedHealthChecks"));
    let (status, detail) = targets_healthy(&emulator);
    assert_eq!(status, "fail");
    assert!(detail.contains("unhealthy.draining (Target.FailedHealthChecks)"), "{detail}");
    assert!(detail.contains("unhealthy draining interval"), "{detail}");
    emulator.set_target_health_for(&tg, &seed.rds_address, "unavailable", Some("Elb.InternalError"));
    let (status, detail) = targets_healthy(&emulator);
    assert_eq!(status, "warn", "{detail}");
    assert!(detail.contains("AWS cannot tell its health"), "{detail}");
}
