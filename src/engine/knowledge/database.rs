//! The database behind the targets: which RDS or Aurora database a hostname names, what
//! kind it is, and what on its side breaks a link AWS reports as working: MySQL's limit
//! on connection errors, a failover into a zone the load balancer does not cover, and a
//! certificate that names another host than the one Airbyte connects to.

use futures::future::join_all;
use serde::{Deserialize, Serialize};

use crate::aws::{Cloud, CloudResult, Database, DatabaseKind, DbParameter, ParameterGroup, RouteTable, Subnet};
use crate::engine::knowledge::addresses::internet_route;
use crate::spec::fields::Engine;

/// MySQL's own default for `max_connect_errors`, which RDS's default groups keep.
pub const MYSQL_DEFAULT_CONNECT_ERRORS: u64 = 100;

/// The least `max_connect_errors` that health checks cannot exhaust between two real
/// connections: each load balancer node checks each target every interval (two nodes
/// at 30 s make 5,760 a day), and only a successful connection from the same address
/// clears the count. A million is what MySQL-over-NLB guides set; it costs nothing.
pub const SAFE_CONNECT_ERRORS: u64 = 1_000_000;

/// Ports MySQL and MariaDB listen on by convention, for targets RDS does not describe.
pub const MYSQL_PORTS: [u16; 2] = [3306, 3307];

/// The RDS instance or Aurora cluster one of `hostnames` names.
pub fn named_by<'a>(databases: &'a [Database], hostnames: &[&str]) -> Option<&'a Database> {
    databases.iter().find(|d| hostnames.iter().any(|h| d.answers_to(h)))
}

/// The database's kind: the one the spec gives, else RDS's engine. A spec that
/// contradicts RDS is refused, since Airbyte would be told the wrong source type.
pub fn engine(given: Option<Engine>, rds: Option<&Database>) -> Result<Option<Engine>, String> {
    let from_rds = rds.and_then(|d| Engine::of_rds(&d.engine));
    match (given, from_rds, rds) {
        (Some(given), Some(found), Some(db)) if given != found => Err(format!(
            "'{}' contradicts RDS, which says {} is {} ({}); leave --database-kind out or give {}",
            given.as_str(),
            db.id,
            found.display_name(),
            db.engine,
            found.as_str()
        )),
        (Some(given), _, _) => Ok(Some(given)),
        (None, found, _) => Ok(found),
    }
}

/// `max_connect_errors` as it applies to a database, and the group to change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectErrorLimit {
    pub value: u64,
    /// The parameter group that sets it (or leaves it at the engine's default).
    pub group: ParameterGroup,
}

/// Reads `max_connect_errors` for an RDS MySQL or MariaDB instance or an Aurora MySQL
/// cluster. In Aurora a value set in a member's DB parameter group overrides the
/// cluster's group; a value left at the default comes from the cluster's group.
pub async fn connect_error_limit<C: Cloud>(cloud: &C, db: &Database) -> CloudResult<Option<ConnectErrorLimit>> {
    let mut groups: Vec<ParameterGroup> = db.parameter_groups.iter().cloned().map(ParameterGroup::Instance).collect();
    groups.extend(db.cluster_parameter_group.iter().cloned().map(ParameterGroup::Cluster));
    let reads = join_all(groups.iter().map(|group| cloud.db_parameter(group, "max_connect_errors"))).await;
    let mut listed = Vec::new();
    for (group, read) in groups.iter().cloned().zip(reads) {
        if let Some(parameter) = read? {
            listed.push((group, parameter));
        }
    }
    Ok(effective(listed))
}

