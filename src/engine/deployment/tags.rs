//! The tags that mark a resource as belonging to a deployment of this tool.
//!
//! Ownership is decided by tags alone: the tool only ever changes resources that carry
//! `airbyte-plink:deployment=<name>`, never another resource with the same name.

use crate::aws::Tags;

pub const PREFIX: &str = "airbyte-plink:";
pub const DEPLOYMENT: &str = "airbyte-plink:deployment";
pub const MANAGED_BY: &str = "airbyte-plink:managed-by";
pub const VERSION: &str = "airbyte-plink:version";
pub const MANAGED_BY_VALUE: &str = "airbyte-plink";

// The settings day-2 commands check against, recorded where they apply so that
// `verify`, `accept` and `sync-targets` need nothing but the deployment's name.
/// On the target group: the targets as given, space-separated (a comma is not a valid
/// tag character), so hostnames can be re-resolved.
pub const TARGETS: &str = "airbyte-plink:targets";
/// On the endpoint service.
pub const AIRBYTE_PRINCIPAL: &str = "airbyte-plink:airbyte-principal";
pub const AIRBYTE_REGION: &str = "airbyte-plink:airbyte-region";
pub const ACCEPTANCE_REQUIRED: &str = "airbyte-plink:acceptance-required";
pub const CROSS_ZONE: &str = "airbyte-plink:cross-zone";
/// On the target group of each of a deployment's other databases: the database's name.
pub const DATABASE: &str = "airbyte-plink:database";
/// There too: the port its listener takes, which Airbyte's connector was told.
pub const LISTENER_PORT: &str = "airbyte-plink:listener-port";
/// There too, when the spec names it: the database's security group, which a rule of the
/// deployment's own database on the same port may share.
pub const DATABASE_GROUP: &str = "airbyte-plink:database-group";
/// On the endpoint service, when known: the kind of database, told to Airbyte (and on
/// each other database's target group, its kind).
pub const DATABASE_KIND: &str = "airbyte-plink:database-kind";

/// The most AWS stores in one tag value.
pub const MAX_VALUE_LEN: usize = 256;

pub fn join_targets(targets: &[impl ToString]) -> String {
    targets.iter().map(ToString::to_string).collect::<Vec<_>>().join(" ")
}

/// What setup recorded about a deployment, read back from its tags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub targets: Vec<String>,
    pub airbyte_principal: Option<String>,
    pub airbyte_region: Option<String>,
    pub acceptance_required: Option<bool>,
    pub cross_zone: Option<bool>,
    pub database_kind: Option<String>,
}

impl Recorded {
    pub fn read(target_group: &Tags, service: &Tags) -> Self {
        let flag = |key: &str| service.get(key).and_then(|v| v.parse().ok());
        Recorded {
            targets: target_group
                .get(TARGETS)
                .map(|v| v.split([' ', ',']).filter(|t| !t.is_empty()).map(str::to_string).collect())
                .unwrap_or_default(),
            airbyte_principal: service.get(AIRBYTE_PRINCIPAL).cloned(),
            airbyte_region: service.get(AIRBYTE_REGION).cloned(),
            acceptance_required: flag(ACCEPTANCE_REQUIRED),
            cross_zone: flag(CROSS_ZONE),
            database_kind: service.get(DATABASE_KIND).cloned(),
        }
    }

    /// The 12-digit account of Airbyte's principal.
    pub fn airbyte_account(&self) -> Option<&str> {
        self.airbyte_principal.as_deref().and_then(|arn| arn.split(':').nth(4))
    }
}

/// The tags every resource of deployment `name` is created with.
pub fn for_deployment(name: &str, extra: &Tags) -> Tags {
    let mut tags = extra.clone();
    tags.insert(DEPLOYMENT.into(), name.into());
    tags.insert(MANAGED_BY.into(), MANAGED_BY_VALUE.into());
    tags.insert(VERSION.into(), env!("CARGO_PKG_VERSION").into());
    tags
}

pub fn owned_by(tags: &Tags, name: &str) -> bool {
    tags.get(DEPLOYMENT).map(String::as_str) == Some(name)
}

/// The tags of `desired` that `actual` lacks or holds with another value. The version
/// tag records which release created a resource, so a newer release does not rewrite it.
pub fn missing(desired: &Tags, actual: &Tags) -> Tags {
    desired
        .iter()
        .filter(|(key, value)| key.as_str() != VERSION && actual.get(*key) != Some(*value))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_tag_never_counts_as_drift() {
        let desired = for_deployment("db", &Tags::new());
        let mut actual = desired.clone();
        actual.insert(VERSION.into(), "0.0.1".into());
        assert!(missing(&desired, &actual).is_empty());
        actual.remove(MANAGED_BY);
        assert_eq!(missing(&desired, &actual).keys().collect::<Vec<_>>(), [MANAGED_BY]);
    }
}
