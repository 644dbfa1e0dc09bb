//! Whether the network ACLs let the load balancer and its targets talk. ACLs are
//! stateless, so each direction needs its own rule: the load balancer's nodes send to
//! the target's port and hear back on an ephemeral port (1024-65535, NLB guide, "Network
//! ACLs"), and the target's subnet sees the same from its side. Rules are evaluated
//! lowest number first and the first that matches decides (VPC guide, "Network ACLs");
//! traffic within one subnet is not filtered.

use std::net::Ipv4Addr;

use crate::aws::{AclEntry, NetworkAcl, Subnet};
use crate::engine::preflight::{cidr_holds, in_cidr};

/// The source ports a network load balancer uses, and so the return traffic's ports.
pub const EPHEMERAL_PORTS: (i32, i32) = (1024, 65535);

/// One direction of traffic through one ACL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flow {
    pub egress: bool,
    /// The other side's addresses.
    pub peer: String,
    pub ports: (i32, i32),
}

/// A flow an ACL does not let through, and the rule to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub acl_id: String,
    pub subnet_id: String,
    pub flow: Flow,
    /// The rule that denies it, or `None` when no rule allows all of it.
    pub denied_by: Option<i32>,
    /// A free rule number that is evaluated before the deny.
    pub free_rule_number: i32,
}

impl Block {
    pub fn describe(&self) -> String {
        let (direction, preposition) = if self.flow.egress { ("outbound", "to") } else { ("inbound", "from") };
        let why = match self.denied_by {
            Some(rule) => format!("rule {rule} denies it"),
            None => "no rule allows all of it".to_string(),
        };
        format!(
            "{} (subnet {}) blocks {direction} TCP {} {preposition} {}: {why}",
            self.acl_id,
            self.subnet_id,
            ports(self.flow.ports),
            self.flow.peer
        )
    }

    /// The command that adds the missing rule.
    pub fn fix(&self) -> String {
        format!(
            "aws ec2 create-network-acl-entry --network-acl-id {} {} --rule-number {} --protocol tcp \
             --port-range From={},To={} --cidr-block {} --rule-action allow",
            self.acl_id,
            if self.flow.egress { "--egress" } else { "--ingress" },
            self.free_rule_number,
            self.flow.ports.0,
            self.flow.ports.1,
            self.flow.peer
        )
    }
}

fn ports((from, to): (i32, i32)) -> String {
    if from == to { from.to_string() } else { format!("{from}-{to}") }
}

/// The ACL that filters `subnet_id`: its own, or the VPC's default.
pub fn acl_of<'a>(subnet_id: &str, acls: &'a [NetworkAcl]) -> Option<&'a NetworkAcl> {
    acls.iter().find(|a| a.subnet_ids.iter().any(|s| s == subnet_id)).or_else(|| acls.iter().find(|a| a.is_default))
}

/// Whether `acl` lets every packet of `flow` through; if not, why.
pub fn evaluate(acl: &NetworkAcl, subnet_id: &str, flow: &Flow) -> Option<Block> {
    let mut entries: Vec<&AclEntry> =
        acl.entries.iter().filter(|e| e.egress == flow.egress && e.cidr.is_some()).collect();
    entries.sort_by_key(|e| e.rule_number);
    let block = |denied_by: Option<i32>| {
        let used: Vec<i32> = acl.entries.iter().filter(|e| e.egress == flow.egress).map(|e| e.rule_number).collect();
        let free_rule_number = match denied_by {
            // Just before the deny.
            Some(deny) => (1..deny).rev().find(|n| !used.contains(n)).unwrap_or(1),
            // Nothing denies it but `*`: after the last rule, in the usual steps of ten.
            None => {
                let last = used.iter().copied().filter(|n| *n < 32767).max().unwrap_or(0);
                ((last / 10 + 1) * 10).min(32766)
            }
        };
        Some(Block {
            acl_id: acl.id.clone(),
            subnet_id: subnet_id.to_string(),
            flow: flow.clone(),
            denied_by,
            free_rule_number,
        })
    };
    for entry in entries {
        if entry.protocol != "-1" && entry.protocol != "6" {
            continue;
        }
        let range = entry.cidr.as_deref().unwrap_or_default();
        let (from, to) = if entry.protocol == "-1" { (0, 65535) } else { entry.ports.unwrap_or((0, 65535)) };
        let touches = from <= flow.ports.1 && to >= flow.ports.0 && overlaps(range, &flow.peer);
        if !touches {
            continue;
        }
        let covers = from <= flow.ports.0 && to >= flow.ports.1 && cidr_holds(range, &flow.peer);
        match (entry.allow, covers) {
            (true, true) => return None,
            // Part of the flow is let through; the rest falls to later rules.
            (true, false) => continue,
            (false, _) if entry.rule_number >= 32767 => return block(None),
            (false, _) => return block(Some(entry.rule_number)),
        }
    }
    block(None)
}

fn overlaps(a: &str, b: &str) -> bool {
    cidr_holds(a, b) || cidr_holds(b, a)
}

/// The subnet of the VPC holding `ip`.
pub fn subnet_of(ip: Ipv4Addr, subnets: &[Subnet]) -> Option<&Subnet> {
    subnets.iter().find(|s| in_cidr(ip, &s.cidr))
}