/// The value that applies, from each group listing the parameter: each member's own
/// value when its group sets one, else the cluster's group's (or the engine's default);
/// the lowest of the members', since a health check reaches every one.
fn effective(listed: Vec<(ParameterGroup, DbParameter)>) -> Option<ConnectErrorLimit> {
    let values: Vec<(ParameterGroup, Option<u64>, bool)> = listed
        .into_iter()
        .map(|(group, parameter)| {
            let value = parameter.value.as_deref().and_then(|v| v.trim().parse::<u64>().ok());
            let set = parameter.source.as_deref() == Some("user") && value.is_some();
            (group, value, set)
        })
        .collect();
    let cluster = values
        .iter()
        .find(|(g, _, _)| matches!(g, ParameterGroup::Cluster(_)))
        .map(|(g, v, _)| ConnectErrorLimit { group: g.clone(), value: v.unwrap_or(MYSQL_DEFAULT_CONNECT_ERRORS) });
    let members =
        values.iter().filter(|(g, _, _)| matches!(g, ParameterGroup::Instance(_))).map(|(g, v, set)| {
            match (set, &cluster) {
                (true, _) => ConnectErrorLimit { group: g.clone(), value: v.unwrap_or(MYSQL_DEFAULT_CONNECT_ERRORS) },
                (false, Some(cluster)) => cluster.clone(),
                (false, None) => {
                    ConnectErrorLimit { group: g.clone(), value: v.unwrap_or(MYSQL_DEFAULT_CONNECT_ERRORS) }
                }
            }
        });
    members.min_by_key(|l| l.value).or(cluster)
}

/// A limit health checks can exhaust: what is wrong, and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectErrorWarning {
    pub detail: String,
    pub fix: String,
}

impl std::fmt::Display for ConnectErrorWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}. {}", self.detail, self.fix)
    }
}

/// The warning for a limit health checks can exhaust, naming the group and the fix.
pub fn connect_error_warning(db: &Database, limit: &ConnectErrorLimit) -> Option<ConnectErrorWarning> {
    if limit.value >= SAFE_CONNECT_ERRORS {
        return None;
    }
    let detail = format!(
        "max_connect_errors is {} for {} (parameter group {}): the load balancer's health checks close \
         connections before MySQL's handshake, MySQL counts each as an error and, after {}, blocks the load \
         balancer's addresses (\"Host ... is blocked because of many connection errors\"), and Airbyte with them",
        limit.value,
        db.id,
        limit.group.name(),
        limit.value
    );
    Some(ConnectErrorWarning { detail, fix: raise_limit(db, &limit.group) })
}

/// How to raise `max_connect_errors` to [`SAFE_CONNECT_ERRORS`] in `group`: in place for
/// a custom group; for one of AWS's default groups, which cannot be changed, in a new
/// custom group attached to the database.
pub fn raise_limit(db: &Database, group: &ParameterGroup) -> String {
    let (kind, noun) = match group {
        ParameterGroup::Instance(_) => ("db", "db-parameter-group"),
        ParameterGroup::Cluster(_) => ("db-cluster", "db-cluster-parameter-group"),
    };
    let set = |name: &str| {
        format!(
            "aws rds modify-{noun} --{noun}-name {name} --parameters \
             ParameterName=max_connect_errors,ParameterValue={SAFE_CONNECT_ERRORS},ApplyMethod=immediate"
        )
    };
    if !group.is_default() {
        return format!("Raise it: `{}`.", set(group.name()));
    }
    let family = group.name().trim_start_matches("default.");
    let custom = format!("{}-airbyte-plink", family.replace('.', "-"));
    let attach = match (group, db.kind) {
        (ParameterGroup::Cluster(_), _) => {
            format!(
                "aws rds modify-db-cluster --db-cluster-identifier {} --db-cluster-parameter-group-name {custom}",
                db.id
            )
        }
        (ParameterGroup::Instance(_), DatabaseKind::AuroraCluster) => format!(
            "aws rds modify-db-instance --db-instance-identifier <each instance of {}> --db-parameter-group-name {custom}",
            db.id
        ),
        (ParameterGroup::Instance(_), DatabaseKind::RdsInstance) => {
            format!("aws rds modify-db-instance --db-instance-identifier {} --db-parameter-group-name {custom}", db.id)
        }
    };
    format!(
        "{} is one of AWS's default parameter groups, which cannot be changed: create a custom one \
         (`aws rds create-{kind}-parameter-group --{noun}-name {custom} --db-parameter-group-family {family} --description \
         \"max_connect_errors for airbyte-plink\"`), raise the limit in it (`{}`), and attach it (`{attach}`; \
         the database takes up a new group at its next reboot)",
        group.name(),
        set(&custom)
    )
}

