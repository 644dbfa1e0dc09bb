//! Teardown against the emulator: everything the deployment owns goes, in the order AWS
//! requires, and nothing else is touched, even under the same name.

use std::process::Output;

use crate::support::{AIRBYTE_ACCOUNT, Emulator, ok, setup_args, setup_args_opening_group, state, stdout_json};

const REGION: &str = "us-west-2";
const STRANGER: &str = "999988887777";

fn run(emulator: &Emulator, args: &[&str]) -> Output {
    emulator.plink().env("AWS_REGION", REGION).args(args).output().expect("run airbyte-plink")
}

/// Setup of the sample instance; with `db_group`, opening the database security group.
fn setup(emulator: &Emulator, name: &str, db_group: bool) {
    let seed = emulator.seed(REGION);
    let args = if db_group { setup_args_opening_group(seed, REGION, name) } else { setup_args(seed, REGION, name) };
    ok(emulator.plink().args(&args).output().unwrap());
}

/// Where each action first appears among the tool's mutating calls.
fn position(calls: &[String], action: &str) -> usize {
    calls.iter().position(|c| c == action).unwrap_or_else(|| panic!("{action} was not called: {calls:?}"))
}

async fn add_untagged_rule(emulator: &Emulator, group_id: &str, cidr: &str) {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    ec2.authorize_security_group_ingress()
        .group_id(group_id)
        .ip_protocol("tcp")
        .from_port(5432)
        .to_port(5432)
        .cidr_ip(cidr)
        .send()
        .await
        .unwrap();
}

