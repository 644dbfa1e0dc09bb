//! `export cloudformation`: every template passes cfn-lint, holds the resources and
//! settings `setup` creates for the same spec (compared with what the emulator holds
//! after setup), and an existing deployment exports to the same template as its spec.

use std::process::Command;

use crate::support::state::Deployment;
use crate::support::{Emulator, emulator_tool, ok, replace, setup_args, setup_args_opening_group, state};
use serde_json::Value;

const REGION: &str = "us-west-2";

/// The template `export cloudformation` prints for these setup arguments.
fn export(emulator: &Emulator, setup: &[String]) -> Value {
    let mut args = vec!["export".to_string(), "cloudformation".to_string()];
    args.extend(setup[1..].iter().cloned());
    args.extend(["--dns-server".to_string(), emulator.dns.clone()]);
    let output = ok(emulator.plink().args(&args).output().unwrap());
    serde_json::from_slice(&output.stdout).expect("the template is JSON")
}

/// cfn-lint finds nothing wrong with the template.
fn lint(template: &Value) {
    let file = tempfile::Builder::new().suffix(".json").tempfile().unwrap();
    std::fs::write(file.path(), serde_json::to_string_pretty(template).unwrap()).unwrap();
    let output = Command::new(emulator_tool("cfn-lint"))
        .args(["--regions", REGION, "--"])
        .arg(file.path())
        .output()
        .expect("run cfn-lint");
    assert!(
        output.status.success(),
        "cfn-lint:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn properties<'a>(template: &'a Value, resource: &str) -> &'a Value {
    &template["Resources"][resource]["Properties"]
}

fn strings(value: &Value) -> Vec<String> {
    let mut items: Vec<String> = value.as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect();
    items.sort();
    items
}

fn tags(value: &Value) -> state::Tags {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["Key"].as_str().unwrap().to_string(), t["Value"].as_str().unwrap().to_string()))
        .collect()
}

/// The template describes exactly what setup made.
fn assert_same_as_setup(template: &Value, made: &Deployment) {
    let lb = made.load_balancer();
    let p = properties(template, "LoadBalancer");
    assert_eq!(strings(&p["Subnets"]), lb.subnets);
    assert_eq!((p["Scheme"].as_str().unwrap(), p["Type"].as_str().unwrap()), (lb.scheme.as_str(), lb.kind.as_str()));
    // Its own group, PrivateLink traffic let through it.
    assert_eq!(p["SecurityGroups"], serde_json::json!([{ "Ref": "LoadBalancerSecurityGroup" }]));
    assert_eq!(p["EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic"], "off");
    assert_eq!(lb.privatelink_inbound_rules.as_deref(), Some("off"));
    let group = made.security_group();
    let g = properties(template, "LoadBalancerSecurityGroup");
    assert_eq!(g["GroupName"], group.name.as_str());
    assert_eq!(tags(&g["Tags"]), group.tags);
    let mut egress: Vec<(String, i64)> = g["SecurityGroupEgress"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let to = r.get("CidrIp").or_else(|| r.get("DestinationSecurityGroupId")).unwrap();
            (to.as_str().unwrap().to_string(), r["FromPort"].as_i64().unwrap())
        })
        .collect();
    egress.sort();
    let mut made_egress: Vec<(String, i64)> =
        group.rules.iter().map(|r| (r.peer.clone(), i64::from(r.from_port))).collect();
    made_egress.sort();
    assert_eq!(egress, made_egress);
    assert_eq!(p["LoadBalancerAttributes"][0]["Value"], lb.cross_zone.to_string());
    assert_eq!(tags(&p["Tags"]), lb.tags);

    let tg = made.target_group();
    let p = properties(template, "TargetGroup");
    assert_eq!(
        (p["Protocol"].as_str().unwrap(), p["Port"].as_i64().unwrap(), p["VpcId"].as_str().unwrap()),
        (tg.protocol.as_str(), i64::from(tg.port), tg.vpc_id.as_str())
    );
    assert_eq!(p["TargetType"], tg.target_type.as_str());
    assert_eq!(p["HealthCheckProtocol"], tg.health_check_protocol.as_str());
    let (interval, timeout, healthy, unhealthy) = tg.health_check;
    let health =
        ["HealthCheckIntervalSeconds", "HealthCheckTimeoutSeconds", "HealthyThresholdCount", "UnhealthyThresholdCount"]
            .map(|key| p[key].as_i64().unwrap());
    assert_eq!(health, [interval, timeout, healthy, unhealthy].map(i64::from));
    let targets: Vec<String> = p["Targets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| format!("{}:{}", t["Id"].as_str().unwrap(), t["Port"]))
        .collect();
    assert_eq!(targets, tg.targets);
    assert_eq!(tags(&p["Tags"]), tg.tags);

    let listener = &lb.listeners[0];
    let p = properties(template, "Listener");
    assert_eq!(
        (p["Protocol"].as_str().unwrap(), p["Port"].as_i64().unwrap()),
        (listener.protocol.as_str(), i64::from(listener.port))
    );
    assert_eq!(p["DefaultActions"][0]["TargetGroupArn"]["Ref"], "TargetGroup");

    let service = made.service();
    let p = properties(template, "EndpointService");
    assert_eq!(p["AcceptanceRequired"], service.acceptance_required);
    // AWS lists the service's own region among them too; the template cannot name it.
    let others: Vec<&String> = service.supported_regions.iter().filter(|r| *r != REGION).collect();
    let regions = p.get("SupportedRegions").map(strings).unwrap_or_default();
    assert_eq!(regions.iter().collect::<Vec<_>>(), others);
    assert_eq!(tags(&p["Tags"]), service.tags);
    assert_eq!(strings(&properties(template, "EndpointServicePermissions")["AllowedPrincipals"]), service.principals);

    // The database's group lets the load balancer's in: one rule, from that group.
    let rules: Vec<(String, i64)> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|r| r["Type"] == "AWS::EC2::SecurityGroupIngress")
        .map(|r| {
            let p = &r["Properties"];
            assert_eq!(p["SourceSecurityGroupId"], serde_json::json!({ "Ref": "LoadBalancerSecurityGroup" }));
            (p["GroupId"].as_str().unwrap().to_string(), p["FromPort"].as_i64().unwrap())
        })
        .collect();
    let made_rules: Vec<(String, i64)> =
        made.database_rules().iter().map(|r| (r.group_id.clone(), i64::from(r.from_port))).collect();
    assert_eq!(rules, made_rules);
}

