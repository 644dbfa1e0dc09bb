//! Parsers for the individual fields of a deployment spec. Each returns a message that
//! says what is wrong and what a valid value looks like; the caller adds the field name.

use std::net::Ipv4Addr;

use serde::Serialize;

/// The longest name AWS accepts for a load balancer or a target group.
pub const MAX_NAME_LEN: usize = 32;

/// A deployment name, valid as an NLB and target group name as it is.
pub fn deployment_name(raw: &str) -> Result<String, String> {
    let name = raw.trim();
    if name.is_empty() {
        return Err("is empty; use letters, digits and hyphens, e.g. orders-db".into());
    }
    if name.len() > MAX_NAME_LEN {
        return Err(format!(
            "'{name}' is {} characters; AWS allows at most {MAX_NAME_LEN} for load balancer and target group names",
            name.len()
        ));
    }
    if let Some(bad) = name.chars().find(|c| !(c.is_ascii_alphanumeric() || *c == '-')) {
        return Err(format!("'{name}' contains '{bad}'; use only letters, digits and hyphens"));
    }
    if name.starts_with('-') || name.ends_with('-') {
        return Err(format!("'{name}' begins or ends with a hyphen, which AWS refuses"));
    }
    if name.contains("--") {
        return Err(format!("'{name}' contains two hyphens in a row, which AWS refuses"));
    }
    if name.to_ascii_lowercase().starts_with("internal-") {
        return Err(format!("'{name}' begins with 'internal-', which AWS reserves"));
    }
    Ok(name.to_string())
}

/// Where Airbyte Cloud runs; its endpoints live in one AWS region each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AirbyteRegion {
    Us,
    Eu,
}

impl AirbyteRegion {
    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "us" => Ok(AirbyteRegion::Us),
            "eu" => Ok(AirbyteRegion::Eu),
            other => Err(format!("'{other}' is not an Airbyte Cloud region; use us (us-east-1) or eu (eu-west-3)")),
        }
    }

    pub fn aws_region(self) -> &'static str {
        match self {
            AirbyteRegion::Us => "us-east-1",
            AirbyteRegion::Eu => "eu-west-3",
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            AirbyteRegion::Us => "us",
            AirbyteRegion::Eu => "eu",
        }
    }
}

/// The kind of database behind the load balancer, as Airbyte names its sources and
/// destinations: Airbyte asks for it with the service name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Engine {
    Postgres,
    Mysql,
    Mariadb,
    Sqlserver,
    Oracle,
}

impl Engine {
    pub const ALL: [Engine; 5] = [Engine::Postgres, Engine::Mysql, Engine::Mariadb, Engine::Sqlserver, Engine::Oracle];

    pub fn parse(raw: &str) -> Result<Self, String> {
        match raw.trim().to_ascii_lowercase().as_str() {
            "postgres" | "postgresql" => Ok(Engine::Postgres),
            "mysql" => Ok(Engine::Mysql),
            "mariadb" => Ok(Engine::Mariadb),
            "sqlserver" | "mssql" => Ok(Engine::Sqlserver),
            "oracle" => Ok(Engine::Oracle),
            other => {
                Err(format!("'{other}' is not a database kind; use postgres, mysql, mariadb, sqlserver or oracle"))
            }
        }
    }

    /// The kind of an RDS or Aurora engine (`aurora-mysql`, `sqlserver-se`, ...).
    pub fn of_rds(engine: &str) -> Option<Self> {
        let engine = engine.to_ascii_lowercase();
        let engine = engine.strip_prefix("custom-").unwrap_or(&engine);
        match engine {
            "postgres" | "aurora-postgresql" => Some(Engine::Postgres),
            "mysql" | "aurora-mysql" | "aurora" => Some(Engine::Mysql),
            "mariadb" => Some(Engine::Mariadb),
            e if e.starts_with("sqlserver") => Some(Engine::Sqlserver),
            e if e.starts_with("oracle") => Some(Engine::Oracle),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Postgres => "postgres",
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
            Engine::Sqlserver => "sqlserver",
            Engine::Oracle => "oracle",
        }
    }