#[tokio::test]
async fn teardown_removes_what_the_deployment_owns_in_order_and_nothing_else() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    setup(&emulator, "orders-db", true);
    setup(&emulator, "billing-db", false);
    // Another team's resources: a load balancer with a name we could have chosen, and a
    // hand-made rule in the database's security group.
    state::create_foreign_load_balancer(&emulator, REGION, "stranger-db", &seed.private_subnets[..2]).await;
    add_untagged_rule(&emulator, &seed.db_security_group, "10.9.9.0/24").await;
    let untagged_before = state::untagged_ingress_rules(&emulator, REGION).await;
    assert!(!state::read(&emulator, REGION, "orders-db").await.database_rules().is_empty(), "setup opened the group");
    // AWS holds a deleted load balancer's security group a while longer.
    emulator.set_group_release(1.0);
    emulator.clear_requests();

    // Without a terminal, nothing goes without --yes.
    let refused = run(&emulator, &["teardown", "--name", "orders-db"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("Removal plan for deployment orders-db"), "{stderr}");
    assert!(stderr.contains("pass --yes"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    let output = ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes", "--output", "json"]));
    let removed = stdout_json(&output);
    assert_eq!(removed["deployment"], "orders-db");
    assert!(removed["removed"].as_array().unwrap().len() >= 5, "{removed}");

    // AWS's order: the service, the listener and the database's rule, then the load
    // balancer, then the target group and the load balancer's group, once AWS lets go.
    let calls = emulator.tool_mutations();
    let service = position(&calls, "DeleteVpcEndpointServiceConfigurations");
    let listener = position(&calls, "DeleteListener");
    let load_balancer = position(&calls, "DeleteLoadBalancer");
    assert!(service < load_balancer && listener < load_balancer, "{calls:?}");
    let attempts = calls.iter().filter(|c| *c == "DeleteLoadBalancer").count();
    assert!(attempts >= 2, "retried while the service's deletion completes (ResourceInUse): {calls:?}");
    let progress = String::from_utf8_lossy(&output.stderr);
    assert!(
        progress.contains("done  wait for earlier deletions to finish, then delete network load balancer orders-db"),
        "the retries show as a wait: {progress}"
    );
    assert!(load_balancer < position(&calls, "DeleteTargetGroup"), "{calls:?}");
    assert!(position(&calls, "RevokeSecurityGroupIngress") < load_balancer, "{calls:?}");
    let group = position(&calls, "DeleteSecurityGroup");
    assert!(load_balancer < group, "{calls:?}");
    let group_attempts = calls.iter().filter(|c| *c == "DeleteSecurityGroup").count();
    assert!(group_attempts >= 2, "retried while AWS still holds the group (DependencyViolation): {calls:?}");

    assert!(state::read(&emulator, REGION, "orders-db").await.is_empty(), "orders-db is gone");
    let billing = state::read(&emulator, REGION, "billing-db").await;
    billing.load_balancer();
    billing.target_group();
    billing.service();
    assert_eq!(state::read(&emulator, REGION, "stranger-db").await.load_balancers.len(), 1, "not ours: kept");
    assert_eq!(state::untagged_ingress_rules(&emulator, REGION).await, untagged_before, "untagged rules kept");

    // Removing what is gone is done.
    emulator.clear_requests();
    let again = ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes"]));
    assert!(String::from_utf8_lossy(&again.stdout).contains("Nothing to remove"));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "a second teardown changes nothing");

    // A same-named resource that is not ours is reported and left alone.
    let foreign = ok(run(&emulator, &["teardown", "--name", "stranger-db", "--yes"]));
    let stderr = String::from_utf8_lossy(&foreign.stderr);
    assert!(stderr.contains("not this deployment's, left alone"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert_eq!(state::read(&emulator, REGION, "stranger-db").await.load_balancers.len(), 1);

    // The last deployment goes without --name; then the region has none.
    ok(run(&emulator, &["teardown", "--yes"]));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
    let none = ok(run(&emulator, &["teardown", "--yes"]));
    assert!(String::from_utf8_lossy(&none.stdout).contains("no airbyte-plink deployment in us-west-2"));
}

#[tokio::test]
async fn live_connections_are_named_then_rejected_before_the_service_goes() {
    let emulator = Emulator::start(&[REGION]);
    setup(&emulator, "orders-db", false);
    let service = state::read(&emulator, REGION, "orders-db").await.service().name.clone();
    let airbyte = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
    ok(run(&emulator, &["accept", "--name", "orders-db"]));
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &airbyte).await, "available");
    // A stranger someone allowed by hand, still pending: also in the way of deleting
    // the service.
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let service_id = state::read(&emulator, REGION, "orders-db").await.service().id.clone();
    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(service_id)
        .add_allowed_principals(format!("arn:aws:iam::{STRANGER}:root"))
        .send()
        .await
        .unwrap();
    let stranger = emulator.interface_endpoint(STRANGER, &service).await;
    emulator.clear_requests();

    let dry = ok(run(&emulator, &["teardown", "--name", "orders-db", "--dry-run"]));
    let stderr = String::from_utf8_lossy(&dry.stderr);
    assert!(stderr.contains(&format!("connection {airbyte} from account {AIRBYTE_ACCOUNT} is live")), "{stderr}");
    assert!(String::from_utf8_lossy(&dry.stdout).contains("Dry run: nothing was removed"));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    let removed = ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes"]));
    let calls = emulator.tool_mutations();
    assert!(
        position(&calls, "RejectVpcEndpointConnections") < position(&calls, "DeleteVpcEndpointServiceConfigurations"),
        "{calls:?}"
    );
    // Rejection completes asynchronously: AWS refuses the service's deletion for a moment
    // after it, and the teardown waits that out instead of failing.
    let deletions = calls.iter().filter(|c| *c == "DeleteVpcEndpointServiceConfigurations").count();
    assert!(deletions >= 2, "retried while the rejection completes: {calls:?}");
    let progress = String::from_utf8_lossy(&removed.stderr);
    assert!(progress.contains("done  wait for AWS to finish rejecting, then delete endpoint service"), "{progress}");
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &airbyte).await, "rejected");
    assert_eq!(emulator.endpoint_state(STRANGER, &stranger).await, "rejected");
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_connection_accepted_and_still_being_set_up_is_rejected_too() {
    let emulator = Emulator::start(&[REGION]);
    setup(&emulator, "orders-db", false);
    // AWS sets an accepted connection up before it is available: `pending` meanwhile,
    // and it keeps the service from being deleted like an available one.
    emulator.set_accept_pending(60.0);
    let service = state::read(&emulator, REGION, "orders-db").await.service().name.clone();
    let airbyte = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
    ok(run(&emulator, &["accept", "--name", "orders-db"]));
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &airbyte).await, "pending");
    let verify = run(&emulator, &["verify", "--name", "orders-db"]);
    assert!(String::from_utf8_lossy(&verify.stdout).contains("AWS is still setting it up (pending)"));

    let removed = ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes"]));
    let stderr = String::from_utf8_lossy(&removed.stderr);
    assert!(stderr.contains(&format!("connection {airbyte} from account {AIRBYTE_ACCOUNT} is live")), "{stderr}");
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &airbyte).await, "rejected");
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_teardown_that_stops_partway_says_what_remains_and_a_rerun_finishes() {
    let emulator = Emulator::start(&[REGION]);
    setup(&emulator, "orders-db", true);
    emulator.deny(&["DeleteTargetGroup"]);
    let stopped = run(&emulator, &["teardown", "--name", "orders-db", "--yes"]);
    assert_eq!(stopped.status.code(), Some(4), "AccessDenied is a permission problem");
    let stderr = String::from_utf8_lossy(&stopped.stderr);
    assert!(stderr.contains("teardown stopped after"), "{stderr}");
    assert!(stderr.contains("elasticloadbalancing:DeleteTargetGroup"), "names the permission: {stderr}");
    assert!(stderr.contains("airbyte-plink teardown --name orders-db"), "says how to finish: {stderr}");
    let left = state::read(&emulator, REGION, "orders-db").await;
    assert!(left.load_balancers.is_empty() && left.services.is_empty(), "what could go went: {left:#?}");
    assert_eq!(left.target_groups.len(), 1);

    emulator.allow_all();
    ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes"]));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
    // And the name is free again: setup builds from scratch.
    setup(&emulator, "orders-db", true);
    let rebuilt = state::read(&emulator, REGION, "orders-db").await;
    rebuilt.service();
}

