//! Several databases behind one load balancer and endpoint service: a target group and
//! a listener each, on its own port, and one service name for Airbyte. Checked through
//! the SDK.

use std::collections::BTreeMap;

use crate::support::{AIRBYTE_ACCOUNT, Emulator, ok, setup_args, state, stdout_json};

const REGION: &str = "us-west-2";
const NAME: &str = "orders-db";

/// Each listener of the deployment's load balancer, by port: the name of the target
/// group it forwards to, and that group's targets (`id:port`).
async fn listeners(emulator: &Emulator) -> BTreeMap<i32, (String, Vec<String>)> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let lbs = elb.describe_load_balancers().names(NAME).send().await.unwrap();
    let lb = lbs.load_balancers()[0].load_balancer_arn().unwrap().to_string();
    let mut found = BTreeMap::new();
    for listener in elb.describe_listeners().load_balancer_arn(&lb).send().await.unwrap().listeners() {
        let tg_arn = listener.default_actions()[0].target_group_arn().unwrap().to_string();
        let tg = elb.describe_target_groups().target_group_arns(&tg_arn).send().await.unwrap();
        let name = tg.target_groups()[0].target_group_name().unwrap().to_string();
        let targets = targets_of(emulator, &name).await;
        found.insert(listener.port().unwrap(), (name, targets));
    }
    found
}

/// The names of the target groups in the region that begin with `prefix`.
async fn target_groups(emulator: &Emulator, prefix: &str) -> Vec<String> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let groups = elb.describe_target_groups().send().await.unwrap();
    let mut names: Vec<String> = groups
        .target_groups()
        .iter()
        .filter_map(|g| g.target_group_name())
        .filter(|n| n.starts_with(prefix))
        .map(str::to_string)
        .collect();
    names.sort();
    names
}

/// The rules of the database's group that let the load balancer's own group in, by port.
async fn database_rule_ports(emulator: &Emulator, group: &str) -> Vec<i32> {
    let deployment = state::read(emulator, REGION, NAME).await;
    let own = deployment.security_group().id.clone();
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let filter = aws_sdk_ec2::types::Filter::builder().name("group-id").values(group).build();
    let rules = ec2.describe_security_group_rules().filters(filter).send().await.unwrap();
    let mut ports: Vec<i32> = rules
        .security_group_rules()
        .iter()
        .filter(|r| r.is_egress() == Some(false))
        .filter(|r| r.referenced_group_info().and_then(|g| g.group_id()) == Some(own.as_str()))
        .filter_map(|r| r.from_port())
        .collect();
    ports.sort();
    ports
}

fn with(args: &[String], more: &[String]) -> Vec<String> {
    [args, more].concat()
}

