//! Executes a plan. Independent changes run concurrently; a change starts as soon as
//! what it builds on exists. The critical path is load balancer → active → endpoint
//! service → principals; the target group, targets, listener, attributes and security
//! group rules are done alongside it.

use std::future::Future;
use std::time::{Duration, Instant};

use futures::future::join_all;
use sha2::{Digest, Sha256};

use super::backoff::Backoff;
use super::desired::Desired;
use super::events::{Reporter, Step, Steps};
use super::observe::Observed;
use super::plan::{Change, Plan};
use crate::aws::*;

/// How long a new load balancer may take to become active before we give up waiting.
const LOAD_BALANCER_WAIT_LIMIT: Duration = Duration::from_secs(15 * 60);

#[derive(Debug, Clone)]
pub struct Applied {
    pub load_balancer_arn: String,
    pub target_group_arn: String,
    pub service: EndpointService,
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error("load balancer {name} is {state}, not active; see its state in the EC2 console (Load balancers)")]
    LoadBalancerFailed { name: String, state: String },
    #[error("load balancer {name} was still {state} after {minutes} minutes")]
    LoadBalancerWaitTimedOut { name: String, state: String, minutes: u64 },
    #[error("load balancer {name} disappeared while it was being set up")]
    LoadBalancerVanished { name: String },
}

#[derive(Debug)]
pub struct ApplyFailure {
    pub error: ApplyError,
    /// How many of the plan's changes were made before it stopped.
    pub completed: usize,
    pub total: usize,
}

pub async fn apply<C: Cloud>(
    cloud: &C,
    desired: &Desired,
    observed: &Observed,
    plan: &Plan,
    reporter: &dyn Reporter,
) -> Result<Applied, ApplyFailure> {
    let run = Run { cloud, desired, plan, steps: Steps::new(reporter) };
    run.all(observed).await.map_err(|error| ApplyFailure {
        error,
        completed: run.steps.completed(),
        total: plan.changes.len(),
    })
}

struct Run<'a, C> {
    cloud: &'a C,
    desired: &'a Desired,
    plan: &'a Plan,
    steps: Steps<'a>,
}

