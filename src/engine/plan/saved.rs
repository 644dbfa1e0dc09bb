//! A plan saved to a file (`plan --out`, `setup --dry-run --out`, `teardown --dry-run
//! --out`) and applied later (`setup --plan`, `teardown --plan`), as Terraform's saved
//! plans are: reviewed in a pull request, then applied exactly, or refused when the
//! account changed in between. The file is versioned JSON: the plan, the settings the
//! handover reports, and the facts about the deployment the plan was computed from with
//! their fingerprint. Nothing in it is secret: IDs, ARNs, CIDRs, tags and principals.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::aws::{GroupRule, Peer, RegionState};
use crate::engine::deployment::desired::Desired;
use crate::engine::deployment::observe::Observed;
use crate::engine::deployment::observe_follower::ObservedFollower;
use crate::engine::plan::Plan;

/// The version of the file's layout; a file of another version is refused, not guessed at.
pub const FORMAT_VERSION: u32 = 1;

/// Which command applies the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    Setup,
    Teardown,
}

impl Purpose {
    pub fn command(self) -> &'static str {
        match self {
            Purpose::Setup => "setup",
            Purpose::Teardown => "teardown",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SavedPlan {
    pub format_version: u32,
    /// The tool and version that wrote it.
    pub written_by: String,
    /// The command that applies it: `setup --plan` or `teardown --plan`.
    pub apply_with: Purpose,
    pub deployment: String,
    /// The AWS account it was made in: applied with another account's credentials, it is
    /// refused.
    pub account: String,
    pub region: String,
    /// What the plan was computed from.
    pub state: State,
    pub plan: Plan,
    /// For setup: the resolved spec, which the handover reports once the plan is applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desired: Option<Desired>,
}

/// Why a saved plan no longer applies.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stale {
    /// The credentials are another account's than the plan was made in.
    OtherAccount { planned: String, now: String },
    /// The deployment changed: one line per difference.
    Changed(Vec<String>),
}

/// The facts about the deployment a plan depends on, and their fingerprint.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// `sha256:` and the hash of the facts; equal fingerprints, equal facts.
    pub fingerprint: String,
    /// One line per resource or setting, as the plan saw it.
    pub facts: BTreeMap<String, String>,
}

impl State {
    /// The facts of `observed` that a plan depends on.
    pub fn of(observed: &Observed) -> Self {
        let facts = facts(observed);
        State { fingerprint: fingerprint(&facts), facts }
    }

    /// What differs in `now` from what this state recorded, one line each; empty when
    /// nothing does.
    pub fn differences(&self, now: &State) -> Vec<String> {
        if self.fingerprint == now.fingerprint {
            return Vec::new();
        }
        let mut keys: Vec<&String> = self.facts.keys().chain(now.facts.keys()).collect();
        keys.sort();
        keys.dedup();
        keys.into_iter()
            .filter_map(|key| match (self.facts.get(key), now.facts.get(key)) {
                (Some(then), Some(now)) if then != now => Some(format!("{key}: was {then}; now {now}")),
                (Some(then), None) => Some(format!("{key}: was {then}; now gone")),
                (None, Some(now)) => Some(format!("{key}: new since the plan: {now}")),
                _ => None,
            })
            .collect()
    }
}

impl SavedPlan {
    pub fn new(
        apply_with: Purpose,
        (account, region): (&str, &str),
        observed: &Observed,
        plan: &Plan,
        desired: Option<&Desired>,
    ) -> Self {
        SavedPlan {
            format_version: FORMAT_VERSION,
            written_by: format!("airbyte-plink {}", env!("CARGO_PKG_VERSION")),
            apply_with,
            deployment: observed.name.clone(),
            account: account.to_string(),
            region: region.to_string(),
            state: State::of(observed),
            plan: plan.clone(),
            desired: desired.cloned(),
        }
    }

    /// Whether the plan still applies to `observed`, read with `account`'s credentials.
    pub fn still_applies(&self, account: &str, observed: &Observed) -> Result<(), Stale> {
        if account != self.account {
            return Err(Stale::OtherAccount { planned: self.account.clone(), now: account.to_string() });
        }
        let differences = self.state.differences(&State::of(observed));
        if differences.is_empty() { Ok(()) } else { Err(Stale::Changed(differences)) }
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a saved plan serializes") + "\n"
    }