    /// The name people and Airbyte's catalogue use.
    pub fn display_name(self) -> &'static str {
        match self {
            Engine::Postgres => "PostgreSQL",
            Engine::Mysql => "MySQL",
            Engine::Mariadb => "MariaDB",
            Engine::Sqlserver => "Microsoft SQL Server",
            Engine::Oracle => "Oracle",
        }
    }

    /// MySQL and MariaDB block a host after `max_connect_errors` broken connections.
    pub fn is_mysql_family(self) -> bool {
        matches!(self, Engine::Mysql | Engine::Mariadb)
    }
}

/// An SNS topic's ARN in `partition`: `arn:aws:sns:us-west-2:123456789012:name`.
pub fn sns_topic(raw: &str, partition: &str) -> Result<String, String> {
    let raw = raw.trim();
    let parts: Vec<&str> = raw.splitn(6, ':').collect();
    let valid = parts.len() == 6
        && parts[0] == "arn"
        && parts[1] == partition
        && parts[2] == "sns"
        && !parts[3].is_empty()
        && parts[4].len() == 12
        && parts[4].bytes().all(|b| b.is_ascii_digit())
        && !parts[5].is_empty()
        && parts[5].bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if valid {
        Ok(raw.to_string())
    } else {
        Err(format!(
            "'{raw}' is not an SNS topic ARN; give one like arn:{partition}:sns:REGION:123456789012:TOPIC \
             (`aws sns list-topics` lists yours)"
        ))
    }
}

/// The AWS partition a region belongs to.
pub fn partition_of(region: &str) -> &'static str {
    if region.starts_with("cn-") {
        "aws-cn"
    } else if region.starts_with("us-gov-") {
        "aws-us-gov"
    } else if region.starts_with("us-iso") {
        "aws-iso"
    } else {
        "aws"
    }
}

/// The shape of a region name (`us-east-1`, `us-gov-west-1`, `ap-southeast-4`).
pub fn region_name(raw: &str) -> Result<String, String> {
    let region = raw.trim();
    let parts: Vec<&str> = region.split('-').collect();
    let well_formed = parts.len() >= 3
        && parts.iter().all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit()))
        && parts.last().is_some_and(|p| p.chars().all(|c| c.is_ascii_digit()));
    if well_formed {
        Ok(region.to_string())
    } else {
        Err(format!("'{region}' is not an AWS region name; e.g. us-east-1"))
    }
}

pub fn account_id(raw: &str) -> Result<String, String> {
    let id = raw.trim();
    if id.len() == 12 && id.chars().all(|c| c.is_ascii_digit()) {
        Ok(id.to_string())
    } else {
        Err(format!("'{id}' is not an AWS account ID: it must be exactly 12 digits"))
    }
}

/// An IAM principal ARN for Airbyte: `arn:<partition>:iam::<account>:root`, `…:role/…` or `…:user/…`.
pub fn principal_arn(raw: &str, partition: &str) -> Result<String, String> {
    let arn = raw.trim();
    if arn == "*" || arn.contains('*') {
        return Err("'*' would let every AWS account connect; give Airbyte's own account ID or role ARN".into());
    }
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let shape = "expected arn:aws:iam::<12-digit account>:root, …:role/NAME or …:user/NAME";
    if parts.len() != 6 || parts[0] != "arn" || parts[2] != "iam" || !parts[3].is_empty() {
        return Err(format!("'{arn}' is not an IAM principal ARN; {shape}"));
    }
    if parts[1] != partition {
        return Err(format!(
            "'{arn}' is in the {} partition, but the endpoint service is in {partition}; PrivateLink cannot cross partitions",
            parts[1]
        ));
    }
    account_id(parts[4]).map_err(|e| format!("'{arn}': account {e}"))?;
    let resource = parts[5];
    let valid_resource = resource == "root"
        || ["role/", "user/"]
            .iter()
            .any(|prefix| resource.strip_prefix(prefix).is_some_and(|rest| !rest.is_empty() && !rest.ends_with('/')));
    if !valid_resource {
        return Err(format!("'{arn}' does not name root, a role or a user; {shape}"));
    }
    Ok(arn.to_string())
}

pub fn root_principal(account_id: &str, partition: &str) -> String {
    format!("arn:{partition}:iam::{account_id}:root")
}

