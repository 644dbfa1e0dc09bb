//! Removing a deployment: a plan of removals and its execution, in the order AWS
//! requires. A service with pending or available connections cannot be deleted, so they
//! are rejected first; a load balancer backing a service cannot be deleted, so the
//! service goes before it; a target group a listener forwards to cannot be deleted, so
//! it goes after the listener and load balancer. The security group rules go last, so
//! a teardown that stops partway never cuts off a link that is still there.
//!
//! Only what carries this deployment's tag is in the plan; a same-named resource that
//! someone else owns is reported and left alone.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::join_all;

use super::apply::{ApplyError, ApplyFailure, apply_rule_change};
use super::backoff::Backoff;
use super::events::{Reporter, Step, Steps};
use super::observe::{Observed, Reach, read};
use super::plan::{Change, Plan, release_rule, unshare_rule};
use crate::aws::*;

/// How long to keep trying a delete that AWS refuses because the resource is still in
/// use by one being deleted (a service in `Deleting` still holds its load balancer).
const IN_USE_WAIT_LIMIT: Duration = Duration::from_secs(5 * 60);
/// How long a deleted load balancer may take to disappear.
const GONE_WAIT_LIMIT: Duration = Duration::from_secs(10 * 60);

/// What a deployment has that teardown would remove, and who is connected to it.
#[derive(Debug, Clone, Default)]
pub struct Survey {
    pub observed: Observed,
    /// Every connection to the deployment's services (its own and strays).
    pub connections: Vec<(String, Connection)>,
}

impl Survey {
    /// Connections Airbyte (or anyone) is using now: removing the service breaks them.
    pub fn live_connections(&self) -> Vec<&Connection> {
        self.connections.iter().map(|(_, c)| c).filter(|c| c.is("available")).collect()
    }
}

pub async fn survey<C: Cloud>(cloud: &C, name: &str) -> CloudResult<Survey> {
    let (observed, surroundings) = read(cloud, name, None, Reach { connections: true, ..Reach::RESOURCES }).await?;
    let connections = surroundings
        .connections
        .into_iter()
        .flat_map(|(service_id, connections)| connections.into_iter().map(move |c| (service_id.clone(), c)))
        .collect();
    Ok(Survey { observed, connections })
}

/// The removals, in dependency order.
pub fn removal_plan(name: &str, survey: &Survey) -> Plan {
    let observed = &survey.observed;
    let mut changes = Vec::new();
    let services: Vec<&EndpointService> = observed.service.iter().chain(&observed.stray_services).collect();
    for service in &services {
        let endpoint_ids: Vec<String> = survey
            .connections
            .iter()
            .filter(|(id, c)| id == &service.id && (c.is("pendingAcceptance") || c.is("available")))
            .map(|(_, c)| c.endpoint_id.clone())
            .collect();
        if !endpoint_ids.is_empty() {
            changes.push(Change::RejectConnections { service_id: service.id.clone(), endpoint_ids });
        }
    }
    for service in &services {
        changes.push(Change::DeleteEndpointService { id: service.id.clone(), name: service.name.clone() });
    }
    if let Some(lb) = &observed.load_balancer {
        for listener in &observed.listeners {
            changes.push(Change::DeleteListener { arn: listener.arn.clone(), port: listener.port });
        }
        changes.push(Change::DeleteLoadBalancer { name: lb.name.clone(), arn: lb.arn.clone() });
    }
    if let Some(tg) = &observed.target_group {
        changes.push(Change::DeleteTargetGroup { name: tg.name.clone(), arn: tg.arn.clone() });
    }
    changes.extend(observed.ingress_rules.iter().map(|rule| release_rule(rule, observed)));
    changes.extend(observed.shared_rules.iter().map(|rule| unshare_rule(rule, name)));
    Plan { changes, replacements: Vec::new() }
}

/// Carries out a removal plan, one dependency level at a time; removals on the same
/// level run concurrently.
pub async fn tear_down<C: Cloud>(cloud: &C, plan: &Plan, reporter: &dyn Reporter) -> Result<(), ApplyFailure> {
    let run = Removal { cloud, plan, steps: Steps::new(reporter) };
    run.all().await.map_err(|error| ApplyFailure { error, completed: run.steps.completed(), total: plan.changes.len() })
}

