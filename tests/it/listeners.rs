//! The listener's TCP idle timeout: a Network Load Balancer forgets a flow that carries
//! no data for longer (350 s unless set) and resets the next packet, which a long query
//! or a quiet CDC stream meets. AWS takes 60–6000 s, but none but its own for a load
//! balancer whose endpoint service takes other regions (tests/emulator/fidelity.py,
//! listener_attributes_and_limits). Checked through the SDK.

use crate::support::{Emulator, ok, replace, setup_args, stdout_json};

/// Airbyte's "us" is us-east-1: a deployment there is same-region.
const REGION: &str = "us-east-1";

/// The TCP idle timeout of the deployment's one listener, as AWS reports it.
async fn idle_timeout(emulator: &Emulator, name: &str) -> String {
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let lbs = elb.describe_load_balancers().names(name).send().await.unwrap();
    let lb = lbs.load_balancers()[0].load_balancer_arn().unwrap().to_string();
    let listeners = elb.describe_listeners().load_balancer_arn(&lb).send().await.unwrap();
    assert_eq!(listeners.listeners().len(), 1, "one listener");
    let arn = listeners.listeners()[0].listener_arn().unwrap();
    let attributes = elb.describe_listener_attributes().listener_arn(arn).send().await.unwrap();
    let found = attributes.attributes().iter().find(|a| a.key() == Some("tcp.idle_timeout.seconds"));
    found.and_then(|a| a.value()).unwrap_or_default().to_string()
}

fn with(args: Vec<String>, more: &[&str]) -> Vec<String> {
    [args, more.iter().map(|s| s.to_string()).collect()].concat()
}

fn idle_check(emulator: &Emulator) -> serde_json::Value {
    let args = ["verify", "--region", REGION, "--name", "orders-db", "--output", "json"];
    let report = stdout_json(&emulator.plink().args(args).output().unwrap());
    report["checks"].as_array().unwrap().iter().find(|c| c["id"] == "listener.idle-timeout").unwrap().clone()
}

#[tokio::test]
async fn the_idle_timeout_is_set_changed_in_place_and_reported_by_verify() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let base = setup_args(&seed, REGION, "orders-db");

    // Left out, AWS's 350 s, which verify warns long syncs about.
    ok(emulator.plink().args(&base).output().unwrap());
    assert_eq!(idle_timeout(&emulator, "orders-db").await, "350");
    let check = idle_check(&emulator);
    assert_eq!(check["status"], "warn", "{check}");
    assert!(check["fix"].as_str().unwrap().contains("--idle-timeout"), "{check}");

    // Set: changed in place on the same listener, and said so in the plan.
    let long = with(base.clone(), &["--idle-timeout", "3600"]);
    let output = ok(emulator.plink().args(&long).output().unwrap());
    let plan = String::from_utf8_lossy(&output.stderr);
    assert!(plan.contains("idle connections kept 350 s → 3600 s"), "{plan}");
    assert_eq!(idle_timeout(&emulator, "orders-db").await, "3600");
    assert_eq!(idle_check(&emulator)["status"], "pass");
    emulator.clear_requests();
    ok(emulator.plink().args(&long).output().unwrap());
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new(), "a re-run changes nothing");

    // Changed by hand: the re-run puts it back.
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&emulator.sdk(REGION).await);
    let lb = elb.describe_load_balancers().names("orders-db").send().await.unwrap();
    let lb = lb.load_balancers()[0].load_balancer_arn().unwrap().to_string();
    let listener = elb.describe_listeners().load_balancer_arn(&lb).send().await.unwrap();
    let listener = listener.listeners()[0].listener_arn().unwrap().to_string();
    let attribute = |value: &str| {
        aws_sdk_elasticloadbalancingv2::types::ListenerAttribute::builder()
            .key("tcp.idle_timeout.seconds")
            .value(value)
            .build()
    };
    elb.modify_listener_attributes().listener_arn(&listener).attributes(attribute("90")).send().await.unwrap();
    ok(emulator.plink().args(&long).output().unwrap());
    assert_eq!(idle_timeout(&emulator, "orders-db").await, "3600");

    // As AWS does: out of range, refused.
    let refused = elb.modify_listener_attributes().listener_arn(&listener).attributes(attribute("59")).send().await;
    let error = refused.unwrap_err().into_service_error();
    assert_eq!(
        aws_sdk_elasticloadbalancingv2::error::ProvideErrorMetadata::code(&error),
        Some("InvalidConfigurationRequest")
    );

    // A new deployment gets it as its listener is created.
    let other = with(setup_args(&seed, REGION, "billing-db"), &["--idle-timeout", "1800", "--output", "json"]);
    let handover = stdout_json(&ok(emulator.plink().args(&other).output().unwrap()));
    assert_eq!(idle_timeout(&emulator, "billing-db").await, "1800");
    // The handover says it, for the connector's keepalive settings.
    assert_eq!(handover["idle_timeout_seconds"], 1800, "{handover}");
}

#[tokio::test]
async fn cross_region_access_takes_aws_s_idle_timeout_and_setup_orders_the_switch() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let us = with(setup_args(&seed, REGION, "orders-db"), &["--idle-timeout", "3600"]);
    let eu = replace(setup_args(&seed, REGION, "orders-db"), "--airbyte-region", "eu");

    // Refused before anything is made: a custom timeout with Airbyte in another region.
    emulator.clear_requests();
    let refused = emulator.plink().args(with(eu.clone(), &["--idle-timeout", "3600"])).output().unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("--idle-timeout") && stderr.contains("cross-region"), "{stderr}");
    assert_eq!(emulator.tool_mutations(), Vec::<String>::new());

    // Same-region with 3600 s, then Airbyte moves to Europe: the timeout goes back to
    // AWS's before the region is added, which AWS would refuse otherwise.
    ok(emulator.plink().args(&us).output().unwrap());
    assert_eq!(idle_timeout(&emulator, "orders-db").await, "3600");
    let moved = ok(emulator.plink().args(&eu).output().unwrap());
    let plan = String::from_utf8_lossy(&moved.stderr);
    assert!(plan.contains("3600 s → 350 s (AWS's default; cross-region access needs it)"), "{plan}");
    assert_eq!(idle_timeout(&emulator, "orders-db").await, "350");
    let check = idle_check(&emulator);
    assert_eq!(check["status"], "pass", "{check}");

    // And back: the region is removed before the custom timeout is set.
    emulator.set_supported_regions(0.0, 1.0, &[], &[]);
    ok(emulator.plink().args(&us).output().unwrap());
    assert_eq!(idle_timeout(&emulator, "orders-db").await, "3600");
}
