//! The result of a setup: what the customer hands to Airbyte.

use serde::Serialize;

use crate::aws::EndpointService;
use crate::engine::deployment::desired::Desired;
use crate::engine::knowledge::database::Tls;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Handover {
    pub deployment: String,
    pub service_name: String,
    pub service_id: String,
    pub region: String,
    /// The kind of database as Airbyte names its sources and destinations, when known.
    pub database_kind: Option<String>,
    /// The port Airbyte's connector connects to: the database's own.
    pub port: u16,
    /// Seconds a connection may carry no data before the load balancer resets it.
    pub idle_timeout_seconds: u32,
    /// What a TLS client needs to know about the database's certificate.
    pub tls: Tls,
    /// Stable AZ IDs: consumers can create their endpoint only in these zones, as the
    /// service reports them (a zone of the load balancer may not be enabled for it yet).
    pub availability_zone_ids: Vec<String>,
    /// The same zones by this account's names, which differ between accounts.
    pub availability_zones: Vec<String>,
    pub allowed_principals: Vec<String>,
    pub acceptance_required: bool,
    /// Every region consumers may connect from, the service's own first.
    pub supported_regions: Vec<String>,
    pub airbyte_region: String,
    pub load_balancer_arn: String,
    pub target_group_arn: String,
    /// The deployment's other databases, behind the same service: each on its own port.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub databases: Vec<HandoverDatabase>,
}

/// What Airbyte's connector needs of one of the deployment's other databases.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HandoverDatabase {
    pub name: String,
    /// The port Airbyte's connector connects to: its listener's.
    pub port: u16,
    pub database_kind: Option<String>,
    pub tls: Tls,
}

impl Handover {
    /// Built from the applied (or already converged) state; after a successful apply the
    /// desired settings are the service's settings.
    pub fn new(desired: &Desired, service: &EndpointService, load_balancer_arn: &str, target_group_arn: &str) -> Self {
        let mut supported_regions = vec![desired.region.clone()];
        supported_regions.extend(desired.supported_regions.iter().cloned());
        // What AWS says of the service, not what its load balancer has; named as this
        // account names them, for a zone of the deployment's subnets.
        let mut zone_ids = if service.availability_zone_ids.is_empty() {
            // AWS lists a service in a zone at least: none listed tells nothing.
            desired.subnets.iter().map(|s| s.az_id.clone()).collect()
        } else {
            service.availability_zone_ids.clone()
        };
        zone_ids.sort();
        let zones = zone_ids
            .iter()
            .map(|id| desired.subnets.iter().find(|s| &s.az_id == id).map_or(id, |s| &s.az_name).clone())
            .collect();
        Handover {
            deployment: desired.name.clone(),
            service_name: service.name.clone(),
            service_id: service.id.clone(),
            region: desired.region.clone(),
            database_kind: desired.database.engine.map(|e| e.display_name().to_string()),
            port: desired.port,
            idle_timeout_seconds: desired.idle_timeout,
            tls: desired.database.tls.clone(),
            availability_zone_ids: zone_ids,
            availability_zones: zones,
            allowed_principals: desired.principals.clone(),
            acceptance_required: desired.acceptance_required,
            supported_regions,
            airbyte_region: desired.airbyte_region.clone(),
            load_balancer_arn: load_balancer_arn.to_string(),
            target_group_arn: target_group_arn.to_string(),
            databases: desired
                .databases
                .iter()
                .map(|d| HandoverDatabase {
                    name: d.name.clone(),
                    port: d.listener_port,
                    database_kind: d.database.engine.map(|e| e.display_name().to_string()),
                    tls: d.database.tls.clone(),
                })
                .collect(),
        }
    }
}