#[tokio::test]
async fn templates_lint_clean_and_match_what_setup_creates() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();

    // An RDS hostname, the database group opened, Airbyte in us-east-1 (cross-region).
    let rds = replace(setup_args_opening_group(&seed, REGION, "orders-db"), "--target", &seed.rds_endpoint);
    let template = export(&emulator, &rds);
    lint(&template);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "export changes nothing");
    // The follower comes along (an RDS endpoint), its code inline: the same rule, which
    // the cases the tool's own code meets hold it to.
    let follower = properties(&template, "Follower");
    assert_eq!(follower["Handler"], "index.handler");
    assert_eq!(
        follower["Environment"]["Variables"]["PLINK_TARGET_GROUP_ARN"],
        serde_json::json!({ "Ref": "TargetGroup" })
    );
    let code = follower["Code"]["ZipFile"].as_str().unwrap();
    assert!(code.len() <= 4096, "CloudFormation takes 4096 characters inline");
    let inline = tempfile::Builder::new().suffix(".py").tempfile().unwrap();
    std::fs::write(inline.path(), code).unwrap();
    let cases = Command::new(crate::support::emulator_python())
        .arg(crate::support::manifest_dir().join("tests/emulator/check_follower_cases.py"))
        .arg(inline.path())
        .output()
        .unwrap();
    assert!(cases.status.success(), "{}", String::from_utf8_lossy(&cases.stdout));
    let policy = &properties(&template, "FollowerRole")["Policies"][0]["PolicyDocument"];
    assert_eq!(policy["Statement"][0]["Resource"], serde_json::json!({ "Ref": "TargetGroup" }));
    let kinds: Vec<&str> =
        template["Resources"].as_object().unwrap().values().filter_map(|r| r["Type"].as_str()).collect();
    for kind in ["AWS::Events::Rule", "AWS::Lambda::Permission", "AWS::CloudWatch::Alarm", "AWS::Logs::LogGroup"] {
        assert!(kinds.contains(&kind), "{kind} in {kinds:?}");
    }
    let outputs = template["Outputs"].as_object().unwrap();
    for output in ["ServiceName", "ServiceId", "AvailabilityZoneIds", "AllowedPrincipals", "AcceptanceRequired"] {
        assert!(outputs.contains_key(output), "the handover value {output} is an output");
    }
    ok(emulator
        .plink()
        .args([rds.clone(), vec!["--dns-server".into(), emulator.dns.clone()]].concat())
        .output()
        .unwrap());
    assert_same_as_setup(&template, &state::read(&emulator, REGION, "orders-db").await);

    // The existing deployment exports to the same template as its spec.
    let args = ["export", "cloudformation", "--from-deployment", "orders-db", "--dns-server", &emulator.dns];
    let from_deployment = ok(emulator.plink().env("AWS_REGION", REGION).args(args).output().unwrap());
    let from_deployment: Value = serde_json::from_slice(&from_deployment.stdout).unwrap();
    assert_eq!(from_deployment, template);

    // Another spec behind the same subnets and group: its rule comes from its own load
    // balancer's group, so it never duplicates orders-db's.
    let mut neighbour_args = vec!["export".to_string(), "cloudformation".to_string()];
    neighbour_args.extend(setup_args_opening_group(&seed, REGION, "billing-db")[1..].iter().cloned());
    let neighbour = ok(emulator.plink().args(&neighbour_args).output().unwrap());
    let neighbour_template: Value = serde_json::from_slice(&neighbour.stdout).unwrap();
    lint(&neighbour_template);
    let ingress =
        |t: &Value| t["Resources"].as_object().unwrap().keys().filter(|k| k.starts_with("DatabaseIngress")).count();
    assert_eq!(ingress(&template), 1);
    assert_eq!(ingress(&neighbour_template), 1, "a rule of its own");

    // The resolved configuration `setup --dry-run` prints exports to the same template.
    let dry_run = [rds.clone(), vec!["--dry-run".into(), "--dns-server".into(), emulator.dns.clone()]].concat();
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), ok(emulator.plink().args(&dry_run).output().unwrap()).stdout).unwrap();
    let path = config.path().display().to_string();
    let args = ["export", "cloudformation", "--no-input", "--config", &path, "--dns-server", &emulator.dns];
    let from_file: Value = serde_json::from_slice(&ok(emulator.plink().args(args).output().unwrap()).stdout).unwrap();
    assert_eq!(from_file, template);

    // An instance target, Airbyte in Europe, acceptance and cross-zone off, an extra tag.
    let mut instance = replace(setup_args(&seed, REGION, "billing-db"), "--airbyte-region", "eu");
    instance.extend(["--no-acceptance-required", "--no-cross-zone", "--tag", "team=data"].map(String::from));
    let template = export(&emulator, &instance);
    lint(&template);
    ok(emulator.plink().args(&instance).output().unwrap());
    assert_same_as_setup(&template, &state::read(&emulator, REGION, "billing-db").await);

    // A private address outside the VPC, registered for every zone.
    let mut outside = replace(setup_args(&seed, REGION, "onprem-db"), "--target", "192.168.5.5");
    outside.push("--allow-targets-outside-vpc".into());
    let template = export(&emulator, &outside);
    lint(&template);
    assert_eq!(properties(&template, "TargetGroup")["Targets"][0]["AvailabilityZone"], "all");
}

