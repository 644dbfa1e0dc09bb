//! Knowing the database behind the load balancer: MySQL's connect-error limit, what
//! Airbyte is told, health checks, failover zones and why a target is unhealthy. Each
//! runs the binary against the seeded MySQL databases and reads AWS back with the SDK.

use crate::support::pty::{ENTER, exit_code, expect, keys, spawn};
use crate::support::state;
use crate::support::{AIRBYTE_ACCOUNT, Emulator, Seed, ok, replace, setup_args_opening_group, stdout_json};

const REGION: &str = "us-west-2";

fn run(emulator: &Emulator, args: &[String]) -> std::process::Output {
    emulator.plink().args(args).output().expect("run airbyte-plink")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `setup` of `host` (a seeded RDS endpoint) on MySQL's port, answered by the emulator's DNS.
fn mysql_setup(emulator: &Emulator, seed: &Seed, name: &str, host: &str) -> Vec<String> {
    let mut args = replace(setup_args_opening_group(seed, REGION, name), "--target", host);
    assert_eq!(seed.mysql_port, seed.aurora_port);
    args = replace(args, "--port", &seed.mysql_port.to_string());
    args.extend(["--dns-server".to_string(), emulator.dns.clone()]);
    args
}

#[tokio::test]
async fn a_default_parameter_group_is_named_with_the_fix_and_the_handover_says_what_airbyte_needs() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let mut args = mysql_setup(&emulator, &seed, "aurora-db", &seed.aurora_endpoint);
    args.extend(["--output".to_string(), "json".to_string()]);
    let output = ok(run(&emulator, &args));
    let result = stdout_json(&output);
    let warnings = result["warnings"].to_string();
    // Aurora MySQL keeps max_connect_errors per instance: the writer's default group.
    assert!(warnings.contains("max_connect_errors is 100 for sample-aurora"), "{warnings}");
    assert!(warnings.contains(&format!("parameter group {}", seed.aurora_parameter_group)), "{warnings}");
    assert!(warnings.contains("cannot be changed: create a custom one"), "{warnings}");
    assert!(warnings.contains("ParameterValue=1000000"), "{warnings}");
    let handover = &result;
    assert_eq!(handover["database_kind"], "MySQL");
    assert_eq!(handover["port"], 3306);
    assert_eq!(handover["tls"]["certificate_hostname"], seed.aurora_endpoint.as_str());
    assert_eq!(handover["tls"]["certificate_authority"], "rds-ca-rsa2048-g1");
    assert_eq!(
        handover["tls"]["ca_bundle_url"],
        "https://truststore.pki.rds.amazonaws.com/us-west-2/us-west-2-bundle.pem"
    );
    assert_eq!(handover["tls"]["modes_that_fail"], serde_json::json!(["verify_identity"]));
    // AWS holds the kind for day-2 commands, and the health check for databases.
    let deployment = state::read(&emulator, REGION, "aurora-db").await;
    assert_eq!(deployment.service().tags.get("airbyte-plink:database-kind").map(String::as_str), Some("mysql"));
    assert_eq!(deployment.target_group().health_check, (30, 10, 2, 3));
    assert_eq!(deployment.target_group().targets, vec![format!("{}:3306", seed.aurora_address)]);

    // The tuned cluster raises it in its writer's group, which overrides the cluster's.
    let mut tuned_cluster = mysql_setup(&emulator, &seed, "aurora-tuned", &seed.aurora_tuned_endpoint);
    tuned_cluster[0] = "plan".into();
    let plan = ok(run(&emulator, &tuned_cluster));
    assert!(!text(&plan.stdout).contains("max_connect_errors"), "{}", text(&plan.stdout));
    assert!(text(&plan.stdout).contains(&seed.aurora_tuned_address), "{}", text(&plan.stdout));

    // A default group may list the parameter without a value: MySQL's default applies.
    emulator.set_parameter_default_values(false);
    let plan = run(&emulator, &[words(&["plan"]), args[1..args.len() - 2].to_vec()].concat());
    assert!(text(&plan.stdout).contains("max_connect_errors is 100 for sample-aurora"), "{}", text(&plan.stdout));
    emulator.set_parameter_default_values(true);

    // The raised limit passes; verify checks it by name.
    let tuned = mysql_setup(&emulator, &seed, "tuned-db", &seed.mysql_tuned_endpoint);
    let output = ok(run(&emulator, &tuned));
    assert!(!text(&output.stderr).contains("max_connect_errors"), "{}", text(&output.stderr));
    assert!(!text(&output.stdout).contains("max_connect_errors is"), "{}", text(&output.stdout));
    let verify = run(
        &emulator,
        &words(&[
            "verify",
            "--region",
            REGION,
            "--name",
            "aurora-db",
            "--output",
            "json",
            "--dns-server",
            &emulator.dns,
        ]),
    );
    let check = find_check(&stdout_json(&verify), "database.mysql-connect-errors");
    assert_eq!(check["status"], "warn", "{check}");
    assert!(check["detail"].as_str().unwrap().contains(&seed.aurora_parameter_group), "{check}");
    let verify = run(
        &emulator,
        &words(&[
            "verify",
            "--region",
            REGION,
            "--name",
            "tuned-db",
            "--output",
            "json",
            "--dns-server",
            &emulator.dns,
        ]),
    );
    let check = find_check(&stdout_json(&verify), "database.mysql-connect-errors");
    assert_eq!(check["status"], "pass", "{check}");
    assert!(check["detail"].as_str().unwrap().contains("1000000"), "{check}");
}

