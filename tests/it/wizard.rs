//! The interactive wizard, driven by keystrokes in a real pseudo-terminal against the
//! emulator; the result is checked with the SDK.

use crate::support::pty::{DOWN, ENTER, exit_code, expect, keys, spawn};
use crate::support::{AIRBYTE_ACCOUNT, Emulator, setup_args, state};

/// `setup_args` without the flags named here (each with its value).
fn without(args: Vec<String>, flags: &[&str]) -> Vec<String> {
    let mut kept = Vec::new();
    let mut skip = false;
    for arg in args {
        if skip {
            skip = false;
        } else if flags.contains(&arg.as_str()) {
            skip = true;
        } else if arg != "--no-input" {
            kept.push(arg);
        }
    }
    kept
}

#[tokio::test]
async fn a_full_session_by_keystrokes_builds_a_working_service_and_saves_the_answers() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let mut s = spawn(&emulator, &["setup".to_string()], dir.path());

    expect(&mut s, "incur AWS charges");
    expect(&mut s, "AWS region of the database");
    s.send_line("us-west-2").unwrap();
    expect(&mut s, "AWS account 123456789012, region us-west-2");
    expect(&mut s, "Where does your Airbyte Cloud workspace run?");
    keys(&mut s, ENTER);
    expect(&mut s, "cross-region connections from us-east-1");
    expect(&mut s, "Airbyte's AWS account ID");
    s.send_line("12345").unwrap();
    expect(&mut s, "'12345' is not an AWS account ID");
    s.send_line(AIRBYTE_ACCOUNT).unwrap();
    expect(&mut s, "Which database should Airbyte reach?");
    expect(&mut s, "RDS instance sample-orders");
    // The two Aurora clusters are listed first; the RDS instance third.
    keys(&mut s, DOWN);
    keys(&mut s, DOWN);
    keys(&mut s, ENTER);
    expect(&mut s, "Database port");
    keys(&mut s, ENTER);
    expect(&mut s, "Other databases behind the same endpoint service");
    keys(&mut s, ENTER);
    expect(&mut s, "VPC of the database");
    keys(&mut s, ENTER);
    expect(&mut s, "Subnets for the load balancer");
    keys(&mut s, ENTER);
    expect(&mut s, "Security group of the database");
    keys(&mut s, ENTER);
    expect(&mut s, "Deployment name");
    keys(&mut s, ENTER);
    expect(&mut s, "Plan for deployment sample-orders in us-west-2");
    expect(&mut s, "Apply these changes to your AWS account?");
    keys(&mut s, "y");
    expect(&mut s, "PrivateLink endpoint service ready");
    expect(&mut s, "Save these answers to a config file");
    keys(&mut s, "y");
    expect(&mut s, "Config file");
    keys(&mut s, ENTER);
    expect(&mut s, "To run it again without the questions:");
    let (_, rerun) = s.exp_regex(r"airbyte-plink setup --no-input[^\r\n]*").expect("the equivalent command line");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);

    let deployment = state::read(&emulator, "us-west-2", "sample-orders").await;
    let service = deployment.service();
    assert_eq!(service.principals, [format!("arn:aws:iam::{AIRBYTE_ACCOUNT}:root")]);
    assert!(service.supported_regions.contains(&"us-east-1".to_string()));
    assert_eq!(deployment.target_group().targets, [format!("{}:{}", seed.rds_address, seed.rds_port)]);
    assert_eq!(deployment.load_balancer().subnets.len(), 3, "one private subnet in each of three AZs");
    // The database's group lets the load balancer's in, with one rule.
    let rules = deployment.database_rules();
    assert_eq!(rules.len(), 1, "{:?}", deployment.rules);
    assert_eq!(
        (rules[0].group_id.as_str(), rules[0].peer.as_str()),
        (seed.db_security_group.as_str(), deployment.security_group().id.as_str())
    );

    let saved = std::fs::read_to_string(dir.path().join("plink-sample-orders.toml")).expect("the answers were saved");
    assert!(saved.contains("name = \"sample-orders\""), "{saved}");
    assert!(saved.contains(&seed.rds_endpoint), "{saved}");
    assert!(rerun.contains("--no-input") && rerun.contains("--name sample-orders"), "{rerun}");

    // The saved answers and the printed command both re-run without a question or a change.
    emulator.clear_requests();
    let from_file = emulator
        .plink()
        .args(["setup", "--no-input", "--dns-server", &emulator.dns, "--config"])
        .arg(dir.path().join("plink-sample-orders.toml"))
        .output()
        .unwrap();
    assert!(from_file.status.success(), "{}", String::from_utf8_lossy(&from_file.stderr));
    let words: Vec<&str> = rerun.split_whitespace().skip(1).collect();
    let from_line = emulator.plink().args(&words).args(["--dns-server", &emulator.dns]).output().unwrap();
    assert!(from_line.status.success(), "{}", String::from_utf8_lossy(&from_line.stderr));
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

