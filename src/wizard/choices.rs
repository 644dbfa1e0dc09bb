//! What the wizard offers and pre-selects, decided without a terminal so it can be
//! tested: labels, defaults and the rules a choice must meet.

use std::collections::BTreeMap;
use std::net::Ipv4Addr;

use crate::aws::{Database, DatabaseKind, Instance, RouteTable, SecurityGroup, Subnet, Vpc};
use crate::engine::checks::preflight::{FREE_ADDRESSES_NEEDED, NO_CROSS_REGION_ZONES};
use crate::engine::knowledge::addresses::{in_cidr, internet_route};
use crate::spec::fields::{self, MAX_NAME_LEN};

/// Ports databases commonly listen on, offered when nothing tells the port.
pub const COMMON_PORTS: &str = "5432 PostgreSQL, 3306 MySQL/MariaDB, 1433 SQL Server, 1521 Oracle, 27017 MongoDB";

/// What the user picked as the database, with what it tells about the rest.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TargetChoice {
    pub targets: Vec<String>,
    pub port: Option<u16>,
    pub vpc_id: Option<String>,
    pub security_groups: Vec<String>,
    /// The basis of the default deployment name.
    pub label: String,
    /// What RDS says the database is.
    pub engine: Option<fields::Engine>,
}

pub fn database_label(db: &Database) -> String {
    let kind = match db.kind {
        DatabaseKind::RdsInstance => "RDS instance",
        DatabaseKind::AuroraCluster => "Aurora cluster",
    };
    format!("{kind} {} ({}, port {})", db.id, db.engine, db.port)
}

pub fn database_choice(db: &Database) -> TargetChoice {
    TargetChoice {
        targets: vec![db.endpoint.clone()],
        port: Some(db.port),
        vpc_id: db.vpc_id.clone(),
        security_groups: db.security_groups.clone(),
        label: db.id.clone(),
        engine: fields::Engine::of_rds(&db.engine),
    }
}

pub fn instance_label(i: &Instance) -> String {
    let name = i.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default();
    format!("EC2 instance {}{name} {}", i.id, i.private_ip.as_deref().unwrap_or("no private IP"))
}

pub fn instance_choice(i: &Instance) -> TargetChoice {
    TargetChoice {
        targets: vec![i.id.clone()],
        port: None,
        vpc_id: i.vpc_id.clone(),
        security_groups: i.security_groups.clone(),
        label: i.name.clone().unwrap_or_else(|| i.id.clone()),
        engine: None,
    }
}

/// Typed targets: the VPC is the one whose CIDR holds the first IP address, if any.
pub fn typed_choice(typed: &str, vpcs: &[Vpc]) -> TargetChoice {
    let targets: Vec<String> = typed.split(',').map(|t| t.trim().to_string()).filter(|t| !t.is_empty()).collect();
    let first_ip = targets.iter().find_map(|t| t.parse::<Ipv4Addr>().ok());
    let vpc_id =
        first_ip.and_then(|ip| vpcs.iter().find(|v| v.cidrs.iter().any(|c| in_cidr(ip, c)))).map(|v| v.id.clone());
    let label = targets.first().map(|t| t.split('.').next().unwrap_or(t).to_string()).unwrap_or_default();
    TargetChoice {
        targets,
        port: None,
        vpc_id,
        security_groups: Vec::new(),
        label: format!("db-{label}"),
        engine: None,
    }
}

pub fn validate_typed_targets(typed: &str) -> Result<(), String> {
    let items: Vec<&str> = typed.split(',').map(str::trim).filter(|t| !t.is_empty()).collect();
    if items.is_empty() {
        return Err("give at least one IP address or hostname".into());
    }
    items.iter().try_for_each(|t| fields::Target::parse(t).map(drop))
}

pub fn vpc_label(v: &Vpc) -> String {
    format!("{} {} {}", v.id, v.name.as_deref().unwrap_or("(no name)"), v.cidrs.join(", "))
}

/// A subnet as offered: public ones, and for a cross-region service ones in a zone
/// without cross-region access, are listed with the reason they cannot be chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubnetOption {
    pub subnet: Subnet,
    /// Why the subnet cannot be chosen, if it cannot.
    pub unusable_because: Option<String>,
}