#[tokio::test]
async fn the_wizard_warns_about_the_sample_aurora_clusters_limit_before_applying() {
    let emulator = Emulator::start(&[REGION]);
    let dir = tempfile::tempdir().unwrap();
    let given = words(&[
        "setup",
        "--region",
        REGION,
        "--name",
        "wiz-aurora",
        "--airbyte-region",
        "us",
        "--airbyte-account-id",
        AIRBYTE_ACCOUNT,
        "--dns-server",
        &emulator.dns,
    ]);
    let mut s = spawn(&emulator, &given, dir.path());
    expect(&mut s, "Which database should Airbyte reach?");
    expect(&mut s, "Aurora cluster sample-aurora");
    keys(&mut s, ENTER);
    // RDS says it is MySQL: no kind to ask, a health-check interval to choose.
    for question in [
        "Database port",
        "Other databases behind the same endpoint service",
        "Seconds between health checks",
        "VPC of the database",
        "Subnets for the load balancer",
        "Security group of the",
    ] {
        expect(&mut s, question);
        keys(&mut s, ENTER);
    }
    let before = expect(&mut s, "Apply these changes to your AWS account?");
    assert!(before.contains("max_connect_errors is 100 for sample-aurora"), "{before}");
    assert!(before.contains("default.aurora-mysql8.0"), "{before}");
    keys(&mut s, "n");
    s.exp_eof().unwrap();
    assert_eq!(exit_code(&s), 1, "declined");
    assert!(state::read(&emulator, REGION, "wiz-aurora").await.is_empty(), "nothing was made");
}

