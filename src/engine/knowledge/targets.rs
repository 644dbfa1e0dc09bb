//! The targets a deployment should have now: its recorded targets with every hostname
//! resolved again, so an RDS or Aurora failover is followed; and how each address is
//! registered, the one rule setup and sync-targets share.

use std::net::Ipv4Addr;

use futures::future::join_all;

use serde::Serialize;

use crate::aws::{Subnet, TargetRef};
use crate::dns::Resolve;
use crate::engine::knowledge::addresses::{in_cidr, is_private};

/// A target as the spec names it, and what it is registered as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResolvedTarget {
    /// As the user named it: an IP, an instance ID or a hostname.
    pub target: String,
    /// What gets registered in the target group.
    pub registrations: Vec<TargetRef>,
}

/// Resolves `recorded` (IPs, instance IDs, hostnames) to target-group entries on `port`.
/// Hostnames that fail to resolve, or resolve to public addresses, are reported.
pub async fn current<R: Resolve>(resolver: &R, recorded: &[String], port: u16) -> Result<Vec<TargetRef>, Vec<String>> {
    let lookups = recorded.iter().map(|target| async move {
        if target.parse::<Ipv4Addr>().is_ok() || target.starts_with("i-") {
            return Ok(vec![target.clone()]);
        }
        match resolver.ipv4(target).await {
            Ok(ips) => match ips.iter().find(|ip| !is_private(**ip)) {
                Some(public) => Err(format!("{target} resolves to {public}, which is not a private address")),
                None => Ok(ips.iter().map(Ipv4Addr::to_string).collect()),
            },
            Err(why) => Err(format!("{target} does not resolve ({why})")),
        }
    });
    let mut targets = Vec::new();
    let mut problems = Vec::new();
    for result in join_all(lookups).await {
        match result {
            Ok(ids) => targets.extend(ids.into_iter().map(|id| TargetRef { id, port, availability_zone: None })),
            Err(problem) => problems.push(problem),
        }
    }
    targets.sort();
    targets.dedup();
    if problems.is_empty() { Ok(targets) } else { Err(problems) }
}

/// How `id` is registered on `port` in a target group of a VPC with `vpc_cidrs`: an IP
/// outside the VPC with `AvailabilityZone=all`, which AWS requires for it (ELB API
/// reference, TargetDescription); an IP inside, or an instance, in its own zone, which
/// AWS detects.
pub fn registration(id: String, port: u16, vpc_cidrs: &[String]) -> TargetRef {
    let outside = id.parse::<Ipv4Addr>().is_ok_and(|ip| !vpc_cidrs.iter().any(|cidr| in_cidr(ip, cidr)));
    TargetRef { id, port, availability_zone: outside.then(|| "all".to_string()) }
}

/// What following the database changes in its target group.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    /// What the target group should hold now, each registered as [`registration`] says.
    pub current: Vec<TargetRef>,
    /// Current but not registered: registered first.
    pub register: Vec<TargetRef>,
    /// Registered but no longer current: deregistered once the new ones are in.
    pub deregister: Vec<TargetRef>,
}

/// The rule `sync-targets` and the follower share (the follower's own code keeps the same
/// rule, held to the same cases, `src/follower/cases.json`): the target group should hold
/// exactly `resolved` (IDs: addresses the names resolve to, IPs and instances as given)
/// on `port`. Targets are the same when ID and port are, whatever zone they were
/// registered for. Nothing resolved is refused: a lookup that found nothing must never
/// empty the target group.
pub fn reconcile(
    registered: &[TargetRef],
    resolved: &[String],
    port: u16,
    vpc_cidrs: &[String],
) -> Result<Reconciliation, String> {
    if resolved.is_empty() {
        return Err("the targets resolve to no address".into());
    }
    let mut current: Vec<TargetRef> = resolved.iter().map(|id| registration(id.clone(), port, vpc_cidrs)).collect();
    current.sort();
    current.dedup();
    let key = |t: &TargetRef| (t.id.clone(), t.port);
    let mut register: Vec<TargetRef> =
        current.iter().filter(|t| !registered.iter().any(|r| key(r) == key(t))).cloned().collect();
    let mut deregister: Vec<TargetRef> =
        registered.iter().filter(|r| !current.iter().any(|t| key(r) == key(t))).cloned().collect();
    register.sort();
    deregister.sort();
    deregister.dedup();
    Ok(Reconciliation { current, register, deregister })
}

/// The subnet of the VPC holding `ip`.
pub fn subnet_of(ip: Ipv4Addr, subnets: &[Subnet]) -> Option<&Subnet> {
    subnets.iter().find(|s| !s.cidr.is_empty() && in_cidr(ip, &s.cidr))
}

/// The addresses in a subnet of the VPC whose Availability Zone has none of the load
/// balancer's subnets: it sends them nothing, cross-zone or not (AWS reports them
/// `unused`). Each with the subnet it is in. Nothing when the load balancer's subnets
/// are not known.
pub fn in_uncovered_zones<'a, T>(
    addresses: impl IntoIterator<Item = (T, Ipv4Addr)>,
    load_balancer_subnets: &[Subnet],
    vpc_subnets: &'a [Subnet],
) -> Vec<(T, Ipv4Addr, &'a Subnet)> {
    if load_balancer_subnets.is_empty() {
        return Vec::new();
    }
    addresses
        .into_iter()
        .filter_map(|(what, ip)| Some((what, ip, subnet_of(ip, vpc_subnets)?)))
        .filter(|(_, _, home)| !load_balancer_subnets.iter().any(|s| s.az_id == home.az_id))
        .collect()
}

/// Whether two target lists name the same targets, whatever AZ each is registered for.
pub fn same(a: &[TargetRef], b: &[TargetRef]) -> bool {
    let key = |targets: &[TargetRef]| {
        let mut keys: Vec<(String, u16)> = targets.iter().map(|t| (t.id.clone(), t.port)).collect();
        keys.sort();
        keys
    };
    key(a) == key(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The cases the follower's own code is held to as well (tests/emulator/check_follower_cases.py).
    #[test]
    fn the_rule_meets_every_case_the_follower_meets() {
        let cases: Vec<serde_json::Value> = serde_json::from_str(crate::follower::CASES).unwrap();
        assert!(cases.len() >= 8);
        let targets = |value: &serde_json::Value| -> Vec<TargetRef> {
            let list = value.as_array().cloned().unwrap_or_default();
            let mut targets: Vec<TargetRef> = list
                .iter()
                .map(|t| TargetRef {
                    id: t["id"].as_str().unwrap().into(),
                    port: t["port"].as_u64().unwrap() as u16,
                    availability_zone: t["availability_zone"].as_str().map(str::to_string),
                })
                .collect();
            targets.sort();
            targets
        };
        for case in &cases {
            let name = case["name"].as_str().unwrap();
            let strings = |key: &str| -> Vec<String> {
                case[key].as_array().unwrap().iter().map(|v| v.as_str().unwrap().to_string()).collect()
            };
            let port = case["port"].as_u64().unwrap() as u16;
            let got = reconcile(&targets(&case["registered"]), &strings("resolved"), port, &strings("vpc_cidrs"));
            if case["refused"].as_bool() == Some(true) {
                assert!(got.is_err(), "{name}: refused");
                continue;
            }
            let got = got.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(got.register, targets(&case["register"]), "{name}: register");
            assert_eq!(got.deregister, targets(&case["deregister"]), "{name}: deregister");
        }
    }
}