pub fn port(raw: i64) -> Result<u16, String> {
    match u16::try_from(raw) {
        Ok(p) if p >= 1 => Ok(p),
        _ => Err(format!("{raw} is not a TCP port; use 1–65535, the port your database listens on")),
    }
}

/// A database target as the user named it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Target {
    Ip(Ipv4Addr),
    Instance(String),
    /// Resolved at setup time and remembered by name, so it can be re-resolved when
    /// RDS or Aurora move the address.
    Hostname(String),
}

impl Target {
    pub fn parse(raw: &str) -> Result<Target, String> {
        let value = raw.trim();
        if let Ok(ip) = value.parse::<Ipv4Addr>() {
            return Ok(Target::Ip(ip));
        }
        if value.parse::<std::net::Ipv6Addr>().is_ok() {
            return Err(format!("'{value}' is an IPv6 address; the network load balancer targets IPv4 addresses"));
        }
        if let Some(hex) = value.strip_prefix("i-") {
            return if (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit()) {
                Ok(Target::Instance(value.to_string()))
            } else {
                Err(format!("'{value}' is not an EC2 instance ID (i- followed by 8 or 17 hex digits)"))
            };
        }
        if value.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return Err(format!("'{value}' is not a valid IPv4 address"));
        }
        let host = value.trim_end_matches('.');
        let valid_label = |l: &str| {
            !l.is_empty()
                && l.len() <= 63
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
                && !l.starts_with('-')
                && !l.ends_with('-')
        };
        if host.len() <= 253 && host.contains('.') && host.split('.').all(valid_label) {
            Ok(Target::Hostname(host.to_ascii_lowercase()))
        } else {
            Err(format!(
                "'{value}' is neither an IPv4 address, an instance ID (i-…) nor a DNS hostname (e.g. mydb.abc123.us-east-1.rds.amazonaws.com)"
            ))
        }
    }
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Ip(ip) => write!(f, "{ip}"),
            Target::Instance(id) | Target::Hostname(id) => write!(f, "{id}"),
        }
    }
}

pub fn tag(raw: &str) -> Result<(String, String), String> {
    let (key, value) = raw.split_once('=').ok_or_else(|| format!("'{raw}' is not KEY=VALUE"))?;
    let key = key.trim();
    if key.is_empty() || key.len() > 128 {
        return Err(format!("'{raw}': the key must be 1–128 characters"));
    }
    if key.to_ascii_lowercase().starts_with("aws:") || key.starts_with(crate::engine::deployment::tags::PREFIX) {
        return Err(format!(
            "'{key}' uses a reserved prefix (aws: or {}); choose another key",
            crate::engine::deployment::tags::PREFIX
        ));
    }
    if value.len() > 256 {
        return Err(format!("'{raw}': the value must be at most 256 characters"));
    }
    if let Some(bad) = key.chars().chain(value.chars()).find(|c| !is_tag_char(*c)) {
        return Err(format!("'{raw}' contains '{bad}'; AWS tags allow letters, digits, spaces and _ . : / = + - @"));
    }
    Ok((key.to_string(), value.to_string()))
}

/// The characters ELBv2 and EC2 both accept in tag keys and values.
pub fn is_tag_char(c: char) -> bool {
    c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c)
}

