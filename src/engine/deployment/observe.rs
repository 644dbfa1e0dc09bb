//! The one read model of a deployment: [`Observed`], what exists of it, read from AWS by
//! [`read`] in two concurrent rounds. The first finds its resources by name and tag (or,
//! for every deployment in the region, by one listing per kind of resource); the second
//! reads their details, tags included, and as much around them as [`Reach`] asks for.
//! The details are read before the tags have shown whose the resources are: a same-named
//! resource someone else owns costs a few discarded reads, and every deployment that is
//! ours costs one round trip fewer. Setup, the day-2 commands, `status --all` and
//! teardown all read this way.

use std::collections::BTreeMap;
use std::future::Future;

use futures::future::{try_join_all, try_join3, try_join4};
use futures::stream::{self, StreamExt, TryStreamExt};

use crate::aws::*;
use crate::engine::deployment::observe_follower::{self, ObservedFollower};
use crate::engine::deployment::tags::{self, Recorded};
use crate::spec::{PortValue, SpecDraft};

/// A deployment's resources as AWS reports them, and what was read around them. Only
/// resources tagged for the deployment appear here; a same-named resource owned by
/// someone else is a conflict.
#[derive(Debug, Clone, Default)]
pub struct Observed {
    /// The deployment's name.
    pub name: String,
    pub load_balancer: Option<LoadBalancer>,
    pub load_balancer_tags: Tags,
    pub cross_zone: bool,
    /// The load balancer's deletion protection: teardown cannot delete it while on.
    pub deletion_protection: bool,
    pub listeners: Vec<Listener>,
    /// With [`Reach::settings`]: the idle timeout of each TCP listener that forwards to
    /// one of its target groups, by listener ARN, read once the listeners are known.
    pub idle_timeouts: BTreeMap<String, u32>,
    pub target_group: Option<TargetGroup>,
    pub target_group_tags: Tags,
    pub targets: Vec<RegisteredTarget>,
    /// Its other databases' target groups, found by their tags.
    pub databases: Vec<ObservedDatabase>,
    /// Target groups named like one of its other databases' (`<name>-…`) that are not
    /// its own: a database of that name cannot have its group.
    pub unowned_target_groups: Vec<String>,
    /// The service on this deployment's load balancer, if any.
    pub service: Option<EndpointService>,
    pub principals: Vec<String>,
    /// Tagged services that are not on this deployment's load balancer (left behind when
    /// a load balancer was deleted by hand); reported, never adopted.
    pub stray_services: Vec<EndpointService>,
    /// The load balancer's own security group.
    pub security_group: Option<SecurityGroup>,
    /// Every rule of that group, inbound and outbound, whoever added it.
    pub security_group_rules: Vec<GroupRule>,
    /// The rules this deployment added to other groups: the database's.
    pub database_rules: Vec<GroupRule>,
    /// Every rule of the database security group the spec names, ours or not: a rule
    /// someone already added for the same source needs no second one.
    pub group_rules: Vec<GroupRule>,
    /// The inbound rules of the groups this deployment's database rules are in.
    pub database_group_rules: Vec<GroupRule>,
    /// Resources with this deployment's names that the tool does not own.
    pub conflicts: Vec<String>,
    /// With [`Reach::connections`]: the connections to each of its endpoint services
    /// (its own and strays), by service ID.
    pub connections: BTreeMap<String, Vec<Connection>>,
    /// With [`Reach::network`]: the load balancer's subnets.
    pub subnets: Vec<Subnet>,
    /// With [`Reach::network`]: the route tables of the load balancer's VPC.
    pub route_tables: Vec<RouteTable>,
    /// With [`Reach::vpc`]: every subnet of the deployment's VPC, where the database and
    /// the other ends of the network ACLs' rules are.
    pub vpc_subnets: Vec<Subnet>,
    /// With [`Reach::vpc`]: the network ACLs of the deployment's VPC.
    pub network_acls: Vec<NetworkAcl>,
    /// Its follower: the function that keeps its targets current, and what runs it.
    pub follower: ObservedFollower,
}

/// One of a deployment's other databases, as its target group shows it.
#[derive(Debug, Clone)]
pub struct ObservedDatabase {
    /// The name its target group's tag gives.
    pub name: String,
    pub target_group: TargetGroup,
    pub tags: Tags,
    /// Registered and not draining.
    pub targets: Vec<RegisteredTarget>,
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

    /// The listener that serves this deployment's own database: the one forwarding to
    /// its target group, else the only one that serves none of its other databases.
    pub fn listener(&self) -> Option<&Listener> {
        let others: Vec<&str> = self.databases.iter().map(|d| d.target_group.arn.as_str()).collect();
        serving_listener(&self.listeners, self.target_group.as_ref().map(|tg| tg.arn.as_str()), &others)
    }

