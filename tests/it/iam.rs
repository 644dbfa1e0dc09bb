//! `iam-policy` is exactly what the commands need: the whole lifecycle runs against the
//! emulator, every AWS action the binary calls is recorded per command, and each
//! command's policy must allow every one of them and nothing they never call (besides
//! the permissions AWS checks implicitly, listed here from AWS's documentation).

use std::collections::{BTreeMap, BTreeSet};
use std::process::Output;

use crate::support::pty::{DOWN, ENTER, exit_code, expect, keys, spawn};
use crate::support::{
    AIRBYTE_ACCOUNT, Emulator, TOOL_ACCESS_KEY, ok, replace, setup_args, setup_args_opening_group, state,
};

/// Where Airbyte's "us" region is: a deployment there is same-region.
const EAST: &str = "us-east-1";
const REGION: &str = "us-west-2";
const STRANGER: &str = "999988887777";

/// The AWS actions each command was seen to call.
struct Recorder<'a> {
    emulator: &'a Emulator,
    called: BTreeMap<&'static str, BTreeSet<String>>,
}

impl Recorder<'_> {
    fn take(&mut self, command: &'static str) {
        let actions = self
            .emulator
            .requests()
            .into_iter()
            .filter(|r| r.access_key == TOOL_ACCESS_KEY)
            // Requests are signed for a service's endpoint name, IAM names its actions:
            // CloudWatch signs as `monitoring`.
            .map(|r| format!("{}:{}", if r.service == "monitoring" { "cloudwatch" } else { &r.service }, r.action));
        self.called.entry(command).or_default().extend(actions);
        self.emulator.clear_requests();
    }

    fn run(&mut self, command: &'static str, args: &[String]) -> Output {
        self.emulator.clear_requests();
        let output = self.emulator.plink().env("AWS_REGION", REGION).args(args).output().expect("run airbyte-plink");
        self.take(command);
        // verify reports failing checks with exit 3, which is its job, not an error.
        if command == "verify" && output.status.code() == Some(3) {
            return output;
        }
        ok(output)
    }
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

/// `setup` or `plan` on a terminal, with only the database, port, VPC, subnets and
/// security group left to choose: the wizard lists what the account has.
fn wizard(emulator: &Emulator, command: &[&str], name: &str) {
    let dir = tempfile::tempdir().unwrap();
    let given = args(
        &[
            command,
            &["--region", REGION, "--name", name, "--airbyte-region", "us", "--airbyte-account-id", AIRBYTE_ACCOUNT],
        ]
        .concat(),
    );
    let mut s = spawn(emulator, &given, dir.path());
    expect(&mut s, "Which database should Airbyte reach?");
    expect(&mut s, "RDS instance sample-orders");
    // Two Aurora clusters are listed first; the RDS instance third.
    keys(&mut s, DOWN);
    keys(&mut s, DOWN);
    keys(&mut s, ENTER);
    let questions = [
        "Database port",
        "Other databases behind the same endpoint service",
        "VPC of the database",
        "Subnets for the load balancer",
        "Security group of the",
    ];
    for question in questions {
        expect(&mut s, question);
        keys(&mut s, ENTER);
    }
    match command[0] {
        "setup" => {
            expect(&mut s, "Apply these changes to your AWS account?");
            keys(&mut s, "y");
            expect(&mut s, "Save these answers to a config file");
            keys(&mut s, "n");
        }
        "plan" => drop(expect(&mut s, &format!("Plan for deployment {name}"))),
        _ => drop(expect(&mut s, "AWSTemplateFormatVersion")),
    }
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0, "the {command:?} wizard succeeded");
}

/// Permissions AWS checks without a call of their own.
fn implied(called: &BTreeSet<String>) -> BTreeSet<String> {
    let mut implied = BTreeSet::new();
    let any = |actions: &[&str]| actions.iter().any(|a| called.contains(*a));
    // Tags given in a create request need the tagging permission too.
    if any(&[
        "elasticloadbalancing:CreateLoadBalancer",
        "elasticloadbalancing:CreateTargetGroup",
        "elasticloadbalancing:CreateListener",
    ]) {
        implied.insert("elasticloadbalancing:AddTags".to_string());
    }
    if any(&[
        "ec2:CreateVpcEndpointServiceConfiguration",
        "ec2:CreateSecurityGroup",
        "ec2:AuthorizeSecurityGroupIngress",
        "ec2:AuthorizeSecurityGroupEgress",
    ]) {
        implied.insert("ec2:CreateTags".to_string());
    }
    // AWS checks vpce:AllowMultiRegion on calls about a cross-region service; it does
    // not say which, so every call that changes a service or its connections implies it
    // (src/aws/permissions.rs says why).
    if any(&[
        "ec2:CreateVpcEndpointServiceConfiguration",
        "ec2:ModifyVpcEndpointServiceConfiguration",
        "ec2:AcceptVpcEndpointConnections",
        "ec2:RejectVpcEndpointConnections",
        "ec2:DeleteVpcEndpointServiceConfigurations",
    ]) {
        implied.insert("vpce:AllowMultiRegion".to_string());
    }
    // The follower's resources take their tags in the create request too, and a function
    // is given its role, which IAM checks as iam:PassRole.
    // The tags of the follower's rules, alarm and log group are read only when they exist,
    // which no command can know before looking them up.
    if called.contains("lambda:GetFunction") {
        for read in ["cloudwatch:ListTagsForResource", "events:ListTagsForResource", "logs:ListTagsForResource"] {
            implied.insert(read.to_string());
        }
    }
    for (create, also) in [
        ("iam:CreateRole", "iam:TagRole"),
        ("lambda:CreateFunction", "lambda:TagResource"),
        ("lambda:CreateFunction", "iam:PassRole"),
        ("lambda:UpdateFunctionConfiguration", "iam:PassRole"),
        ("events:PutRule", "events:TagResource"),
        ("cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"),
        ("logs:CreateLogGroup", "logs:TagResource"),
    ] {
        if called.contains(create) {
            implied.insert(also.to_string());
        }
    }
    implied
}