#[tokio::test]
async fn exporting_a_deployment_that_is_not_there_says_so() {
    let emulator = Emulator::start(&[REGION]);
    let output = emulator
        .plink()
        .env("AWS_REGION", REGION)
        .args(["export", "cloudformation", "--from-deployment", "missing-db"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--from-deployment: deployment missing-db has no complete setup"), "{stderr}");
    assert!(output.stdout.is_empty());
}

#[tokio::test]
async fn a_deployment_made_by_a_stack_is_changed_through_the_stack_only() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let args = setup_args_opening_group(&seed, REGION, "orders-db");
    ok(emulator.plink().args(&args).output().unwrap());
    // What CloudFormation puts on the resources of a stack made from the template.
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let stack_tag = aws_sdk_elasticloadbalancingv2::types::Tag::builder()
        .key("aws:cloudformation:stack-name")
        .value("airbyte-plink-orders-db")
        .build();
    let lb = state::read(&emulator, REGION, "orders-db").await.load_balancer().arn.clone();
    elb.add_tags().resource_arns(lb).tags(stack_tag).send().await.unwrap();
    emulator.clear_requests();

    let teardown =
        emulator.plink().args(["teardown", "--region", REGION, "--name", "orders-db", "--yes"]).output().unwrap();
    assert_eq!(teardown.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&teardown.stderr);
    assert!(stderr.contains("aws cloudformation delete-stack --stack-name airbyte-plink-orders-db"), "{stderr}");
    let changed = emulator.plink().args(replace(args.clone(), "--airbyte-region", "eu")).output().unwrap();
    assert_eq!(changed.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&changed.stderr).contains("belongs to CloudFormation stack airbyte-plink-orders-db")
    );
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "the stack's resources were not touched");
    // Reading and re-running unchanged are fine.
    ok(emulator.plink().args(&args).output().unwrap());
    ok(emulator.plink().args(["verify", "--region", REGION, "--name", "orders-db"]).output().unwrap());
}

