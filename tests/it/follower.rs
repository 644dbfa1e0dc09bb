//! The follower: setup gives an RDS or Aurora deployment a Lambda function that keeps the
//! target group on the database's current address, run by the database's RDS events and
//! a schedule, with its role and an alarm. The emulator runs the function as Lambda would
//! (the code the tool uploaded, on the events AWS documents), fails the database over as
//! RDS does, and the SDK reads back what AWS holds.

use crate::support::state;
use crate::support::{Emulator, Seed, ok, replace, setup_args_opening_group, stdout_json};

const REGION: &str = "us-west-2";

fn aurora_setup(emulator: &Emulator, seed: &Seed, name: &str) -> Vec<String> {
    let mut args = replace(setup_args_opening_group(seed, REGION, name), "--target", &seed.aurora_endpoint);
    args = replace(args, "--port", &seed.aurora_port.to_string());
    args.extend(["--dns-server".to_string(), emulator.dns.clone()]);
    args
}

fn run(emulator: &Emulator, args: &[&str]) -> std::process::Output {
    emulator.plink().env("AWS_REGION", REGION).args(args).output().expect("run airbyte-plink")
}

#[tokio::test]
async fn an_aurora_failover_is_followed_to_the_new_writer_with_no_command_typed() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let args = aurora_setup(&emulator, &seed, "aurora-db");
    ok(emulator.plink().args(&args).output().unwrap());

    // What setup made, read back with the SDK.
    let deployment = state::read(&emulator, REGION, "aurora-db").await;
    let tg = deployment.target_group();
    assert_eq!(tg.targets, vec![format!("{}:{}", seed.aurora_address, seed.aurora_port)]);
    let follower = state::follower(&emulator, REGION, "aurora-db").await.expect("setup made the follower");
    assert_eq!((follower.runtime.as_str(), follower.handler.as_str()), ("python3.13", "follower.handler"));
    assert_eq!(follower.state, "Active");
    assert_eq!(follower.environment["PLINK_TARGET_GROUP_ARN"], tg.arn);
    assert_eq!(follower.environment["PLINK_TARGETS"], seed.aurora_endpoint);
    assert_eq!(follower.function_tags["airbyte-plink:deployment"], "aurora-db");
    // The role may change the targets of this target group only, and trusts Lambda.
    let statements = follower.policy["Statement"].as_array().unwrap();
    let changes = statements.iter().find(|s| s["Action"].to_string().contains("RegisterTargets")).unwrap();
    assert_eq!(changes["Resource"], tg.arn.as_str());
    assert!(
        statements.iter().all(|s| s["Resource"] != "*" || s["Action"] == "elasticloadbalancing:DescribeTargetHealth")
    );
    assert_eq!(follower.trusts["Statement"][0]["Principal"]["Service"], "lambda.amazonaws.com");
    assert!(follower.role_arn.ends_with(":role/airbyte-plink-aurora-db-us-west-2"), "{}", follower.role_arn);
    // Two rules run it: the cluster's RDS events and a schedule, each let in by its own statement.
    let events = &follower.rules["airbyte-plink-aurora-db-database-events"];
    let pattern: serde_json::Value = serde_json::from_str(events.pattern.as_deref().unwrap()).unwrap();
    assert_eq!(pattern["detail-type"], serde_json::json!(["RDS DB Cluster Event"]));
    assert!(pattern["resources"][0].as_str().unwrap().ends_with(":cluster:sample-aurora"), "{pattern}");
    let schedule = &follower.rules["airbyte-plink-aurora-db-schedule"];
    assert_eq!(schedule.schedule.as_deref(), Some("rate(5 minutes)"));
    for (name, rule) in &follower.rules {
        assert_eq!(rule.state, "ENABLED", "{name}");
        assert_eq!(rule.targets, vec![follower.function_arn.clone()], "{name}");
        assert!(follower.invokers.values().any(|source| source.ends_with(&format!("rule/{name}"))), "{name}");
    }
    assert_eq!(follower.alarm_metric, "AWS/NetworkELB/HealthyHostCount");
    assert!(follower.alarm_dimensions["TargetGroup"].starts_with("targetgroup/aurora-db/"));
    assert_eq!(follower.log_retention, Some(30));

    // A re-run changes nothing.
    emulator.clear_requests();
    ok(emulator.plink().args(&args).output().unwrap());
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    // Aurora fails over: the cluster's name now resolves to the new writer, in another
    // zone, and RDS's events run the follower, which moves the target group there.
    let failover = emulator.failover("sample-aurora");
    let (old, new) = (failover["old_address"].as_str().unwrap(), failover["new_address"].as_str().unwrap());
    assert_ne!(old, new);
    let ran: Vec<&serde_json::Value> = failover["invocations"].as_array().unwrap().iter().collect();
    assert!(!ran.is_empty() && ran.iter().all(|i| i["ok"] == true), "{failover}");
    let targets = state::read(&emulator, REGION, "aurora-db").await.target_group().targets.clone();
    assert_eq!(targets, vec![format!("{new}:{}", seed.aurora_port)], "the new writer only");
    // It registered the new address before it deregistered the old.
    let calls: Vec<String> =
        ran.iter().flat_map(|i| i["calls"].as_array().unwrap().iter().map(|c| c["action"].to_string())).collect();
    let at = |what: &str| calls.iter().position(|c| c.contains(what)).unwrap_or_else(|| panic!("{what}: {calls:?}"));
    assert!(at("RegisterTargets") < at("DeregisterTargets"), "{calls:?}");

    // Another database's events run nothing: the rule listens to this cluster only.
    let mut elsewhere = failover["events"][1].clone();
    elsewhere["resources"] = serde_json::json!(["arn:aws:rds:us-west-2:123456789012:cluster:another-cluster"]);
    assert_eq!(emulator.put_event(elsewhere)["invocations"], serde_json::json!([]));

    // A scheduled run with nothing to change only looks.
    let scheduled = emulator.fire_schedule("airbyte-plink-aurora-db-schedule");
    let run_once = &scheduled["invocations"][0];
    assert_eq!(run_once["ok"], true, "{scheduled}");
    let actions: Vec<&str> =
        run_once["calls"].as_array().unwrap().iter().map(|c| c["action"].as_str().unwrap()).collect();
    assert!(!actions.is_empty() && actions.iter().all(|a| a.starts_with("Describe")), "{actions:?}");

    // verify passes, with the follower's checks.
    let verified =
        run(&emulator, &["verify", "--name", "aurora-db", "--dns-server", &emulator.dns, "--output", "json"]);
    let report = stdout_json(&verified);
    let checks = report["checks"].as_array().unwrap();
    for id in ["follow.function", "follow.rules", "follow.last-run", "follow.alarm", "targets.dns-current"] {
        let check = checks.iter().find(|c| c["id"] == id).unwrap_or_else(|| panic!("{id} in {report}"));
        assert_eq!(check["status"], "pass", "{check}");
    }
    assert_eq!(verified.status.code(), Some(0), "{report}");
    let status = stdout_json(&ok(run(&emulator, &["status", "--name", "aurora-db", "--output", "json"])));
    assert_eq!(status[0]["follower"]["last_run_failed"], false, "{status}");
    assert!(status[0]["follower"]["last_run"].is_i64(), "{status}");

    // A name that does not resolve changes nothing, and the run says why.
    emulator.set_dns(&seed.aurora_endpoint, &[]);
    let unresolved = emulator.invoke_function("airbyte-plink-aurora-db-follower", serde_json::json!({}));
    assert_eq!(unresolved["ok"], false, "{unresolved}");
    assert!(unresolved["error"].to_string().contains("does not resolve"), "{unresolved}");
    let after = state::read(&emulator, REGION, "aurora-db").await.target_group().targets.clone();
    assert_eq!(after, vec![format!("{new}:{}", seed.aurora_port)], "nothing was changed");
    emulator.set_dns(&seed.aurora_endpoint, &[new]);

    // Its failure is what verify reports next.
    let failed = stdout_json(&run(
        &emulator,
        &["verify", "--name", "aurora-db", "--dns-server", &emulator.dns, "--output", "json"],
    ));
    let last_run = failed["checks"].as_array().unwrap().iter().find(|c| c["id"] == "follow.last-run").unwrap().clone();
    assert_eq!(last_run["status"], "fail", "{last_run}");

    // Teardown leaves nothing of it.
    ok(run(&emulator, &["teardown", "--name", "aurora-db", "--yes"]));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
}