pub fn resource_id(raw: &str, prefix: &str, what: &str) -> Result<String, String> {
    let id = raw.trim();
    match id.strip_prefix(prefix) {
        Some(hex) if (hex.len() == 8 || hex.len() == 17) && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
            Ok(id.to_string())
        }
        _ => Err(format!("'{id}' is not a {what} ID ({prefix} followed by 8 or 17 hex digits)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_load_balancer_rules() {
        assert_eq!(deployment_name("orders-db").unwrap(), "orders-db");
        assert!(deployment_name(&"a".repeat(32)).is_ok());
        assert!(deployment_name(&"a".repeat(33)).unwrap_err().contains("33 characters"));
        assert!(deployment_name("orders_db").unwrap_err().contains("'_'"));
        assert!(deployment_name("-orders").is_err());
        assert!(deployment_name("orders-").is_err());
        assert!(deployment_name("a--b").is_err());
        assert!(deployment_name("internal-db").is_err());
        assert!(deployment_name("").is_err());
    }

    #[test]
    fn airbyte_regions_map_to_aws_regions() {
        assert_eq!(AirbyteRegion::parse("US").unwrap().aws_region(), "us-east-1");
        assert_eq!(AirbyteRegion::parse("eu").unwrap().aws_region(), "eu-west-3");
        assert!(AirbyteRegion::parse("ap").unwrap_err().contains("us (us-east-1) or eu"));
    }

    #[test]
    fn account_ids_are_twelve_digits() {
        assert!(account_id("123456789012").is_ok());
        assert!(account_id("12345678901").is_err());
        assert!(account_id("12345678901a").is_err());
    }

    #[test]
    fn principals_are_checked_for_shape_partition_and_wildcards() {
        assert!(principal_arn("arn:aws:iam::123456789012:root", "aws").is_ok());
        assert!(principal_arn("arn:aws:iam::123456789012:role/airbyte", "aws").is_ok());
        assert!(principal_arn("arn:aws:iam::123456789012:user/ops/airbyte", "aws").is_ok());
        assert!(principal_arn("*", "aws").unwrap_err().contains("every AWS account"));
        assert!(principal_arn("arn:aws-cn:iam::123456789012:root", "aws").unwrap_err().contains("partition"));
        assert!(principal_arn("arn:aws:iam::12345:root", "aws").is_err());
        assert!(principal_arn("arn:aws:iam::123456789012:group/x", "aws").is_err());
        assert!(principal_arn("arn:aws:s3:::bucket", "aws").is_err());
        assert!(principal_arn("arn:aws:iam::123456789012:role/", "aws").is_err());
    }

    #[test]
    fn partitions_follow_region_prefixes() {
        assert_eq!(partition_of("eu-central-1"), "aws");
        assert_eq!(partition_of("cn-north-1"), "aws-cn");
        assert_eq!(partition_of("us-gov-west-1"), "aws-us-gov");
    }

    #[test]
    fn region_names_are_checked_for_shape() {
        assert!(region_name("us-east-1").is_ok());
        assert!(region_name("us-gov-west-1").is_ok());
        assert!(region_name("useast1").is_err());
        assert!(region_name("us-east").is_err());
        assert!(region_name("US-EAST-1").is_err());
    }

    #[test]
    fn ports_are_one_to_65535() {
        assert_eq!(port(5432).unwrap(), 5432);
        assert!(port(0).is_err());
        assert!(port(70000).is_err());
        assert!(port(-1).is_err());
    }

    #[test]
    fn targets_are_ips_instances_or_hostnames() {
        assert_eq!(Target::parse("10.0.1.5").unwrap(), Target::Ip("10.0.1.5".parse().unwrap()));
        assert_eq!(Target::parse("i-0123456789abcdef0").unwrap(), Target::Instance("i-0123456789abcdef0".into()));
        assert_eq!(
            Target::parse("Orders.abc.us-east-1.rds.amazonaws.com.").unwrap(),
            Target::Hostname("orders.abc.us-east-1.rds.amazonaws.com".into())
        );
        assert!(Target::parse("10.0.1.300").is_err());
        assert!(Target::parse("i-xyz").is_err());
        assert!(Target::parse("::1").unwrap_err().contains("IPv6"));
        assert!(Target::parse("localhost").is_err());
        assert!(Target::parse("bad_host.example.com").is_err());
    }

    #[test]
    fn tags_are_key_value_and_not_reserved() {
        assert_eq!(tag("team=data").unwrap(), ("team".into(), "data".into()));
        assert_eq!(tag("empty=").unwrap(), ("empty".into(), String::new()));
        assert!(tag("novalue").is_err());
        assert!(tag("aws:x=y").is_err());
        assert!(tag("airbyte-plink:deployment=x").is_err());
    }

    #[test]
    fn resource_ids_have_their_prefix() {
        assert!(resource_id("vpc-0123abcd", "vpc-", "VPC").is_ok());
        assert!(resource_id("subnet-0123456789abcdef0", "subnet-", "subnet").is_ok());
        assert!(resource_id("vpc-xyz", "vpc-", "VPC").is_err());
        assert!(resource_id("sg-0123abcd", "vpc-", "VPC").is_err());
    }
}
