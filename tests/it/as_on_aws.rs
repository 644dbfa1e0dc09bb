//! A deployment's whole life as a new user meets it on AWS: the emulator with every
//! asynchronous and strict behaviour of the fidelity layer on at once (load balancers
//! provisioning, services and supported regions Pending, a new service briefly unknown
//! by ID, subnet removals, a zone added and readied for the service, rejections and
//! acceptances that take a while, AWS's request rate limits). Each step completes
//! without an error the user would see, checked through the SDK, and teardown leaves
//! nothing behind.

use std::process::Output;

use crate::support::{AIRBYTE_ACCOUNT, Emulator, ok, replace, setup_args, state, stdout_json};

const REGION: &str = "us-west-2";
const NAME: &str = "orders-db";

/// Runs the binary; it must succeed without an error or a failed step on stderr.
fn clean(emulator: &Emulator, args: &[String]) -> Output {
    let output = ok(emulator.plink().args(args).args(["--dns-server", &emulator.dns]).output().unwrap());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("error") && !stderr.contains("FAIL"), "{args:?}:\n{stderr}");
    output
}

fn words(text: &[&str]) -> Vec<String> {
    text.iter().map(|w| w.to_string()).collect()
}

async fn service(emulator: &Emulator, name: &str) -> aws_sdk_ec2::types::ServiceConfiguration {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let all = ec2.describe_vpc_endpoint_service_configurations().send().await.unwrap();
    all.service_configurations().iter().find(|s| s.service_name() == Some(name)).unwrap().clone()
}

/// The supported regions AWS lists as Available.
fn available_regions(service: &aws_sdk_ec2::types::ServiceConfiguration) -> Vec<String> {
    let mut regions: Vec<String> = service
        .supported_regions()
        .iter()
        .filter(|r| r.service_state() == Some("Available"))
        .map(|r| r.region().unwrap().to_string())
        .collect();
    regions.sort();
    regions
}

async fn targets(emulator: &Emulator, target_group_arn: &str) -> Vec<(String, Option<String>)> {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let health = elb.describe_target_health().target_group_arn(target_group_arn).send().await.unwrap();
    health
        .target_health_descriptions()
        .iter()
        .filter_map(|d| d.target())
        .map(|t| (t.id().unwrap().to_string(), t.availability_zone().map(str::to_string)))
        .collect()
}

#[tokio::test]
async fn a_new_user_on_aws_as_it_behaves_sets_up_changes_and_tears_down_without_an_error() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    emulator.set_provisioning(1.0);
    emulator.set_service_pending(1.0, 0.3);
    emulator.set_supported_regions(1.0, 1.0, &[], &[]);
    emulator.set_subnet_removal(0.5);
    emulator.set_zone_ready(1.0);
    emulator.set_accept_pending(0.5);
    emulator.set_throttling(true);

    // A database reached through peering, by hostname; Airbyte in the US, so the
    // service is cross-region.
    let host = "orders.db.internal";
    emulator.set_dns(host, &["10.9.0.5"]);
    let mut us = replace(setup_args(&seed, REGION, NAME), "--target", host);
    us.extend(words(&["--allow-targets-outside-vpc", "--db-security-group", &seed.db_security_group]));
    let json = |args: &[String]| [args, &words(&["--output", "json"])].concat();

    // Cross-region setup, and its immediate re-run.
    let first = stdout_json(&clean(&emulator, &json(&us)));
    let name = first["service_name"].as_str().unwrap().to_string();
    let made = service(&emulator, &name).await;
    assert_eq!(made.service_state().map(|s| s.as_str()), Some("Available"));
    assert_eq!(available_regions(&made), ["us-east-1", REGION]);
    emulator.clear_requests();
    let again = stdout_json(&clean(&emulator, &json(&us)));
    assert_eq!(again["service_name"], first["service_name"]);
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    // Airbyte's region switched to Europe, and back.
    let eu = replace(us.clone(), "--airbyte-region", "eu");
    clean(&emulator, &eu);
    assert_eq!(available_regions(&service(&emulator, &name).await), ["eu-west-3", REGION]);
    clean(&emulator, &us);
    assert_eq!(available_regions(&service(&emulator, &name).await), ["us-east-1", REGION]);

    // A third zone: AWS readies it for the service a while after the load balancer has
    // it, and enables it only when asked; the handover gives the service's zones.
    let us = replace(us, "--subnets", &seed.private_subnets.join(","));
    let wider = stdout_json(&clean(&emulator, &json(&us)));
    let zones = service(&emulator, &name).await.availability_zone_ids().len();
    assert_eq!((zones, wider["availability_zone_ids"].as_array().unwrap().len()), (3, 3), "{wider}");

    // The service deleted by hand: setup builds a new one and hands it over.
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let id = service(&emulator, &name).await.service_id().unwrap().to_string();
    ec2.delete_vpc_endpoint_service_configurations().service_ids(&id).send().await.unwrap();
    let rebuilt = stdout_json(&clean(&emulator, &json(&us)));
    let name = rebuilt["service_name"].as_str().unwrap().to_string();
    assert_ne!(name, first["service_name"].as_str().unwrap());
    let rebuilt = service(&emulator, &name).await;
    assert_eq!(rebuilt.service_state().map(|s| s.as_str()), Some("Available"));
    assert_eq!(available_regions(&rebuilt), ["us-east-1", REGION]);

    // The peer moves the database: sync-targets follows it, for every zone.
    emulator.set_dns(host, &["10.9.0.77"]);
    clean(&emulator, &words(&["sync-targets", "--region", REGION, "--name", NAME]));
    let deployment = state::read(&emulator, REGION, NAME).await;
    assert_eq!(targets(&emulator, &deployment.target_group().arn).await, [("10.9.0.77".into(), Some("all".into()))]);

    // Airbyte connects and is accepted; teardown right after removes everything.
    let endpoint = emulator.interface_endpoint(AIRBYTE_ACCOUNT, &name).await;
    clean(&emulator, &words(&["accept", "--region", REGION, "--name", NAME]));
    clean(&emulator, &words(&["teardown", "--region", REGION, "--name", NAME, "--yes"]));
    assert_eq!(emulator.endpoint_state(AIRBYTE_ACCOUNT, &endpoint).await, "rejected");
    assert_eq!(state::tagged_resources(&emulator, REGION).await, Vec::<String>::new());
}
