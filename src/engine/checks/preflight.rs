//! Read-only checks of the spec against the account, before anything changes. Every
//! problem found is reported in one run, each naming the flag to change.

use std::net::Ipv4Addr;

use futures::future::{join, join_all, try_join_all, try_join4, try_join5};

use crate::aws::*;
use crate::dns::Resolve;
use crate::engine::deployment::desired::{DatabaseFacts, Facts};
use crate::engine::deployment::follower::FollowedDatabase;
use crate::engine::knowledge::addresses::{in_cidr, internet_route, is_private};
use crate::engine::knowledge::database::{self, DatabaseProfile, Tls};
use crate::engine::knowledge::targets::ResolvedTarget;
use crate::problems::Problem;
use crate::spec::{DeploymentSpec, Engine, Target};

#[derive(Debug)]
pub struct Preflight {
    /// Who is calling; unknown when the region itself was refused.
    pub identity: Option<Identity>,
    pub problems: Vec<Problem>,
    pub warnings: Vec<String>,
    /// Present when there are no problems.
    pub facts: Option<Facts>,
    /// The subnets chosen for the load balancer, as found, whatever the problems: what
    /// [`short_of_addresses`] checks once the existing load balancer is known.
    pub subnets: Vec<Subnet>,
}

impl Preflight {
    fn refused(problem: Problem) -> Self {
        Preflight { identity: None, problems: vec![problem], warnings: Vec::new(), facts: None, subnets: Vec::new() }
    }
}

/// The free addresses a load balancer needs in a subnet it is to get, for the network
/// interface AWS makes there: "the subnets that you specify must have at least 8
/// available IP addresses", for an internal one "if you let AWS select a private IPv4
/// address from the subnet", as the tool does (NLB guide, "Update the Availability Zones
/// for your Network Load Balancer"). AWS refuses such a subnet with `InvalidSubnet`, by
/// then after the target group was made.
pub const FREE_ADDRESSES_NEEDED: u32 = 8;

/// The chosen subnets the load balancer does not have yet and that lack the addresses it
/// needs there. A subnet it has already holds its interface, so its count may be lower.
pub fn short_of_addresses(chosen: &[Subnet], load_balancer: Option<&LoadBalancer>) -> Vec<Problem> {
    let has = |id: &String| load_balancer.is_some_and(|lb| lb.subnet_ids.contains(id));
    chosen
        .iter()
        .filter(|s| !has(&s.id))
        .filter_map(|s| Some((s, s.free_addresses.filter(|&n| n < FREE_ADDRESSES_NEEDED)?)))
        .map(|(s, free)| {
            Problem::new(
                "--subnets",
                format!(
                    "subnet {} ({}) has {free} free IP address{}; the load balancer needs {FREE_ADDRESSES_NEEDED} in \
                     each of its subnets: free some (delete unattached network interfaces, terminate unused \
                     instances) or choose another private subnet in {}",
                    s.id,
                    s.az_id,
                    if free == 1 { "" } else { "es" },
                    s.az_id
                ),
            )
        })
        .collect()
}

/// Checks the deployment's own database and each of its others (read at once: more
/// calls, no more round trips), each other database's problems named by it.
pub async fn preflight<C: Cloud, R: Resolve>(cloud: &C, resolver: &R, spec: &DeploymentSpec) -> CloudResult<Preflight> {
    let others: Vec<DeploymentSpec> = spec.databases.iter().map(|d| spec.for_database(d)).collect();
    let (mut own, others) = futures::future::try_join(
        one(cloud, resolver, spec),
        try_join_all(others.iter().map(|s| one(cloud, resolver, s))),
    )
    .await?;
    let mut databases = Vec::new();
    for (database, checked) in spec.databases.iter().zip(others) {
        own.problems.extend(checked.problems.into_iter().filter_map(|p| database_problem(&database.name, p)));
        for warning in checked.warnings {
            if !own.warnings.contains(&warning) {
                own.warnings.push(format!("database {}: {warning}", database.name));
            }
        }
        databases.extend(checked.facts.map(|f| DatabaseFacts {
            targets: f.targets,
            database: f.database,
            followed: f.followed,
        }));
    }
    own.facts = own.facts.filter(|_| own.problems.is_empty()).map(|facts| Facts { databases, ..facts });
    if let Some(facts) = &own.facts {
        own.warnings.extend(targets_quota_warning(spec, facts));
    }
    Ok(own)
}