impl SubnetOption {
    pub fn label(&self) -> String {
        let s = &self.subnet;
        let name: String = s.name.as_deref().unwrap_or("-").chars().take(20).collect();
        let label = format!("{} {name} {} ({}) {}", s.id, s.az_id, s.az_name, s.cidr);
        match &self.unusable_because {
            None => label,
            Some(why) => format!("{label} cannot be used: {why}"),
        }
    }
}

/// The security groups that may be the database's: not the load balancer groups of
/// deployments, which protect no database.
pub fn database_group_candidates(groups: Vec<SecurityGroup>) -> Vec<SecurityGroup> {
    groups.into_iter().filter(|g| !g.tags.contains_key(crate::engine::deployment::tags::DEPLOYMENT)).collect()
}

/// The VPC's subnets, usable ones first, each group by AZ. `cross_region`: whether the
/// service needs cross-region access, which some zones lack.
pub fn subnet_options(subnets: &[Subnet], route_tables: &[RouteTable], cross_region: bool) -> Vec<SubnetOption> {
    let mut options: Vec<SubnetOption> = subnets
        .iter()
        .map(|s| SubnetOption {
            subnet: s.clone(),
            unusable_because: internet_route(&s.id, route_tables)
                .map(|(table, route)| {
                    format!(
                        "public, {table} routes {} to {}",
                        route.destination,
                        route.gateway_id.as_deref().unwrap_or_default()
                    )
                })
                .or_else(|| {
                    (cross_region && NO_CROSS_REGION_ZONES.contains(&s.az_id.as_str()))
                        .then(|| format!("AWS does not offer cross-region PrivateLink in {}", s.az_id))
                })
                .or_else(|| {
                    s.free_addresses
                        .filter(|&n| n < FREE_ADDRESSES_NEEDED)
                        .map(|n| format!("{n} free IP addresses; the load balancer needs {FREE_ADDRESSES_NEEDED}"))
                }),
        })
        .collect();
    options.sort_by(|a, b| {
        (a.unusable_because.is_some(), &a.subnet.az_id, &a.subnet.id).cmp(&(
            b.unusable_because.is_some(),
            &b.subnet.az_id,
            &b.subnet.id,
        ))
    });
    options
}

/// Pre-selected: the first private subnet of every AZ.
pub fn default_subnets(options: &[SubnetOption]) -> Vec<bool> {
    let mut seen = std::collections::BTreeSet::new();
    options.iter().map(|o| o.unusable_because.is_none() && seen.insert(o.subnet.az_id.clone())).collect()
}

/// Why a selection of subnets cannot be used, if it cannot.
pub fn check_subnet_selection(options: &[SubnetOption], chosen: &[usize], cross_region: bool) -> Result<(), String> {
    if chosen.is_empty() {
        return Err("choose at least one private subnet (space to select, enter to confirm)".into());
    }
    if chosen.len() == 1 && cross_region {
        return Err(
            "choose subnets in two AZs or more: AWS requires two for a service reached from another region".into()
        );
    }
    if let Some(unusable) = chosen.iter().map(|&i| &options[i]).find(|o| o.unusable_because.is_some()) {
        return Err(format!(
            "{} cannot be used ({}); choose private subnets the load balancer can use",
            unusable.subnet.id,
            unusable.unusable_because.as_deref().unwrap_or_default()
        ));
    }
    let mut by_az: BTreeMap<&str, &str> = BTreeMap::new();
    for option in chosen.iter().map(|&i| &options[i]) {
        if let Some(other) = by_az.insert(&option.subnet.az_id, &option.subnet.id) {
            return Err(format!(
                "{other} and {} are both in {}; a load balancer takes one subnet per AZ",
                option.subnet.id, option.subnet.az_id
            ));
        }
    }
    Ok(())
}

pub fn security_group_label(g: &SecurityGroup) -> String {
    format!("{} {}", g.id, g.name)
}