#[tokio::test]
async fn following_is_chosen_by_the_target_and_refused_where_nothing_moves() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    // An address keeps itself: --follow is refused, naming the flag, with nothing made.
    let by_address = replace(setup_args_opening_group(&seed, REGION, "ip-db"), "--target", "10.0.1.10");
    let refused = emulator.plink().args(&by_address).arg("--follow").output().unwrap();
    assert_eq!(refused.status.code(), Some(2), "{}", String::from_utf8_lossy(&refused.stderr));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("--follow"));
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
    // Without a follower by default for an address, and when asked not to for RDS.
    ok(emulator.plink().args(&by_address).output().unwrap());
    assert!(state::follower(&emulator, REGION, "ip-db").await.is_none());
    let mut aurora = aurora_setup(&emulator, &seed, "aurora-db");
    aurora.push("--no-follow".into());
    ok(emulator.plink().args(&aurora).output().unwrap());
    assert_eq!(state::follower_resources(&emulator, REGION).await, Vec::<String>::new());
    // Turned on later, with another schedule and an SNS topic for the alarm.
    aurora.pop();
    let topic = "arn:aws:sns:us-west-2:123456789012:on-call";
    aurora.extend(["--follow-every", "2", "--alarm-topic", topic].map(String::from));
    ok(emulator.plink().args(&aurora).output().unwrap());
    let follower = state::follower(&emulator, REGION, "aurora-db").await.unwrap();
    assert_eq!(follower.rules["airbyte-plink-aurora-db-schedule"].schedule.as_deref(), Some("rate(2 minutes)"));
    assert_eq!(follower.alarm_actions, vec![topic.to_string()]);
    // And off again, in place: the follower goes, the link stays.
    let service = state::read(&emulator, REGION, "aurora-db").await.service().id.clone();
    let mut off = aurora_setup(&emulator, &seed, "aurora-db");
    off.push("--no-follow".into());
    ok(emulator.plink().args(&off).output().unwrap());
    assert_eq!(state::follower_resources(&emulator, REGION).await, Vec::<String>::new());
    assert_eq!(state::read(&emulator, REGION, "aurora-db").await.service().id, service);
}

