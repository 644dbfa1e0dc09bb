//! What already exists of a deployment, read from AWS in two concurrent rounds: the
//! first finds its resources by name and tag, the second reads their details, tags
//! included. The details are read before the tags have shown whose the resources are:
//! a same-named resource someone else owns costs a few discarded reads, and every
//! deployment that is ours costs one round trip fewer.

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

/// What a reading takes in besides the deployment's resources, their tags, targets and
/// principals, in the same round as those.
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    /// The load balancer's listeners and cross-zone setting. Without them
    /// `Observed::listeners` is empty and `cross_zone` false, whatever AWS holds: only a
    /// reading for display leaves them out.
    pub settings: bool,
    /// The connections to each of its endpoint services.
    pub connections: bool,
    /// The subnets and route tables of its load balancer.
    pub network: bool,
}

impl Reach {
    /// What setup and sync-targets compare with the spec.
    pub const RESOURCES: Reach = Reach { settings: true, connections: false, network: false };
}

/// What [`Reach`] took in.
#[derive(Debug, Clone, Default)]
pub struct Surroundings {
    /// Connections by endpoint service ID, for the deployment's service and its strays.
    pub connections: BTreeMap<String, Vec<Connection>>,
    /// The load balancer's subnets.
    pub subnets: Vec<Subnet>,
    /// The route tables of the load balancer's VPC.
    pub route_tables: Vec<RouteTable>,
}

/// Reads deployment `name`, and the rules of `db_security_group` when the spec has one.
pub async fn observe<C: Cloud>(cloud: &C, name: &str, db_security_group: Option<&str>) -> CloudResult<Observed> {
    Ok(read(cloud, name, db_security_group, Reach::RESOURCES).await?.0)
}

/// [`observe`], with what `reach` asks for besides.
pub async fn read<C: Cloud>(
    cloud: &C,
    name: &str,
    db_security_group: Option<&str>,
    reach: Reach,
) -> CloudResult<(Observed, Surroundings)> {
    let found = find(cloud, name, db_security_group).await?;
    let arns = found.elb_arns();
    let (elb_tags, details, heirs) = try_join3(
        async { if arns.is_empty() { Ok(BTreeMap::new()) } else { cloud.elb_tags(&arns).await } },
        details(cloud, &found, reach),
        rule_heirs(cloud, name, &found.ingress_rules),
    )
    .await?;
    Ok(assemble(name, found, &elb_tags, details, heirs))
}

/// Every deployment in the region that has an endpoint service, read region-wide: one
/// paginated listing per kind of resource instead of one lookup per deployment, then
/// every deployment's details at once. Two rounds, however many deployments there are.
pub async fn read_all<C: Cloud>(cloud: &C, reach: Reach) -> CloudResult<Vec<(String, Observed, Surroundings)>> {
    let (services, load_balancers, target_groups, rules) = try_join4(
        cloud.endpoint_services_with_tag(tags::DEPLOYMENT),
        cloud.load_balancers(),
        cloud.target_groups(),
        cloud.ingress_rules_with_tag(tags::DEPLOYMENT),
    )
    .await?;
    let mut names: Vec<String> = services.iter().filter_map(|s| s.tags.get(tags::DEPLOYMENT).cloned()).collect();
    names.sort();
    names.dedup();
    // Every rule the tool made carries its owner's tag, so the rules another deployment
    // shares are among these too.
    let found: Vec<Found> = names
        .iter()
        .map(|name| {
            let also_for = tags::also_for(name);
            Found {
                load_balancer: load_balancers.iter().find(|lb| &lb.name == name).cloned(),
                target_group: target_groups.iter().find(|tg| &tg.name == name).cloned(),
                services: services.iter().filter(|s| tags::owned_by(&s.tags, name)).cloned().collect(),
                ingress_rules: rules.iter().filter(|r| tags::owned_by(&r.tags, name)).cloned().collect(),
                shared_rules: rules
                    .iter()
                    .filter(|r| r.tags.contains_key(&also_for) && !tags::owned_by(&r.tags, name))
                    .cloned()
                    .collect(),
                group_rules: Vec::new(),
            }
        })
        .collect();
    // An heir may be a deployment without a service yet: its load balancer's tags are
    // read with everyone else's.
    let mut arns: Vec<String> =
        found.iter().flat_map(Found::elb_arns).chain(heir_load_balancers(&names, &found, &load_balancers)).collect();
    arns.sort();
    arns.dedup();
    // Connections, subnets and route tables are read for all deployments at once.
    let own_details = Reach { connections: false, network: false, ..reach };
    let service_ids: Vec<String> = found.iter().flat_map(Found::live_service_ids).collect();
    let lbs = || found.iter().filter_map(|f| f.load_balancer.as_ref()).filter(|_| reach.network);
    let mut subnet_ids: Vec<String> = lbs().flat_map(|lb| lb.subnet_ids.clone()).collect();
    subnet_ids.sort();
    subnet_ids.dedup();
    let mut vpc_ids: Vec<String> = lbs().map(|lb| lb.vpc_id.clone()).collect();
    vpc_ids.sort();
    vpc_ids.dedup();
    let (elb_tags, details, connections, subnets, route_tables) = futures::try_join!(
        cloud.elb_tags(&arns),
        try_join_all(found.iter().map(|f| details(cloud, f, own_details))),
        when_present((reach.connections && !service_ids.is_empty()).then(|| cloud.connections_of(&service_ids))),
        when_present((!subnet_ids.is_empty()).then(|| cloud.subnets(&subnet_ids))),
        try_join_all(vpc_ids.iter().map(|vpc| cloud.route_tables(vpc))),
    )?;
    let (mut connections, subnets) = (connections.unwrap_or_default(), subnets.unwrap_or_default());
    let route_tables: BTreeMap<&String, Vec<RouteTable>> = vpc_ids.iter().zip(route_tables).collect();
    Ok(names
        .into_iter()
        .zip(found)
        .zip(details)
        .map(|((name, found), mut details)| {
            let heirs = heirs_among(&name, &found.ingress_rules, |other| {
                load_balancers
                    .iter()
                    .find(|lb| lb.name == other)
                    .is_some_and(|lb| elb_tags.get(&lb.arn).is_some_and(|t| tags::owned_by(t, other)))
            });
            let theirs = &mut details.surroundings;
            for id in found.live_service_ids() {
                theirs.connections.insert(id.clone(), connections.remove(&id).unwrap_or_default());
            }
            if let Some(lb) = found.load_balancer.as_ref().filter(|_| reach.network) {
                theirs.subnets = subnets.iter().filter(|s| lb.subnet_ids.contains(&s.id)).cloned().collect();
                theirs.route_tables = route_tables.get(&lb.vpc_id).cloned().unwrap_or_default();
            }
            let (observed, surroundings) = assemble(&name, found, &elb_tags, details, heirs);
            (name, observed, surroundings)
        })
        .collect())
}

