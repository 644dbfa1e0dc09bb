//! Which security groups protect the database, and what they let in: read for `verify`,
//! which checks that they let the load balancer's group in. RDS and Aurora say which
//! groups an endpoint has, and an instance its own; for an address, the group setup was
//! given is all there is to go on.

use crate::aws::{Cloud, CloudResult, Database, GroupRule, Instance, Peer};
use crate::engine::deployment::observe::Observed;
use crate::engine::knowledge::addresses::cidr_holds as holds;

/// The database's security groups, where they were learnt, and their inbound rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatabaseGroups {
    pub groups: Vec<String>,
    /// "RDS", "the instance", or "setup's rule".
    pub known_from: &'static str,
    pub inbound: Vec<GroupRule>,
}

impl DatabaseGroups {
    /// Whether a rule lets `group` in on TCP `port` (alone, in a range, or with every
    /// protocol): by naming it, or by an address range that holds every one of
    /// `subnet_cidrs`, where the load balancer's nodes are.
    pub fn lets_in(&self, group: &Peer, port: u16, subnet_cidrs: &[String]) -> bool {
        let port = i32::from(port);
        self.inbound.iter().any(|r| {
            let on_port = r.protocol == "-1" || (r.protocol == "tcp" && r.from_port <= port && port <= r.to_port);
            let from = match &r.peer {
                Some(peer) if peer == group => true,
                Some(Peer::Cidr(range)) => {
                    !subnet_cidrs.is_empty() && subnet_cidrs.iter().all(|subnet| holds(range, subnet))
                }
                _ => false,
            };
            on_port && from
        })
    }
}

/// The groups of the deployment's recorded targets, or `None` when nothing says which
/// they are (an address, and no group given to setup). `databases`: RDS's databases, read
/// alongside the deployment; the rules of groups the reading already holds are not read
/// again. `instances`: those the deployment's instance targets name.
pub async fn read<C: Cloud>(
    cloud: &C,
    observed: &Observed,
    databases: &[Database],
    instances: &[Instance],
) -> CloudResult<Option<DatabaseGroups>> {
    let recorded = observed.recorded().targets;
    let instance_ids: Vec<String> = recorded.iter().filter(|t| t.starts_with("i-")).cloned().collect();
    let hostnames: Vec<&String> =
        recorded.iter().filter(|t| !t.starts_with("i-") && t.parse::<std::net::Ipv4Addr>().is_err()).collect();
    let (mut groups, mut known_from) = if !instance_ids.is_empty() {
        (instances.iter().flat_map(|i| i.security_groups.iter().cloned()).collect::<Vec<_>>(), "the instance")
    } else if !hostnames.is_empty() {
        let of_endpoint = databases.iter().filter(|d| hostnames.iter().any(|h| d.answers_to(h)));
        (of_endpoint.flat_map(|d| d.security_groups.iter().cloned()).collect(), "RDS")
    } else {
        (Vec::new(), "setup's rule")
    };
    if groups.is_empty() {
        groups = observed.database_rules.iter().map(|r| r.group_id.clone()).collect();
        known_from = "setup's rule";
    }
    if groups.is_empty() {
        return Ok(None);
    }
    groups.sort();
    groups.dedup();
    let known = || observed.database_group_rules.iter().chain(&observed.group_rules);
    let unread: Vec<String> = groups.iter().filter(|g| !known().any(|r| &r.group_id == *g)).cloned().collect();
    let mut inbound: Vec<GroupRule> = known().filter(|r| groups.contains(&r.group_id)).cloned().collect();
    inbound.extend(cloud.rules_of_groups(&unread).await?.into_iter().filter(|r| !r.egress));
    Ok(Some(DatabaseGroups { groups, known_from, inbound }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Tags;
    use crate::testing::fixtures::rule;

    #[test]
    fn the_load_balancers_group_is_let_in_by_name_or_by_a_range_holding_its_subnets() {
        let subnets = ["10.0.1.0/24".to_string(), "10.0.2.0/24".to_string()];
        let own = Peer::Group("sg-lb".into());
        let with = |peer: Peer, port: u16| DatabaseGroups {
            groups: vec!["sg-db".into()],
            known_from: "RDS",
            inbound: vec![rule("sgr-1", "sg-db", false, port, peer, &Tags::new())],
        };
        assert!(with(own.clone(), 5432).lets_in(&own, 5432, &subnets));
        assert!(!with(own.clone(), 3306).lets_in(&own, 5432, &subnets), "another port");
        assert!(with(Peer::Cidr("10.0.0.0/16".into()), 5432).lets_in(&own, 5432, &subnets), "the VPC's range");
        let one_subnet = with(Peer::Cidr("10.0.1.0/24".into()), 5432);
        assert!(!one_subnet.lets_in(&own, 5432, &subnets), "a node in the other subnet is left out");
        assert!(!with(Peer::Group("sg-other".into()), 5432).lets_in(&own, 5432, &subnets));
    }
}
