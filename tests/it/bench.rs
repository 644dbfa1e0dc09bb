//! The benchmark (scripts/bench.py) keeps working: run small, on the debug binary, it
//! measures every scenario and the AWS CLI baseline. Its figures are for
//! docs/benchmarks.md, not asserted here, save the counts that do not depend on timing.

use std::process::Command;

#[test]
fn the_benchmark_measures_every_scenario_and_the_aws_cli_baseline() {
    let dir = tempfile::tempdir().unwrap();
    let results = dir.path().join("bench.json");
    let root = env!("CARGO_MANIFEST_DIR");
    let output = Command::new(crate::support::emulator_python())
        .arg(format!("{root}/scripts/bench.py"))
        .args(["--binary", env!("CARGO_BIN_EXE_airbyte-plink"), "--deployments", "3", "--latency-ms", "10"])
        .args(["--provisioning-s", "2"])
        .arg("--json")
        .arg(&results)
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let results: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&results).unwrap()).unwrap();

    let row = |side: &str, what: &str| {
        results[side].as_array().unwrap().iter().find(|r| r["what"] == what).unwrap_or_else(|| panic!("{what}")).clone()
    };
    let count = |row: &serde_json::Value, key: &str| row[key].as_u64().unwrap();
    let scratch = row("tool", "setup from scratch");
    assert!(count(&scratch, "mutating") >= 9, "{scratch}");
    assert_eq!(count(&row("tool", "setup re-run (converged)"), "mutating"), 0);
    assert_eq!(count(&row("tool", "verify"), "mutating"), 0);
    assert_eq!(count(&row("tool", "status --all (3 deployments)"), "mutating"), 0);
    let throttled = row("tool", "status --all (3 deployments), AWS's rate limits on");
    assert_eq!(count(&throttled, "mutating"), 0);
    assert!(count(&throttled, "calls") >= count(&row("tool", "status --all (3 deployments)"), "calls"));
    assert!(count(&row("tool", "teardown"), "mutating") >= 7);
    // The baseline does the same work as setup without the follower: as many changes, no more.
    let without_follower = row("tool", "setup from scratch, --no-follow");
    assert_eq!(count(&row("awscli", "setup from scratch"), "mutating"), count(&without_follower, "mutating"));
    assert!(count(&scratch, "mutating") > count(&without_follower, "mutating"), "the follower's changes");
    // The follower: a failover followed, and a scheduled run with nothing to change only looks.
    let follower = &results["follower"];
    assert!(follower["to_registered"].as_f64().unwrap() > 0.0, "{follower}");
    assert!(count(follower, "noop_calls") >= 1 && count(follower, "noop_mutating") == 0, "{follower}");
    assert_eq!(count(&row("awscli", "verify"), "mutating"), 0);
    // The tool builds the rest while the load balancer provisions, then the service.
    let provisioning = &results["provisioning"][0];
    assert_eq!(provisioning["what"], "airbyte-plink");
    assert!(count(provisioning, "polls") >= 2 && count(provisioning, "meanwhile") >= 5, "{provisioning}");
    for side in ["tool", "awscli"] {
        for r in results[side].as_array().unwrap() {
            assert!(count(r, "calls") > 0 && count(r, "trips") > 0, "{r}");
        }
    }
}