#[tokio::test]
async fn three_databases_share_one_service_and_one_is_removed_in_place() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let dir = tempfile::tempdir().unwrap();
    // The Aurora cluster from the config file, with its security group; the RDS
    // instance by flag, on another listener port than its own 5432, which the
    // deployment's own database takes.
    let config = dir.path().join("plink.toml");
    std::fs::write(
        &config,
        format!(
            "[[databases]]\nname = \"aurora\"\ntargets = [\"{}\"]\nport = {}\ndb_security_group = \"{}\"\n",
            seed.aurora_endpoint, seed.aurora_port, seed.db_security_group
        ),
    )
    .unwrap();
    let base = with(
        &setup_args(&seed, REGION, NAME),
        &[
            "--db-security-group".into(),
            seed.db_security_group.clone(),
            "--no-follow".into(),
            "--dns-server".into(),
            emulator.dns.clone(),
        ],
    );
    let rds = format!("rds={}:{}@5433", seed.rds_endpoint, seed.rds_port);
    let three = with(&base, &["--config".into(), config.display().to_string(), "--database".into(), rds.clone()]);
    let output = ok(emulator.plink().args(&three).args(["--output", "json"]).output().unwrap());
    let handover = stdout_json(&output);

    let groups = target_groups(&emulator, NAME).await;
    assert_eq!(groups, ["orders-db", "orders-db-aurora", "orders-db-rds"]);
    let found = listeners(&emulator).await;
    let ports: Vec<i32> = found.keys().copied().collect();
    assert_eq!(ports, [i32::from(seed.aurora_port), 5432, 5433], "Aurora MySQL on 3306");
    assert_eq!(found[&5432].0, "orders-db");
    assert_eq!(found[&5433], ("orders-db-rds".to_string(), vec![format!("{}:{}", seed.rds_address, seed.rds_port)]));
    let aurora = &found[&i32::from(seed.aurora_port)];
    assert_eq!(
        aurora,
        &("orders-db-aurora".to_string(), vec![format!("{}:{}", seed.aurora_address, seed.aurora_port)])
    );
    let mut wanted_rules = vec![5432, i32::from(seed.aurora_port)];
    wanted_rules.sort();
    assert_eq!(database_rule_ports(&emulator, &seed.db_security_group).await, wanted_rules);

    // One service, and a port per database in the handover.
    let deployment = state::read(&emulator, REGION, NAME).await;
    let service = deployment.service();
    assert_eq!(handover["service_name"], service.name.as_str());
    assert_eq!(handover["port"], 5432);
    let databases: Vec<(String, u64)> = handover["databases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["name"].as_str().unwrap().to_string(), d["port"].as_u64().unwrap()))
        .collect();
    assert_eq!(databases, [("aurora".to_string(), u64::from(seed.aurora_port)), ("rds".to_string(), 5433)]);
    assert_eq!(handover["databases"][0]["database_kind"], "MySQL", "{handover}");

    emulator.clear_requests();
    ok(emulator.plink().args(&three).output().unwrap());
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "a re-run changes nothing");

    // verify checks each database, its checks named by it.
    let args =
        ["verify", "--region", REGION, "--name", NAME, "--output", "json", "--dns-server", emulator.dns.as_str()];
    let report = stdout_json(&emulator.plink().args(args).output().unwrap());
    let status: BTreeMap<String, String> = report["checks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap().to_string(), c["status"].as_str().unwrap().to_string()))
        .collect();
    for id in ["listener.forwarding@aurora", "listener.forwarding@rds", "targets.dns-current@rds"] {
        assert_eq!(status.get(id).map(String::as_str), Some("pass"), "{id}: {report}");
    }
    assert_eq!(status["security-group.outbound-database-only"], "pass", "every database's port is let out: {report}");
    assert_eq!(status["database.allows-load-balancer@aurora"], "pass", "{report}");
    assert!(status.contains_key("targets.healthy@rds"), "{report}");

    // status shows each database's target group and targets.
    let args = ["status", "--region", REGION, "--name", NAME, "--output", "json"];
    let shown = stdout_json(&ok(emulator.plink().args(args).output().unwrap()));
    let groups: Vec<&str> =
        shown[0]["databases"].as_array().unwrap().iter().map(|d| d["target_group"].as_str().unwrap()).collect();
    assert_eq!(groups, ["orders-db-aurora", "orders-db-rds"], "{shown}");

    // The RDS instance moves: sync-targets registers its new address in its own group.
    let moved = seed.private_subnet_cidrs[0].replace(".0/24", ".77");
    emulator.set_dns(&seed.rds_endpoint, &[moved.as_str()]);
    let args = ["sync-targets", "--region", REGION, "--name", NAME, "--dns-server", emulator.dns.as_str()];
    ok(emulator.plink().args(args).output().unwrap());
    let found = listeners(&emulator).await;
    assert_eq!(found[&5433].1, [format!("{moved}:{}", seed.rds_port)], "{found:?}");
    assert_eq!(found[&5432].1.len(), 1, "the deployment's own database is left as it was: {found:?}");

    // Airbyte connects, and is accepted.
    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &service.name).await;
    ok(emulator.plink().args(["accept", "--region", REGION, "--name", NAME]).output().unwrap());
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "available");

    // The Aurora cluster removed: its listener, target group and rule go, in place.
    let two = with(&base, &["--database".into(), rds]);
    let output = ok(emulator.plink().args(&two).output().unwrap());
    let plan = String::from_utf8_lossy(&output.stderr);
    assert!(plan.contains("orders-db-aurora"), "the plan names the group it removes: {plan}");
    assert_eq!(target_groups(&emulator, NAME).await, ["orders-db", "orders-db-rds"]);
    let ports: Vec<i32> = listeners(&emulator).await.keys().copied().collect();
    assert_eq!(ports, [5432, 5433]);
    assert_eq!(database_rule_ports(&emulator, &seed.db_security_group).await, [5432]);
    let after = state::read(&emulator, REGION, NAME).await;
    assert_eq!(after.service().name, service.name, "the service name stays");
    assert_eq!(after.service().id, service.id);
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "available", "Airbyte stays connected");

    // Teardown leaves none of the groups.
    ok(emulator.plink().args(["teardown", "--region", REGION, "--name", NAME, "--yes"]).output().unwrap());
    assert_eq!(target_groups(&emulator, NAME).await, Vec::<String>::new());
}

