//! Whether the network ACLs let the load balancer and its targets talk. ACLs are
//! stateless, so each direction needs its own rule: the load balancer's nodes send to
//! the target's port and hear back on an ephemeral port (1024-65535, NLB guide, "Network
//! ACLs"), and the target's subnet sees the same from its side. Rules are evaluated
//! lowest number first and the first that matches decides (VPC guide, "Network ACLs");
//! traffic within one subnet is not filtered.

use std::net::Ipv4Addr;

use crate::aws::{AclEntry, NetworkAcl, Subnet};
use crate::engine::knowledge::addresses::cidr_holds;
use crate::engine::knowledge::targets::subnet_of;

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
    /// Whether it is on the load balancer's side (its subnets' ACLs) or the targets'.
    pub load_balancer_side: bool,
    pub acl_id: String,
    /// The subnets whose traffic it blocks (several share an ACL).
    pub subnet_ids: Vec<String>,
    pub flow: Flow,
    /// The rule that denies it, or `None` when no rule allows all of it.
    pub denied_by: Option<i32>,
    /// A free rule number evaluated before the deny, given by [`number`]; `None` when
    /// every number below the deny is taken.
    pub free_rule_number: Option<i32>,
}

impl Block {
    pub fn describe(&self) -> String {
        let (direction, preposition) = if self.flow.egress { ("outbound", "to") } else { ("inbound", "from") };
        let why = match self.denied_by {
            Some(rule) => format!("rule {rule} denies it"),
            None => "no rule allows all of it".to_string(),
        };
        let subnets = if self.subnet_ids.len() == 1 { "subnet" } else { "subnets" };
        format!(
            "{} ({subnets} {}) blocks {direction} TCP {} {preposition} {}: {why}",
            self.acl_id,
            self.subnet_ids.join(", "),
            ports(self.flow.ports),
            self.flow.peer
        )
    }