    /// The listener of another database: the one forwarding to its target group.
    pub fn listener_of(&self, database: &ObservedDatabase) -> Option<&Listener> {
        self.listeners.iter().find(|l| l.forward_to.as_deref() == Some(database.target_group.arn.as_str()))
    }

    /// The idle timeout of the listener that serves its own database.
    pub fn idle_timeout(&self) -> Option<u32> {
        self.listener().and_then(|l| self.idle_timeouts.get(&l.arn).copied())
    }

    /// The deployment seen with another database in its own database's place: its target
    /// group, tags and targets, and the kind its group records; what checks one database
    /// reads of a deployment. It has no other databases.
    pub fn as_database(&self, database: &ObservedDatabase) -> Observed {
        let mut service = self.service.clone();
        if let Some(service) = service.as_mut() {
            match database.tags.get(tags::DATABASE_KIND) {
                Some(kind) => service.tags.insert(tags::DATABASE_KIND.into(), kind.clone()),
                None => service.tags.remove(tags::DATABASE_KIND),
            };
        }
        Observed {
            target_group: Some(database.target_group.clone()),
            target_group_tags: database.tags.clone(),
            targets: database.targets.clone(),
            databases: Vec::new(),
            service,
            ..self.clone()
        }
    }

    /// Another database by name.
    pub fn database(&self, name: &str) -> Option<&ObservedDatabase> {
        self.databases.iter().find(|d| d.name == name)
    }

    /// What setup recorded in the tags: the targets as given, Airbyte's side, the settings.
    pub fn recorded(&self) -> Recorded {
        let no_tags = Tags::new();
        Recorded::read(&self.target_group_tags, self.service.as_ref().map_or(&no_tags, |s| &s.tags))
    }

    /// The connections to the deployment's own endpoint service.
    pub fn service_connections(&self) -> &[Connection] {
        let own = self.service.as_ref().and_then(|s| self.connections.get(&s.id));
        own.map_or(&[], Vec::as_slice)
    }

    /// Connections someone is using now, or that AWS is setting up after they were
    /// accepted (`pending`), to any of its services: removing the service breaks them.
    pub fn live_connections(&self) -> Vec<&Connection> {
        self.connections.values().flatten().filter(|c| c.is("available") || c.is("pending")).collect()
    }

    /// The spec this deployment was set up with, from what exists and what setup
    /// recorded in its tags; `None` when it is not complete enough to say.
    pub fn to_draft(&self, region: &str) -> Option<SpecDraft> {
        let (lb, tg, service) = (self.load_balancer.as_ref()?, self.target_group.as_ref()?, self.service.as_ref()?);
        let recorded = self.recorded();
        let airbyte_region = match recorded.airbyte_region.as_deref()? {
            "us-east-1" => "us",
            "eu-west-3" => "eu",
            _ => return None,
        };
        // The user's own tags: neither the tool's nor those AWS reserves (CloudFormation's).
        let extra_tags: Tags = self
            .load_balancer_tags
            .iter()
            .filter(|(k, _)| !k.starts_with(tags::PREFIX) && !k.to_ascii_lowercase().starts_with("aws:"))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        Some(SpecDraft {
            name: Some(self.name.clone()),
            region: Some(region.to_string()),
            airbyte_region: Some(airbyte_region.to_string()),
            airbyte_account_id: None,
            airbyte_principal: Some(recorded.airbyte_principal.clone()?),
            targets: Some(recorded.targets.clone()).filter(|t| !t.is_empty()),
            port: Some(PortValue::Number(i64::from(tg.port))),
            vpc_id: Some(tg.vpc_id.clone()),
            subnets: Some(lb.subnet_ids.clone()),
            db_security_group: self.database_rules.iter().map(|r| r.group_id.clone()).next(),
            cross_zone: Some(recorded.cross_zone.unwrap_or(self.cross_zone)),
            acceptance_required: Some(service.acceptance_required),
            allow_targets_outside_vpc: Some(
                self.targets.iter().any(|t| t.target.availability_zone.as_deref() == Some("all")),
            ),
            tags: (!extra_tags.is_empty()).then_some(extra_tags),
            database_kind: recorded.database_kind.clone(),
            health_check_interval: tg.health_check.map(|h| i64::from(h.interval_seconds)),
            healthy_threshold: tg.health_check.map(|h| i64::from(h.healthy_threshold)),
            unhealthy_threshold: tg.health_check.map(|h| i64::from(h.unhealthy_threshold)),
            follow: Some(self.follower.function.is_some()),
            follow_every_minutes: self.follower.every_minutes().map(i64::from),
            alarm_topic: self.follower.alarm.as_ref().and_then(|a| a.alarm_actions.first().cloned()),
            idle_timeout: self.idle_timeout().map(i64::from),
            databases: (!self.databases.is_empty())
                .then(|| self.databases.iter().map(|d| self.database_draft(d)).collect()),
        })
    }

