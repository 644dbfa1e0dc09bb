//! `verify`'s checks of the follower (`follow.*`): that the function is there and set up
//! for this deployment, that the rules run it, that its last run succeeded, and that the
//! alarm watches the target group.

use crate::engine::checks::{Check, fail, pass, warn};
use crate::engine::deployment::follower::{FollowerNames, RULE_TARGET_ID, TARGET_GROUP_VARIABLE, alarm_dimensions};
use crate::engine::deployment::observe::Observed;
use crate::engine::deployment::observe_follower::RUNS_WINDOW_MINUTES;
use crate::engine::deployment::tags;

fn minutes_since(epoch: i64) -> i64 {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
    (now - epoch).max(0) / 60
}

/// Whether a function changed at `modified` has had no scheduled run due yet: its first
/// comes within one period of the schedule.
fn new_since(modified: Option<i64>, every_minutes: Option<u32>) -> bool {
    match (modified, every_minutes) {
        (Some(modified), Some(every)) => minutes_since(modified) <= i64::from(every),
        _ => false,
    }
}

pub fn follower_checks(o: &Observed) -> Vec<Check> {
    let f = &o.follower;
    let names = FollowerNames::of(&o.name);
    let setup = "run `airbyte-plink setup` with this deployment's configuration to restore it";
    let recorded = o.recorded().targets;
    let Some(function) = &f.function else {
        let by_name = recorded.iter().any(|t| t.parse::<std::net::Ipv4Addr>().is_err() && !t.starts_with("i-"));
        // Targets by address keep it: nothing to follow.
        if !by_name && !f.exists() {
            return Vec::new();
        }
        return vec![if f.exists() {
            fail("follow.function", format!("Lambda function {} is missing", names.function), setup)
        } else {
            warn(
                "follow.function",
                "no follower: a failover leaves the targets on the database's old address until `sync-targets` runs",
                "run setup again with --follow",
            )
        }];
    };
    let mut checks = Vec::new();
    let tg = o.target_group.as_ref().map(|tg| tg.arn.as_str());
    // A stack's function runs the template's inline code, under another module name.
    let stack = o.stack().is_some();
    let handler = if stack { crate::follower::INLINE_HANDLER } else { crate::follower::HANDLER };
    let wrong: Vec<&str> = [
        (function.environment.get(TARGET_GROUP_VARIABLE).map(String::as_str) != tg, "its target group"),
        (function.environment.get("PLINK_TARGETS") != Some(&tags::join_targets(&recorded)), "its targets"),
        (function.handler != handler, "its handler"),
    ]
    .into_iter()
    .filter_map(|(wrong, what)| wrong.then_some(what))
    .collect();
    checks.push(if !function.state.eq_ignore_ascii_case("active") {
        fail("follow.function", format!("{} is {}", function.name, function.state), "see it in the Lambda console")
    } else if !wrong.is_empty() {
        fail(
            "follow.function",
            format!("{} is not set up for this deployment: {}", function.name, wrong.join(", ")),
            setup,
        )
    } else if !stack && function.code_sha256 != crate::follower::code_sha256() {
        warn(
            "follow.function",
            format!("{} runs code other than this release's", function.name),
            "run `airbyte-plink setup` again to give it this release's code",
        )
    } else {
        pass("follow.function", format!("{} follows {} on {}", function.name, recorded.join(" "), function.runtime))
    });

    let schedule = f.rule(&names.schedule_rule);
    let problems: Vec<String> = f
        .rules
        .iter()
        .filter_map(|(rule, targets)| {
            let connected = targets.iter().any(|t| t.id == RULE_TARGET_ID && t.arn == function.arn);
            let allowed = f.permissions.iter().any(|p| p.source_arn.as_deref() == Some(rule.arn.as_str()));
            match (rule.is_enabled(), connected, allowed) {
                (false, _, _) => Some(format!("{} is {}", rule.name, rule.state)),
                (_, false, _) => Some(format!("{} does not run the function", rule.name)),
                (_, _, false) => Some(format!("the function does not let {} run it", rule.name)),
                _ => None,
            }
        })
        .chain(schedule.is_none().then(|| format!("{} is missing", names.schedule_rule)))
        .collect();
    checks.push(if problems.is_empty() {
        let every = f.every_minutes().map_or(String::new(), |m| format!(", and every {m} min"));
        let events = if f.rule(&names.events_rule).is_some() { " on the database's RDS events" } else { "" };
        pass("follow.rules", format!("EventBridge runs it{events}{every}"))
    } else {
        fail("follow.rules", problems.join("; "), setup)
    });

    checks.push(match &f.runs {
        None => warn("follow.last-run", "its runs could not be read", "allow cloudwatch:GetMetricData"),
        Some(runs) if runs.last_failed => fail(
            "follow.last-run",
            format!(
                "its last run failed ({} of {} runs in the last {RUNS_WINDOW_MINUTES} min)",
                runs.errors, runs.invocations
            ),
            format!("see why in log group {}; `airbyte-plink sync-targets` does the same by hand", names.log_group),
        ),
        Some(runs) if runs.last_run.is_none() && new_since(function.last_modified, f.every_minutes()) => pass(
            "follow.last-run",
            format!(
                "not run yet: set up or changed {} min ago, it runs within {} min",
                minutes_since(function.last_modified.unwrap_or_default()),
                f.every_minutes().unwrap_or_default()
            ),
        ),
        Some(runs) if runs.last_run.is_none() => warn(
            "follow.last-run",
            format!("it has not run in the last {RUNS_WINDOW_MINUTES} min"),
            "a new follower runs at its first schedule; otherwise check that its rules are enabled",
        ),
        Some(runs) => pass(
            "follow.last-run",
            format!("its last run succeeded ({} runs in the last {RUNS_WINDOW_MINUTES} min)", runs.invocations),
        ),
    });

    let lb = o.load_balancer.as_ref().map(|lb| lb.arn.as_str());
    checks.push(match (&f.alarm, tg.zip(lb)) {
        (None, _) => fail("follow.alarm", format!("alarm {} is missing", names.alarm), setup),
        (Some(alarm), Some((tg, lb)))
            if alarm.metric == "HealthyHostCount" && alarm.dimensions == alarm_dimensions(tg, lb) =>
        {
            let told = if alarm.alarm_actions.is_empty() {
                "shown in CloudWatch only; setup --alarm-topic ARN sends it to SNS".to_string()
            } else {
                format!("told to {}", alarm.alarm_actions.join(", "))
            };
            pass("follow.alarm", format!("{} goes off when no target is healthy ({told})", alarm.name))
        }
        (Some(alarm), _) => fail("follow.alarm", format!("{} does not watch this target group", alarm.name), setup),
    });
    checks
}