#[tokio::test]
async fn a_listener_port_clash_is_refused_with_nothing_created() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let clash = format!("rds={}:{}", seed.rds_endpoint, seed.rds_port);
    let args = with(
        &setup_args(&seed, REGION, NAME),
        &["--database".into(), clash, "--dns-server".into(), emulator.dns.clone()],
    );
    emulator.clear_requests();
    let output = emulator.plink().args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--database"), "{stderr}");
    assert!(stderr.contains("listener port 5432 is taken by the deployment's own database"), "{stderr}");
    assert!(stderr.contains(&format!("rds={}:5432@5433", seed.rds_endpoint)), "the fix is named: {stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    assert_eq!(target_groups(&emulator, NAME).await, Vec::<String>::new());
    assert!(state::read(&emulator, REGION, NAME).await.is_empty());

    // Preflight checks each database as it checks the deployment's own, naming it.
    let far = "far=10.200.0.5:5432@5440".to_string();
    let args = with(&setup_args(&seed, REGION, NAME), &["--database".into(), far]);
    let output = emulator.plink().args(&args).output().unwrap();
    assert_eq!(output.status.code(), Some(2), "{output:?}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--database: far: 10.200.0.5 is outside"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
}

/// The targets of target group `name`, as `id:port`.
async fn targets_of(emulator: &Emulator, name: &str) -> Vec<String> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let groups = elb.describe_target_groups().names(name).send().await.unwrap();
    let arn = groups.target_groups()[0].target_group_arn().unwrap();
    let health = elb.describe_target_health().target_group_arn(arn).send().await.unwrap();
    let mut targets: Vec<String> = health
        .target_health_descriptions()
        .iter()
        .filter_map(|d| d.target())
        .map(|t| format!("{}:{}", t.id().unwrap(), t.port().unwrap()))
        .collect();
    targets.sort();
    targets
}

#[tokio::test]
async fn one_follower_keeps_every_database_current_and_an_aurora_failover_moves_only_its_group() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    // The RDS instance as the deployment's own database, the Aurora cluster beside it:
    // both named by hostname, so both are followed.
    let args: Vec<String> = [
        crate::support::replace(setup_args(&seed, REGION, NAME), "--target", &seed.rds_endpoint),
        vec![
            "--database".into(),
            format!("aurora={}:{}", seed.aurora_endpoint, seed.aurora_port),
            "--dns-server".into(),
            emulator.dns.clone(),
        ],
    ]
    .concat();
    ok(emulator.plink().args(&args).output().unwrap());
    let follower = state::follower(&emulator, REGION, NAME).await.expect("one follower for the deployment");
    let more: serde_json::Value = serde_json::from_str(&follower.environment["PLINK_MORE_GROUPS"]).unwrap();
    assert_eq!(more[0]["name"], "orders-db-aurora", "{more}");
    let statements = follower.policy["Statement"].as_array().unwrap();
    let changes = statements.iter().find(|s| s["Action"].to_string().contains("RegisterTargets")).unwrap();
    let own = state::read(&emulator, REGION, NAME).await.target_group().arn.clone();
    assert_eq!(
        changes["Resource"],
        serde_json::json!([own, "arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/orders-db-aurora/*"])
    );

    // Aurora fails over: RDS's event runs the follower, which moves the Aurora group to
    // the new writer and leaves the instance's as it was.
    let before = targets_of(&emulator, NAME).await;
    let failover = emulator.failover("sample-aurora");
    let new = failover["new_address"].as_str().unwrap();
    let ran = failover["invocations"].as_array().unwrap();
    assert!(!ran.is_empty() && ran.iter().all(|i| i["ok"] == true), "{failover}");
    assert_eq!(targets_of(&emulator, "orders-db-aurora").await, [format!("{new}:{}", seed.aurora_port)]);
    assert_eq!(targets_of(&emulator, NAME).await, before);

    // A re-run changes nothing, and teardown removes the follower with the groups.
    emulator.clear_requests();
    ok(emulator.plink().args(&args).output().unwrap());
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    ok(emulator.plink().args(["teardown", "--region", REGION, "--name", NAME, "--yes"]).output().unwrap());
    assert!(state::follower(&emulator, REGION, NAME).await.is_none());
    assert_eq!(target_groups(&emulator, NAME).await, Vec::<String>::new());
}