    /// Another database as setup was given it, from its target group and listener.
    fn database_draft(&self, database: &ObservedDatabase) -> crate::spec::DatabaseDraft {
        let recorded = database.tags.get(tags::TARGETS).map(|t| t.split(' ').map(str::to_string).collect());
        crate::spec::DatabaseDraft {
            name: Some(database.name.clone()),
            targets: recorded,
            port: Some(PortValue::Number(i64::from(database.target_group.port))),
            listener_port: database
                .tags
                .get(tags::LISTENER_PORT)
                .and_then(|p| p.parse().ok())
                .or(self.listener_of(database).map(|l| i64::from(l.port)))
                .map(PortValue::Number),
            db_security_group: database.tags.get(tags::DATABASE_GROUP).cloned(),
            database_kind: database.tags.get(tags::DATABASE_KIND).cloned(),
        }
    }
}

/// How much a reading takes in besides the deployment's resources, their tags, targets
/// and principals; all in the same round as those.
#[derive(Debug, Clone, Copy)]
pub struct Reach {
    /// The load balancer's listeners and attributes (cross-zone, deletion protection).
    /// Without them `Observed::listeners` is empty and the attributes false, whatever AWS
    /// holds: only a reading for display leaves them out.
    pub settings: bool,
    /// With `settings`: each listener's idle timeout, which takes a round trip more (AWS
    /// reads it by the listener's ARN, which only the listing gives).
    pub idle_timeouts: bool,
    /// The connections to each of its endpoint services.
    pub connections: bool,
    /// The subnets and route tables of its load balancer.
    pub network: bool,
    /// The subnets and network ACLs of its VPC (known from the first round, so read in
    /// the second): what decides whether the load balancer's nodes reach the targets.
    pub vpc: bool,
    /// What Lambda's metrics say of the follower's recent runs.
    pub runs: bool,
}

impl Reach {
    /// What setup and sync-targets compare with the spec.
    pub const RESOURCES: Reach =
        Reach { settings: true, idle_timeouts: true, connections: false, network: false, vpc: false, runs: false };
    /// What teardown removes, and who is connected: not how long idle connections last.
    pub const FOR_REMOVAL: Reach = Reach { connections: true, idle_timeouts: false, ..Reach::RESOURCES };
    /// What `accept` and `export` look at: the deployment and all around it but its VPC.
    pub const EVERYTHING: Reach =
        Reach { settings: true, idle_timeouts: true, connections: true, network: true, vpc: false, runs: false };
    /// What `verify` looks at: everything, its VPC's subnets and network ACLs and the
    /// follower's runs too.
    pub const FOR_VERIFY: Reach = Reach { vpc: true, runs: true, ..Reach::EVERYTHING };
    /// What `status` shows: all but the listener and cross-zone settings, and the
    /// follower's runs.
    pub const FOR_DISPLAY: Reach = Reach { settings: false, idle_timeouts: false, runs: true, ..Reach::EVERYTHING };
}

/// Which deployments to read.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// One, by name, with the rules of the database security group its spec names.
    Named { name: &'a str, db_security_group: Option<&'a str> },
    /// Every deployment in the region that has an endpoint service: one paginated
    /// listing per kind of resource instead of one lookup per deployment, so two rounds
    /// however many there are.
    All,
}

/// Reads the deployments `scope` names, with what `reach` asks for besides.
/// Each deployment's follower is read by name alongside: from the start when the
/// deployment is named, else (what a listing shows) once the listing has found them.
pub async fn read<C: Cloud>(cloud: &C, scope: Scope<'_>, reach: Reach) -> CloudResult<Vec<Observed>> {
    let (mut observed, followers) = match scope {
        Scope::Named { name, db_security_group } => {
            // The follower's two rounds run beside the deployment's two.
            futures::future::try_join(
                async { second_round(cloud, find(cloud, name, db_security_group).await?, reach).await },
                async { Ok(vec![observe_follower::read(cloud, name, reach.runs).await?]) },
            )
            .await?
        }
        Scope::All => {
            let first = list(cloud).await?;
            let names: Vec<String> = first.found.iter().map(|(name, _)| name.clone()).collect();
            futures::future::try_join(
                second_round(cloud, first, reach),
                observe_follower::read_listed(cloud, &names, reach.runs),
            )
            .await?
        }
    };
    for (observed, follower) in observed.iter_mut().zip(followers) {
        observed.conflicts.extend(follower.conflicts.iter().cloned());
        observed.follower = follower;
    }
    Ok(observed)
}