#[tokio::test]
async fn the_rds_instance_and_the_aurora_cluster_share_one_service_chosen_by_keystrokes() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let given: Vec<String> =
        ["setup", "--region", "us-west-2", "--airbyte-region", "us", "--airbyte-account-id", AIRBYTE_ACCOUNT]
            .iter()
            .map(|s| s.to_string())
            .chain(["--dns-server".to_string(), emulator.dns.clone(), "--output".into(), "json".into()])
            .collect();
    let mut s = spawn(&emulator, &given, dir.path());
    expect(&mut s, "Which database should Airbyte reach?");
    // The two Aurora clusters are listed first; the RDS instance third.
    keys(&mut s, DOWN);
    keys(&mut s, DOWN);
    keys(&mut s, ENTER);
    expect(&mut s, "Database port");
    keys(&mut s, ENTER);
    // The others of its VPC, the Aurora cluster sample-aurora first.
    expect(&mut s, "Other databases behind the same endpoint service");
    expect(&mut s, "Aurora cluster sample-aurora ");
    keys(&mut s, " ");
    keys(&mut s, ENTER);
    let said = expect(&mut s, "Add one rule to their security groups");
    assert!(said.contains("One load balancer and one endpoint service serve all 2 databases"), "{said}");
    assert!(said.contains("runs 1 fewer of"), "{said}");
    keys(&mut s, "y");
    expect(&mut s, "Database aurora: port 3306 through the load balancer");
    for question in ["Seconds between health checks", "VPC of the database", "Subnets for the load balancer"] {
        expect(&mut s, question);
        keys(&mut s, ENTER);
    }
    expect(&mut s, "Security group of the database");
    keys(&mut s, ENTER);
    expect(&mut s, "Deployment name");
    keys(&mut s, ENTER);
    expect(&mut s, "Apply these changes to your AWS account?");
    keys(&mut s, "y");
    let (_, json) = s.exp_regex(r#""databases": \[[^\]]*\]"#).expect("the handover's databases");
    expect(&mut s, "Save these answers to a config file");
    keys(&mut s, "n");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    assert!(
        json.contains(r#""name": "aurora""#) && json.contains(&format!(r#""port": {}"#, seed.aurora_port)),
        "{json}"
    );

    // One service; the Aurora cluster's group and listener beside the instance's.
    let deployment = state::read(&emulator, "us-west-2", "sample-orders").await;
    assert_eq!(deployment.target_group().targets, [format!("{}:{}", seed.rds_address, seed.rds_port)]);
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk("us-west-2").await);
    let aurora = elb.describe_target_groups().names("sample-orders-aurora").send().await.unwrap();
    let aurora = &aurora.target_groups()[0];
    let health =
        elb.describe_target_health().target_group_arn(aurora.target_group_arn().unwrap()).send().await.unwrap();
    let target = health.target_health_descriptions()[0].target().unwrap();
    assert_eq!(target.id(), Some(seed.aurora_address.as_str()));
    let listeners = elb.describe_listeners().load_balancer_arn(&deployment.load_balancer().arn).send().await.unwrap();
    let mut ports: Vec<i32> = listeners.listeners().iter().filter_map(|l| l.port()).collect();
    ports.sort();
    assert_eq!(ports, [i32::from(seed.aurora_port), i32::from(seed.rds_port)]);
    let rules = deployment.database_rules();
    assert_eq!(rules.len(), 2, "the rule of each database's group: {:?}", deployment.rules);
}

#[tokio::test]
async fn a_public_subnet_is_shown_but_cannot_be_chosen() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let mut args = without(setup_args(&seed, "us-west-2", "orders-db"), &["--subnets"]);
    args.extend(["--db-security-group".to_string(), seed.db_security_group.clone()]);
    let mut s = spawn(&emulator, &args, dir.path());

    expect(&mut s, "Subnets for the load balancer");
    expect(&mut s, &format!("{} sample-public", seed.public_subnet));
    expect(&mut s, "cannot be used: public");
    // Four private subnets come first; the public one is fifth.
    for _ in 0..4 {
        keys(&mut s, DOWN);
    }
    keys(&mut s, " ");
    keys(&mut s, ENTER);
    expect(&mut s, &format!("{} cannot be used (public", seed.public_subnet));
    expect(&mut s, "Subnets for the load balancer");
    keys(&mut s, ENTER);
    expect(&mut s, "Apply these changes to your AWS account?");
    keys(&mut s, "n");
    expect(&mut s, "nothing was changed");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 1);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

#[tokio::test]
async fn ctrl_c_at_a_prompt_exits_130_with_nothing_created() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let args = without(setup_args(&seed, "us-west-2", "orders-db"), &["--airbyte-account-id"]);
    let mut s = spawn(&emulator, &args, dir.path());
    expect(&mut s, "Airbyte's AWS account ID");
    s.send_control('c').unwrap();
    expect(&mut s, "interrupted. Nothing was changed.");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 130);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert!(state::read(&emulator, "us-west-2", "orders-db").await.is_empty());
}

