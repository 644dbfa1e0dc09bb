//! A deployment as day-2 commands see it: what exists, what setup recorded, who is
//! connected, and the network facts the checks need.

use crate::spec::{PortValue, SpecDraft};

use super::observe::{Observed, Reach, Surroundings, read, read_all};
use super::tags::{self, Recorded};
use crate::aws::*;

#[derive(Debug, Clone)]
pub struct Inspection {
    pub name: String,
    pub observed: Observed,
    pub recorded: Recorded,
    pub connections: Vec<Connection>,
    /// The load balancer's subnets.
    pub subnets: Vec<Subnet>,
    /// The route tables of the load balancer's VPC.
    pub route_tables: Vec<RouteTable>,
}

impl Inspection {
    /// The spec this deployment was set up with, from what exists and what setup
    /// recorded in its tags; `None` when it is not complete enough to say.
    pub fn to_draft(&self, region: &str) -> Option<SpecDraft> {
        let o = &self.observed;
        let (lb, tg, service) = (o.load_balancer.as_ref()?, o.target_group.as_ref()?, o.service.as_ref()?);
        let airbyte_region = match self.recorded.airbyte_region.as_deref()? {
            "us-east-1" => "us",
            "eu-west-3" => "eu",
            _ => return None,
        };
        // The user's own tags: neither the tool's nor those AWS reserves (CloudFormation's).
        let extra_tags: Tags = o
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
            airbyte_principal: Some(self.recorded.airbyte_principal.clone()?),
            targets: Some(self.recorded.targets.clone()).filter(|t| !t.is_empty()),
            port: Some(PortValue::Number(i64::from(tg.port))),
            vpc_id: Some(tg.vpc_id.clone()),
            subnets: Some(lb.subnet_ids.clone()),
            db_security_group: o.ingress_rules.iter().chain(&o.shared_rules).map(|r| r.group_id.clone()).next(),
            cross_zone: Some(self.recorded.cross_zone.unwrap_or(o.cross_zone)),
            acceptance_required: Some(service.acceptance_required),
            allow_targets_outside_vpc: Some(
                o.targets.iter().any(|t| t.target.availability_zone.as_deref() == Some("all")),
            ),
            tags: (!extra_tags.is_empty()).then_some(extra_tags),
        })
    }
}

/// Everything about deployment `name` the day-2 commands look at, in two rounds.
pub async fn inspect<C: Cloud>(cloud: &C, name: &str, reach: Reach) -> CloudResult<Inspection> {
    let (observed, surroundings) = read(cloud, name, None, reach).await?;
    Ok(Inspection::new(name.to_string(), observed, surroundings))
}

/// [`inspect`] for every deployment in the region with an endpoint service, read
/// region-wide: two rounds, however many there are.
pub async fn inspect_all<C: Cloud>(cloud: &C, reach: Reach) -> CloudResult<Vec<Inspection>> {
    let all = read_all(cloud, reach).await?;
    Ok(all.into_iter().map(|(name, observed, surroundings)| Inspection::new(name, observed, surroundings)).collect())
}

/// What `verify`, `accept` and `export` look at: all there is.
pub const EVERYTHING: Reach = Reach { settings: true, connections: true, network: true };
/// What `status` shows: all but the listener and cross-zone settings.
pub const FOR_DISPLAY: Reach = Reach { settings: false, ..EVERYTHING };

impl Inspection {
    fn new(name: String, observed: Observed, mut surroundings: Surroundings) -> Self {
        let recorded = Recorded::read(
            &observed.target_group_tags,
            observed.service.as_ref().map(|s| &s.tags).unwrap_or(&Tags::new()),
        );
        let connections =
            observed.service.as_ref().and_then(|s| surroundings.connections.remove(&s.id)).unwrap_or_default();
        Inspection {
            name,
            observed,
            recorded,
            connections,
            subnets: surroundings.subnets,
            route_tables: surroundings.route_tables,
        }
    }
}

/// The names of every deployment in the region with anything left of it: a load
/// balancer, target group, endpoint service or security group rule carrying its tag,
/// so that even a setup cut off before its endpoint service can be found and removed.
pub async fn every_deployment_name<C: Cloud>(cloud: &C) -> CloudResult<Vec<String>> {
    let (with_service, load_balancers, target_groups, rules) = futures::try_join!(
        deployment_names(cloud),
        cloud.load_balancers(),
        cloud.target_groups(),
        cloud.ingress_rules_with_tag(tags::DEPLOYMENT),
    )?;
    let arns: Vec<String> =
        load_balancers.into_iter().map(|lb| lb.arn).chain(target_groups.into_iter().map(|tg| tg.arn)).collect();
    let elb_owners = cloud.elb_tags(&arns).await?.into_values().filter_map(|mut t| t.remove(tags::DEPLOYMENT));
    let rule_owners = rules.into_iter().filter_map(|r| r.tags.get(tags::DEPLOYMENT).cloned());
    let mut names: Vec<String> = with_service.into_iter().chain(elb_owners).chain(rule_owners).collect();
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