    /// Reads a saved plan, refusing one of another format version, for another command,
    /// or whose changes do not hold together; each refusal says why and what to do.
    pub fn from_json(text: &str, apply_with: Purpose) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| format!("it is not JSON ({e})"))?;
        let version = value.get("format_version").and_then(|v| v.as_u64());
        if version != Some(u64::from(FORMAT_VERSION)) {
            let found = version.map_or("none".to_string(), |v| v.to_string());
            return Err(format!(
                "its format_version is {found}; this airbyte-plink reads format_version {FORMAT_VERSION}: make the plan again with this version"
            ));
        }
        let saved: SavedPlan = serde_json::from_value(value).map_err(|e| format!("it is not a saved plan ({e})"))?;
        if saved.apply_with != apply_with {
            return Err(format!(
                "it is a plan for `{}`, not `{}`: apply it with `airbyte-plink {} --plan FILE`",
                saved.apply_with.command(),
                apply_with.command(),
                saved.apply_with.command()
            ));
        }
        if apply_with == Purpose::Setup && saved.desired.is_none() {
            return Err("it has no `desired` settings, which setup reports when it is done: make the plan again".into());
        }
        saved.plan.check().map_err(|why| format!("its changes do not hold together: {why}"))?;
        Ok(saved)
    }
}

/// A target group's targets, as a fact.
fn targets(registered: &[crate::aws::RegisteredTarget]) -> String {
    let mut targets: Vec<String> = registered
        .iter()
        .map(|t| match &t.target.availability_zone {
            Some(zone) => format!("{}:{} ({zone})", t.target.id, t.target.port),
            None => format!("{}:{}", t.target.id, t.target.port),
        })
        .collect();
    targets.sort();
    if targets.is_empty() { "none".into() } else { targets.join(", ") }
}

