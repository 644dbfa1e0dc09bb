//! Which security groups protect the database, and what they let in: read for `verify`,
//! which checks that they let the load balancer's group in. RDS and Aurora say which
//! groups an endpoint has, and an instance its own; for an address, the group setup was
//! given is all there is to go on.

use crate::aws::{Cloud, CloudResult, Database, GroupRule, Peer};
use crate::engine::observe::Observed;

/// The database's security groups, where they were learnt, and their inbound rules.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DatabaseGroups {
    pub groups: Vec<String>,
    /// "RDS", "the instance", or "setup's rule".
    pub known_from: &'static str,
    pub inbound: Vec<GroupRule>,
}

impl DatabaseGroups {
    /// Whether a rule lets `peer` in on TCP `port`, alone or in a range, or with every protocol.
    pub fn lets_in(&self, peer: &Peer, port: u16) -> bool {
        let port = i32::from(port);
        self.inbound.iter().any(|r| {
            r.peer.as_ref() == Some(peer)
                && (r.protocol == "-1" || (r.protocol == "tcp" && r.from_port <= port && port <= r.to_port))
        })
    }
}

/// The groups of the deployment's recorded targets, or `None` when nothing says which
/// they are (an address, and no group given to setup). `databases`: RDS's databases, read
/// alongside the deployment; the rules of groups the reading already holds are not read
/// again.
pub async fn read<C: Cloud>(
    cloud: &C,
    observed: &Observed,
    databases: Vec<Database>,
) -> CloudResult<Option<DatabaseGroups>> {
    let recorded = observed.recorded().targets;
    let instance_ids: Vec<String> = recorded.iter().filter(|t| t.starts_with("i-")).cloned().collect();
    let hostnames: Vec<&String> =
        recorded.iter().filter(|t| !t.starts_with("i-") && t.parse::<std::net::Ipv4Addr>().is_err()).collect();
    let (mut groups, mut known_from) = if !instance_ids.is_empty() {
        let instances = cloud.instances(&instance_ids).await?;
        (instances.into_iter().flat_map(|i| i.security_groups).collect::<Vec<_>>(), "the instance")
    } else if !hostnames.is_empty() {
        let of_endpoint =
            databases.into_iter().filter(|d| hostnames.iter().any(|h| h.eq_ignore_ascii_case(&d.endpoint)));
        (of_endpoint.flat_map(|d| d.security_groups).collect(), "RDS")
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
