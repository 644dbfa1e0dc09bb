//! What around a deployment decides whether its load balancer reaches the database,
//! gathered for `verify`: the VPC's subnets and network ACLs (read with the deployment,
//! [`Reach::FOR_VERIFY`]), and what only the deployment's details name: the instances
//! behind instance targets, the RDS database a recorded hostname names and its limit on
//! connection errors, and the database's security groups. Those few are read after the
//! deployment, and only when there is something to read: for an address or an RDS
//! database of another engine whose groups the deployment's rules already show, nothing.
//!
//! [`Reach::FOR_VERIFY`]: crate::engine::deployment::observe::Reach::FOR_VERIFY

use std::net::Ipv4Addr;

use crate::aws::{Cloud, CloudResult, Database, Instance};
use crate::engine::checks::database_groups::{self, DatabaseGroups};
use crate::engine::deployment::observe::Observed;
use crate::engine::knowledge::database::{self, ConnectErrorLimit};
use crate::spec::Engine;

#[derive(Debug, Clone, Default)]
/// What verify reads after the deployment; the VPC's subnets and network ACLs are in
/// [`Observed`] already.
pub struct Reachability {
    /// The instances the deployment's instance targets name.
    pub instances: Vec<Instance>,
    /// The RDS instance or Aurora cluster a recorded hostname names.
    pub database: Option<Database>,
    /// As recorded by setup, else as RDS says.
    pub engine: Option<Engine>,
    /// For a MySQL or MariaDB database RDS describes.
    pub connect_errors: Option<ConnectErrorLimit>,
    pub groups: Option<DatabaseGroups>,
}

impl Reachability {
    /// The addresses the load balancer sends to: IP targets as registered, instance
    /// targets by their private address.
    pub fn target_addresses(&self, o: &Observed) -> Vec<(String, Ipv4Addr)> {
        o.targets
            .iter()
            .filter_map(|t| {
                let id = &t.target.id;
                let ip = match id.parse::<Ipv4Addr>() {
                    Ok(ip) => ip,
                    Err(_) => self.instances.iter().find(|i| &i.id == id)?.private_ip.as_deref()?.parse().ok()?,
                };
                Some((id.clone(), ip))
            })
            .collect()
    }
}

/// `databases`: RDS's databases, read alongside the deployment.
pub async fn read<C: Cloud>(cloud: &C, o: &Observed, databases: Vec<Database>) -> CloudResult<Reachability> {
    let recorded = o.recorded();
    let hostnames: Vec<&str> = recorded
        .targets
        .iter()
        .filter(|t| !t.starts_with("i-") && t.parse::<Ipv4Addr>().is_err())
        .map(String::as_str)
        .collect();
    let database = database::named_by(&databases, &hostnames).cloned();
    let engine = recorded
        .database_kind
        .as_deref()
        .and_then(|k| Engine::parse(k).ok())
        .or_else(|| database.as_ref().and_then(|d| Engine::of_rds(&d.engine)));
    let instance_ids: Vec<String> = recorded.targets.iter().filter(|t| t.starts_with("i-")).cloned().collect();
    let connect_errors = async {
        match &database {
            Some(db) if engine.is_some_and(Engine::is_mysql_family) => database::connect_error_limit(cloud, db).await,
            _ => Ok(None),
        }
    };
    // The database's groups come from the instances when the targets are instances; the
    // rest is read alongside.
    let instances_and_groups = async {
        let instances = if instance_ids.is_empty() { Vec::new() } else { cloud.instances(&instance_ids).await? };
        let groups = database_groups::read(cloud, o, &databases, &instances).await?;
        Ok((instances, groups))
    };
    let ((instances, groups), connect_errors) = futures::try_join!(instances_and_groups, connect_errors)?;
    Ok(Reachability { instances, database, engine, connect_errors, groups })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::observe::{Reach, read_one};
    use crate::testing::fake::FakeCloud;
    use crate::testing::fixtures::{Recorder, desired, set_up};

    #[tokio::test]
    async fn verify_reads_an_address_targets_surroundings_with_the_deployment_and_then_the_listeners_idle_timeout() {
        let cloud = FakeCloud::new();
        let d = desired();
        set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let before = cloud.calls().len();
        let observed = read_one(&cloud, &d.name, None, Reach::FOR_VERIFY).await.unwrap();
        read(&cloud, &observed, Vec::new()).await.unwrap();
        // Two rounds, and a third for the one call that needs the listener's ARN, which
        // only the second round's DescribeListeners gives (docs/benchmarks.md).
        assert_eq!(cloud.rounds_after(before), 3, "{:#?}", &cloud.calls()[before..]);
        // What the checks need of the VPC is there, and the load balancer's subnets are
        // taken from it, not read again.
        assert!(!observed.vpc_subnets.is_empty() && observed.vpc_subnets.len() >= observed.subnets.len());
        assert!(!observed.subnets.is_empty());
        let calls = cloud.calls();
        let count = |action: &str| calls[before..].iter().filter(|c| c.action == action).count();
        assert_eq!((count("ec2:DescribeSubnets"), count("ec2:DescribeNetworkAcls")), (1, 1), "{calls:#?}");
        assert_eq!(count("elasticloadbalancing:DescribeListenerAttributes"), 1, "{calls:#?}");
        let last = calls.iter().rposition(|c| c.action == "elasticloadbalancing:DescribeListenerAttributes").unwrap();
        let listed = calls.iter().rposition(|c| c.action == "elasticloadbalancing:DescribeListeners").unwrap();
        assert!(listed < last, "the third round is the idle timeout's: {calls:#?}");
    }
}