/// The facts a plan depends on: every resource of the deployment with the settings the
/// planner compares, the rules of the database's group that let the load balancer in,
/// and who is connected. Not what AWS changes by itself while nobody touches the
/// deployment (a load balancer going from provisioning to active, target health), which
/// would refuse every plan made during a setup's first minutes; nor the group's other
/// rules, which the plan does not touch.
fn facts(o: &Observed) -> BTreeMap<String, String> {
    let mut facts = BTreeMap::new();
    let mut put = |key: String, value: String| {
        facts.insert(key, value);
    };
    let tags = |tags: &crate::aws::Tags| tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(", ");
    let absent = || "absent".to_string();
    put(
        "load balancer".into(),
        o.load_balancer.as_ref().map_or_else(absent, |lb| {
            let mut subnets = lb.subnet_ids.clone();
            subnets.sort();
            format!(
                "{} ({} {}, {}, subnets {}, security groups {}, PrivateLink inbound rules {}, cross-zone {}, \
                 deletion protection {})",
                lb.arn,
                lb.scheme,
                lb.kind,
                lb.vpc_id,
                subnets.join(", "),
                lb.security_groups.join(", "),
                if lb.enforces_inbound_rules_on_privatelink() { "on" } else { "off" },
                if o.cross_zone { "on" } else { "off" },
                if o.deletion_protection { "on" } else { "off" }
            )
        }),
    );
    if o.load_balancer.is_some() {
        put("load balancer tags".into(), tags(&o.load_balancer_tags));
    }
    for listener in &o.listeners {
        let forward = listener.forward_to.as_deref().unwrap_or("nothing");
        put(format!("listener {}", listener.arn), format!("{} {} → {forward}", listener.protocol, listener.port));
    }
    // Only when set: a plan saved before the tool read it keeps its fingerprint.
    if let Some(seconds) = o.idle_timeout().filter(|s| *s != crate::aws::DEFAULT_IDLE_TIMEOUT) {
        put("listener idle timeout".into(), format!("{seconds} s"));
    }
    let own = o.listener().map(|l| l.arn.as_str());
    for (listener, seconds) in o.idle_timeouts.iter().filter(|(arn, _)| Some(arn.as_str()) != own) {
        put(format!("listener {listener} idle timeout"), format!("{seconds} s"));
    }
    put(
        "target group".into(),
        o.target_group
            .as_ref()
            .map_or_else(absent, |tg| format!("{} ({} port {}, {})", tg.arn, tg.target_type, tg.port, tg.vpc_id)),
    );
    if o.target_group.is_some() {
        put("target group tags".into(), tags(&o.target_group_tags));
        put("targets".into(), targets(&o.targets));
    }
    // Only when there are any, for the same reason.
    for database in &o.databases {
        let (tg, of) = (&database.target_group, format!("database {}", database.name));
        put(format!("{of} target group"), format!("{} ({} port {}, {})", tg.arn, tg.target_type, tg.port, tg.vpc_id));
        put(format!("{of} target group tags"), tags(&database.tags));
        put(format!("{of} targets"), targets(&database.targets));
    }
    for service in o.service.iter().chain(&o.stray_services) {
        // Whether each region is there, not how far AWS has got with it.
        let mut regions: Vec<String> = service
            .supported_regions
            .iter()
            .map(|r| match RegionState::of(&r.state) {
                RegionState::Pending | RegionState::Available => r.region.clone(),
                RegionState::Deleting | RegionState::Deleted => format!("{} (removed)", r.region),
                RegionState::Unusable => format!("{} ({})", r.region, r.state),
            })
            .collect();
        regions.sort();
        put(
            format!("endpoint service {}", service.id),
            format!(
                "on {}; acceptance {}; regions {}",
                service.load_balancer_arns.join(", "),
                if service.acceptance_required { "required" } else { "automatic" },
                regions.join(", ")
            ),
        );
        put(format!("endpoint service {} tags", service.id), tags(&service.tags));
    }
    if o.service.is_none() {
        put("endpoint service".into(), absent());
    } else {
        let mut principals = o.principals.clone();
        principals.sort();
        put("allowed principals".into(), principals.join(", "));
    }
    put(
        "security group".into(),
        o.security_group.as_ref().map_or_else(absent, |g| format!("{} ({}; {})", g.id, g.name, tags(&g.tags))),
    );
    let rule = |r: &GroupRule| {
        let peer = r.peer.as_ref().map_or("nothing".to_string(), |p| p.to_string());
        let direction = if r.egress { "to" } else { "from" };
        format!("{} {} {}-{} {direction} {peer}; {}", r.group_id, r.protocol, r.from_port, r.to_port, tags(&r.tags))
    };
    // Of the database group's own rules, only one letting the load balancer's group in
    // matters: this deployment relies on it instead of adding its own.
    let own_group = o.security_group.as_ref().map(|g| Peer::Group(g.id.clone()));
    let lets_in_ours = |r: &&GroupRule| !r.egress && r.peer.is_some() && r.peer == own_group;
    let group_rules = o.security_group_rules.iter().map(|r| ("security group rule", r));
    let database = o.database_rules.iter().map(|r| ("database rule", r));
    let relied_on = o.group_rules.iter().filter(lets_in_ours).map(|r| ("database group rule", r));
    for (kind, r) in group_rules.chain(database).chain(relied_on) {
        put(format!("{kind} {}", r.id), rule(r));
    }
    for conflict in &o.conflicts {
        put(format!("not this deployment's: {conflict}"), "present".into());
    }
    for (service_id, connections) in &o.connections {
        for c in connections {
            put(format!("connection {} to {service_id}", c.endpoint_id), format!("{} from {}", c.state, c.owner));
        }
    }
    follower_facts(&o.follower, &mut put);
    facts
}