fn policy_actions(command: &str) -> BTreeSet<String> {
    let output = ok(support_plink().args(["iam-policy", "--for", command]).output().unwrap());
    let policy: serde_json::Value = serde_json::from_slice(&output.stdout).expect("the policy is JSON");
    assert_eq!(policy["Version"], "2012-10-17");
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()))
        .collect()
}

/// The binary alone: `iam-policy` needs no AWS.
fn support_plink() -> std::process::Command {
    std::process::Command::new(env!("CARGO_BIN_EXE_airbyte-plink"))
}

#[tokio::test]
async fn each_commands_policy_allows_exactly_what_it_calls() {
    let emulator = Emulator::start(&[REGION, EAST]);
    let seed = emulator.seed(REGION).clone();
    let mut r = Recorder { emulator: &emulator, called: BTreeMap::new() };

    // setup: from scratch, converged, on a terminal, and every in-place change.
    let orders = setup_args_opening_group(&seed, REGION, "orders-db");
    r.run("setup", &orders);
    r.run("setup", &orders);
    wizard(&emulator, &["setup"], "wiz-db");
    r.take("setup");
    let ip = replace(setup_args_opening_group(&seed, REGION, "ip-db"), "--target", "10.0.1.10");
    r.run("setup", &ip);
    let mut changed = replace(setup_args(&seed, REGION, "ip-db"), "--target", "10.0.1.11");
    changed = replace(changed, "--subnets", &seed.private_subnets.join(","));
    changed = replace(changed, "--airbyte-region", "eu");
    changed = replace(changed, "--airbyte-account-id", "444455556666");
    changed.extend(args(&["--no-acceptance-required", "--no-cross-zone", "--tag", "team=data"]));
    r.run("setup", &changed);
    let mut wiz_without_group = replace(setup_args(&seed, REGION, "wiz-db"), "--target", &seed.rds_endpoint);
    let wizard_subnets = state::read(&emulator, REGION, "wiz-db").await.load_balancer().subnets.join(",");
    wiz_without_group = replace(wiz_without_group, "--subnets", &wizard_subnets);
    wiz_without_group = replace(wiz_without_group, "--port", &seed.rds_port.to_string());
    wiz_without_group.extend(args(&["--dns-server", &emulator.dns]));
    r.run("setup", &wiz_without_group);
    let deployment = state::read(&emulator, REGION, "orders-db").await;
    let foreign_target_group = state::read(&emulator, REGION, "ip-db").await.target_group().arn.clone();
    redirect_listener(&emulator, &deployment.load_balancer().arn, &foreign_target_group).await;
    r.run("setup", &orders);

    // A MySQL cluster: its parameter groups are read; and another health check.
    let mut aurora = replace(setup_args_opening_group(&seed, REGION, "aurora-db"), "--target", &seed.aurora_endpoint);
    aurora = replace(aurora, "--port", "3306");
    aurora.extend(args(&["--dns-server", &emulator.dns]));
    r.run("setup", &aurora);
    r.run("setup", &[aurora.clone(), args(&["--health-check-interval", "60"])].concat());
    // Its follower (on by default for an Aurora cluster): drifted code and settings put
    // back, removed with --no-follow and made again.
    state::drift_follower(&emulator, REGION, "aurora-db").await;
    r.run("setup", &aurora);
    r.run("setup", &[aurora.clone(), args(&["--no-follow"])].concat());
    r.run("setup", &aurora);

    // A same-region deployment (Airbyte's "us" is us-east-1) with its own idle timeout,
    // set as the listener is made and changed in place.
    let east = emulator.seed(EAST).clone();
    let idle = [setup_args_opening_group(&east, EAST, "east-db"), args(&["--idle-timeout", "3600"])].concat();
    r.run("setup", &idle);
    r.run("setup", &replace(idle, "--idle-timeout", "1800"));

    // Several databases: one added beside the deployment's own, then removed in place.
    let multi = [setup_args_opening_group(&seed, REGION, "multi-db"), args(&["--dns-server", &emulator.dns])].concat();
    let rds = format!("rds={}:{}@5433", seed.rds_endpoint, seed.rds_port);
    r.run("setup", &multi);
    r.run("setup", &[multi.clone(), args(&["--database", &rds, "--no-follow"])].concat());
    r.run("setup", &multi);

    // plan: flags only, and on a terminal.
    r.run("plan", &[args(&["plan"]), orders[1..].to_vec()].concat());
    r.run("plan", &[args(&["plan"]), aurora[1..].to_vec()].concat());
    wizard(&emulator, &["plan"], "plan-db");
    r.take("plan");

    // export: from flags, on a terminal, and from the deployment.
    r.run("export", &[args(&["export", "cloudformation"]), orders[1..].to_vec()].concat());
    r.run("export", &[args(&["export", "cloudformation"]), aurora[1..].to_vec()].concat());
    wizard(&emulator, &["export", "cloudformation"], "export-db");
    r.take("export");
    r.run("export", &args(&["export", "cloudformation", "--from-deployment", "orders-db"]));

    // accept: Airbyte's request, and a stranger's rejected.
    let service = deployment.service();
    emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service.name).await;
    r.run("accept", &args(&["accept", "--name", "orders-db"]));
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let stranger = format!("arn:aws:iam::{STRANGER}:root");
    ec2.modify_vpc_endpoint_service_permissions()
        .service_id(&service.id)
        .add_allowed_principals(stranger)
        .send()
        .await
        .unwrap();
    emulator.interface_endpoint(STRANGER, &service.name).await;
    r.run("accept", &args(&["accept", "--name", "orders-db", "--reject-others"]));

    r.run("status", &args(&["status", "--all"]));
    r.run("status", &args(&["status", "--name", "orders-db", "--output", "json"]));
    r.run("verify", &args(&["verify", "--name", "orders-db", "--output", "json"]));
    r.run("verify", &args(&["verify", "--name", "wiz-db", "--dns-server", &emulator.dns]));
    r.run("verify", &args(&["verify", "--name", "aurora-db", "--dns-server", &emulator.dns]));

    // sync-targets: a database reached through peering moved (the load balancer's group
    // follows it out), and the RDS instance moved.
    emulator.set_dns("peered.db.internal", &["10.9.0.5"]);
    let mut peered = replace(setup_args(&seed, REGION, "peer-db"), "--target", "peered.db.internal");
    peered.extend(args(&["--allow-targets-outside-vpc", "--dns-server", &emulator.dns]));
    r.run("setup", &peered);
    emulator.set_dns("peered.db.internal", &["10.9.0.6"]);
    r.run("sync-targets", &args(&["sync-targets", "--name", "peer-db", "--dns-server", &emulator.dns]));
    emulator.set_dns(&seed.rds_endpoint, &["10.0.2.51"]);
    r.run("sync-targets", &args(&["sync-targets", "--name", "wiz-db", "--dns-server", &emulator.dns]));

    // teardown: with a live connection, and deployments on one database group.
    r.run("setup", &setup_args_opening_group(&seed, REGION, "share-a"));
    r.run("setup", &setup_args_opening_group(&seed, REGION, "share-b"));
    r.run("teardown", &args(&["teardown", "--name", "share-a", "--yes"]));
    r.run("setup", &setup_args_opening_group(&seed, REGION, "share-c"));
    // Each goes with its own rule in the database's group, and its own group.
    for name in ["orders-db", "share-c", "share-b", "ip-db", "wiz-db", "peer-db", "aurora-db"] {
        r.run("teardown", &args(&["teardown", "--name", name, "--yes"]));
    }
    r.run("teardown", &args(&["teardown", "--yes"]));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());

    let exempt = "sts:GetCallerIdentity"; // AWS requires no permission for it
    for (command, called) in &r.called {
        let mut needed: BTreeSet<String> = called.iter().filter(|a| *a != exempt).cloned().collect();
        needed.extend(implied(called));
        let allowed = policy_actions(command);
        let missing: Vec<&String> = needed.difference(&allowed).collect();
        let unused: Vec<&String> = allowed.difference(&needed).collect();
        assert!(missing.is_empty(), "{command} calls what its policy does not allow: {missing:?}");
        assert!(unused.is_empty(), "{command}'s policy allows what it never calls: {unused:?}");
    }
    assert_eq!(r.called.len(), 8, "every command was recorded: {:?}", r.called.keys());
    let all = policy_actions("all");
    let union: BTreeSet<String> = r.called.keys().flat_map(|c| policy_actions(c)).collect();
    assert_eq!(all, union, "--for all is every command's policy together");
}

/// Points a listener at another target group, as a hand edit in the console would.
async fn redirect_listener(emulator: &Emulator, load_balancer_arn: &str, target_group_arn: &str) {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let listeners = elb.describe_listeners().load_balancer_arn(load_balancer_arn).send().await.unwrap();
    let forward = aws_sdk_elasticloadbalancingv2::types::Action::builder()
        .r#type(aws_sdk_elasticloadbalancingv2::types::ActionTypeEnum::Forward)
        .target_group_arn(target_group_arn)
        .build();
    elb.modify_listener()
        .listener_arn(listeners.listeners()[0].listener_arn().unwrap())
        .default_actions(forward)
        .send()
        .await
        .unwrap();
}