/// The name of another database, from its label (`sample-aurora`): without the words it
/// shares with the deployment's own database's (`sample-orders` gives `aurora`), short
/// enough for `room` characters, and none of `taken`.
pub fn database_name(label: &str, own_label: &str, room: usize, taken: &[String]) -> String {
    let words = |s: &str| default_name(s).split('-').map(str::to_string).collect::<Vec<_>>();
    let (ours, own) = (words(label), words(own_label));
    let shared = ours.iter().zip(&own).take_while(|(a, b)| a == b).count();
    let rest = if shared < ours.len() { &ours[shared..] } else { &ours[..] };
    let mut name: String = rest.join("-").chars().take(room.max(1)).collect();
    name = name.trim_end_matches('-').to_string();
    if name.is_empty() {
        name = "db".into();
    }
    let base = name.clone();
    let mut n = 2;
    while taken.contains(&name) {
        let suffix = format!("-{n}");
        name = format!("{}{suffix}", base.chars().take(room.saturating_sub(suffix.len()).max(1)).collect::<String>());
        n += 1;
    }
    name
}

/// The port another database listens on through the load balancer: its own, unless one
/// of `taken` is that, then the next free one up.
pub fn free_listener_port(port: u16, taken: &[u16]) -> u16 {
    (port..=u16::MAX).find(|p| !taken.contains(p)).unwrap_or(port)
}