/// Reads deployment `name` (and the rules of `db_security_group`, when a spec names
/// one), with what `reach` asks for besides.
pub async fn read_one<C: Cloud>(
    cloud: &C,
    name: &str,
    db_security_group: Option<&str>,
    reach: Reach,
) -> CloudResult<Observed> {
    let mut all = read(cloud, Scope::Named { name, db_security_group }, reach).await?;
    Ok(all.pop().unwrap_or_else(|| Observed { name: name.into(), ..Observed::default() }))
}

/// What setup compares with the spec.
pub async fn observe<C: Cloud>(cloud: &C, name: &str, db_security_group: Option<&str>) -> CloudResult<Observed> {
    read_one(cloud, name, db_security_group, Reach::RESOURCES).await
}

/// The first round: each deployment's resources found by name and tag, whoever owns
/// those found by name.
struct FirstRound {
    found: Vec<(String, Found)>,
}

/// The first round for one deployment.
#[derive(Debug, Clone, Default)]
struct Found {
    load_balancer: Option<LoadBalancer>,
    target_group: Option<TargetGroup>,
    /// Target groups named `<name>-…`: its other databases', once their tags say so.
    database_target_groups: Vec<TargetGroup>,
    services: Vec<EndpointService>,
    security_group: Option<SecurityGroup>,
    /// The rules tagged for the deployment, in any group.
    tagged_rules: Vec<GroupRule>,
    group_rules: Vec<GroupRule>,
}

impl Found {
    fn elb_arns(&self) -> Vec<String> {
        self.load_balancer
            .iter()
            .map(|lb| lb.arn.clone())
            .chain(self.target_group.iter().map(|tg| tg.arn.clone()))
            .chain(self.database_target_groups.iter().map(|tg| tg.arn.clone()))
            .collect()
    }

    /// The service on the load balancer found by name (ours or not: the tags say later).
    fn service_on_load_balancer(&self) -> Option<&EndpointService> {
        let lb = self.load_balancer.as_ref()?;
        self.services.iter().filter(|s| !s.is_deleted()).find(|s| s.load_balancer_arns.contains(&lb.arn))
    }

    fn live_service_ids(&self) -> Vec<String> {
        self.services.iter().filter(|s| !s.is_deleted()).map(|s| s.id.clone()).collect()
    }
}

async fn find<C: Cloud>(cloud: &C, name: &str, db_security_group: Option<&str>) -> CloudResult<FirstRound> {
    let database_group: Vec<String> = db_security_group.map(str::to_string).into_iter().collect();
    let (load_balancer, (target_group, target_groups), services, (security_groups, tagged_rules, group_rules)) =
        try_join4(
            cloud.load_balancer_named(name),
            // Its other databases' groups are found by listing: one that was removed from the
            // spec is still to be found, and removed.
            futures::future::try_join(cloud.target_group_named(name), cloud.target_groups()),
            cloud.endpoint_services_tagged(tags::DEPLOYMENT, name),
            try_join3(
                cloud.security_groups_tagged(tags::DEPLOYMENT, name),
                cloud.rules_tagged(tags::DEPLOYMENT, name),
                when_present((!database_group.is_empty()).then(|| cloud.rules_of_groups(&database_group))),
            ),
        )
        .await?;
    let found = Found {
        database_target_groups: database_target_groups(name, load_balancer.as_ref(), &target_groups),
        load_balancer,
        target_group,
        services,
        security_group: security_groups.into_iter().next(),
        tagged_rules,
        group_rules: group_rules.unwrap_or_default().into_iter().filter(|r| !r.egress).collect(),
    };
    Ok(FirstRound { found: vec![(name.to_string(), found)] })
}