impl<C: Cloud> Run<'_, C> {
    async fn all(&self, observed: &Observed) -> Result<Applied, ApplyError> {
        // Round one: the resources everything else builds on, and changes that build on
        // nothing new.
        let (target_group_arn, load_balancer, independent) =
            futures::join!(self.target_group(observed), self.load_balancer(observed), self.independent_changes());
        let (target_group_arn, load_balancer) = (target_group_arn?, load_balancer?);
        independent?;

        // Round two: everything that needs the target group or the load balancer.
        let (targets, cross_zone, listener, service) = futures::join!(
            self.targets(&target_group_arn),
            self.cross_zone(&load_balancer.arn),
            self.listener(observed, &load_balancer.arn, &target_group_arn),
            self.endpoint_service(observed, &load_balancer),
        );
        targets?;
        cross_zone?;
        listener?;
        Ok(Applied { load_balancer_arn: load_balancer.arn, target_group_arn, service: service? })
    }

    /// The plan's changes matching `pick`, with their step indices.
    fn changes<'c>(&'c self, pick: impl Fn(&Change) -> bool + 'c) -> impl Iterator<Item = (usize, &'c Change)> + 'c {
        self.plan.changes.iter().enumerate().filter(move |(_, c)| pick(c))
    }

    async fn step<T, E: Into<ApplyError>>(
        &self,
        step: Step,
        work: impl Future<Output = Result<T, E>>,
    ) -> Result<T, ApplyError> {
        self.steps.run(step, async { work.await.map_err(Into::into) }).await
    }

    async fn target_group(&self, observed: &Observed) -> Result<String, ApplyError> {
        let Some((index, _)) = self.changes(|c| matches!(c, Change::CreateTargetGroup { .. })).next() else {
            return Ok(observed.target_group.as_ref().expect("a plan without a new target group has one").arn.clone());
        };
        let d = self.desired;
        let new = NewTargetGroup {
            name: &d.name,
            port: d.port,
            vpc_id: &d.vpc_id,
            target_type: d.target_type,
            tags: &d.target_group_tags,
        };
        Ok(self.step(Step::Change(index), self.cloud.create_target_group(new)).await?.arn)
    }

    async fn load_balancer(&self, observed: &Observed) -> Result<LoadBalancer, ApplyError> {
        let d = self.desired;
        let load_balancer = match self.changes(|c| matches!(c, Change::CreateLoadBalancer { .. })).next() {
            Some((index, _)) => {
                let subnet_ids = d.subnet_ids();
                let new = NewLoadBalancer { name: &d.name, subnet_ids: &subnet_ids, tags: &d.tags };
                self.step(Step::Change(index), self.cloud.create_load_balancer(new)).await?
            }
            None => observed.load_balancer.clone().expect("a plan without a new load balancer has one"),
        };
        for (index, change) in self.changes(|c| matches!(c, Change::SetSubnets { .. })) {
            if let Change::SetSubnets { to, .. } = change {
                self.step(Step::Change(index), self.cloud.set_subnets(&load_balancer.arn, to)).await?;
            }
        }
        Ok(load_balancer)
    }

    /// Security group rules and tags on existing resources: they need nothing new.
    async fn independent_changes(&self) -> Result<(), ApplyError> {
        let steps = self
            .changes(|c| {
                matches!(
                    c,
                    Change::AuthorizeIngress { .. }
                        | Change::RevokeIngress { .. }
                        | Change::ShareIngress { .. }
                        | Change::UnshareIngress { .. }
                        | Change::HandOverIngress { .. }
                        | Change::TagResource { .. }
                )
            })
            .map(|(index, change)| self.step(Step::Change(index), self.independent_change(change)));
        join_all(steps).await.into_iter().collect::<Result<Vec<()>, _>>().map(drop)
    }

    async fn independent_change(&self, change: &Change) -> CloudResult<()> {
        let d = self.desired;
        match change {
            Change::AuthorizeIngress { group_id, port, cidr, subnet_id } => {
                let description = format!("airbyte-plink {}: load balancer nodes in {subnet_id}", d.name);
                let rule = NewIngressRule { group_id, port: *port, cidr, description: &description, tags: &d.tags };
                self.cloud.authorize_ingress(rule).await
            }
            Change::RevokeIngress { .. }
            | Change::ShareIngress { .. }
            | Change::UnshareIngress { .. }
            | Change::HandOverIngress { .. } => apply_rule_change(self.cloud, change).await,
            Change::TagResource { id, tags, .. } if id.starts_with("arn:") => {
                self.cloud.add_elb_tags(std::slice::from_ref(id), tags).await
            }
            Change::TagResource { id, tags, .. } => self.cloud.add_ec2_tags(std::slice::from_ref(id), tags).await,
            _ => unreachable!("only independent changes are passed here"),
        }
    }

    async fn targets(&self, target_group_arn: &str) -> Result<(), ApplyError> {
        // Register before deregistering, so a changed address never leaves the group empty.
        for (index, change) in
            self.changes(|c| matches!(c, Change::RegisterTargets { .. } | Change::DeregisterTargets { .. }))
        {
            match change {
                Change::RegisterTargets { targets } => {
                    self.step(Step::Change(index), self.cloud.register_targets(target_group_arn, targets)).await?
                }
                Change::DeregisterTargets { targets } => {
                    self.step(Step::Change(index), self.cloud.deregister_targets(target_group_arn, targets)).await?
                }
                _ => unreachable!("filtered above"),
            }
        }
        Ok(())
    }

    async fn cross_zone(&self, load_balancer_arn: &str) -> Result<(), ApplyError> {
        for (index, change) in self.changes(|c| matches!(c, Change::SetCrossZone { .. })) {
            if let Change::SetCrossZone { enabled } = change {
                self.step(Step::Change(index), self.cloud.set_cross_zone(load_balancer_arn, *enabled)).await?;
            }
        }
        Ok(())
    }

    async fn listener(
        &self,
        observed: &Observed,
        load_balancer_arn: &str,
        target_group_arn: &str,
    ) -> Result<(), ApplyError> {
        for (index, change) in
            self.changes(|c| matches!(c, Change::CreateListener { .. } | Change::UpdateListener { .. }))
        {
            let step = Step::Change(index);
            match change {
                Change::CreateListener { port } => {
                    let new =
                        NewListener { load_balancer_arn, port: *port, target_group_arn, tags: &self.desired.tags };
                    self.step(step, self.cloud.create_listener(new)).await?;
                }
                Change::UpdateListener { port, .. } => {
                    let listener = observed.listener().expect("an update has a listener to update");
                    self.step(step, self.cloud.modify_listener(&listener.arn, *port, target_group_arn)).await?;
                }
                _ => unreachable!("filtered above"),
            }
        }
        Ok(())
    }

    async fn endpoint_service(
        &self,
        observed: &Observed,
        load_balancer: &LoadBalancer,
    ) -> Result<EndpointService, ApplyError> {
        let d = self.desired;
        let service = match self.changes(|c| matches!(c, Change::CreateEndpointService { .. })).next() {
            Some((index, _)) => {
                if load_balancer.state != "active" {
                    self.step(Step::WaitForLoadBalancer, self.wait_until_active(load_balancer)).await?;
                }
                let token = client_token(d, &load_balancer.arn);
                let new = NewEndpointService {
                    load_balancer_arn: &load_balancer.arn,
                    acceptance_required: d.acceptance_required,
                    supported_regions: &d.supported_regions,
                    client_token: &token,
                    tags: &d.service_tags,
                };
                self.step(Step::Change(index), self.cloud.create_endpoint_service(new)).await?
            }
            None => observed.service.clone().expect("a plan without a new endpoint service has one"),
        };
        let updates = self
            .changes(|c| matches!(c, Change::UpdateEndpointService { .. } | Change::UpdateAllowedPrincipals { .. }))
            .map(|(index, change)| self.step(Step::Change(index), self.service_update(&service.id, change)));
        join_all(updates).await.into_iter().collect::<Result<Vec<()>, _>>()?;
        Ok(service)
    }

    async fn service_update(&self, service_id: &str, change: &Change) -> CloudResult<()> {
        match change {
            Change::UpdateEndpointService { acceptance_required, add_supported_regions, remove_supported_regions } => {
                let change = EndpointServiceChange {
                    acceptance_required: *acceptance_required,
                    add_supported_regions: add_supported_regions.clone(),
                    remove_supported_regions: remove_supported_regions.clone(),
                };
                self.cloud.modify_endpoint_service(service_id, &change).await
            }
            Change::UpdateAllowedPrincipals { add, remove } => {
                self.cloud.modify_allowed_principals(service_id, add, remove).await
            }
            _ => unreachable!("only endpoint service updates are passed here"),
        }
    }

    /// Polls until the load balancer is active: at once (it may be already), then with
    /// backoff from 1 s to 2 s.
    async fn wait_until_active(&self, load_balancer: &LoadBalancer) -> Result<(), ApplyError> {
        let started = Instant::now();
        let mut backoff = Backoff::new(Duration::from_secs(1), Backoff::STATE_CAP);
        loop {
            let current = self
                .cloud
                .load_balancer_named(&load_balancer.name)
                .await?
                .ok_or_else(|| ApplyError::LoadBalancerVanished { name: load_balancer.name.clone() })?;
            let state = current.state;
            match state.as_str() {
                "active" => return Ok(()),
                "failed" | "active_impaired" => {
                    return Err(ApplyError::LoadBalancerFailed { name: load_balancer.name.clone(), state });
                }
                _ if started.elapsed() > LOAD_BALANCER_WAIT_LIMIT => {
                    return Err(ApplyError::LoadBalancerWaitTimedOut {
                        name: load_balancer.name.clone(),
                        state,
                        minutes: LOAD_BALANCER_WAIT_LIMIT.as_secs() / 60,
                    });
                }
                _ => self.steps.waiting(Step::WaitForLoadBalancer, state),
            }
            tokio::time::sleep(backoff.pause()).await;
        }
    }
}