/// The first round for one deployment: its resources found by name and tag, whoever
/// owns those found by name.
#[derive(Debug, Clone, Default)]
struct Found {
    load_balancer: Option<LoadBalancer>,
    target_group: Option<TargetGroup>,
    services: Vec<EndpointService>,
    ingress_rules: Vec<IngressRule>,
    /// Rules other deployments own and record this one as needing.
    shared_rules: Vec<IngressRule>,
    group_rules: Vec<IngressRule>,
}

impl Found {
    fn elb_arns(&self) -> Vec<String> {
        self.load_balancer
            .iter()
            .map(|lb| lb.arn.clone())
            .chain(self.target_group.iter().map(|tg| tg.arn.clone()))
            .collect()
    }

    /// The service on the load balancer found by name (ours or not: the tags say later).
    fn service_on_load_balancer(&self) -> Option<&EndpointService> {
        let lb = self.load_balancer.as_ref()?;
        self.services.iter().filter(|s| !is_deleted(s)).find(|s| s.load_balancer_arns.contains(&lb.arn))
    }

    fn live_service_ids(&self) -> Vec<String> {
        self.services.iter().filter(|s| !is_deleted(s)).map(|s| s.id.clone()).collect()
    }
}

async fn find<C: Cloud>(cloud: &C, name: &str, db_security_group: Option<&str>) -> CloudResult<Found> {
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
    Ok(Found {
        load_balancer,
        target_group,
        services,
        ingress_rules,
        shared_rules: shared_rules.into_iter().filter(|r| !tags::owned_by(&r.tags, name)).collect(),
        group_rules: group_rules.unwrap_or_default(),
    })
}

/// The second round's reads of what the first found.
#[derive(Debug, Default)]
struct Details {
    cross_zone: Option<bool>,
    listeners: Option<Vec<Listener>>,
    targets: Option<Vec<RegisteredTarget>>,
    principals: Option<Vec<String>>,
    surroundings: Surroundings,
}