#[tokio::test]
async fn flags_given_on_the_command_line_are_not_asked_again() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let mut args = without(setup_args(&seed, "us-west-2", "orders-db"), &["--airbyte-account-id"]);
    args.extend(["--db-security-group".to_string(), seed.db_security_group.clone()]);
    let mut s = spawn(&emulator, &args, dir.path());
    let before = expect(&mut s, "Airbyte's AWS account ID");
    s.send_line(AIRBYTE_ACCOUNT).unwrap();
    let between = expect(&mut s, "Apply these changes to your AWS account?");
    for question in [
        "AWS region of the database",
        "Where does your Airbyte",
        "Which database",
        "Database port",
        "VPC of the",
        "Subnets for",
        "Security group of",
        "Deployment name",
    ] {
        assert!(
            !before.contains(question) && !between.contains(question),
            "{question:?} was asked:\n{before}{between}"
        );
    }
    keys(&mut s, "y");
    expect(&mut s, "PrivateLink endpoint service ready");
    expect(&mut s, "Save these answers to a config file");
    keys(&mut s, "n");
    expect(&mut s, "To run it again without the questions:");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    assert_eq!(state::read(&emulator, "us-west-2", "orders-db").await.service().principals.len(), 1);
}

#[tokio::test]
async fn without_a_terminal_every_missing_flag_is_listed() {
    let emulator = Emulator::start(&["us-west-2"]);
    // Neither --no-input nor CI: only the missing terminal stops the questions.
    let output = emulator.plink().env_remove("CI").args(["setup", "--region", "us-west-2"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    for flag in ["--name", "--airbyte-region", "--airbyte-account-id", "--target", "--port", "--vpc-id", "--subnets"] {
        assert!(stderr.contains(&format!("{flag} is required when not running interactively")), "{flag}: {stderr}");
    }
}

#[tokio::test]
async fn ctrl_c_during_apply_says_what_was_made_and_a_rerun_finishes_it() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let mut args = setup_args(&seed, "us-west-2", "orders-db");
    args.extend(["--db-security-group".to_string(), seed.db_security_group.clone()]);
    emulator.set_provisioning(30.0);
    let mut s = spawn(&emulator, &[without(args.clone(), &[]), vec!["--yes".to_string()]].concat(), dir.path());
    // The load balancer's wait is the longest step: interrupt it (the plan names the wait
    // too; the progress line says what AWS reports).
    expect(&mut s, "wait for load balancer orders-db to become active (state: provisioning)");
    s.send_control('c').unwrap();
    expect(&mut s, "Made before the interruption");
    expect(&mut s, "internal network load balancer orders-db");
    expect(&mut s, "Run the same command again to finish");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 130);
    assert!(state::read(&emulator, "us-west-2", "orders-db").await.services.is_empty());

    emulator.set_provisioning(0.0);
    let rerun = emulator.plink().args(&args).output().unwrap();
    assert!(rerun.status.success(), "{}", String::from_utf8_lossy(&rerun.stderr));
    let deployment = state::read(&emulator, "us-west-2", "orders-db").await;
    deployment.load_balancer();
    deployment.target_group();
    assert_eq!(deployment.service().principals.len(), 1);
}

#[tokio::test]
async fn teardown_at_a_terminal_asks_and_asks_again_when_airbyte_is_connected() {
    let emulator = Emulator::start(&["us-west-2"]);
    let seed = emulator.seed("us-west-2").clone();
    let dir = tempfile::tempdir().unwrap();
    let setup = emulator.plink().args(setup_args(&seed, "us-west-2", "orders-db")).output().unwrap();
    assert!(setup.status.success(), "{}", String::from_utf8_lossy(&setup.stderr));
    let service = state::read(&emulator, "us-west-2", "orders-db").await.service().name.clone();
    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service).await;
    let accept = emulator.plink().args(["accept", "--region", "us-west-2", "--name", "orders-db"]).output().unwrap();
    assert!(accept.status.success());
    let teardown: Vec<String> = ["teardown", "--region", "us-west-2", "--name", "orders-db"].map(String::from).to_vec();

    // Yes to the plan, no once told the live connection breaks: nothing is removed.
    let mut s = spawn(&emulator, &teardown, dir.path());
    expect(&mut s, "Removal plan for deployment orders-db");
    expect(&mut s, &format!("connection {endpoint} from account {AIRBYTE_ACCOUNT} is live"));
    expect(&mut s, "Remove these resources from your AWS account?");
    keys(&mut s, "y");
    expect(&mut s, "1 live connection(s) will stop working");
    keys(&mut s, "n");
    expect(&mut s, "Cancelled: nothing was changed.");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 1);
    state::read(&emulator, "us-west-2", "orders-db").await.service();
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "available");

    // Yes twice: everything goes, the connection rejected first.
    let mut s = spawn(&emulator, &teardown, dir.path());
    expect(&mut s, "Remove these resources from your AWS account?");
    keys(&mut s, "y");
    expect(&mut s, "1 live connection(s) will stop working");
    keys(&mut s, "y");
    expect(&mut s, "Removed deployment orders-db from us-west-2");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 0);
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "rejected");
    assert_eq!(state::tagged_resources(&emulator, "us-west-2").await, Vec::<String>::new());
}