#[tokio::test]
async fn a_custom_idle_timeout_is_a_listener_attribute_of_the_template() {
    // Same-region (Airbyte's "us" is us-east-1): the one place AWS takes a custom value.
    let region = "us-east-1";
    let emulator = Emulator::start(&[region]);
    let seed = emulator.seed(region).clone();
    let args =
        [setup_args_opening_group(&seed, region, "orders-db"), vec!["--idle-timeout".into(), "3600".into()]].concat();
    let template = export(&emulator, &args);
    lint(&template);
    assert_eq!(
        properties(&template, "Listener")["ListenerAttributes"],
        serde_json::json!([{ "Key": "tcp.idle_timeout.seconds", "Value": "3600" }])
    );
}

#[tokio::test]
async fn several_databases_export_a_group_and_listener_each_and_round_trip() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let mut args = setup_args_opening_group(&seed, REGION, "orders-db");
    let rds = format!("rds={}:{}@5433", seed.rds_endpoint, seed.rds_port);
    args.extend(["--database".into(), rds, "--no-follow".into()]);
    let template = export(&emulator, &args);
    lint(&template);
    let group = properties(&template, "Database1TargetGroup");
    assert_eq!(group["Name"], "orders-db-rds");
    assert_eq!(group["Port"], seed.rds_port);
    let listener = properties(&template, "Database1Listener");
    assert_eq!(listener["Port"], 5433);
    assert_eq!(listener["DefaultActions"][0]["TargetGroupArn"], serde_json::json!({ "Ref": "Database1TargetGroup" }));
    assert_eq!(template["Outputs"]["Database1Port"]["Value"], "5433");
    let egress = properties(&template, "LoadBalancerSecurityGroup")["SecurityGroupEgress"].as_array().unwrap().clone();
    assert!(egress.iter().any(|r| r["FromPort"] == seed.rds_port), "{egress:?}");

    // What setup makes of the same spec: the group's targets are the template's.
    let with_dns = [args.clone(), vec!["--dns-server".into(), emulator.dns.clone()]].concat();
    ok(emulator.plink().args(&with_dns).output().unwrap());
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let made = elb.describe_target_groups().names("orders-db-rds").send().await.unwrap();
    let arn = made.target_groups()[0].target_group_arn().unwrap();
    let health = elb.describe_target_health().target_group_arn(arn).send().await.unwrap();
    let registered: Vec<String> =
        health.target_health_descriptions().iter().filter_map(|d| d.target()?.id().map(str::to_string)).collect();
    let exported: Vec<String> =
        group["Targets"].as_array().unwrap().iter().map(|t| t["Id"].as_str().unwrap().to_string()).collect();
    assert_eq!(registered, exported);

    // The deployment exports to the same template, and so does the configuration
    // `setup --dry-run` prints.
    let from = ["export", "cloudformation", "--from-deployment", "orders-db", "--dns-server", &emulator.dns];
    let from_deployment: Value =
        serde_json::from_slice(&ok(emulator.plink().env("AWS_REGION", REGION).args(from).output().unwrap()).stdout)
            .unwrap();
    assert_eq!(from_deployment, template);
    let dry_run = [with_dns.clone(), vec!["--dry-run".into()]].concat();
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), ok(emulator.plink().args(&dry_run).output().unwrap()).stdout).unwrap();
    let path = config.path().display().to_string();
    let args = ["export", "cloudformation", "--no-input", "--config", &path, "--dns-server", &emulator.dns];
    let from_file: Value = serde_json::from_slice(&ok(emulator.plink().args(args).output().unwrap()).stdout).unwrap();
    assert_eq!(from_file, template);
}
