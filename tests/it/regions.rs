//! Supported regions as AWS keeps them (tests/emulator/fidelity.py,
//! supported_region_states): each with its own state, the service's own region listed
//! too, an added one Pending and a removed one Deleting for a while; and cross-region
//! access refused where AWS does not offer it. Checked through the SDK.

use std::time::Duration;

use crate::support::{Emulator, ok, replace, setup_args, state, stdout_json};

const REGION: &str = "us-west-2";

fn with_json(args: Vec<String>) -> Vec<String> {
    [args, vec!["--output".to_string(), "json".to_string()]].concat()
}

/// The supported regions of a service, each with its state, as AWS lists them.
async fn region_states(emulator: &Emulator, service_id: &str) -> Vec<(String, String)> {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    let found = ec2.describe_vpc_endpoint_service_configurations().service_ids(service_id).send().await.unwrap();
    let mut states: Vec<(String, String)> = found.service_configurations()[0]
        .supported_regions()
        .iter()
        .map(|r| (r.region().unwrap().to_string(), r.service_state().unwrap().to_string()))
        .collect();
    states.sort();
    states
}

fn states(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs.iter().map(|(r, s)| (r.to_string(), s.to_string())).collect()
}

/// Changes a service's supported regions by hand, as a console user (or a setup cut off
/// right after its change) would.
async fn modify_regions(emulator: &Emulator, service_id: &str, add: &[&str], remove: &[&str]) {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(REGION).await);
    ec2.modify_vpc_endpoint_service_configuration()
        .service_id(service_id)
        .set_add_supported_regions(Some(add.iter().map(|r| r.to_string()).collect()))
        .set_remove_supported_regions(Some(remove.iter().map(|r| r.to_string()).collect()))
        .send()
        .await
        .unwrap();
}

fn verify(emulator: &Emulator) -> serde_json::Value {
    let args = ["verify", "--region", REGION, "--name", "orders-db", "--output", "json"];
    let output = emulator.plink().args(args).output().unwrap();
    let report = stdout_json(&output);
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "regions.airbyte-supported").unwrap().clone()
}

#[tokio::test]
async fn airbytes_region_is_handed_over_once_available_and_a_rerun_while_aws_works_on_regions_changes_nothing() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    emulator.set_supported_regions(2.0, 2.0, &[], &[]);
    let us = with_json(setup_args(&seed, REGION, "orders-db"));
    let first = ok(emulator.plink().args(&us).output().unwrap());
    let service_id = stdout_json(&first)["service_id"].as_str().unwrap().to_string();
    // Checked at once: Airbyte's region is Available, and AWS lists the service's own.
    assert_eq!(
        region_states(&emulator, &service_id).await,
        states(&[("us-east-1", "Available"), (REGION, "Available")])
    );
    assert!(String::from_utf8_lossy(&first.stderr).contains("us-east-1 Pending"), "the wait names what it waits for");

    // Airbyte moves to Europe: the switch waits for the new region to be added and the
    // old one removed.
    let eu = replace(us.clone(), "--airbyte-region", "eu");
    ok(emulator.plink().args(&eu).output().unwrap());
    assert_eq!(
        region_states(&emulator, &service_id).await,
        states(&[("eu-west-3", "Available"), ("us-east-1", "Deleted"), (REGION, "Available")])
    );
    assert_eq!(verify(&emulator)["status"], "pass");

    // AWS still adding Airbyte's region (removed and added again by hand), and removing
    // another: a re-run changes nothing, waits, and hands over once it is Available.
    modify_regions(&emulator, &service_id, &["us-east-1"], &["eu-west-3"]).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    modify_regions(&emulator, &service_id, &["eu-west-3"], &["us-east-1"]).await;
    let pending = verify(&emulator);
    assert_eq!(pending["status"], "warn", "{pending}");
    assert!(pending["detail"].as_str().unwrap().contains("Pending"), "{pending}");
    emulator.clear_requests();
    let rerun = ok(emulator.plink().args(&eu).output().unwrap());
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "{}", String::from_utf8_lossy(&rerun.stderr));
    assert_eq!(
        region_states(&emulator, &service_id).await,
        states(&[("eu-west-3", "Available"), ("us-east-1", "Deleted"), (REGION, "Available")])
    );
    assert_eq!(verify(&emulator)["status"], "pass");
}