async fn list<C: Cloud>(cloud: &C) -> CloudResult<FirstRound> {
    let (services, load_balancers, target_groups, (security_groups, rules)) = try_join4(
        cloud.endpoint_services_with_tag(tags::DEPLOYMENT),
        cloud.load_balancers(),
        cloud.target_groups(),
        futures::future::try_join(
            cloud.security_groups_with_tag(tags::DEPLOYMENT),
            cloud.rules_with_tag(tags::DEPLOYMENT),
        ),
    )
    .await?;
    let mut names: Vec<String> = services.iter().filter_map(|s| s.tags.get(tags::DEPLOYMENT).cloned()).collect();
    names.sort();
    names.dedup();
    let found = names
        .into_iter()
        .map(|name| {
            let load_balancer = load_balancers.iter().find(|lb| lb.name == name).cloned();
            let found = Found {
                database_target_groups: database_target_groups(&name, load_balancer.as_ref(), &target_groups),
                load_balancer,
                target_group: target_groups.iter().find(|tg| tg.name == name).cloned(),
                services: services.iter().filter(|s| tags::owned_by(&s.tags, &name)).cloned().collect(),
                security_group: security_groups.iter().find(|g| tags::owned_by(&g.tags, &name)).cloned(),
                tagged_rules: rules.iter().filter(|r| tags::owned_by(&r.tags, &name)).cloned().collect(),
                group_rules: Vec::new(),
            };
            (name, found)
        })
        .collect();
    Ok(FirstRound { found })
}

/// The target groups that may be deployment `name`'s other databases': named `<name>-…`,
/// and behind its load balancer `load_balancer` or none (a setup cut off before the
/// listener). Another deployment's own group may be named so (`orders-db` beside
/// `orders`), but it is behind that deployment's load balancer: leaving it out here
/// spares reading its targets; the tags still decide what is whose.
fn database_target_groups(
    name: &str,
    load_balancer: Option<&LoadBalancer>,
    target_groups: &[TargetGroup],
) -> Vec<TargetGroup> {
    let prefix = format!("{name}-");
    let behind_ours = |tg: &TargetGroup| {
        tg.load_balancer_arns.is_empty() || load_balancer.is_some_and(|lb| tg.load_balancer_arns.contains(&lb.arn))
    };
    target_groups.iter().filter(|tg| tg.name.starts_with(&prefix) && behind_ours(tg)).cloned().collect()
}

/// How many deployments' details are read at once. `status --all` reads one thing from
/// ELB per deployment (target health): 20 at once stay well within the 40 reads ELB's
/// rate limit allows in a burst (ELB user guide, "API throttling"), and 50 deployments
/// still take three rounds, not fifty.
const DEPLOYMENTS_AT_ONCE: usize = 20;

/// One deployment's own reads in the second round.
#[derive(Debug, Default)]
struct Details {
    attributes: Option<LoadBalancerAttributes>,
    listeners: Option<Vec<Listener>>,
    idle_timeouts: BTreeMap<String, u32>,
    targets: Option<Vec<RegisteredTarget>>,
    /// Each of `Found::database_target_groups`' targets, in its order.
    database_targets: Vec<Vec<RegisteredTarget>>,
    principals: Option<Vec<String>>,
}