/// Every flow between the load balancer's subnets and a target at `ip` on `port` that
/// an ACL blocks: `(on the load balancer's side, on the target's side)`. A target
/// outside the VPC has only the load balancer's side here.
pub fn blocks(
    load_balancer_subnets: &[Subnet],
    ip: Ipv4Addr,
    port: u16,
    vpc_subnets: &[Subnet],
    acls: &[NetworkAcl],
) -> (Vec<Block>, Vec<Block>) {
    let port = (i32::from(port), i32::from(port));
    let target = format!("{ip}/32");
    let home = subnet_of(ip, vpc_subnets);
    let mut near = Vec::new();
    let mut far = Vec::new();
    for node in load_balancer_subnets {
        if home.is_some_and(|h| h.id == node.id) {
            continue;
        }
        if let Some(acl) = acl_of(&node.id, acls) {
            let out = Flow { egress: true, peer: target.clone(), ports: port };
            let back = Flow { egress: false, peer: target.clone(), ports: EPHEMERAL_PORTS };
            near.extend([out, back].iter().filter_map(|flow| evaluate(acl, &node.id, flow)));
        }
        if let Some(home) = home
            && let Some(acl) = acl_of(&home.id, acls)
        {
            let inbound = Flow { egress: false, peer: node.cidr.clone(), ports: port };
            let back = Flow { egress: true, peer: node.cidr.clone(), ports: EPHEMERAL_PORTS };
            far.extend([inbound, back].iter().filter_map(|flow| evaluate(acl, &home.id, flow)));
        }
    }
    near.dedup();
    far.dedup();
    (near, far)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::fixtures::subnet;

    fn entry(rule_number: i32, egress: bool, allow: bool, cidr: &str, ports: Option<(i32, i32)>) -> AclEntry {
        AclEntry { rule_number, egress, protocol: "6".into(), allow, cidr: Some(cidr.into()), ports }
    }

    fn acl(id: &str, subnets: &[&str], entries: Vec<AclEntry>) -> NetworkAcl {
        let mut entries = entries;
        for egress in [false, true] {
            entries.push(AclEntry {
                rule_number: 32767,
                egress,
                protocol: "-1".into(),
                allow: false,
                cidr: Some("0.0.0.0/0".into()),
                ports: None,
            });
        }
        NetworkAcl {
            id: id.into(),
            is_default: false,
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            entries,
        }
    }

    fn vpc_wide() -> Vec<AclEntry> {
        vec![entry(100, false, true, "10.0.0.0/16", None), entry(100, true, true, "10.0.0.0/16", None)]
    }

    #[test]
    fn the_vpc_wide_allow_lets_everything_through() {
        let subnets = [subnet("subnet-a", "az1", "10.0.1.0/24"), subnet("subnet-c", "az3", "10.0.3.0/24")];
        let acls = [acl("acl-1", &["subnet-a", "subnet-c"], vpc_wide())];
        let (near, far) = blocks(&subnets[..1], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls);
        assert_eq!((near, far), (Vec::new(), Vec::new()));
    }

    #[test]
    fn a_deny_of_ephemeral_ports_on_the_targets_side_names_the_rule_and_the_fix() {
        let subnets = [subnet("subnet-a", "az1", "10.0.1.0/24"), subnet("subnet-c", "az3", "10.0.3.0/24")];
        let mut target_side = vec![entry(90, true, false, "10.0.0.0/16", Some(EPHEMERAL_PORTS))];
        target_side.extend(vpc_wide());
        let acls = [acl("acl-lb", &["subnet-a"], vpc_wide()), acl("acl-db", &["subnet-c"], target_side)];
        let (near, far) = blocks(&subnets[..1], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls);
        assert!(near.is_empty(), "{near:?}");
        assert_eq!(far.len(), 1);
        assert_eq!(
            far[0].describe(),
            "acl-db (subnet subnet-c) blocks outbound TCP 1024-65535 to 10.0.1.0/24: rule 90 denies it"
        );
        assert_eq!(
            far[0].fix(),
            "aws ec2 create-network-acl-entry --network-acl-id acl-db --egress --rule-number 89 --protocol tcp \
             --port-range From=1024,To=65535 --cidr-block 10.0.1.0/24 --rule-action allow"
        );
    }

    #[test]
    fn a_partial_allow_is_not_enough_and_nothing_filters_within_a_subnet() {
        let subnets = [subnet("subnet-a", "az1", "10.0.1.0/24"), subnet("subnet-c", "az3", "10.0.3.0/24")];
        // Linux's ephemeral range only: the load balancer's lower ports fall to `*`.
        let lb_side = vec![
            entry(100, true, true, "10.0.0.0/16", Some((3306, 3306))),
            entry(110, false, true, "10.0.0.0/16", Some((32768, 65535))),
        ];
        let acls = [acl("acl-lb", &["subnet-a"], lb_side), acl("acl-db", &["subnet-c"], vpc_wide())];
        let (near, _) = blocks(&subnets[..1], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls);
        assert_eq!(near.len(), 1, "{near:?}");
        assert_eq!(near[0].denied_by, None);
        assert!(!near[0].flow.egress);
        let (near, far) = blocks(&subnets[..1], "10.0.1.7".parse().unwrap(), 3306, &subnets, &acls);
        assert_eq!((near, far), (Vec::new(), Vec::new()), "the target shares the load balancer's subnet");
    }
}