/// The follower's facts, only for what of it exists: a plan saved by a build without a
/// follower keeps its fingerprint. Not the function's state, which Lambda moves by itself.
fn follower_facts(f: &ObservedFollower, put: &mut impl FnMut(String, String)) {
    let short_hash = |text: &str| {
        let digest = Sha256::digest(text.as_bytes());
        digest.iter().take(6).map(|b| format!("{b:02x}")).collect::<String>()
    };
    if let Some(role) = &f.role {
        let policy = f.role_policy.as_deref().map_or_else(|| "none".to_string(), short_hash);
        put(format!("follower role {}", role.name), format!("{}; policy {policy}", role.arn));
    }
    if let Some(function) = &f.function {
        let environment: Vec<String> = function.environment.iter().map(|(k, v)| format!("{k}={v}")).collect();
        put(
            format!("follower function {}", function.name),
            format!(
                "{} ({} {}, code {}, role {}, timeout {} s, environment {})",
                function.arn,
                function.runtime,
                function.handler,
                function.code_sha256,
                function.role_arn,
                function.timeout_seconds,
                environment.join(", ")
            ),
        );
        for permission in &f.permissions {
            let source = permission.source_arn.as_deref().unwrap_or("anything");
            put(
                format!("follower permission {}", permission.statement_id),
                format!("{} from {source}", permission.principal),
            );
        }
    }
    for (rule, targets) in &f.rules {
        let trigger = rule.schedule.as_deref().or(rule.pattern.as_deref()).unwrap_or("nothing");
        let targets: Vec<&str> = targets.iter().map(|t| t.arn.as_str()).collect();
        put(format!("follower rule {}", rule.name), format!("{} on {trigger} → {}", rule.state, targets.join(", ")));
    }
    if let Some(alarm) = &f.alarm {
        let dimensions: Vec<String> = alarm.dimensions.iter().map(|(k, v)| format!("{k}={v}")).collect();
        put(
            format!("follower alarm {}", alarm.name),
            format!(
                "{} {} by {}; tells {}",
                alarm.namespace,
                alarm.metric,
                dimensions.join(", "),
                alarm.alarm_actions.join(", ")
            ),
        );
    }
    if let Some(group) = &f.log_group {
        let retention = group.retention_days.map_or_else(|| "kept forever".to_string(), |d| format!("kept {d} days"));
        put(format!("follower log group {}", group.name), retention);
    }
}