/// The second round, for every deployment the first found at once: tags, each one's
/// details, and the connections, subnets and route tables of all of them in one call each.
async fn second_round<C: Cloud>(cloud: &C, first: FirstRound, reach: Reach) -> CloudResult<Vec<Observed>> {
    let FirstRound { found } = first;
    let names: Vec<String> = found.iter().map(|(name, _)| name.clone()).collect();
    let mut arns: Vec<String> = found.iter().flat_map(|(_, f)| f.elb_arns()).collect();
    arns.sort();
    arns.dedup();
    // The load balancers' own groups, and the groups the deployments' rules are in (the
    // databases'), whose other rules say whether something else lets the group in.
    let mut group_ids: Vec<String> = found
        .iter()
        .flat_map(|(_, f)| {
            f.security_group.iter().map(|g| g.id.clone()).chain(f.tagged_rules.iter().map(|r| r.group_id.clone()))
        })
        .collect();
    group_ids.sort();
    group_ids.dedup();
    let service_ids: Vec<String> = found.iter().flat_map(|(_, f)| f.live_service_ids()).collect();
    let lbs = || found.iter().filter_map(|(_, f)| f.load_balancer.as_ref()).filter(|_| reach.network);
    let mut subnet_ids: Vec<String> = lbs().flat_map(|lb| lb.subnet_ids.clone()).collect();
    subnet_ids.sort();
    subnet_ids.dedup();
    let mut vpc_ids: Vec<String> = lbs().map(|lb| lb.vpc_id.clone()).collect();
    vpc_ids.sort();
    vpc_ids.dedup();
    // The VPC of each deployment whose VPC is asked for: its load balancer's, else its
    // target group's.
    let vpc_of = |f: &Found| {
        let vpc = f.load_balancer.as_ref().map(|lb| &lb.vpc_id).or(f.target_group.as_ref().map(|tg| &tg.vpc_id));
        vpc.filter(|_| reach.vpc).cloned()
    };
    let mut whole_vpcs: Vec<String> = found.iter().filter_map(|(_, f)| vpc_of(f)).collect();
    whole_vpcs.sort();
    whole_vpcs.dedup();
    let (elb_tags, details, connections, subnets, route_tables, group_rules, vpcs) = futures::try_join!(
        async { if arns.is_empty() { Ok(BTreeMap::new()) } else { cloud.elb_tags(&arns).await } },
        // In order, a bounded number of deployments at a time: `status --all` over many
        // would otherwise start hundreds of calls at once, where AWS refills its rate
        // limits a few tokens a second; the SDK's retries absorb what is left.
        stream::iter(found.iter().map(|(_, f)| details(cloud, f, reach)))
            .buffered(DEPLOYMENTS_AT_ONCE)
            .try_collect::<Vec<Details>>(),
        when_present((reach.connections && !service_ids.is_empty()).then(|| cloud.connections_of(&service_ids))),
        // The VPC's subnets, when read, hold the load balancer's.
        when_present((!subnet_ids.is_empty() && !reach.vpc).then(|| cloud.subnets(&subnet_ids))),
        try_join_all(vpc_ids.iter().map(|vpc| cloud.route_tables(vpc))),
        cloud.rules_of_groups(&group_ids),
        try_join_all(
            whole_vpcs.iter().map(|vpc| futures::future::try_join(cloud.subnets_of_vpc(vpc), cloud.network_acls(vpc)))
        ),
    )?;
    let vpcs: BTreeMap<&String, (Vec<Subnet>, Vec<NetworkAcl>)> = whole_vpcs.iter().zip(vpcs).collect();
    let (mut connections, subnets) = (connections.unwrap_or_default(), subnets.unwrap_or_default());
    let route_tables: BTreeMap<&String, Vec<RouteTable>> = vpc_ids.iter().zip(route_tables).collect();
    Ok(names
        .into_iter()
        .zip(found)
        .zip(details)
        .map(|((name, (_, found)), details)| {
            let mut around = Observed::default();
            let own = found.security_group.as_ref().map(|g| g.id.clone());
            around.security_group_rules =
                group_rules.iter().filter(|r| Some(&r.group_id) == own.as_ref()).cloned().collect();
            let databases: Vec<&String> =
                found.tagged_rules.iter().map(|r| &r.group_id).filter(|g| Some(*g) != own.as_ref()).collect();
            around.database_group_rules =
                group_rules.iter().filter(|r| !r.egress && databases.contains(&&r.group_id)).cloned().collect();
            if reach.connections {
                for id in found.live_service_ids() {
                    around.connections.insert(id.clone(), connections.remove(&id).unwrap_or_default());
                }
            }
            if let Some((subnets, acls)) = vpc_of(&found).and_then(|vpc| vpcs.get(&vpc)) {
                (around.vpc_subnets, around.network_acls) = (subnets.clone(), acls.clone());
            }
            if let Some(lb) = found.load_balancer.as_ref().filter(|_| reach.network) {
                let read = if reach.vpc { &around.vpc_subnets } else { &subnets };
                around.subnets = read.iter().filter(|s| lb.subnet_ids.contains(&s.id)).cloned().collect();
                around.route_tables = route_tables.get(&lb.vpc_id).cloned().unwrap_or_default();
            }
            assemble(name, found, &elb_tags, details, around)
        })
        .collect())
}

async fn details<C: Cloud>(cloud: &C, found: &Found, reach: Reach) -> CloudResult<Details> {
    let settings = found.load_balancer.as_ref().filter(|_| reach.settings);
    let (attributes, listeners, targets, database_targets, principals) = futures::try_join!(
        when_present(settings.map(|lb| cloud.load_balancer_attributes(&lb.arn))),
        when_present(settings.map(|lb| listeners_and_idle_timeouts(cloud, &lb.arn, found, reach.idle_timeouts))),
        when_present(found.target_group.as_ref().map(|tg| cloud.registered_targets(&tg.arn))),
        try_join_all(found.database_target_groups.iter().map(|tg| cloud.registered_targets(&tg.arn))),
        when_present(found.service_on_load_balancer().map(|s| cloud.allowed_principals(&s.id))),
    )?;
    let (listeners, idle_timeouts) = listeners.map_or((None, BTreeMap::new()), |(l, t)| (Some(l), t));
    Ok(Details { attributes, listeners, idle_timeouts, targets, database_targets, principals })
}