/// What to check on a MySQL or MariaDB server RDS does not describe.
pub fn mysql_server_advice(target: &str, port: u16) -> String {
    format!(
        "{target} on port {port} looks like MySQL or MariaDB: check `SHOW VARIABLES LIKE 'max_connect_errors'` on \
         the server and raise it to at least {SAFE_CONNECT_ERRORS} (`SET GLOBAL max_connect_errors = \
         {SAFE_CONNECT_ERRORS}` and in my.cnf): the load balancer's health checks close connections before the \
         handshake, and MySQL blocks a host after that many"
    )
}

/// The zones RDS may move the database into where the load balancer has no subnet.
pub fn uncovered_zones<'a>(db: &'a Database, load_balancer_zones: &[String]) -> Vec<&'a str> {
    db.zones.iter().filter(|z| !load_balancer_zones.contains(z)).map(String::as_str).collect()
}

/// A private subnet of the VPC in `zone`, to add to the load balancer.
pub fn private_subnet_in<'a>(zone: &str, vpc_subnets: &'a [Subnet], tables: &[RouteTable]) -> Option<&'a Subnet> {
    vpc_subnets.iter().find(|s| s.az_name == zone && internet_route(&s.id, tables).is_none())
}

/// The warning for zones a failover can move the database into without the load
/// balancer following: its address there is `unused`, and the link down.
pub fn failover_warning(db: &Database, zones: &[&str], vpc_subnets: &[Subnet], tables: &[RouteTable]) -> String {
    let fixes: Vec<String> = zones
        .iter()
        .map(|zone| match private_subnet_in(zone, vpc_subnets, tables) {
            Some(subnet) => format!("add {} ({zone}) to --subnets", subnet.id),
            None => format!("create a private subnet in {zone} and add it to --subnets"),
        })
        .collect();
    format!(
        "{} can fail over into {}, where the load balancer has no subnet: its address there gets no traffic and the \
         link is down until it moves back; {}",
        db.id,
        zones.join(", "),
        fixes.join("; ")
    )
}

/// What Airbyte is told about the database: its kind, and how TLS works through the link.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DatabaseProfile {
    pub engine: Option<Engine>,
    pub tls: Tls,
}

/// What a TLS client needs to know to connect through PrivateLink: the endpoint's DNS
/// name is not on the database's certificate, so checks of the chain work and checks of
/// the hostname fail.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Tls {
    /// The hostname the database's certificate carries, when known.
    pub certificate_hostname: Option<String>,
    /// The certificate authority that signs it (RDS's `CACertificateIdentifier`).
    pub certificate_authority: Option<String>,
    /// Where to get the CA's certificates.
    pub ca_bundle_url: Option<String>,
    /// TLS modes that work with the endpoint's DNS name, as the engine's clients name them.
    pub modes_that_work: Vec<String>,
    /// TLS modes that fail with it: they check the hostname.
    pub modes_that_fail: Vec<String>,
}