    /// The command that adds the missing rule, or what to do when no number is free.
    pub fn fix(&self) -> String {
        let Some(number) = self.free_rule_number else {
            return format!(
                "no rule number below {} is free in {}: renumber its rules, or change rule {} to let TCP {} {} {} through",
                self.denied_by.unwrap_or(32767),
                self.acl_id,
                self.denied_by.unwrap_or(32767),
                ports(self.flow.ports),
                if self.flow.egress { "to" } else { "from" },
                self.flow.peer
            );
        };
        format!(
            "aws ec2 create-network-acl-entry --network-acl-id {} {} --rule-number {number} --protocol tcp \
             --port-range From={},To={} --cidr-block {} --rule-action allow",
            self.acl_id,
            if self.flow.egress { "--egress" } else { "--ingress" },
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

/// Whether `acl` lets every packet of `flow` through; if not, why. Rules whose range
/// holds the whole peer let their ports through and the rest of the flow goes on to
/// later rules; a rule for part of the peer's range cannot be counted on, and a deny
/// touching what is left blocks it.
pub fn evaluate(acl: &NetworkAcl, subnet_id: &str, flow: &Flow, load_balancer_side: bool) -> Option<Block> {
    let mut entries: Vec<&AclEntry> =
        acl.entries.iter().filter(|e| e.egress == flow.egress && e.cidr.is_some()).collect();
    entries.sort_by_key(|e| e.rule_number);
    let block = |denied_by: Option<i32>| {
        Some(Block {
            load_balancer_side,
            acl_id: acl.id.clone(),
            subnet_ids: vec![subnet_id.to_string()],
            flow: flow.clone(),
            denied_by,
            free_rule_number: None,
        })
    };
    // The ports not yet let through, for the whole peer range.
    let mut open: Vec<(i32, i32)> = vec![flow.ports];
    for entry in entries {
        if entry.protocol != "-1" && entry.protocol != "6" {
            continue;
        }
        let range = entry.cidr.as_deref().unwrap_or_default();
        let ports = if entry.protocol == "-1" { (0, 65535) } else { entry.ports.unwrap_or((0, 65535)) };
        let touches = open.iter().any(|o| ports.0 <= o.1 && ports.1 >= o.0) && overlaps(range, &flow.peer);
        if !touches {
            continue;
        }
        if !entry.allow {
            return block((entry.rule_number < 32767).then_some(entry.rule_number));
        }
        if cidr_holds(range, &flow.peer) {
            open = open.into_iter().flat_map(|o| subtract(o, ports)).collect();
            if open.is_empty() {
                return None;
            }
        }
    }
    block(None)
}

/// `from` without `gone`: none, one or two intervals.
fn subtract(from: (i32, i32), gone: (i32, i32)) -> Vec<(i32, i32)> {
    if gone.1 < from.0 || gone.0 > from.1 {
        return vec![from];
    }
    let mut left = Vec::new();
    if gone.0 > from.0 {
        left.push((from.0, gone.0 - 1));
    }
    if gone.1 < from.1 {
        left.push((gone.1 + 1, from.1));
    }
    left
}

/// Merges blocks that need the same rule in the same ACL (subnets sharing it), and
/// gives each a distinct free rule number evaluated before its deny: the largest free
/// one below the deny, or, when nothing but `*` denies it, the next ten after the last
/// rule.
pub fn number(blocks: Vec<Block>, acls: &[NetworkAcl]) -> Vec<Block> {
    let mut merged: Vec<Block> = Vec::new();
    for block in blocks {
        let same_rule = |m: &&mut Block| {
            m.acl_id == block.acl_id && m.flow == block.flow && m.load_balancer_side == block.load_balancer_side
        };
        match merged.iter_mut().find(same_rule) {
            Some(same) => {
                for subnet in block.subnet_ids {
                    if !same.subnet_ids.contains(&subnet) {
                        same.subnet_ids.push(subnet);
                    }
                }
            }
            None => merged.push(block),
        }
    }
    let mut taken: Vec<(String, bool, i32)> =
        acls.iter().flat_map(|a| a.entries.iter().map(move |e| (a.id.clone(), e.egress, e.rule_number))).collect();
    for block in &mut merged {
        let used = |n: i32| {
            taken.iter().any(|(acl, egress, m)| *acl == block.acl_id && *egress == block.flow.egress && *m == n)
        };
        let free = match block.denied_by {
            Some(deny) => (1..deny).rev().find(|n| !used(*n)),
            None => {
                let last = taken
                    .iter()
                    .filter(|(acl, egress, n)| *acl == block.acl_id && *egress == block.flow.egress && *n < 32767)
                    .map(|(_, _, n)| *n)
                    .max()
                    .unwrap_or(0);
                ((last / 10 + 1) * 10..32767).find(|n| !used(*n))
            }
        };
        if let Some(n) = free {
            taken.push((block.acl_id.clone(), block.flow.egress, n));
        }
        block.free_rule_number = free;
    }
    merged
}

fn overlaps(a: &str, b: &str) -> bool {
    cidr_holds(a, b) || cidr_holds(b, a)
}

/// Every flow between the load balancer's subnets and a target at `ip` on `port` that
/// an ACL blocks, on either side, not yet numbered ([`number`]). A target outside the
/// VPC has only the load balancer's side here.
pub fn blocks(
    load_balancer_subnets: &[Subnet],
    ip: Ipv4Addr,
    port: u16,
    vpc_subnets: &[Subnet],
    acls: &[NetworkAcl],
) -> Vec<Block> {
    let port = (i32::from(port), i32::from(port));
    let target = format!("{ip}/32");
    let home = subnet_of(ip, vpc_subnets);
    let mut found = Vec::new();
    for node in load_balancer_subnets.iter().filter(|s| !s.cidr.is_empty()) {
        if home.is_some_and(|h| h.id == node.id) {
            continue;
        }
        if let Some(acl) = acl_of(&node.id, acls) {
            let out = Flow { egress: true, peer: target.clone(), ports: port };
            let back = Flow { egress: false, peer: target.clone(), ports: EPHEMERAL_PORTS };
            found.extend([out, back].iter().filter_map(|flow| evaluate(acl, &node.id, flow, true)));
        }
        if let Some(home) = home
            && let Some(acl) = acl_of(&home.id, acls)
        {
            let inbound = Flow { egress: false, peer: node.cidr.clone(), ports: port };
            let back = Flow { egress: true, peer: node.cidr.clone(), ports: EPHEMERAL_PORTS };
            found.extend([inbound, back].iter().filter_map(|flow| evaluate(acl, &home.id, flow, false)));
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::subnet;

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
        assert_eq!(blocks(&subnets[..1], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls), Vec::new());
    }

    #[test]
    fn a_deny_of_ephemeral_ports_on_the_targets_side_names_the_rule_and_the_fix() {
        let subnets = [subnet("subnet-a", "az1", "10.0.1.0/24"), subnet("subnet-c", "az3", "10.0.3.0/24")];
        let mut target_side = vec![entry(90, true, false, "10.0.0.0/16", Some(EPHEMERAL_PORTS))];
        target_side.extend(vpc_wide());
        let acls = [acl("acl-lb", &["subnet-a"], vpc_wide()), acl("acl-db", &["subnet-c"], target_side)];
        let found = number(blocks(&subnets[..1], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls), &acls);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(!found[0].load_balancer_side);
        let far = found;
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
        let found = blocks(&subnets[..1], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].load_balancer_side);
        assert_eq!(found[0].denied_by, None);
        assert!(!found[0].flow.egress);
        let found = blocks(&subnets[..1], "10.0.1.7".parse().unwrap(), 3306, &subnets, &acls);
        assert_eq!(found, Vec::new(), "the target shares the load balancer's subnet");
    }

    #[test]
    fn ports_allowed_in_parts_add_up_and_each_subnet_gets_its_own_number() {
        let subnets = [
            subnet("subnet-a", "az1", "10.0.1.0/24"),
            subnet("subnet-b", "az2", "10.0.2.0/24"),
            subnet("subnet-c", "az3", "10.0.3.0/24"),
        ];
        // 1024-32767 and 32768-65535 together allow the replies.
        let mut split = vec![
            entry(100, false, true, "10.0.0.0/16", Some((1024, 32767))),
            entry(110, false, true, "10.0.0.0/16", Some((32768, 65535))),
        ];
        split.push(entry(100, true, true, "10.0.0.0/16", None));
        let mut denying = vec![entry(50, true, false, "10.0.0.0/16", Some(EPHEMERAL_PORTS))];
        denying.extend(vpc_wide());
        let acls = [acl("acl-lb", &["subnet-a", "subnet-b"], split), acl("acl-db", &["subnet-c"], denying)];
        let found = number(blocks(&subnets[..2], "10.0.3.7".parse().unwrap(), 3306, &subnets, &acls), &acls);
        // Only the targets' side blocks: one rule per load balancer subnet, numbered apart.
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|b| !b.load_balancer_side && b.denied_by == Some(50)));
        assert_eq!(found.iter().map(|b| b.free_rule_number).collect::<Vec<_>>(), [Some(49), Some(48)]);
    }
}