#[tokio::test]
async fn a_failover_into_an_uncovered_zone_is_warned_of_and_fails_sync_targets_with_the_subnet_to_add() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let mut args = mysql_setup(&emulator, &seed, "mysql-db", &seed.mysql_endpoint);
    args.extend(["--health-check-interval".to_string(), "60".to_string()]);
    let output = ok(run(&emulator, &args));
    let plan = text(&output.stdout) + &text(&output.stderr);
    // sample-three-zones reaches the third AZ; setup was given the first two.
    assert!(plan.contains("sample-mysql can fail over into"), "{plan}");
    assert!(plan.contains(&format!("add {}", seed.private_subnets[2])), "{plan}");
    let deployment = state::read(&emulator, REGION, "mysql-db").await;
    assert_eq!(deployment.target_group().health_check, (60, 10, 2, 3));
    assert_eq!(deployment.target_group().targets, vec![format!("{}:3306", seed.mysql_address)]);

    // RDS fails over into the third AZ.
    emulator.set_dns(&seed.mysql_endpoint, &["10.0.3.70"]);
    let output = run(
        &emulator,
        &words(&["sync-targets", "--region", REGION, "--name", "mysql-db", "--dns-server", &emulator.dns]),
    );
    assert_eq!(output.status.code(), Some(3), "{}", text(&output.stderr));
    let message = text(&output.stderr);
    assert!(message.contains("10.0.3.70 is in"), "{message}");
    assert!(message.contains(&format!("--subnets {}", seed.private_subnets.join(","))), "{message}");
    // The targets were made current all the same.
    let deployment = state::read(&emulator, REGION, "mysql-db").await;
    assert_eq!(deployment.target_group().targets, vec!["10.0.3.70:3306".to_string()]);

    // Setup with the suggested subnet makes the zones whole, and the interval back.
    let mut whole = replace(args.clone(), "--subnets", &seed.private_subnets.join(","));
    whole.truncate(whole.len() - 2);
    ok(run(&emulator, &whole));
    let deployment = state::read(&emulator, REGION, "mysql-db").await;
    assert_eq!(deployment.load_balancer().subnets.len(), 3);
    assert_eq!(deployment.target_group().health_check, (30, 10, 2, 3));
    ok(run(
        &emulator,
        &words(&["sync-targets", "--region", REGION, "--name", "mysql-db", "--dns-server", &emulator.dns]),
    ));
}

#[tokio::test]
async fn an_acl_that_drops_the_replies_is_named_by_verify_with_the_rule_to_add() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    ok(run(&emulator, &mysql_setup(&emulator, &seed, "acl-db", &seed.mysql_tuned_endpoint)));
    let deployment = state::read(&emulator, REGION, "acl-db").await;
    // Someone denies the ephemeral ports going out of the private subnets.
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    ec2.create_network_acl_entry()
        .network_acl_id(&seed.private_network_acl)
        .rule_number(50)
        .protocol("6")
        .rule_action(aws_sdk_ec2::types::RuleAction::Deny)
        .egress(true)
        .cidr_block("10.0.0.0/16")
        .port_range(aws_sdk_ec2::types::PortRange::builder().from(1024).to(65535).build())
        .send()
        .await
        .unwrap();
    emulator.set_target_health(&deployment.target_group().arn, &seed.mysql_tuned_address, "unhealthy");
    let output = run(
        &emulator,
        &words(&["verify", "--region", REGION, "--name", "acl-db", "--output", "json", "--dns-server", &emulator.dns]),
    );
    assert_eq!(output.status.code(), Some(3));
    let report = stdout_json(&output);
    assert_eq!(find_check(&report, "targets.healthy")["status"], "fail");
    let check = find_check(&report, "network-acl.target-subnets");
    assert_eq!(check["status"], "fail", "{check}");
    let detail = check["detail"].as_str().unwrap();
    assert!(detail.contains(&seed.private_network_acl) && detail.contains("rule 50 denies it"), "{detail}");
    assert!(detail.contains("outbound TCP 1024-65535"), "{detail}");
    let fix = check["fix"].as_str().unwrap();
    assert!(fix.contains("--egress --rule-number 4") && fix.contains("--port-range From=1024,To=65535"), "{fix}");
    // The load balancer's subnets share the ACL: the deny also stops TCP 3306 going out to
    // the database, and that rule gets a number of its own, also before rule 50.
    let near = find_check(&report, "network-acl.load-balancer-subnets");
    assert_eq!(near["status"], "fail", "{near}");
    let near_fix = near["fix"].as_str().unwrap();
    assert!(near_fix.contains("--port-range From=3306,To=3306"), "{near_fix}");
    let number = |fix: &str| fix.split("--rule-number ").nth(1).and_then(|r| r.split(' ').next()).unwrap().to_string();
    let (a, b) = (number(fix), number(near_fix));
    assert_ne!(a, b);
    assert!([&a, &b].iter().all(|n| ["48", "49"].contains(&n.as_str())), "{a} {b}");
    // The other causes are ruled out by name.
    for id in ["targets.zones-covered", "database.port", "database.mysql-connect-errors"] {
        assert_eq!(find_check(&report, id)["status"], "pass", "{id}");
    }
}