#[tokio::test]
async fn a_region_aws_could_not_add_is_explained_then_removed_and_added_again() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    emulator.set_supported_regions(0.3, 0.3, &["us-east-1"], &[]);
    let us = with_json(setup_args(&seed, REGION, "orders-db"));
    let failed = emulator.plink().args(&us).output().unwrap();
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert_eq!(failed.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("AWS could not make us-east-1 a supported region"), "{stderr}");
    assert!(stderr.contains("Run the same command again"), "{stderr}");
    assert!(failed.stdout.is_empty(), "nothing handed over");
    let service_id = state::read(&emulator, REGION, "orders-db").await.service().id.clone();
    assert_eq!(region_states(&emulator, &service_id).await, states(&[("us-east-1", "Failed"), (REGION, "Available")]));
    assert_eq!(verify(&emulator)["status"], "fail");

    // AWS would add it now: the same command removes it, then adds it again.
    emulator.set_supported_regions(0.3, 0.3, &[], &[]);
    emulator.clear_requests();
    ok(emulator.plink().args(&us).output().unwrap());
    let modifications =
        emulator.requests().iter().filter(|r| r.action == "ModifyVpcEndpointServiceConfiguration").count();
    assert_eq!(modifications, 2, "removed, then added again");
    assert_eq!(
        region_states(&emulator, &service_id).await,
        states(&[("us-east-1", "Available"), (REGION, "Available")])
    );
    assert_eq!(verify(&emulator)["status"], "pass");
}

#[tokio::test]
async fn a_region_aws_refuses_for_cross_region_access_is_explained_with_what_to_do_instead() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    emulator.set_supported_regions(0.0, 0.0, &[], &["eu-west-3"]);
    let eu = replace(setup_args(&seed, REGION, "orders-db"), "--airbyte-region", "eu");
    let refused = emulator.plink().args(&eu).output().unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("AWS refused eu-west-3 as a supported region"), "{stderr}");
    assert!(stderr.contains("set the deployment up in eu-west-3 itself"), "{stderr}");
    assert!(stderr.contains("airbyte-plink teardown --name orders-db"), "says how to undo:\n{stderr}");
    let deployment = state::read(&emulator, REGION, "orders-db").await;
    assert!(deployment.services.is_empty(), "no service was made");
    ok(emulator.plink().args(["teardown", "--region", REGION, "--name", "orders-db", "--yes"]).output().unwrap());
    assert!(state::read(&emulator, REGION, "orders-db").await.is_empty());
}

#[tokio::test]
async fn a_subnet_in_a_zone_without_cross_region_access_is_refused_before_anything_is_made() {
    // us-east-1 has a zone AWS names as without cross-region access (use1-az3).
    let region = "us-east-1";
    let emulator = Emulator::start(&[region]);
    let seed = emulator.seed(region).clone();
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(region).await);
    let subnet = ec2
        .create_subnet()
        .vpc_id(&seed.vpc_id)
        .cidr_block("10.0.9.0/24")
        .availability_zone_id("use1-az3")
        .send()
        .await
        .unwrap();
    let subnet_id = subnet.subnet().unwrap().subnet_id().unwrap().to_string();
    let subnets = format!("{},{subnet_id}", seed.private_subnets[0]);
    let eu = replace(replace(setup_args(&seed, region, "orders-db"), "--airbyte-region", "eu"), "--subnets", &subnets);
    emulator.clear_requests();
    let refused = emulator.plink().args(&eu).output().unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(&format!("--subnets: subnet {subnet_id} is in use1-az3")), "{stderr}");
    assert!(stderr.contains("does not offer cross-region PrivateLink"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());
    // Same-region, the zone is fine.
    let us = replace(setup_args(&seed, region, "orders-db"), "--subnets", &subnets);
    ok(emulator.plink().args(&us).output().unwrap());
    assert_eq!(state::read(&emulator, region, "orders-db").await.load_balancer().subnets.len(), 2);
}
