//! What already exists of a deployment, read from AWS in two concurrent rounds.

use std::collections::BTreeMap;
use std::future::Future;

use futures::future::{try_join_all, try_join3, try_join4};

use super::tags;
use crate::aws::*;

/// The deployment's resources as AWS reports them. Only resources tagged for the
/// deployment appear here; a same-named resource owned by someone else is a conflict.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    pub load_balancer: Option<LoadBalancer>,
    pub load_balancer_tags: Tags,
    pub cross_zone: bool,
    pub listeners: Vec<Listener>,
    pub target_group: Option<TargetGroup>,
    pub target_group_tags: Tags,
    pub targets: Vec<RegisteredTarget>,
    /// The service on this deployment's load balancer, if any.
    pub service: Option<EndpointService>,
    pub principals: Vec<String>,
    /// Tagged services that are not on this deployment's load balancer (left behind when
    /// a load balancer was deleted by hand); reported, never adopted.
    pub stray_services: Vec<EndpointService>,
    /// Security group rules this deployment added.
    pub ingress_rules: Vec<IngressRule>,
    /// Rules another deployment added that this one needs too (tagged `also-for`).
    pub shared_rules: Vec<IngressRule>,
    /// For each of this deployment's rules that another existing deployment also needs:
    /// that deployment, which inherits the rule rather than losing it.
    pub rule_heirs: BTreeMap<String, String>,
    /// Every ingress rule of the database security group the spec names, ours or not:
    /// a rule someone already added for the same source needs no second one.
    pub group_rules: Vec<IngressRule>,
    /// Resources with this deployment's names that the tool does not own.
    pub conflicts: Vec<String>,
}

/// The tag CloudFormation puts on every resource of a stack.
const STACK_TAG: &str = "aws:cloudformation:stack-name";

impl Observed {
    /// The CloudFormation stack the deployment's resources belong to, if it was created
    /// from an exported template: then the stack, not this tool, changes them.
    pub fn stack(&self) -> Option<&str> {
        [&self.load_balancer_tags, &self.target_group_tags]
            .into_iter()
            .chain(self.service.as_ref().map(|s| &s.tags))
            .find_map(|tags| tags.get(STACK_TAG))
            .map(String::as_str)
    }

    /// The listener that serves this deployment: the one forwarding to its target group,
    /// else the only one there is.
    pub fn listener(&self) -> Option<&Listener> {
        let target_group = self.target_group.as_ref().map(|tg| tg.arn.as_str());
        self.listeners
            .iter()
            .find(|l| l.forward_to.as_deref() == target_group && target_group.is_some())
            .or_else(|| (self.listeners.len() == 1).then(|| &self.listeners[0]))
    }
}