async fn details<C: Cloud>(cloud: &C, found: &Found, reach: Reach) -> CloudResult<Details> {
    let lb = found.load_balancer.as_ref();
    let tg = found.target_group.as_ref();
    let service = found.service_on_load_balancer();
    let service_ids = found.live_service_ids();
    let network = lb.filter(|_| reach.network);
    let settings = lb.filter(|_| reach.settings);
    let (cross_zone, listeners, targets, principals, connections, subnets, route_tables) = futures::try_join!(
        when_present(settings.map(|lb| cloud.cross_zone_enabled(&lb.arn))),
        when_present(settings.map(|lb| cloud.listeners(&lb.arn))),
        when_present(tg.map(|tg| cloud.registered_targets(&tg.arn))),
        when_present(service.map(|s| cloud.allowed_principals(&s.id))),
        when_present((reach.connections && !service_ids.is_empty()).then(|| cloud.connections_of(&service_ids))),
        when_present(network.map(|lb| cloud.subnets(&lb.subnet_ids))),
        when_present(network.map(|lb| cloud.route_tables(&lb.vpc_id))),
    )?;
    let surroundings = Surroundings {
        connections: connections.unwrap_or_default(),
        subnets: subnets.unwrap_or_default(),
        route_tables: route_tables.unwrap_or_default(),
    };
    Ok(Details { cross_zone, listeners, targets, principals, surroundings })
}

/// Decides from the tags whose the resources found by name are, and keeps the details
/// of those that are this deployment's.
fn assemble(
    name: &str,
    found: Found,
    elb_tags: &BTreeMap<String, Tags>,
    details: Details,
    rule_heirs: BTreeMap<String, String>,
) -> (Observed, Surroundings) {
    let mut observed = Observed {
        ingress_rules: found.ingress_rules,
        shared_rules: found.shared_rules,
        group_rules: found.group_rules,
        rule_heirs,
        ..Observed::default()
    };
    if let Some(lb) = found.load_balancer {
        let lb_tags = elb_tags.get(&lb.arn).cloned().unwrap_or_default();
        if tags::owned_by(&lb_tags, name) {
            observed.load_balancer_tags = lb_tags;
            observed.load_balancer = Some(lb);
            observed.cross_zone = details.cross_zone.unwrap_or(false);
            observed.listeners = details.listeners.unwrap_or_default();
        } else {
            observed.conflicts.push(format!("load balancer {name} ({})", lb.arn));
        }
    }
    if let Some(tg) = found.target_group {
        let tg_tags = elb_tags.get(&tg.arn).cloned().unwrap_or_default();
        if tags::owned_by(&tg_tags, name) {
            observed.target_group_tags = tg_tags;
            observed.target_group = Some(tg);
            // A deregistered target drains for minutes (300 s by default) while AWS still
            // lists it; it is on its way out, not part of the deployment.
            observed.targets =
                details.targets.unwrap_or_default().into_iter().filter(|t| t.health != "draining").collect();
        } else {
            observed.conflicts.push(format!("target group {name} ({})", tg.arn));
        }
    }
    let lb_arn = observed.load_balancer.as_ref().map(|lb| lb.arn.clone());
    let services = found.services.into_iter().filter(|s| !is_deleted(s));
    let (service, strays): (Vec<_>, Vec<_>) =
        services.partition(|s| lb_arn.as_ref().is_some_and(|arn| s.load_balancer_arns.contains(arn)));
    observed.service = service.into_iter().next();
    observed.stray_services = strays;
    if observed.service.is_some() {
        observed.principals = details.principals.unwrap_or_default();
    }
    let mut surroundings = details.surroundings;
    if observed.load_balancer.is_none() {
        (surroundings.subnets, surroundings.route_tables) = (Vec::new(), Vec::new());
    }
    (observed, surroundings)
}

/// AWS lists a deleted service for a while as `Deleting`, then `Deleted`: gone.
fn is_deleted(service: &EndpointService) -> bool {
    service.state.to_ascii_lowercase().starts_with("delet")
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
    Ok(heirs_among(name, rules, |other| alive.iter().any(|a| a == other)))
}

/// The ARNs of the load balancers named after the deployments that the rules of each of
/// `found` (deployments `names`) record as also needing them.
fn heir_load_balancers(names: &[String], found: &[Found], load_balancers: &[LoadBalancer]) -> Vec<String> {
    let heirs: Vec<String> = names
        .iter()
        .zip(found)
        .flat_map(|(name, f)| f.ingress_rules.iter().flat_map(move |r| tags::also_for_others(&r.tags, name)))
        .collect();
    load_balancers.iter().filter(|lb| heirs.contains(&lb.name)).map(|lb| lb.arn.clone()).collect()
}

/// For each rule, the first other deployment it is also for that `alive` says exists.
fn heirs_among(name: &str, rules: &[IngressRule], alive: impl Fn(&str) -> bool) -> BTreeMap<String, String> {
    rules
        .iter()
        .filter_map(|rule| {
            let heir = tags::also_for_others(&rule.tags, name).into_iter().find(|other| alive(other))?;
            Some((rule.id.clone(), heir))
        })
        .collect()
}

/// Runs a read that only makes sense when its resource exists.
async fn when_present<T>(read: Option<impl Future<Output = CloudResult<T>>>) -> CloudResult<Option<T>> {
    match read {
        Some(read) => read.await.map(Some),
        None => Ok(None),
    }
}