/// A deployment name from the database's own name: valid as a load balancer name.
pub fn default_name(label: &str) -> String {
    let mut name: String =
        label.chars().map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' }).collect();
    while name.contains("--") {
        name = name.replace("--", "-");
    }
    let mut name = name.trim_matches('-').to_string();
    if name.starts_with("internal-") {
        name = format!("db-{name}");
    }
    name.truncate(MAX_NAME_LEN);
    let name = name.trim_end_matches('-').to_string();
    if fields::deployment_name(&name).is_ok() { name } else { "airbyte-privatelink".to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::Route;

    fn subnet(id: &str, az: &str) -> Subnet {
        Subnet {
            id: id.into(),
            name: None,
            vpc_id: "vpc-1".into(),
            az_name: format!("us-west-2{az}"),
            az_id: format!("usw2-{az}"),
            cidr: "10.0.0.0/24".into(),
            free_addresses: None,
        }
    }

    fn options() -> Vec<SubnetOption> {
        let public = RouteTable {
            id: "rtb-pub".into(),
            is_main: false,
            subnet_ids: vec!["subnet-pub".into()],
            routes: vec![Route { destination: "0.0.0.0/0".into(), gateway_id: Some("igw-1".into()) }],
        };
        let subnets = [
            subnet("subnet-pub", "az1"),
            subnet("subnet-b", "az2"),
            subnet("subnet-a1", "az1"),
            subnet("subnet-a2", "az1"),
        ];
        subnet_options(&subnets, &[public], false)
    }

    #[test]
    fn private_subnets_come_first_and_one_per_az_is_preselected() {
        let options = options();
        let ids: Vec<&str> = options.iter().map(|o| o.subnet.id.as_str()).collect();
        assert_eq!(ids, ["subnet-a1", "subnet-a2", "subnet-b", "subnet-pub"]);
        assert_eq!(default_subnets(&options), [true, false, true, false]);
        assert!(options[3].label().contains("cannot be used: public, rtb-pub routes 0.0.0.0/0 to igw-1"));
    }

    #[test]
    fn zones_without_cross_region_access_are_offered_only_when_it_is_not_needed() {
        let in_zone = |id: &str, az_id: &str| Subnet { az_id: az_id.into(), ..subnet(id, "az1") };
        let subnets = [in_zone("subnet-x", "use1-az3"), in_zone("subnet-y", "use1-az1")];
        let same_region = subnet_options(&subnets, &[], false);
        assert!(same_region.iter().all(|o| o.unusable_because.is_none()));
        let cross_region = subnet_options(&subnets, &[], true);
        let ids: Vec<&str> = cross_region.iter().map(|o| o.subnet.id.as_str()).collect();
        assert_eq!(ids, ["subnet-y", "subnet-x"]);
        assert!(
            cross_region[1].label().contains("cannot be used: AWS does not offer cross-region PrivateLink in use1-az3")
        );
        assert_eq!(default_subnets(&cross_region), [true, false]);
    }

    #[test]
    fn a_subnet_without_eight_free_addresses_is_shown_but_cannot_be_chosen() {
        let with_free = |id: &str, free: u32| Subnet { free_addresses: Some(free), ..subnet(id, "a") };
        let options = subnet_options(&[with_free("subnet-full", 7), with_free("subnet-roomy", 8)], &[], false);
        let ids: Vec<&str> = options.iter().map(|o| o.subnet.id.as_str()).collect();
        assert_eq!(ids, ["subnet-roomy", "subnet-full"]);
        assert!(options[1].label().contains("cannot be used: 7 free IP addresses; the load balancer needs 8"));
        assert_eq!(default_subnets(&options), [true, false]);
    }

    #[test]
    fn a_selection_needs_private_subnets_one_per_az() {
        let options = options();
        assert!(check_subnet_selection(&options, &[0, 2], true).is_ok());
        assert!(check_subnet_selection(&options, &[0], false).is_ok());
        assert!(check_subnet_selection(&options, &[0], true).unwrap_err().contains("two AZs or more"));
        assert!(check_subnet_selection(&options, &[], false).unwrap_err().contains("at least one"));
        assert!(
            check_subnet_selection(&options, &[0, 3], false).unwrap_err().contains("subnet-pub cannot be used (public")
        );
        assert!(check_subnet_selection(&options, &[0, 1], false).unwrap_err().contains("one subnet per AZ"));
    }

    #[test]
    fn a_deployments_own_load_balancer_group_is_not_offered_as_the_databases() {
        let group = |id: &str, tags: &[(&str, &str)]| SecurityGroup {
            id: id.into(),
            vpc_id: Some("vpc-1".into()),
            name: id.into(),
            tags: tags.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
        };
        let groups = vec![
            group("sg-db", &[("team", "data")]),
            group("sg-lb", &[(crate::engine::deployment::tags::DEPLOYMENT, "orders-db")]),
        ];
        let offered: Vec<String> = database_group_candidates(groups).into_iter().map(|g| g.id).collect();
        assert_eq!(offered, ["sg-db"]);
    }

    #[test]
    fn default_names_are_valid_load_balancer_names() {
        assert_eq!(default_name("Orders_DB"), "orders-db");
        assert_eq!(default_name("internal-billing"), "db-internal-billing");
        assert_eq!(default_name(&"x".repeat(40)).len(), 32);
        assert_eq!(default_name("--"), "airbyte-privatelink");
    }

    #[test]
    fn another_databases_name_drops_what_it_shares_with_the_first_and_fits() {
        assert_eq!(database_name("sample-aurora", "sample-orders", 18, &[]), "aurora");
        assert_eq!(database_name("sample-aurora-tuned", "sample-orders", 18, &[]), "aurora-tuned");
        assert_eq!(database_name("Billing_DB", "orders", 5, &[]), "billi");
        assert_eq!(database_name("sample-aurora", "sample-orders", 18, &["aurora".into()]), "aurora-2");
        assert_eq!(database_name("orders", "orders", 18, &[]), "orders");
        assert_eq!(free_listener_port(5432, &[5432, 5433]), 5434);
        assert_eq!(free_listener_port(3306, &[5432]), 3306);
    }

    #[test]
    fn typed_ip_targets_suggest_the_vpc_that_holds_them() {
        let vpcs = [
            Vpc { id: "vpc-a".into(), name: None, cidrs: vec!["10.0.0.0/16".into()] },
            Vpc { id: "vpc-b".into(), name: None, cidrs: vec!["10.1.0.0/16".into()] },
        ];
        let choice = typed_choice("10.1.2.3, 10.1.2.4", &vpcs);
        assert_eq!(choice.targets, ["10.1.2.3", "10.1.2.4"]);
        assert_eq!(choice.vpc_id.as_deref(), Some("vpc-b"));
        assert!(validate_typed_targets("10.1.2.3, db.example.com").is_ok());
        assert!(validate_typed_targets(" , ").is_err());
        assert!(validate_typed_targets("10.1.2.300").is_err());
    }
}