#[tokio::test]
async fn the_kind_is_given_for_an_address_and_a_contradiction_with_rds_is_refused() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let mut wrong = mysql_setup(&emulator, &seed, "wrong-db", &seed.mysql_endpoint);
    wrong.extend(words(&["--database-kind", "postgres"]));
    let output = run(&emulator, &wrong);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("--database-kind: 'postgres' contradicts RDS"), "{}", text(&output.stderr));
    assert!(state::read(&emulator, REGION, "wrong-db").await.is_empty());
    // RDS says which port the database listens on.
    let other_port = replace(mysql_setup(&emulator, &seed, "port-db", &seed.mysql_endpoint), "--port", "3307");
    let output = run(&emulator, &other_port);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("--port: sample-mysql listens on port 3306, RDS says; use --port 3306"), "{message}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    let mut by_address = replace(setup_args_opening_group(&seed, REGION, "ip-db"), "--target", "10.0.1.20");
    by_address.extend(words(&["--database-kind", "mariadb", "--output", "json"]));
    by_address = replace(by_address, "--port", "3306");
    let result = stdout_json(&ok(run(&emulator, &by_address)));
    assert_eq!(result["database_kind"], "MariaDB");
    assert!(result["warnings"].to_string().contains("SHOW VARIABLES LIKE 'max_connect_errors'"), "{result}");
    let deployment = state::read(&emulator, REGION, "ip-db").await;
    assert_eq!(deployment.service().tags.get("airbyte-plink:database-kind").map(String::as_str), Some("mariadb"));
}

fn words(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

fn find_check(report: &serde_json::Value, id: &str) -> serde_json::Value {
    let checks = report["checks"].as_array().unwrap();
    checks.iter().find(|c| c["id"] == id).cloned().unwrap_or_else(|| panic!("no check {id}: {report}"))
}

#[tokio::test]
async fn a_stopped_instance_target_is_named_by_verify_with_the_command_that_starts_it() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    ok(run(&emulator, &setup_args_opening_group(&seed, REGION, "orders-db")));
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    ec2.stop_instances().instance_ids(&seed.db_instance_id).send().await.unwrap();
    let stopped = ec2.describe_instances().instance_ids(&seed.db_instance_id).send().await.unwrap();
    let state = stopped.reservations()[0].instances()[0].state().and_then(|s| s.name()).unwrap().as_str().to_string();
    assert_ne!(state, "running");
    let output = run(&emulator, &words(&["verify", "--region", REGION, "--name", "orders-db", "--output", "json"]));
    assert_eq!(output.status.code(), Some(3));
    let check = find_check(&stdout_json(&output), "targets.instances-running");
    assert_eq!(check["status"], "fail", "{check}");
    assert!(check["detail"].as_str().unwrap().contains(&format!("{} is {state}", seed.db_instance_id)), "{check}");
    assert!(check["fix"].as_str().unwrap().contains("aws ec2 start-instances"), "{check}");
}

#[tokio::test]
async fn a_database_moved_to_another_port_is_named_by_verify() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    ok(run(&emulator, &mysql_setup(&emulator, &seed, "port-db", &seed.mysql_tuned_endpoint)));
    let rds = aws_sdk_rds::Client::new(&emulator.sdk(REGION).await);
    rds.modify_db_instance()
        .db_instance_identifier("sample-mysql-tuned")
        .db_port_number(3307)
        .apply_immediately(true)
        .send()
        .await
        .unwrap();
    let described = rds.describe_db_instances().db_instance_identifier("sample-mysql-tuned").send().await.unwrap();
    let port = described.db_instances()[0].endpoint().and_then(|e| e.port());
    assert_eq!(port, Some(3307), "RDS reports the new port");
    let output = run(
        &emulator,
        &words(&["verify", "--region", REGION, "--name", "port-db", "--output", "json", "--dns-server", &emulator.dns]),
    );
    assert_eq!(output.status.code(), Some(3));
    let check = find_check(&stdout_json(&output), "database.port");
    assert_eq!(check["status"], "fail", "{check}");
    assert!(
        check["detail"].as_str().unwrap().contains("listens on 3307, but the load balancer sends to 3306"),
        "{check}"
    );
    assert!(check["fix"].as_str().unwrap().contains("another --name with --port 3307"), "{check}");
}
