//! A deployment as day-2 commands see it: what exists, what setup recorded, who is
//! connected, and the network facts the checks need.

use futures::future::try_join3;

use crate::spec::{PortValue, SpecDraft};

use super::observe::{Observed, observe};
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

pub async fn inspect<C: Cloud>(cloud: &C, name: &str) -> CloudResult<Inspection> {
    let observed = observe(cloud, name, None).await?;
    let recorded =
        Recorded::read(&observed.target_group_tags, observed.service.as_ref().map(|s| &s.tags).unwrap_or(&Tags::new()));
    let lb = observed.load_balancer.as_ref();
    let service_id = observed.service.as_ref().map(|s| s.id.clone());
    let (connections, subnets, route_tables) = try_join3(
        async {
            match &service_id {
                Some(id) => cloud.connections(id).await,
                None => Ok(Vec::new()),
            }
        },
        async {
            match lb {
                Some(lb) => cloud.subnets(&lb.subnet_ids).await,
                None => Ok(Vec::new()),
            }
        },
        async {
            match lb {
                Some(lb) => cloud.route_tables(&lb.vpc_id).await,
                None => Ok(Vec::new()),
            }
        },
    )
    .await?;
    Ok(Inspection { name: name.to_string(), observed, recorded, connections, subnets, route_tables })
}

/// The names of every deployment in the region with anything left of it: a load
/// balancer, target group, endpoint service or security group rule carrying its tag,
/// so that even a setup cut off before its endpoint service can be found and removed.
pub async fn every_deployment_name<C: Cloud>(cloud: &C) -> CloudResult<Vec<String>> {
    let (with_service, elb, rules) = futures::try_join!(
        deployment_names(cloud),
        cloud.elb_tag_values(tags::DEPLOYMENT),
        cloud.ingress_rules_with_tag(tags::DEPLOYMENT),
    )?;
    let rule_owners = rules.into_iter().filter_map(|r| r.tags.get(tags::DEPLOYMENT).cloned());
    let mut names: Vec<String> = with_service.into_iter().chain(elb).chain(rule_owners).collect();
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