struct Removal<'a, C> {
    cloud: &'a C,
    plan: &'a Plan,
    steps: Steps<'a>,
}

/// The dependency level of a removal: every removal on a level waits for all of the
/// level before. A listener depends on nothing that goes first, so it goes with the
/// services.
fn level(change: &Change) -> usize {
    match change {
        Change::RejectConnections { .. } => 0,
        Change::DeleteEndpointService { .. } | Change::DeleteListener { .. } => 1,
        Change::DeleteLoadBalancer { .. } => 2,
        _ => 3,
    }
}

const LAST_LEVEL: usize = 3;

impl<C: Cloud> Removal<'_, C> {
    async fn all(&self) -> Result<(), ApplyError> {
        for current in 0..=LAST_LEVEL {
            let steps = self
                .plan
                .changes
                .iter()
                .enumerate()
                .filter(|(_, change)| level(change) == current)
                .map(|(index, change)| self.steps.run(Step::Change(index), self.remove(index, change)));
            join_all(steps).await.into_iter().collect::<Result<Vec<()>, _>>()?;
        }
        Ok(())
    }

    async fn remove(&self, index: usize, change: &Change) -> Result<(), ApplyError> {
        let cloud = self.cloud;
        match change {
            Change::RejectConnections { service_id, endpoint_ids } => {
                let refused = cloud.decide_connections(service_id, endpoint_ids, false).await?;
                if refused.is_empty() {
                    return Ok(());
                }
                // AWS refuses one that is already rejected or gone (a retried call whose
                // answer was lost, or a change since we looked): what counts is that none
                // is still pending or available.
                let now = cloud.connections(service_id).await?;
                let still_open = |endpoint: &str| {
                    now.iter().any(|c| c.endpoint_id == endpoint && (c.is("pendingAcceptance") || c.is("available")))
                };
                match refused.into_iter().find(|(endpoint, _)| still_open(endpoint)) {
                    None => Ok(()),
                    Some((endpoint, why)) => Err(ApplyError::Cloud(CloudError {
                        action: "ec2:RejectVpcEndpointConnections",
                        kind: CloudErrorKind::Other,
                        code: None,
                        message: format!("AWS did not reject {endpoint}: {why}"),
                    })),
                }
            }
            Change::DeleteEndpointService { id, .. } => Ok(cloud.delete_endpoint_service(id).await?),
            Change::DeleteListener { arn, .. } => Ok(cloud.delete_listener(arn).await?),
            Change::DeleteLoadBalancer { name, arn } => {
                self.once_released(index, || cloud.delete_load_balancer(arn)).await?;
                self.steps.run(Step::WaitForLoadBalancerGone, self.wait_until_gone(name)).await
            }
            Change::DeleteTargetGroup { arn, .. } => self.once_released(index, || cloud.delete_target_group(arn)).await,
            change
            @ (Change::RevokeIngress { .. } | Change::HandOverIngress { .. } | Change::UnshareIngress { .. }) => {
                Ok(apply_rule_change(cloud, change).await?)
            }
            other => unreachable!("not a removal: {other:?}"),
        }
    }

    /// Runs a delete, and while AWS answers `ResourceInUse` (what holds the resource, a
    /// service in `Deleting` say, is itself being deleted) runs it again with backoff, as
    /// a wait of its own.
    async fn once_released<F, Fut>(&self, index: usize, delete: F) -> Result<(), ApplyError>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = CloudResult<()>>,
    {
        match delete().await {
            Err(e) if e.is_code("ResourceInUse") => {
                tracing::debug!(error = %e, "still in use; waiting");
                let retries = async {
                    let started = Instant::now();
                    let mut backoff = Backoff::new(Duration::from_millis(500), Backoff::STATE_CAP);
                    loop {
                        tokio::time::sleep(backoff.pause()).await;
                        match delete().await {
                            Err(e) if e.is_code("ResourceInUse") && started.elapsed() < IN_USE_WAIT_LIMIT => {
                                self.steps.waiting(Step::WaitUntilReleased(index), "in use".into());
                            }
                            other => return other,
                        }
                    }
                };
                Ok(self.steps.run(Step::WaitUntilReleased(index), retries).await?)
            }
            other => Ok(other?),
        }
    }

    /// Polls (at once, then with backoff from 1 s to 2 s) until the load balancer is
    /// no longer listed.
    async fn wait_until_gone(&self, name: &str) -> Result<(), ApplyError> {
        let started = Instant::now();
        let mut backoff = Backoff::new(Duration::from_secs(1), Backoff::STATE_CAP);
        loop {
            let Some(current) = self.cloud.load_balancer_named(name).await? else {
                return Ok(());
            };
            if started.elapsed() > GONE_WAIT_LIMIT {
                return Err(ApplyError::LoadBalancerWaitTimedOut {
                    name: name.to_string(),
                    state: current.state,
                    minutes: GONE_WAIT_LIMIT.as_secs() / 60,
                });
            }
            self.steps.waiting(Step::WaitForLoadBalancerGone, current.state);
            tokio::time::sleep(backoff.pause()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::fake::FakeCloud;
    use crate::engine::events::Event;
    use crate::engine::fixtures::{Recorder, connection, desired, set_up};

    fn deployed() -> Survey {
        let lb = LoadBalancer {
            arn: "arn:lb".into(),
            name: "db".into(),
            dns_name: "db.elb".into(),
            scheme: "internal".into(),
            kind: "network".into(),
            state: "active".into(),
            vpc_id: "vpc-1".into(),
            subnet_ids: vec!["subnet-1".into()],
        };
        let service = EndpointService {
            id: "vpce-svc-1".into(),
            name: "com.amazonaws.vpce.us-east-1.vpce-svc-1".into(),
            state: "Available".into(),
            load_balancer_arns: vec![lb.arn.clone()],
            acceptance_required: true,
            supported_regions: vec![],
            tags: Tags::new(),
        };
        let observed = Observed {
            load_balancer: Some(lb),
            listeners: vec![Listener {
                arn: "arn:listener".into(),
                port: 5432,
                protocol: "TCP".into(),
                forward_to: None,
            }],
            target_group: Some(TargetGroup {
                arn: "arn:tg".into(),
                name: "db".into(),
                port: 5432,
                vpc_id: "vpc-1".into(),
                target_type: "ip".into(),
            }),
            service: Some(service),
            ingress_rules: vec![IngressRule {
                id: "sgr-1".into(),
                group_id: "sg-1".into(),
                protocol: "tcp".into(),
                from_port: 5432,
                to_port: 5432,
                cidr: Some("10.0.1.0/24".into()),
                tags: Tags::new(),
            }],
            ..Observed::default()
        };
        let connections = vec![
            ("vpce-svc-1".to_string(), connection("vpce-live", "available")),
            ("vpce-svc-1".to_string(), connection("vpce-waiting", "pendingAcceptance")),
            ("vpce-svc-1".to_string(), connection("vpce-old", "rejected")),
        ];
        Survey { observed, connections }
    }

    #[test]
    fn removals_follow_the_order_aws_requires() {
        let plan = removal_plan("db", &deployed());
        let kinds: Vec<&str> = plan
            .changes
            .iter()
            .map(|c| match c {
                Change::RejectConnections { .. } => "reject",
                Change::DeleteEndpointService { .. } => "service",
                Change::DeleteListener { .. } => "listener",
                Change::DeleteLoadBalancer { .. } => "load balancer",
                Change::DeleteTargetGroup { .. } => "target group",
                Change::RevokeIngress { .. } => "rule",
                _ => "other",
            })
            .collect();
        assert_eq!(kinds, ["reject", "service", "listener", "load balancer", "target group", "rule"]);
        let levels: Vec<usize> = plan.changes.iter().map(level).collect();
        assert!(levels.windows(2).all(|pair| pair[0] <= pair[1]), "levels never go back: {levels:?}");
    }

    #[test]
    fn only_pending_and_available_connections_are_rejected() {
        let plan = removal_plan("db", &deployed());
        let Change::RejectConnections { endpoint_ids, .. } = &plan.changes[0] else { panic!("rejects first") };
        assert_eq!(endpoint_ids, &["vpce-live", "vpce-waiting"]);
        assert_eq!(deployed().live_connections().len(), 1);
    }

    #[test]
    fn nothing_owned_means_nothing_to_remove() {
        let survey = Survey {
            observed: Observed { conflicts: vec!["load balancer db (arn:other)".into()], ..Observed::default() },
            connections: Vec::new(),
        };
        assert!(removal_plan("db", &survey).changes.is_empty());
    }

    // Removal against the in-memory account, which refuses deletions in the wrong order
    // as AWS does; no emulator, a few seconds in all (the waits back off in real time).

    const REJECT: &str = "ec2:RejectVpcEndpointConnections";
    const DELETE_SERVICE: &str = "ec2:DeleteVpcEndpointServiceConfigurations";
    const DELETE_LISTENER: &str = "elasticloadbalancing:DeleteListener";
    const DELETE_LOAD_BALANCER: &str = "elasticloadbalancing:DeleteLoadBalancer";
    const DELETE_TARGET_GROUP: &str = "elasticloadbalancing:DeleteTargetGroup";

    /// Sets up the sample deployment with Airbyte connected, and plans its removal.
    async fn connected_deployment(cloud: &FakeCloud) -> Plan {
        let applied = set_up(cloud, &desired(), &Recorder::default()).await.unwrap();
        cloud.connect(&applied.service.id, "vpce-0airbyte", "available");
        removal_plan("db", &survey(cloud, "db").await.unwrap())
    }

    #[tokio::test]
    async fn removal_follows_the_order_aws_requires_and_waits_while_aws_releases() {
        let cloud = FakeCloud::new();
        let plan = connected_deployment(&cloud).await;
        let reporter = Recorder::default();
        tear_down(&cloud, &plan, &reporter).await.unwrap();
        assert!(cloud.is_empty());
        for (first, then) in [
            (REJECT, DELETE_SERVICE),
            (DELETE_SERVICE, DELETE_LOAD_BALANCER),
            (DELETE_LISTENER, DELETE_LOAD_BALANCER),
            (DELETE_LOAD_BALANCER, DELETE_TARGET_GROUP),
        ] {
            assert!(cloud.ended_before(first, then), "{then} started before {first} ended: {:#?}", cloud.calls());
        }
        assert!(cloud.overlapped(DELETE_SERVICE, DELETE_LISTENER));
        // The service's deletion takes a moment: the first attempt on the load balancer is
        // refused, and the retry is shown as a wait of its own, not as a failure.
        assert_eq!(cloud.count(DELETE_LOAD_BALANCER), 2);
        let index = plan.changes.iter().position(|c| matches!(c, Change::DeleteLoadBalancer { .. })).unwrap();
        let events = reporter.events();
        assert!(events.contains(&Event::Started(Step::WaitUntilReleased(index))), "{events:?}");
        assert!(events.contains(&Event::Finished(Step::WaitUntilReleased(index))), "{events:?}");
    }

    #[tokio::test]
    async fn a_refused_removal_stops_everything_after_it_and_says_how_far_it_got() {
        let cloud = FakeCloud::new().refusing(DELETE_SERVICE, "AccessDenied", 1);
        let plan = connected_deployment(&cloud).await;
        let failure = tear_down(&cloud, &plan, &Recorder::default()).await.unwrap_err();
        assert!(matches!(&failure.error, ApplyError::Cloud(e) if e.is_code("AccessDenied")), "{:?}", failure.error);
        assert_eq!(cloud.count(DELETE_LOAD_BALANCER), 0);
        assert_eq!(cloud.count(DELETE_TARGET_GROUP), 0);
        // The rejection and the listener, which the service's deletion did not need, are done.
        assert_eq!((failure.completed, failure.total), (2, 5));
    }
}