/// AWS's default quota of targets per network load balancer with cross-zone load
/// balancing on, whatever its zones, a target registered in N groups counting N times
/// ("Quotas for your Network Load Balancers", NLB guide). It can be raised, so more is
/// a warning, not a refusal.
const TARGETS_PER_LOAD_BALANCER: usize = 500;

fn targets_quota_warning(spec: &DeploymentSpec, facts: &Facts) -> Option<String> {
    let registrations = |targets: &[ResolvedTarget]| targets.iter().map(|t| t.registrations.len()).sum::<usize>();
    let count =
        registrations(&facts.targets) + facts.databases.iter().map(|d| registrations(&d.targets)).sum::<usize>();
    (spec.cross_zone && count > TARGETS_PER_LOAD_BALANCER).then(|| {
        format!(
            "the databases register {count} targets on one load balancer; AWS's default quota with cross-zone load \
             balancing is {TARGETS_PER_LOAD_BALANCER} (\"Targets per Network Load Balancer\"): setup fails with \
             TooManyTargets unless the quota was raised (Service Quotas › Elastic Load Balancing), or split the \
             databases over two deployments"
        )
    })
}

/// A problem of another database's check, named by it; `None` for one of the
/// deployment's shared settings, which its own check reports already.
fn database_problem(database: &str, problem: Problem) -> Option<Problem> {
    const ITS_OWN: [&str; 5] = ["--target", "--port", "--db-security-group", "--database-kind", "--follow"];
    ITS_OWN
        .contains(&problem.field.as_str())
        .then(|| Problem::new("--database", format!("{database}: {}", problem.message)))
}