/// Of a load balancer's listeners, the one that serves the deployment's own database:
/// the one forwarding to its target group, else the only one that forwards to none of
/// `others` (its other databases' groups).
fn serving_listener<'a>(
    listeners: &'a [Listener],
    target_group: Option<&str>,
    others: &[&str],
) -> Option<&'a Listener> {
    let candidates: Vec<&Listener> =
        listeners.iter().filter(|l| !l.forward_to.as_deref().is_some_and(|tg| others.contains(&tg))).collect();
    candidates
        .iter()
        .find(|l| l.forward_to.as_deref() == target_group && target_group.is_some())
        .or_else(|| (candidates.len() == 1).then(|| &candidates[0]))
        .copied()
}

/// The load balancer's listeners, then the idle timeout of each TCP listener that serves
/// one of the deployment's databases: AWS reads it by the listener's ARN, which only the
/// listing gives, so this costs a round trip more than the other details.
async fn listeners_and_idle_timeouts<C: Cloud>(
    cloud: &C,
    load_balancer_arn: &str,
    found: &Found,
    idle_timeouts: bool,
) -> CloudResult<(Vec<Listener>, BTreeMap<String, u32>)> {
    let listeners = cloud.listeners(load_balancer_arn).await?;
    if !idle_timeouts {
        return Ok((listeners, BTreeMap::new()));
    }
    let others: Vec<&str> = found.database_target_groups.iter().map(|tg| tg.arn.as_str()).collect();
    let own = serving_listener(&listeners, found.target_group.as_ref().map(|tg| tg.arn.as_str()), &others);
    let serving: Vec<&Listener> = listeners
        .iter()
        .filter(|l| {
            own.is_some_and(|own| own.arn == l.arn) || l.forward_to.as_deref().is_some_and(|tg| others.contains(&tg))
        })
        .filter(|l| l.protocol == "TCP")
        .collect();
    let seconds = try_join_all(serving.iter().map(|l| cloud.listener_idle_timeout(&l.arn))).await?;
    Ok((listeners.clone(), serving.iter().map(|l| l.arn.clone()).zip(seconds).collect()))
}

