//! The state a deployment should have, derived from the spec and what preflight found.

use serde::{Deserialize, Serialize};

use crate::aws::{Subnet, Tags, TargetRef, TargetType};
use crate::engine::preflight::Facts;
use crate::engine::tags;
use crate::spec::{DeploymentSpec, Target};

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Desired {
    pub name: String,
    pub region: String,
    /// The AWS region Airbyte connects from.
    pub airbyte_region: String,
    /// On every resource.
    pub tags: Tags,
    /// `tags` and what the target group records (the targets as given).
    pub target_group_tags: Tags,
    /// `tags` and what the endpoint service records (Airbyte's side, the settings).
    pub service_tags: Tags,
    pub vpc_id: String,
    pub target_type: TargetType,
    pub port: u16,
    /// Sorted and without duplicates.
    pub targets: Vec<TargetRef>,
    /// Sorted by AZ ID.
    pub subnets: Vec<Subnet>,
    pub cross_zone: bool,
    pub acceptance_required: bool,
    /// Regions other than the service's own from which consumers may connect.
    pub supported_regions: Vec<String>,
    pub principals: Vec<String>,
    pub ingress: Option<Ingress>,
}

/// The database security group rules that let the load balancer's nodes in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ingress {
    pub group_id: String,
    pub port: u16,
    /// One source per load balancer subnet: its CIDR and the subnet it belongs to.
    pub sources: Vec<(String, String)>,
}

impl Desired {
    pub fn new(spec: &DeploymentSpec, facts: &Facts) -> Self {
        let target_type = if spec.targets.iter().all(|t| matches!(t, Target::Instance(_))) {
            TargetType::Instance
        } else {
            TargetType::Ip
        };
        let mut targets: Vec<TargetRef> = facts.targets.iter().flat_map(|t| t.registrations.iter().cloned()).collect();
        targets.sort();
        targets.dedup();
        let supported_regions =
            if spec.is_cross_region() { vec![spec.airbyte_region.aws_region().to_string()] } else { Vec::new() };
        let ingress = spec.db_security_group.as_ref().map(|group_id| Ingress {
            group_id: group_id.clone(),
            port: spec.port,
            sources: facts.subnets.iter().map(|s| (s.cidr.clone(), s.id.clone())).collect(),
        });
        let common = tags::for_deployment(&spec.name, &spec.extra_tags);
        let mut target_group_tags = common.clone();
        target_group_tags.insert(tags::TARGETS.into(), tags::join_targets(&spec.targets));
        let mut service_tags = common.clone();
        service_tags.insert(tags::AIRBYTE_PRINCIPAL.into(), spec.principal.clone());
        service_tags.insert(tags::AIRBYTE_REGION.into(), spec.airbyte_region.aws_region().into());
        service_tags.insert(tags::ACCEPTANCE_REQUIRED.into(), spec.acceptance_required.to_string());
        service_tags.insert(tags::CROSS_ZONE.into(), spec.cross_zone.to_string());
        Desired {
            target_group_tags,
            service_tags,
            name: spec.name.clone(),
            region: spec.region.clone(),
            airbyte_region: spec.airbyte_region.aws_region().to_string(),
            tags: common,
            vpc_id: spec.vpc_id.clone(),
            target_type,
            port: spec.port,
            targets,
            subnets: facts.subnets.clone(),
            cross_zone: spec.cross_zone,
            acceptance_required: spec.acceptance_required,
            supported_regions,
            principals: vec![spec.principal.clone()],
            ingress,
        }
    }

    pub fn subnet_ids(&self) -> Vec<String> {
        self.subnets.iter().map(|s| s.id.clone()).collect()
    }
}