fn fingerprint(facts: &BTreeMap<String, String>) -> String {
    let mut hash = Sha256::new();
    for (key, value) in facts {
        for part in [key, value] {
            hash.update(part.as_bytes());
            hash.update([0]);
        }
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{digest}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::plan::planner::plan;
    use crate::engine::plan::removal::removal_plan;
    use crate::testing::fixtures::{connection, converged, desired};

    fn saved_setup() -> SavedPlan {
        let d = desired();
        let observed = Observed { name: d.name.clone(), ..Observed::default() };
        SavedPlan::new(Purpose::Setup, ("123456789012", "us-west-2"), &observed, &plan(&d, &observed), Some(&d))
    }

    #[test]
    fn a_saved_plan_reads_back_as_it_was_written() {
        let saved = saved_setup();
        let json = saved.to_json();
        assert_eq!(SavedPlan::from_json(&json, Purpose::Setup), Ok(saved));
        assert!(json.contains(r#""format_version": 1"#), "{json}");
        assert!(json.contains(r#""load balancer": "absent""#), "{json}");
    }

    #[test]
    fn a_plan_for_another_command_or_version_is_refused_with_the_fix() {
        let json = saved_setup().to_json();
        let why = SavedPlan::from_json(&json, Purpose::Teardown).unwrap_err();
        assert!(why.contains("apply it with `airbyte-plink setup --plan FILE`"), "{why}");
        let newer = json.replace(r#""format_version": 1"#, r#""format_version": 2"#);
        let why = SavedPlan::from_json(&newer, Purpose::Setup).unwrap_err();
        assert!(why.contains("format_version is 2"), "{why}");
        assert!(SavedPlan::from_json("{", Purpose::Setup).unwrap_err().contains("not JSON"));
        let mut broken = saved_setup();
        broken.plan.changes[6].depends_on.clear();
        let why = SavedPlan::from_json(&broken.to_json(), Purpose::Setup).unwrap_err();
        assert!(why.contains("do not hold together"), "{why}");
    }

    #[test]
    fn the_same_state_matches_and_a_change_is_named() {
        let d = desired();
        let then = State::of(&converged(&d));
        assert!(then.differences(&State::of(&converged(&d))).is_empty());

        let mut changed = converged(&d);
        changed.principals.push("arn:aws:iam::444455556666:root".into());
        changed.load_balancer.as_mut().unwrap().state = "provisioning".into();
        changed.targets[0].health = "unhealthy".into();
        let differences = then.differences(&State::of(&changed));
        // The principal someone added is a difference; the state AWS moves by itself is not.
        assert_eq!(
            differences,
            [format!(
                "allowed principals: was {}; now {}, arn:aws:iam::444455556666:root",
                d.principals[0], d.principals[0]
            )]
        );
    }

    #[test]
    fn a_plan_applies_only_in_its_account_and_to_the_state_it_was_made_from() {
        let d = desired();
        let observed = Observed { name: d.name.clone(), ..Observed::default() };
        let saved = saved_setup();
        assert_eq!(saved.still_applies("123456789012", &observed), Ok(()));
        assert_eq!(
            saved.still_applies("999988887777", &observed),
            Err(Stale::OtherAccount { planned: "123456789012".into(), now: "999988887777".into() })
        );
        let Err(Stale::Changed(differences)) = saved.still_applies("123456789012", &converged(&d)) else {
            panic!("the deployment exists now")
        };
        assert!(differences.iter().any(|d| d.starts_with("load balancer: was absent; now arn:")), "{differences:?}");
    }

    #[test]
    fn another_databases_group_and_targets_are_facts_and_none_without_one() {
        let one = desired();
        let two = crate::testing::fixtures::with_analytics(desired());
        // A deployment of one has no database facts: plans it saved before keep applying.
        assert!(!State::of(&converged(&one)).facts.keys().any(|k| k.starts_with("database ")));
        let mut observed = converged(&two);
        let then = State::of(&observed);
        observed.databases[0].targets[0].target.id = "10.0.2.99".into();
        let differences = then.differences(&State::of(&observed));
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert!(
            differences[0].starts_with("database analytics targets: was 10.0.2.9:3306; now 10.0.2.99:3306"),
            "{differences:?}"
        );
        observed.databases.clear();
        let gone = then.differences(&State::of(&observed));
        assert!(
            gone.iter().any(|d| d.starts_with("database analytics target group: was arn:") && d.ends_with("now gone")),
            "{gone:?}"
        );
    }

    #[test]
    fn only_the_database_groups_rules_for_the_load_balancer_are_facts() {
        let d = desired();
        let rule = |id: &str, port: i32, peer: Peer| GroupRule {
            id: id.into(),
            group_id: "sg-db".into(),
            egress: false,
            protocol: "tcp".into(),
            from_port: port,
            to_port: port,
            peer: Some(peer),
            tags: Default::default(),
        };
        let mut observed = converged(&d);
        let then = State::of(&observed);
        // Someone opens SSH on the group: not what the plan touches.
        observed.group_rules.push(rule("sgr-ssh", 22, Peer::Cidr("10.9.0.0/16".into())));
        assert!(then.differences(&State::of(&observed)).is_empty());
        // Someone lets the load balancer's group in by hand: the plan would add a second.
        let own = observed.security_group.as_ref().unwrap().id.clone();
        observed.group_rules.push(rule("sgr-hand", 5432, Peer::Group(own)));
        let differences = then.differences(&State::of(&observed));
        assert_eq!(differences.len(), 1, "{differences:?}");
        assert!(differences[0].starts_with("database group rule sgr-hand: new since the plan"), "{differences:?}");
    }

    #[test]
    fn a_connection_made_since_a_removal_was_planned_is_a_difference() {
        let d = desired();
        let then = State::of(&converged(&d));
        let mut connected = converged(&d);
        connected.connections.insert("vpce-svc-1".into(), vec![connection("vpce-0new", "pendingAcceptance")]);
        assert!(!removal_plan(&connected).changes.is_empty());
        let differences = then.differences(&State::of(&connected));
        assert_eq!(
            differences,
            ["connection vpce-0new to vpce-svc-1: new since the plan: pendingAcceptance from 111122223333"]
        );
    }
}