/// Checks one database's spec (the deployment's own, or another as [`DeploymentSpec::for_database`] gives it).
async fn one<C: Cloud, R: Resolve>(cloud: &C, resolver: &R, spec: &DeploymentSpec) -> CloudResult<Preflight> {
    let instance_ids: Vec<String> = spec
        .targets
        .iter()
        .filter_map(|t| match t {
            Target::Instance(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let hostnames: Vec<&str> = spec
        .targets
        .iter()
        .filter_map(|t| match t {
            Target::Hostname(h) => Some(h.as_str()),
            _ => None,
        })
        .collect();
    let security_group = async {
        match &spec.db_security_group {
            Some(id) => cloud.security_group(id).await,
            None => Ok(None),
        }
    };
    let instances =
        async { if instance_ids.is_empty() { Ok(Vec::new()) } else { cloud.instances(&instance_ids).await } };
    let network = async {
        try_join4(
            cloud.vpc(&spec.vpc_id),
            cloud.subnets(&spec.subnet_ids),
            cloud.route_tables(&spec.vpc_id),
            cloud.subnets_of_vpc(&spec.vpc_id),
        )
        .await
    };
    // RDS says which database a hostname is, when it is one of its endpoints.
    let databases = async { if hostnames.is_empty() { Ok(Vec::new()) } else { cloud.databases().await } };
    let everything_else = try_join5(cloud.caller_identity(), network, instances, security_group, async {
        // Advisory: RDS's answers only add warnings and the handover's details.
        Ok(join(join_all(hostnames.iter().map(|h| resolver.ipv4(h))), databases).await)
    });
    // All at once; but in a region AWS does not have, the other answers are noise.
    let (regions, everything_else) = join(cloud.region_names(), everything_else).await;
    // When the region list cannot be had (an SCP may deny the partition's home region),
    // the other calls still show whether the region works.
    let regions = regions.unwrap_or_else(|e| {
        tracing::debug!(error = %e, "skipping the region check");
        Vec::new()
    });
    match regions.iter().find(|r| r.name == spec.region) {
        None if !regions.is_empty() => {
            return Ok(Preflight::refused(Problem::new(
                "--region",
                format!("{} is not an AWS region; check the spelling, e.g. us-east-1", spec.region),
            )));
        }
        Some(region) if !region.enabled => {
            return Ok(Preflight::refused(Problem::new(
                "--region",
                format!(
                    "{} is not enabled for this account; enable it (Account › AWS Regions) or choose another",
                    spec.region
                ),
            )));
        }
        _ => {}
    }
    let (identity, (vpc, subnets, route_tables, vpc_subnets), instances, security_group, (resolved, databases)) =
        everything_else?;

    let mut problems = Vec::new();
    let mut warnings = Vec::new();
    let Some(vpc) = vpc else {
        problems.push(Problem::new(
            "--vpc-id",
            format!("VPC {} does not exist in {}; check the ID and --region", spec.vpc_id, spec.region),
        ));
        return Ok(Preflight { identity: Some(identity), problems, warnings, facts: None, subnets: Vec::new() });
    };

    let subnets = check_subnets(spec, &subnets, &route_tables, &mut problems, &mut warnings);
    let mut targets = Vec::new();
    let mut answers = hostnames.iter().zip(resolved);
    for target in &spec.targets {
        let registrations: Vec<TargetRef> = match target {
            Target::Ip(ip) => check_address(spec, &vpc, &target.to_string(), *ip, &mut problems).into_iter().collect(),
            Target::Hostname(host) => {
                let (_, answer) = answers.next().expect("one answer per hostname");
                match answer {
                    Ok(ips) => {
                        ips.iter().filter_map(|ip| check_address(spec, &vpc, host, *ip, &mut problems)).collect()
                    }
                    Err(why) => {
                        problems.push(Problem::new(
                            "--target",
                            format!("{host} does not resolve ({why}); check the hostname, or pass --dns-server if it lives in a private DNS zone"),
                        ));
                        continue;
                    }
                }
            }
            Target::Instance(id) => check_instance(spec, id, &instances, &mut problems).into_iter().collect(),
        };
        targets.push(ResolvedTarget { target: target.to_string(), registrations });
    }

    if let Some(id) = &spec.db_security_group {
        match security_group.as_ref() {
            None => problems.push(Problem::new(
                "--db-security-group",
                format!("security group {id} does not exist in {}; give the database's security group ID", spec.region),
            )),
            Some(sg) if sg.vpc_id.as_deref() != Some(&spec.vpc_id) => problems.push(Problem::new(
                "--db-security-group",
                format!(
                    "security group {id} is in {}, not in {}; give the database's security group",
                    sg.vpc_id.as_deref().unwrap_or("no VPC"),
                    spec.vpc_id
                ),
            )),
            Some(_) => {}
        }
    }

    warnings.extend(uncovered_targets(&targets, &subnets, &vpc_subnets));
    // The load balancer's group is new: nothing lets it in until a rule says so.
    let inside = targets.iter().flat_map(|t| &t.registrations).any(|r| r.availability_zone.is_none());
    if spec.db_security_group.is_none() && inside {
        warnings.push(format!(
            "no --db-security-group: the database's security group must let the load balancer's own group \
             (airbyte-plink-{}) in on TCP {}, or its targets stay unhealthy; pass --db-security-group to have \
             setup add that rule",
            spec.name, spec.port
        ));
    }
    let databases = databases.unwrap_or_else(|e| {
        warnings.push(format!(
            "RDS could not be read ({}: {}), so the database's kind, port, failover zones and max_connect_errors \
             are not checked; allow the RDS reads in `airbyte-plink iam-policy --for setup` to have them checked",
            e.action,
            e.code.as_deref().unwrap_or(&e.message)
        ));
        Vec::new()
    });
    let rds = database::named_by(&databases, &hostnames);
    let engine = match database::engine(spec.engine, rds) {
        Ok(engine) => engine,
        Err(message) => {
            problems.push(Problem::new("--database-kind", message));
            None
        }
    };
    if let Some(db) = rds {
        if db.port != 0 && db.port != spec.port {
            problems.push(Problem::new(
                "--port",
                format!("{} listens on port {}, RDS says; use --port {}", db.id, db.port, db.port),
            ));
        }
        let zones: Vec<String> = subnets.iter().map(|s| s.az_name.clone()).collect();
        let uncovered = database::uncovered_zones(db, &zones);
        if !uncovered.is_empty() && !subnets.is_empty() {
            warnings.push(database::failover_warning(db, &uncovered, &vpc_subnets, &route_tables));
        }
        if engine.is_some_and(Engine::is_mysql_family) {
            match database::connect_error_limit(cloud, db).await {
                Ok(Some(limit)) => warnings.extend(database::connect_error_warning(db, &limit).map(|w| w.to_string())),
                Ok(None) => {}
                Err(e) => warnings.push(format!(
                    "max_connect_errors of {} could not be read ({}: {}); make sure it is at least {}",
                    db.id,
                    e.action,
                    e.code.as_deref().unwrap_or(&e.message),
                    database::SAFE_CONNECT_ERRORS
                )),
            }
        }
    } else if engine.is_some_and(Engine::is_mysql_family)
        || (engine.is_none() && database::MYSQL_PORTS.contains(&spec.port))
    {
        let named: Vec<String> = spec.targets.iter().map(|t| t.to_string()).collect();
        warnings.push(database::mysql_server_advice(&named.join(", "), spec.port));
    }
    if spec.follow.enabled == Some(true) && hostnames.is_empty() {
        problems.push(Problem::new(
            "--follow",
            "the targets are IP addresses or instances, which keep their address: there is nothing to follow. \
             Drop --follow, or name the database by its hostname",
        ));
    }
    let followed = rds.map(|db| {
        let partition = crate::spec::fields::partition_of(&spec.region);
        FollowedDatabase::new(db.kind, &db.id, partition, &spec.region, &identity.account)
    });
    let profile = DatabaseProfile { engine, tls: Tls::new(engine, rds, hostnames.first().copied(), &spec.region) };
    let facts = problems.is_empty().then(|| Facts {
        subnets: subnets.clone(),
        targets,
        vpc_cidrs: vpc.cidrs.clone(),
        database: profile,
        followed,
        account: identity.account.clone(),
        databases: Vec::new(),
    });
    Ok(Preflight { identity: Some(identity), problems, warnings, facts, subnets })
}

/// Availability Zones, by AZ ID, without cross-region access (AWS PrivateLink guide,
/// "Share your services through AWS PrivateLink", Cross-Region access, Considerations).
pub const NO_CROSS_REGION_ZONES: [&str; 5] = ["use1-az3", "usw1-az2", "apne1-az3", "apne2-az2", "apne2-az4"];

fn check_subnets(
    spec: &DeploymentSpec,
    found: &[Subnet],
    route_tables: &[RouteTable],
    problems: &mut Vec<Problem>,
    warnings: &mut Vec<String>,
) -> Vec<Subnet> {
    let mut chosen: Vec<Subnet> = Vec::new();
    for id in &spec.subnet_ids {
        let Some(subnet) = found.iter().find(|s| &s.id == id) else {
            problems.push(Problem::new(
                "--subnets",
                format!("subnet {id} does not exist in {}; check the ID and --region", spec.region),
            ));
            continue;
        };
        if subnet.vpc_id != spec.vpc_id {
            problems.push(Problem::new(
                "--subnets",
                format!(
                    "subnet {id} is in {}, not in {}; choose subnets of the database's VPC",
                    subnet.vpc_id, spec.vpc_id
                ),
            ));
            continue;
        }
        if let Some((table, route)) = internet_route(id, route_tables) {
            problems.push(Problem::new(
                "--subnets",
                format!(
                    "subnet {id} ({}) is public: route table {table} sends {} to internet gateway {}; choose private subnets (no route to an internet gateway)",
                    subnet.az_id,
                    route.destination,
                    route.gateway_id.as_deref().unwrap_or_default()
                ),
            ));
            continue;
        }
        if spec.is_cross_region() && NO_CROSS_REGION_ZONES.contains(&subnet.az_id.as_str()) {
            problems.push(Problem::new(
                "--subnets",
                format!(
                    "subnet {id} is in {} ({}), where AWS does not offer cross-region PrivateLink, which Airbyte in {} \
                     needs; choose a private subnet in another AZ",
                    subnet.az_id,
                    subnet.az_name,
                    spec.airbyte_region.aws_region()
                ),
            ));
            continue;
        }
        if let Some(other) = chosen.iter().find(|s| s.az_id == subnet.az_id) {
            problems.push(Problem::new(
                "--subnets",
                format!(
                    "subnets {} and {id} are both in AZ {} ({}); a load balancer takes one subnet per AZ, so keep one of them",
                    other.id, subnet.az_id, subnet.az_name
                ),
            ));
            continue;
        }
        chosen.push(subnet.clone());
    }
    if chosen.len() == 1 && spec.is_cross_region() {
        problems.push(Problem::new(
            "--subnets",
            format!(
                "only one AZ ({}): Airbyte in {} reaches the service across regions, and for that AWS says \
                 \"providers must use at least two Availability Zones\"; add a private subnet in a second AZ",
                chosen[0].az_id,
                spec.airbyte_region.aws_region()
            ),
        ));
    } else if chosen.len() == 1 {
        warnings.push(format!(
            "only one AZ ({}): Airbyte can only connect through AZs the load balancer is in, and one AZ has no redundancy; add a private subnet in a second AZ",
            chosen[0].az_id
        ));
    }
    chosen.sort_by(|a, b| a.az_id.cmp(&b.az_id));
    chosen
}

/// Targets in an AZ where the load balancer has no subnet get no traffic, even with
/// cross-zone load balancing on.
fn uncovered_targets(targets: &[ResolvedTarget], chosen: &[Subnet], vpc_subnets: &[Subnet]) -> Vec<String> {
    let addresses = targets
        .iter()
        .flat_map(|t| t.registrations.iter().filter_map(move |r| Some((t, r.id.parse::<Ipv4Addr>().ok()?))));
    crate::engine::knowledge::targets::in_uncovered_zones(addresses, chosen, vpc_subnets)
        .into_iter()
        .map(|(target, ip, home)| {
            let named =
                if target.target == ip.to_string() { target.target.clone() } else { format!("{} ({ip})", target.target) };
            format!(
                "target {named} is in {} ({}), where the load balancer has no subnet: it gets no traffic; add a private subnet in {} to --subnets",
                home.az_id, home.az_name, home.az_id
            )
        })
        .collect()
}

fn check_address(
    spec: &DeploymentSpec,
    vpc: &Vpc,
    named: &str,
    ip: Ipv4Addr,
    problems: &mut Vec<Problem>,
) -> Option<TargetRef> {
    let shown = if named == ip.to_string() { named.to_string() } else { format!("{named} resolves to {ip}, which") };
    if !is_private(ip) {
        let kind = if ip.is_loopback() { "a loopback address" } else { "not a private address" };
        problems.push(Problem::new(
            "--target",
            format!("{shown} is {kind}; the load balancer reaches only private addresses (10/8, 172.16/12, 192.168/16, 100.64/10): use the database's private address or endpoint"),
        ));
        return None;
    }
    let inside = vpc.cidrs.iter().any(|c| in_cidr(ip, c));
    if !inside && !spec.allow_targets_outside_vpc {
        problems.push(Problem::new(
            "--target",
            format!(
                "{shown} is outside {} ({}); if it is reachable through peering or a VPN, pass --allow-targets-outside-vpc",
                vpc.id,
                vpc.cidrs.join(", ")
            ),
        ));
        return None;
    }
    Some(crate::engine::knowledge::targets::registration(ip.to_string(), spec.port, &vpc.cidrs))
}

fn check_instance(
    spec: &DeploymentSpec,
    id: &str,
    instances: &[Instance],
    problems: &mut Vec<Problem>,
) -> Option<TargetRef> {
    let Some(instance) = instances.iter().find(|i| i.id == id) else {
        problems.push(Problem::new(
            "--target",
            format!("instance {id} does not exist in {}; check the ID and --region", spec.region),
        ));
        return None;
    };
    if instance.vpc_id.as_deref() != Some(&spec.vpc_id) {
        problems.push(Problem::new(
            "--target",
            format!(
                "instance {id} is in {}, not in {}; give an instance in the database's VPC",
                instance.vpc_id.as_deref().unwrap_or("no VPC"),
                spec.vpc_id
            ),
        ));
        return None;
    }
    // AWS registers only running instances (InvalidTarget: "not in a running state").
    let fix = match instance.state.as_str() {
        "running" => None,
        "pending" => Some("wait until it is running, then run the same command again".to_string()),
        "stopping" | "stopped" => Some(format!(
            "start it (`aws ec2 start-instances --instance-ids {id} --region {}`) or give a running instance",
            spec.region
        )),
        _ => Some("give a running instance".to_string()),
    };
    if let Some(fix) = fix {
        problems.push(Problem::new("--target", format!("instance {id} is {}; {fix}", instance.state)));
        return None;
    }
    Some(TargetRef { id: id.to_string(), port: spec.port, availability_zone: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::desired::DatabaseFacts;

    fn resolved(count: usize) -> Vec<ResolvedTarget> {
        let registrations = (0..count)
            .map(|i| TargetRef { id: format!("10.0.{}.{}", i / 250, i % 250), port: 5432, availability_zone: None })
            .collect();
        vec![ResolvedTarget { target: "db.internal".into(), registrations }]
    }

    #[test]
    fn more_targets_than_awss_default_quota_are_warned_of_across_databases() {
        let draft = crate::spec::file::parse(include_str!("../../../docs/plink.example.toml")).unwrap();
        let spec = draft.resolve("us-west-2").unwrap();
        let facts = |own: usize, other: usize| Facts {
            subnets: Vec::new(),
            targets: resolved(own),
            vpc_cidrs: Vec::new(),
            database: DatabaseProfile::default(),
            followed: None,
            account: "123456789012".into(),
            databases: vec![DatabaseFacts {
                targets: resolved(other),
                database: DatabaseProfile::default(),
                followed: None,
            }],
        };
        assert_eq!(targets_quota_warning(&spec, &facts(250, 250)), None);
        let warning = targets_quota_warning(&spec, &facts(250, 251)).expect("over the quota");
        assert!(warning.contains("register 501 targets"), "{warning}");
        let without_cross_zone = DeploymentSpec { cross_zone: false, ..spec };
        assert_eq!(targets_quota_warning(&without_cross_zone, &facts(250, 251)), None);
    }

    #[test]
    fn a_subnet_new_to_the_load_balancer_needs_eight_free_addresses_one_it_has_does_not() {
        use crate::testing::fixtures::{converged, desired, subnet};
        let with_free = |id: &str, free: u32| Subnet { free_addresses: Some(free), ..subnet(id, "az3", "10.0.9.0/28") };
        let d = desired();
        let observed = converged(&d);
        let lb = observed.load_balancer.as_ref();
        let held = d.subnets[0].id.clone();
        let chosen = [Subnet { free_addresses: Some(2), ..d.subnets[0].clone() }, with_free("subnet-c", 7)];
        let problems = short_of_addresses(&chosen, lb);
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert_eq!(problems[0].field, "--subnets");
        assert!(problems[0].message.contains("subnet subnet-c (usw2-az3) has 7 free IP addresses"), "{problems:?}");
        assert!(!problems[0].message.contains(&held));
        assert_eq!(short_of_addresses(&[with_free("subnet-c", 8)], lb), Vec::new());
        // Without a load balancer yet, every chosen subnet needs them.
        assert_eq!(short_of_addresses(&chosen, None).len(), 2);
        // AWS not saying is no reason to refuse.
        assert_eq!(
            short_of_addresses(&[Subnet { free_addresses: None, ..with_free("subnet-c", 0) }], None),
            Vec::new()
        );
    }
}