/// Revokes, shares, unshares or hands over a security group rule; setup and teardown
/// both release rules this way.
pub async fn apply_rule_change<C: Cloud>(cloud: &C, change: &Change) -> CloudResult<()> {
    match change {
        Change::RevokeIngress { group_id, rule_id, .. } => {
            cloud.revoke_ingress(group_id, std::slice::from_ref(rule_id)).await
        }
        Change::ShareIngress { rule_id, tag, .. } => {
            cloud.add_ec2_tags(std::slice::from_ref(rule_id), &Tags::from([(tag.clone(), "true".to_string())])).await
        }
        Change::UnshareIngress { rule_id, tag, .. } => {
            cloud.remove_ec2_tags(std::slice::from_ref(rule_id), std::slice::from_ref(tag)).await
        }
        Change::HandOverIngress { rule_id, to, .. } => {
            let owner = Tags::from([(super::tags::DEPLOYMENT.to_string(), to.clone())]);
            cloud.add_ec2_tags(std::slice::from_ref(rule_id), &owner).await
        }
        other => unreachable!("not a security group rule change: {other:?}"),
    }
}

/// The same request gets the same token, so AWS returns the service a lost response
/// created instead of creating a second one.
fn client_token(desired: &Desired, load_balancer_arn: &str) -> String {
    let mut hash = Sha256::new();
    for part in [
        desired.name.as_str(),
        load_balancer_arn,
        &desired.acceptance_required.to_string(),
        &desired.supported_regions.join(","),
    ] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The executor against the in-memory account: what runs side by side, what waits for
/// what, and how a failure stops what depends on it. No emulator; a few seconds in all,
/// most of it the real backoff of the one test that waits.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::fake::FakeCloud;
    use crate::engine::events::Event;
    use crate::engine::fixtures::{Recorder, desired, set_up};
    use crate::engine::observe::observe;
    use crate::engine::plan::plan;

    const CREATE_TARGET_GROUP: &str = "elasticloadbalancing:CreateTargetGroup";
    const REGISTER_TARGETS: &str = "elasticloadbalancing:RegisterTargets";
    const CREATE_LOAD_BALANCER: &str = "elasticloadbalancing:CreateLoadBalancer";
    const DESCRIBE_LOAD_BALANCERS: &str = "elasticloadbalancing:DescribeLoadBalancers";
    const SET_CROSS_ZONE: &str = "elasticloadbalancing:ModifyLoadBalancerAttributes";
    const CREATE_LISTENER: &str = "elasticloadbalancing:CreateListener";
    const CREATE_SERVICE: &str = "ec2:CreateVpcEndpointServiceConfiguration";
    const ALLOW_PRINCIPALS: &str = "ec2:ModifyVpcEndpointServicePermissions";

    #[tokio::test]
    async fn a_new_deployment_converges_and_a_rerun_plans_nothing() {
        let cloud = FakeCloud::new();
        let d = desired();
        let applied = set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let observed = observe(&cloud, &d.name, None).await.unwrap();
        let rerun = plan(&d, &observed);
        assert!(rerun.is_empty(), "{rerun:?}");
        assert_eq!(observed.service.map(|s| s.id), Some(applied.service.id));
    }

    #[tokio::test]
    async fn independent_changes_run_side_by_side_and_dependents_wait_for_what_they_build_on() {
        let cloud = FakeCloud::new();
        set_up(&cloud, &desired(), &Recorder::default()).await.unwrap();
        assert!(cloud.overlapped(CREATE_TARGET_GROUP, CREATE_LOAD_BALANCER));
        assert!(cloud.overlapped(REGISTER_TARGETS, CREATE_LISTENER));
        for (first, then) in [
            (CREATE_TARGET_GROUP, REGISTER_TARGETS),
            (CREATE_TARGET_GROUP, CREATE_LISTENER),
            (CREATE_LOAD_BALANCER, CREATE_LISTENER),
            (CREATE_LOAD_BALANCER, SET_CROSS_ZONE),
            (CREATE_LOAD_BALANCER, CREATE_SERVICE),
            (CREATE_SERVICE, ALLOW_PRINCIPALS),
        ] {
            assert!(cloud.ended_before(first, then), "{then} started before {first} ended: {:#?}", cloud.calls());
        }
    }

    #[tokio::test]
    async fn the_endpoint_service_waits_until_the_load_balancer_is_active() {
        let cloud = FakeCloud::new().provisioning_for(1);
        let reporter = Recorder::default();
        set_up(&cloud, &desired(), &reporter).await.unwrap();
        let waits = reporter
            .events()
            .into_iter()
            .filter(|e| matches!(e, Event::Waiting(Step::WaitForLoadBalancer, state) if state == "provisioning"))
            .count();
        assert_eq!(waits, 1);
        // One look to find what exists, one that saw `provisioning`, one that saw `active`;
        // the service only after the last.
        assert_eq!(cloud.count(DESCRIBE_LOAD_BALANCERS), 3, "{:#?}", cloud.calls());
        assert!(cloud.ended_before(DESCRIBE_LOAD_BALANCERS, CREATE_SERVICE), "{:#?}", cloud.calls());
    }

    #[tokio::test]
    async fn a_failure_stops_what_depends_on_it_and_a_rerun_finishes_the_rest() {
        let cloud = FakeCloud::new().refusing(CREATE_LOAD_BALANCER, "AccessDenied", 1);
        let d = desired();
        let failure = set_up(&cloud, &d, &Recorder::default()).await.unwrap_err();
        assert!(matches!(&failure.error, ApplyError::Cloud(e) if e.is_code("AccessDenied")), "{:?}", failure.error);
        for dependent in [REGISTER_TARGETS, SET_CROSS_ZONE, CREATE_LISTENER, CREATE_SERVICE, ALLOW_PRINCIPALS] {
            assert_eq!(cloud.count(dependent), 0, "{dependent} ran after the load balancer failed");
        }
        // The target group, which needs nothing new, was made; the count says so.
        assert_eq!((failure.completed, failure.total), (1, 7));

        set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        assert_eq!(cloud.count(CREATE_TARGET_GROUP), 1, "the re-run made the target group again");
        assert!(plan(&d, &observe(&cloud, &d.name, None).await.unwrap()).is_empty());
    }
}