impl Tls {
    /// `hostname`: the target as given, when it is a hostname.
    pub fn new(engine: Option<Engine>, rds: Option<&Database>, hostname: Option<&str>, region: &str) -> Tls {
        let (work, fail): (&[&str], &[&str]) = match engine {
            Some(Engine::Postgres) => (&["require", "verify-ca"], &["verify-full"]),
            Some(Engine::Mysql | Engine::Mariadb) => (&["required", "verify_ca"], &["verify_identity"]),
            Some(Engine::Sqlserver) => {
                (&["encrypt with trustServerCertificate"], &["encrypt with hostNameInCertificate unset"])
            }
            Some(Engine::Oracle) => (&["TLS without DN matching"], &["ssl_server_dn_match=yes"]),
            None => (&["modes that check the certificate authority only"], &["modes that check the hostname"]),
        };
        let strings = |modes: &[&str]| modes.iter().map(|m| m.to_string()).collect();
        Tls {
            certificate_hostname: rds.map(|d| d.endpoint.clone()).or_else(|| hostname.map(str::to_string)),
            certificate_authority: rds.and_then(|d| d.certificate_authority.clone()),
            ca_bundle_url: rds
                .map(|_| format!("https://truststore.pki.rds.amazonaws.com/{region}/{region}-bundle.pem")),
            modes_that_work: strings(work),
            modes_that_fail: strings(fail),
        }
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::testing::fixtures::subnet;

    /// RDS database `orders` on 3306 with `groups`, in three zones of us-west-2.
    pub fn mysql(kind: DatabaseKind, groups: &[&str], cluster_group: Option<&str>) -> Database {
        Database {
            kind,
            id: "orders".into(),
            engine: "mysql".into(),
            endpoint: "orders.abc.us-west-2.rds.amazonaws.com".into(),
            port: 3306,
            vpc_id: Some("vpc-1".into()),
            security_groups: vec!["sg-db".into()],
            reader_endpoint: None,
            parameter_groups: groups.iter().map(|g| g.to_string()).collect(),
            cluster_parameter_group: cluster_group.map(str::to_string),
            zones: vec!["us-west-2a".into(), "us-west-2b".into(), "us-west-2c".into()],
            certificate_authority: Some("rds-ca-rsa2048-g1".into()),
        }
    }

    #[test]
    fn the_kind_comes_from_rds_and_a_contradiction_is_refused() {
        let db = mysql(DatabaseKind::RdsInstance, &["default.mysql8.0"], None);
        assert_eq!(engine(None, Some(&db)), Ok(Some(Engine::Mysql)));
        assert_eq!(engine(Some(Engine::Mysql), Some(&db)), Ok(Some(Engine::Mysql)));
        assert!(engine(Some(Engine::Postgres), Some(&db)).unwrap_err().contains("RDS, which says orders is MySQL"));
        assert_eq!(engine(Some(Engine::Oracle), None), Ok(Some(Engine::Oracle)));
        assert_eq!(engine(None, None), Ok(None));
    }

    #[test]
    fn a_default_group_needs_a_custom_one_and_a_custom_group_is_raised_in_place() {
        let db = mysql(DatabaseKind::RdsInstance, &["default.mysql8.0"], None);
        let limit = ConnectErrorLimit { value: 100, group: ParameterGroup::Instance("default.mysql8.0".into()) };
        let warning = connect_error_warning(&db, &limit).unwrap().to_string();
        assert!(
            warning.contains("max_connect_errors is 100 for orders (parameter group default.mysql8.0)"),
            "{warning}"
        );
        assert!(
            warning.contains("create-db-parameter-group --db-parameter-group-name mysql8-0-airbyte-plink"),
            "{warning}"
        );
        assert!(warning.contains("--db-parameter-group-family mysql8.0"), "{warning}");
        assert!(warning.contains("modify-db-instance --db-instance-identifier orders"), "{warning}");
        let custom = ConnectErrorLimit { value: 500, group: ParameterGroup::Cluster("orders-params".into()) };
        let warning = connect_error_warning(&db, &custom).unwrap();
        assert!(warning.detail.ends_with("and Airbyte with them"), "{warning:?}");
        let cluster_default = ParameterGroup::Cluster("default.aurora-mysql8.0".into());
        let fix = raise_limit(&db, &cluster_default);
        assert!(fix.contains("create-db-cluster-parameter-group --db-cluster-parameter-group-name"), "{fix}");
        assert!(fix.contains("--db-parameter-group-family aurora-mysql8.0"), "{fix}");
        assert!(fix.contains("modify-db-cluster --db-cluster-identifier orders"), "{fix}");
        let warning = warning.to_string();
        assert!(
            warning.contains(
                "Raise it: `aws rds modify-db-cluster-parameter-group --db-cluster-parameter-group-name orders-params"
            ),
            "{warning}"
        );
        let safe = ConnectErrorLimit { value: SAFE_CONNECT_ERRORS, ..custom };
        assert_eq!(connect_error_warning(&db, &safe), None);
    }

    #[test]
    fn tls_names_the_rds_endpoint_its_authority_and_which_modes_work() {
        let db = mysql(DatabaseKind::RdsInstance, &[], None);
        let tls = Tls::new(Some(Engine::Mysql), Some(&db), Some("orders.example.internal"), "us-west-2");
        assert_eq!(tls.certificate_hostname.as_deref(), Some("orders.abc.us-west-2.rds.amazonaws.com"));
        assert_eq!(tls.certificate_authority.as_deref(), Some("rds-ca-rsa2048-g1"));
        assert_eq!(
            tls.ca_bundle_url.as_deref(),
            Some("https://truststore.pki.rds.amazonaws.com/us-west-2/us-west-2-bundle.pem")
        );
        assert_eq!(tls.modes_that_fail, vec!["verify_identity"]);
        let own = Tls::new(Some(Engine::Postgres), None, Some("db.example.internal"), "us-west-2");
        assert_eq!(own.certificate_hostname.as_deref(), Some("db.example.internal"));
        assert_eq!((own.certificate_authority, own.ca_bundle_url), (None, None));
        assert_eq!(own.modes_that_fail, vec!["verify-full"]);
    }

    #[test]
    fn failover_zones_name_the_private_subnet_to_add() {
        let db = mysql(DatabaseKind::RdsInstance, &[], None);
        let covered = vec!["us-west-2a".to_string(), "us-west-2b".to_string()];
        let zones = uncovered_zones(&db, &covered);
        let single = Database { zones: Vec::new(), ..db.clone() };
        assert!(uncovered_zones(&single, &covered).is_empty(), "a Single-AZ instance does not fail over");
        assert_eq!(zones, vec!["us-west-2c"]);
        let subnets = [subnet("subnet-a", "az1", "10.0.1.0/24"), subnet("subnet-c", "az3", "10.0.3.0/24")];
        let warning = failover_warning(&db, &zones, &subnets, &[]);
        assert!(warning.contains("orders can fail over into us-west-2c"), "{warning}");
        assert!(warning.contains("add subnet-c (us-west-2c) to --subnets"), "{warning}");
        let warning = failover_warning(&db, &zones, &subnets[..1], &[]);
        assert!(warning.contains("create a private subnet in us-west-2c"), "{warning}");
    }

    #[test]
    fn a_members_own_value_overrides_the_clusters_and_the_default_is_mysqls() {
        let member = || ParameterGroup::Instance("members".into());
        let cluster = || ParameterGroup::Cluster("cluster".into());
        let default = |value: Option<&str>| DbParameter {
            value: value.map(str::to_string),
            source: Some("engine-default".into()),
        };
        let user = |value: &str| DbParameter { value: Some(value.into()), source: Some("user".into()) };
        let limit = |listed| effective(listed).map(|l: ConnectErrorLimit| (l.group, l.value));
        assert_eq!(limit(vec![(member(), default(None))]), Some((member(), 100)));
        assert_eq!(limit(vec![(member(), user("5000")), (cluster(), user("9"))]), Some((member(), 5000)));
        assert_eq!(limit(vec![(member(), default(None)), (cluster(), user("9"))]), Some((cluster(), 9)));
        assert_eq!(limit(vec![(member(), default(None)), (cluster(), default(None))]), Some((cluster(), 100)));
        // One member sets its own, another keeps the cluster's: the lower applies.
        let other = || ParameterGroup::Instance("other".into());
        let listed = vec![(member(), user("5000")), (other(), default(None)), (cluster(), user("9"))];
        assert_eq!(limit(listed), Some((cluster(), 9)));
        assert_eq!(limit(Vec::new()), None);
    }
}