#[tokio::test]
async fn deployments_on_one_database_group_each_have_their_own_rule_and_keep_it() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let untagged_before = state::untagged_ingress_rules(&emulator, REGION).await;
    setup(&emulator, "orders-db", true);
    setup(&emulator, "billing-db", true);
    // Each lets its own load balancer's group in: no rule is shared.
    let (orders, billing) =
        (state::read(&emulator, REGION, "orders-db").await, state::read(&emulator, REGION, "billing-db").await);
    for deployment in [&orders, &billing] {
        let rules = deployment.database_rules();
        assert_eq!(rules.len(), 1, "{:?}", deployment.rules);
        assert_eq!(
            (rules[0].group_id.as_str(), rules[0].peer.as_str()),
            (seed.db_security_group.as_str(), deployment.security_group().id.as_str())
        );
    }

    ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes"]));
    assert!(state::read(&emulator, REGION, "orders-db").await.is_empty());
    let kept = state::read(&emulator, REGION, "billing-db").await;
    assert_eq!(kept.database_rules().len(), 1, "billing-db keeps its rule");
    emulator.clear_requests();
    setup(&emulator, "billing-db", true);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "billing-db is whole");

    ok(run(&emulator, &["teardown", "--name", "billing-db", "--yes"]));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
    assert_eq!(state::untagged_ingress_rules(&emulator, REGION).await, untagged_before);
}

#[tokio::test]
async fn a_setup_stopped_before_its_service_is_still_found_without_a_name() {
    let emulator = Emulator::start(&[REGION]);
    emulator.deny(&["CreateVpcEndpointServiceConfiguration"]);
    let seed = emulator.seed(REGION).clone();
    let stopped = emulator.plink().args(setup_args_opening_group(&seed, REGION, "orders-db")).output().unwrap();
    assert_eq!(stopped.status.code(), Some(4));
    emulator.allow_all();
    let left = state::read(&emulator, REGION, "orders-db").await;
    assert!(left.services.is_empty() && left.load_balancers.len() == 1, "{left:#?}");

    let removed = ok(run(&emulator, &["teardown", "--yes"]));
    assert!(String::from_utf8_lossy(&removed.stdout).contains("Removed deployment orders-db"));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
}

#[tokio::test]
async fn deletion_protection_is_named_before_anything_is_removed() {
    let emulator = Emulator::start(&[REGION]);
    setup(&emulator, "orders-db", true);
    let lb_arn = state::read(&emulator, REGION, "orders-db").await.load_balancer().arn.clone();
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let protection = |on: bool| {
        aws_sdk_elasticloadbalancingv2::types::LoadBalancerAttribute::builder()
            .key("deletion_protection.enabled")
            .value(on.to_string())
            .build()
    };
    elb.modify_load_balancer_attributes().load_balancer_arn(&lb_arn).attributes(protection(true)).send().await.unwrap();

    // The dry run says so; the teardown refuses before its first removal.
    let dry_run = ok(run(&emulator, &["teardown", "--name", "orders-db", "--dry-run"]));
    assert!(String::from_utf8_lossy(&dry_run.stderr).contains("has deletion protection on"));
    emulator.clear_requests();
    let refused = run(&emulator, &["teardown", "--name", "orders-db", "--yes"]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("deletion_protection.enabled"), "names the setting: {stderr}");
    assert!(stderr.contains("Key=deletion_protection.enabled,Value=false"), "says how to turn it off: {stderr}");
    assert!(stderr.contains("nothing was removed"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    let deployment = state::read(&emulator, REGION, "orders-db").await;
    deployment.service();
    assert!(!deployment.database_rules().is_empty(), "nothing half removed");

    // Turned off as the message says, teardown removes it all.
    elb.modify_load_balancer_attributes()
        .load_balancer_arn(&lb_arn)
        .attributes(protection(false))
        .send()
        .await
        .unwrap();
    ok(run(&emulator, &["teardown", "--name", "orders-db", "--yes"]));
    assert!(state::read(&emulator, REGION, "orders-db").await.is_empty());
}