/// Reads deployment `name`, and the rules of `db_security_group` when the spec has one.
pub async fn observe<C: Cloud>(cloud: &C, name: &str, db_security_group: Option<&str>) -> CloudResult<Observed> {
    let also_for = tags::also_for(name);
    let (load_balancer, target_group, services, (ingress_rules, shared_rules, group_rules)) = try_join4(
        cloud.load_balancer_named(name),
        cloud.target_group_named(name),
        cloud.endpoint_services_tagged(tags::DEPLOYMENT, name),
        try_join3(
            cloud.ingress_rules_tagged(tags::DEPLOYMENT, name),
            cloud.ingress_rules_tagged(&also_for, "true"),
            when_present(db_security_group.map(|group| cloud.ingress_rules_of_group(group))),
        ),
    )
    .await?;
    let shared_rules = shared_rules.into_iter().filter(|r| !tags::owned_by(&r.tags, name)).collect();

    let arns: Vec<String> =
        load_balancer.iter().map(|lb| lb.arn.clone()).chain(target_group.iter().map(|tg| tg.arn.clone())).collect();
    let mut observed =
        Observed { ingress_rules, shared_rules, group_rules: group_rules.unwrap_or_default(), ..Observed::default() };
    let elb_tags = if arns.is_empty() { Default::default() } else { cloud.elb_tags(&arns).await? };

    if let Some(lb) = load_balancer {
        let lb_tags = elb_tags.get(&lb.arn).cloned().unwrap_or_default();
        if tags::owned_by(&lb_tags, name) {
            observed.load_balancer_tags = lb_tags;
            observed.load_balancer = Some(lb);
        } else {
            observed.conflicts.push(format!("load balancer {name} ({})", lb.arn));
        }
    }
    if let Some(tg) = target_group {
        let tg_tags = elb_tags.get(&tg.arn).cloned().unwrap_or_default();
        if tags::owned_by(&tg_tags, name) {
            observed.target_group_tags = tg_tags;
            observed.target_group = Some(tg);
        } else {
            observed.conflicts.push(format!("target group {name} ({})", tg.arn));
        }
    }
    let lb_arn = observed.load_balancer.as_ref().map(|lb| lb.arn.clone());
    // AWS lists a deleted service for a while as `Deleting`, then `Deleted`: gone.
    let services = services.into_iter().filter(|s| !s.state.to_ascii_lowercase().starts_with("delet"));
    let (service, strays): (Vec<_>, Vec<_>) =
        services.partition(|s| lb_arn.as_ref().is_some_and(|arn| s.load_balancer_arns.contains(arn)));
    observed.service = service.into_iter().next();
    observed.stray_services = strays;

    let lb = observed.load_balancer.as_ref();
    let tg = observed.target_group.as_ref();
    let service_id = observed.service.as_ref().map(|s| s.id.clone());
    let (cross_zone, listeners, targets, principals, heirs) = futures::try_join!(
        when_present(lb.map(|lb| cloud.cross_zone_enabled(&lb.arn))),
        when_present(lb.map(|lb| cloud.listeners(&lb.arn))),
        when_present(tg.map(|tg| cloud.registered_targets(&tg.arn))),
        when_present(service_id.as_deref().map(|id| cloud.allowed_principals(id))),
        rule_heirs(cloud, name, &observed.ingress_rules),
    )?;
    observed.rule_heirs = heirs;
    observed.cross_zone = cross_zone.unwrap_or(false);
    observed.listeners = listeners.unwrap_or_default();
    // A deregistered target drains for minutes (300 s by default) while AWS still lists
    // it; it is on its way out, not part of the deployment.
    observed.targets = targets.unwrap_or_default().into_iter().filter(|t| t.health != "draining").collect();
    observed.principals = principals.unwrap_or_default();
    Ok(observed)
}

/// For each rule that other deployments are also recorded to need, the first of them
/// that still exists (a load balancer of that name carrying its tag).
async fn rule_heirs<C: Cloud>(cloud: &C, name: &str, rules: &[IngressRule]) -> CloudResult<BTreeMap<String, String>> {
    let mut candidates: Vec<String> = rules.iter().flat_map(|r| tags::also_for_others(&r.tags, name)).collect();
    candidates.sort();
    candidates.dedup();
    let alive = try_join_all(candidates.iter().map(|other| async move {
        let Some(lb) = cloud.load_balancer_named(other).await? else { return Ok(None) };
        let lb_tags = cloud.elb_tags(std::slice::from_ref(&lb.arn)).await?;
        let owned = lb_tags.get(&lb.arn).is_some_and(|t| tags::owned_by(t, other));
        Ok::<_, CloudError>(owned.then(|| other.clone()))
    }))
    .await?;
    let alive: Vec<String> = alive.into_iter().flatten().collect();
    Ok(rules
        .iter()
        .filter_map(|rule| {
            let heir = tags::also_for_others(&rule.tags, name).into_iter().find(|other| alive.contains(other))?;
            Some((rule.id.clone(), heir))
        })
        .collect())
}

/// Runs a read that only makes sense when its resource exists.
async fn when_present<T>(read: Option<impl Future<Output = CloudResult<T>>>) -> CloudResult<Option<T>> {
    match read {
        Some(read) => read.await.map(Some),
        None => Ok(None),
    }
}
