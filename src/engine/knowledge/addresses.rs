//! Addresses and routes: whether an address is private, which ranges hold which, and
//! what makes a subnet public. Pure rules over what EC2 reports, shared by preflight,
//! verify and the wizard.

use std::net::Ipv4Addr;

use crate::aws::{Route, RouteTable};

/// The route that makes a subnet public, looked up in its own route table or, when it
/// has none, in the VPC's main one.
pub fn internet_route<'a>(subnet_id: &str, tables: &'a [RouteTable]) -> Option<(&'a str, &'a Route)> {
    let table = tables
        .iter()
        .find(|t| t.subnet_ids.iter().any(|s| s == subnet_id))
        .or_else(|| tables.iter().find(|t| t.is_main))?;
    table
        .routes
        .iter()
        .find(|r| r.gateway_id.as_deref().is_some_and(|g| g.starts_with("igw-")))
        .map(|r| (table.id.as_str(), r))
}

pub fn is_private(ip: Ipv4Addr) -> bool {
    let [a, b, ..] = ip.octets();
    ip.is_private() || (a == 100 && (64..128).contains(&b))
}

/// Whether address range `outer` holds all of `inner`.
pub fn cidr_holds(outer: &str, inner: &str) -> bool {
    let bits = |cidr: &str| cidr.split_once('/').and_then(|(_, b)| b.parse::<u32>().ok());
    let base = inner.split_once('/').and_then(|(ip, _)| ip.parse::<Ipv4Addr>().ok());
    match (bits(outer), bits(inner), base) {
        (Some(outer_bits), Some(inner_bits), Some(base)) => inner_bits >= outer_bits && in_cidr(base, outer),
        _ => false,
    }
}

pub fn in_cidr(ip: Ipv4Addr, cidr: &str) -> bool {
    let Some((base, bits)) = cidr.split_once('/') else { return false };
    let (Ok(base), Ok(bits)) = (base.parse::<Ipv4Addr>(), bits.parse::<u32>()) else { return false };
    if bits > 32 {
        return false;
    }
    let mask = if bits == 0 { 0 } else { u32::MAX << (32 - bits) };
    (u32::from(ip) & mask) == (u32::from(base) & mask)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_ranges_include_carrier_grade_nat() {
        assert!(is_private("10.1.2.3".parse().unwrap()));
        assert!(is_private("172.31.0.1".parse().unwrap()));
        assert!(is_private("192.168.0.1".parse().unwrap()));
        assert!(is_private("100.64.0.1".parse().unwrap()));
        assert!(!is_private("100.128.0.1".parse().unwrap()));
        assert!(!is_private("8.8.8.8".parse().unwrap()));
        assert!(!is_private("127.0.0.1".parse().unwrap()));
    }

    #[test]
    fn cidr_membership() {
        assert!(in_cidr("10.0.3.4".parse().unwrap(), "10.0.0.0/16"));
        assert!(!in_cidr("10.1.0.1".parse().unwrap(), "10.0.0.0/16"));
        assert!(in_cidr("1.2.3.4".parse().unwrap(), "0.0.0.0/0"));
        assert!(!in_cidr("1.2.3.4".parse().unwrap(), "garbage"));
    }

    fn table(id: &str, main: bool, subnets: &[&str], gateway: &str) -> RouteTable {
        RouteTable {
            id: id.into(),
            is_main: main,
            subnet_ids: subnets.iter().map(|s| s.to_string()).collect(),
            routes: vec![
                Route { destination: "10.0.0.0/16".into(), gateway_id: Some("local".into()) },
                Route { destination: "0.0.0.0/0".into(), gateway_id: Some(gateway.into()) },
            ],
        }
    }

    #[test]
    fn a_subnet_is_public_by_its_own_table_or_else_the_main_one() {
        let tables = [table("rtb-main", true, &[], "igw-1"), table("rtb-private", false, &["subnet-a"], "nat-1")];
        assert!(internet_route("subnet-a", &tables).is_none());
        let (table, route) = internet_route("subnet-b", &tables).unwrap();
        assert_eq!((table, route.gateway_id.as_deref()), ("rtb-main", Some("igw-1")));
    }
}