/// Decides from the tags whose the resources found by name are, and keeps the details
/// of those that are this deployment's. `around` holds what was read around them.
fn assemble(
    name: String,
    found: Found,
    elb_tags: &BTreeMap<String, Tags>,
    details: Details,
    around: Observed,
) -> Observed {
    let own_group = found.security_group.as_ref().map(|g| g.id.clone());
    let mut observed = Observed {
        database_rules: found.tagged_rules.into_iter().filter(|r| Some(&r.group_id) != own_group.as_ref()).collect(),
        group_rules: found.group_rules,
        security_group: found.security_group,
        ..around
    };
    if let Some(lb) = found.load_balancer {
        let lb_tags = elb_tags.get(&lb.arn).cloned().unwrap_or_default();
        if tags::owned_by(&lb_tags, &name) {
            observed.load_balancer_tags = lb_tags;
            observed.load_balancer = Some(lb);
            let attributes = details.attributes.unwrap_or_default();
            (observed.cross_zone, observed.deletion_protection) =
                (attributes.cross_zone, attributes.deletion_protection);
            observed.listeners = details.listeners.unwrap_or_default();
            observed.idle_timeouts = details.idle_timeouts;
        } else {
            observed.conflicts.push(format!("load balancer {name} ({})", lb.arn));
        }
    }
    if let Some(tg) = found.target_group {
        let tg_tags = elb_tags.get(&tg.arn).cloned().unwrap_or_default();
        if tags::owned_by(&tg_tags, &name) {
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
    for (tg, targets) in found.database_target_groups.into_iter().zip(details.database_targets) {
        let tg_tags = elb_tags.get(&tg.arn).cloned().unwrap_or_default();
        match tg_tags.get(tags::DATABASE).cloned().filter(|_| tags::owned_by(&tg_tags, &name)) {
            Some(database) => observed.databases.push(ObservedDatabase {
                name: database,
                target_group: tg,
                tags: tg_tags,
                targets: targets.into_iter().filter(|t| t.health != "draining").collect(),
            }),
            None => observed.unowned_target_groups.push(tg.name),
        }
    }
    observed.databases.sort_by(|a, b| a.name.cmp(&b.name));
    let lb_arn = observed.load_balancer.as_ref().map(|lb| lb.arn.clone());
    let services = found.services.into_iter().filter(|s| !s.is_deleted());
    let (service, strays): (Vec<_>, Vec<_>) =
        services.partition(|s| lb_arn.as_ref().is_some_and(|arn| s.load_balancer_arns.contains(arn)));
    observed.service = service.into_iter().next();
    observed.stray_services = strays;
    if observed.service.is_some() {
        observed.principals = details.principals.unwrap_or_default();
    }
    if observed.load_balancer.is_none() {
        (observed.subnets, observed.route_tables) = (Vec::new(), Vec::new());
    }
    if observed.load_balancer.is_none() && observed.target_group.is_none() {
        (observed.vpc_subnets, observed.network_acls) = (Vec::new(), Vec::new());
    }
    observed.name = name;
    observed
}

/// The names of every deployment in the region with anything left of it: a load
/// balancer, target group, endpoint service, security group or rule carrying its tag, or
/// its follower's log group, so that even a setup cut off before its endpoint service can
/// be found and removed. (A cut that left only the follower's role, which IAM lists only
/// account-wide, is found by `teardown --name`.)
pub async fn every_deployment_name<C: Cloud>(cloud: &C) -> CloudResult<Vec<String>> {
    let (with_service, load_balancers, target_groups, rules, groups, followed) = futures::try_join!(
        deployment_names(cloud),
        cloud.load_balancers(),
        cloud.target_groups(),
        cloud.rules_with_tag(tags::DEPLOYMENT),
        cloud.security_groups_with_tag(tags::DEPLOYMENT),
        observe_follower::deployments_with_a_log_group(cloud),
    )?;
    let arns: Vec<String> =
        load_balancers.into_iter().map(|lb| lb.arn).chain(target_groups.into_iter().map(|tg| tg.arn)).collect();
    let elb_owners = cloud.elb_tags(&arns).await?.into_values().filter_map(|mut t| t.remove(tags::DEPLOYMENT));
    let rule_owners = rules.into_iter().filter_map(|r| r.tags.get(tags::DEPLOYMENT).cloned());
    let group_owners = groups.into_iter().filter_map(|g| g.tags.get(tags::DEPLOYMENT).cloned());
    let mut names: Vec<String> =
        with_service.into_iter().chain(elb_owners).chain(rule_owners).chain(group_owners).chain(followed).collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// The names of every deployment in the region, from their endpoint services' tags.
pub async fn deployment_names<C: Cloud>(cloud: &C) -> CloudResult<Vec<String>> {
    let services = cloud.endpoint_services_with_tag(tags::DEPLOYMENT).await?;
    let mut names: Vec<String> = services.into_iter().filter_map(|s| s.tags.get(tags::DEPLOYMENT).cloned()).collect();
    names.sort();
    names.dedup();
    Ok(names)
}

/// Runs a read that only makes sense when its resource exists.
async fn when_present<T>(read: Option<impl Future<Output = CloudResult<T>>>) -> CloudResult<Option<T>> {
    match read {
        Some(read) => read.await.map(Some),
        None => Ok(None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::desired::Desired;
    use crate::testing::fake::FakeCloud;
    use crate::testing::fixtures::{Recorder, desired, set_up, with_analytics};

    /// The fixture's deployment, named `name`.
    fn named(name: &str, d: Desired) -> Desired {
        let mut d = Desired { name: name.into(), ..d };
        for tags in [&mut d.tags, &mut d.target_group_tags, &mut d.service_tags] {
            tags.insert(tags::DEPLOYMENT.into(), name.into());
        }
        d.security_group.name = format!("airbyte-plink-{name}");
        d
    }

    #[tokio::test]
    async fn another_deployments_group_named_like_a_database_of_this_one_is_not_read() {
        // `db` with a database `analytics` (group `db-analytics`), beside deployment
        // `db-other`, whose own group `db-other` has the same prefix.
        let cloud = FakeCloud::new();
        set_up(&cloud, &with_analytics(desired()), &Recorder::default()).await.unwrap();
        set_up(&cloud, &named("db-other", desired()), &Recorder::default()).await.unwrap();
        let before = cloud.calls().len();
        let observed = read_one(&cloud, "db", None, Reach::RESOURCES).await.unwrap();
        let health =
            cloud.calls()[before..].iter().filter(|c| c.action == "elasticloadbalancing:DescribeTargetHealth").count();
        assert_eq!(health, 2, "its own group and its database's, not db-other's");
        let names: Vec<&str> = observed.databases.iter().map(|d| d.target_group.name.as_str()).collect();
        assert_eq!(names, ["db-analytics"]);
        assert!(observed.unowned_target_groups.is_empty(), "{:?}", observed.unowned_target_groups);
        // And db-other has no database of db's.
        let other = read_one(&cloud, "db-other", None, Reach::RESOURCES).await.unwrap();
        assert!(other.databases.is_empty());
    }
}
