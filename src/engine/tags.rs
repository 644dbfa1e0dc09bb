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