#[tokio::test]
async fn a_role_lambda_cannot_assume_yet_and_a_function_still_pending_are_waited_out() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    // As on AWS: a new role is not usable by Lambda for a while, a new function is
    // `Pending` before `Active`, and an update keeps it busy (ResourceConflictException).
    emulator.set_role_propagation(3.0);
    emulator.set_function_pending(3.0);
    emulator.clear_requests();
    let args = aurora_setup(&emulator, &seed, "aurora-db");
    ok(emulator.plink().args(&args).output().unwrap());
    let calls: Vec<String> = emulator.requests().into_iter().map(|r| r.action).collect();
    let count = |action: &str| calls.iter().filter(|c| *c == action).count();
    // The first CreateFunction met the role not yet assumable; setup called again.
    assert!(count("CreateFunction") >= 2, "{calls:?}");
    let follower = state::follower(&emulator, REGION, "aurora-db").await.expect("setup made the follower");
    assert_eq!(follower.state, "Active");
    for (name, rule) in &follower.rules {
        assert_eq!(rule.targets, vec![follower.function_arn.clone()], "{name}");
        assert!(follower.invokers.values().any(|source| source.ends_with(&format!("rule/{name}"))), "{name}");
    }
    // Function, role, two rules, alarm and log group: one of each, no duplicate.
    assert_eq!(state::follower_resources(&emulator, REGION).await.len(), 6);

    // Someone changed its code and a setting: the re-run puts both back, the second
    // change waiting until Lambda has finished the first.
    let uploaded = follower.code_sha256.clone();
    emulator.set_function_pending(0.0);
    state::drift_follower(&emulator, REGION, "aurora-db").await;
    assert_ne!(state::follower(&emulator, REGION, "aurora-db").await.unwrap().code_sha256, uploaded);
    emulator.set_function_pending(3.0);
    ok(emulator.plink().args(&args).output().unwrap());
    let follower = state::follower(&emulator, REGION, "aurora-db").await.unwrap();
    assert_eq!(follower.environment["PLINK_PORT"], seed.aurora_port.to_string());
    assert_eq!(follower.code_sha256, uploaded);
}
