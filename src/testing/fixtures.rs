//! One sample deployment for unit and snapshot tests: what its spec resolves to, and
//! what AWS holds once it is set up. Tests change a copy to make the case they need.

use std::sync::Mutex;

use crate::aws::*;
use crate::engine::deployment::desired::{Desired, LoadBalancerGroup};
use crate::engine::deployment::observe::{Observed, observe};
use crate::engine::deployment::tags;
use crate::engine::plan::events::{Event, Reporter};
use crate::engine::plan::execute::{ApplyFailure, Executed, execute};
use crate::engine::plan::planner::plan;
use crate::testing::fake::FakeCloud;

pub const LOAD_BALANCER_ARN: &str = "arn:aws:elasticloadbalancing:us-west-2:1:loadbalancer/net/db/1";
pub const TARGET_GROUP_ARN: &str = "arn:aws:elasticloadbalancing:us-west-2:1:targetgroup/db/1";
pub const AIRBYTE_ROOT: &str = "arn:aws:iam::111122223333:root";

/// A subnet in the zone with ID `usw2-{az}`; this account calls `az1` `us-west-2a`, and
/// so on (another account may map them differently, which is why AZ IDs are shown).
pub fn subnet(id: &str, az: &str, cidr: &str) -> Subnet {
    let zone_letter = match az {
        "az1" => 'a',
        "az2" => 'b',
        "az3" => 'c',
        _ => 'd',
    };
    Subnet {
        id: id.into(),
        name: None,
        vpc_id: "vpc-1".into(),
        az_name: format!("us-west-2{zone_letter}"),
        az_id: format!("usw2-{az}"),
        cidr: cidr.into(),
        free_addresses: Some(250),
    }
}

pub fn target(ip: &str) -> TargetRef {
    TargetRef { id: ip.into(), port: 5432, availability_zone: None }
}

/// Deployment `db` in us-west-2: one IP target on 5432, two subnets, Airbyte's US region.
pub fn desired() -> Desired {
    let common = tags::for_deployment("db", &Tags::new());
    let recorded = |more: &[(&str, &str)]| {
        let mut tags = common.clone();
        tags.extend(more.iter().map(|(k, v)| (k.to_string(), v.to_string())));
        tags
    };
    Desired {
        name: "db".into(),
        region: "us-west-2".into(),
        airbyte_region: "us-east-1".into(),
        tags: common.clone(),
        target_group_tags: recorded(&[(tags::TARGETS, "10.0.1.5")]),
        service_tags: recorded(&[
            (tags::AIRBYTE_PRINCIPAL, AIRBYTE_ROOT),
            (tags::AIRBYTE_REGION, "us-east-1"),
            (tags::ACCEPTANCE_REQUIRED, "true"),
            (tags::CROSS_ZONE, "true"),
        ]),
        vpc_id: "vpc-1".into(),
        target_type: TargetType::Ip,
        port: 5432,
        targets: vec![target("10.0.1.5")],
        subnets: vec![subnet("subnet-a", "az1", "10.0.1.0/24"), subnet("subnet-b", "az2", "10.0.2.0/24")],
        cross_zone: true,
        acceptance_required: true,
        supported_regions: vec!["us-east-1".into()],
        principals: vec![AIRBYTE_ROOT.into()],
        security_group: LoadBalancerGroup {
            name: "airbyte-plink-db".into(),
            description: "the load balancer's own group".into(),
            egress: vec![Peer::Cidr("10.0.0.0/16".into())],
        },
        database_group: None,
        health_check: crate::aws::HealthCheck::FOR_DATABASES,
        follower: None,
        idle_timeout: crate::aws::DEFAULT_IDLE_TIMEOUT,
        databases: Vec::new(),
        database: crate::engine::knowledge::database::DatabaseProfile {
            engine: Some(crate::spec::Engine::Postgres),
            tls: crate::engine::knowledge::database::Tls::new(
                Some(crate::spec::Engine::Postgres),
                None,
                None,
                "us-west-2",
            ),
        },
    }
}

/// The load balancer's security group of a converged deployment.
pub const SECURITY_GROUP_ID: &str = "sg-lb";

/// What AWS holds once `d` has been applied.
pub fn converged(d: &Desired) -> Observed {
    let own = Observed {
        name: d.name.clone(),
        load_balancer: Some(LoadBalancer {
            arn: LOAD_BALANCER_ARN.into(),
            name: d.name.clone(),
            dns_name: format!("{}.elb", d.name),
            scheme: "internal".into(),
            kind: "network".into(),
            state: "active".into(),
            vpc_id: d.vpc_id.clone(),
            // AWS does not keep the order they were given in.
            subnet_ids: d.subnet_ids().into_iter().rev().collect(),
            subnet_zones: d.subnets.iter().map(|s| (s.id.clone(), s.az_name.clone())).collect(),
            security_groups: vec![SECURITY_GROUP_ID.into()],
            privatelink_inbound_rules: Some("off".into()),
        }),
        load_balancer_tags: d.tags.clone(),
        cross_zone: d.cross_zone,
        listeners: vec![Listener {
            arn: "l".into(),
            port: d.port,
            protocol: "TCP".into(),
            forward_to: Some(TARGET_GROUP_ARN.into()),
        }],
        target_group: Some(TargetGroup {
            arn: TARGET_GROUP_ARN.into(),
            name: d.name.clone(),
            port: d.port,
            vpc_id: d.vpc_id.clone(),
            target_type: d.target_type.as_str().into(),
            health_check: Some(d.health_check),
            load_balancer_arns: vec![LOAD_BALANCER_ARN.into()],
        }),
        target_group_tags: d.target_group_tags.clone(),
        targets: d
            .targets
            .iter()
            .map(|t| RegisteredTarget { target: t.clone(), health: "healthy".into(), reason: None })
            .collect(),
        service: Some(EndpointService {
            id: "vpce-svc-1".into(),
            name: "com.amazonaws.vpce.us-west-2.vpce-svc-1".into(),
            state: "Available".into(),
            load_balancer_arns: vec![LOAD_BALANCER_ARN.into()],
            acceptance_required: d.acceptance_required,
            // AWS lists the service's own region too.
            supported_regions: [&d.region]
                .into_iter()
                .chain(&d.supported_regions)
                .map(|r| SupportedRegion::new(r, "Available"))
                .collect(),
            availability_zone_ids: d.subnets.iter().map(|s| s.az_id.clone()).collect(),
            tags: d.service_tags.clone(),
        }),
        principals: d.principals.clone(),
        security_group: Some(SecurityGroup {
            id: SECURITY_GROUP_ID.into(),
            vpc_id: Some(d.vpc_id.clone()),
            name: d.security_group.name.clone(),
            tags: d.tags.clone(),
        }),
        security_group_rules: d
            .egress()
            .into_iter()
            .enumerate()
            .map(|(i, (port, peer))| {
                rule(&format!("sgr-out-{i}"), SECURITY_GROUP_ID, true, port, peer.clone(), &d.tags)
            })
            .collect(),
        database_rules: d
            .database_groups()
            .into_iter()
            .enumerate()
            .map(|(i, (group, port))| {
                rule(&format!("sgr-db-{i}"), group, false, port, Peer::Group(SECURITY_GROUP_ID.into()), &d.tags)
            })
            .collect(),
        ..Observed::default()
    };
    with_databases(own, d)
}

/// The target group ARN of another database of a converged deployment.
pub fn database_target_group_arn(name: &str) -> String {
    format!("arn:aws:elasticloadbalancing:us-west-2:123456789012:targetgroup/db-{name}/2")
}

/// `own` with each other database's target group and listener, as applied.
fn with_databases(mut own: Observed, d: &Desired) -> Observed {
    for database in &d.databases {
        let arn = database_target_group_arn(&database.name);
        own.listeners.push(Listener {
            arn: format!("l-{}", database.name),
            port: database.listener_port,
            protocol: "TCP".into(),
            forward_to: Some(arn.clone()),
        });
        own.databases.push(crate::engine::deployment::observe::ObservedDatabase {
            name: database.name.clone(),
            target_group: TargetGroup {
                arn,
                name: database.target_group.clone(),
                port: database.port,
                vpc_id: d.vpc_id.clone(),
                target_type: database.target_type.as_str().into(),
                health_check: Some(d.health_check),
                load_balancer_arns: vec![LOAD_BALANCER_ARN.into()],
            },
            tags: database.target_group_tags.clone(),
            targets: database
                .targets
                .iter()
                .map(|t| RegisteredTarget { target: t.clone(), health: "healthy".into(), reason: None })
                .collect(),
        });
    }
    own
}

/// `desired()` with another database, `analytics`: 10.0.2.9 on 3306, behind listener
/// port 3307, in security group `sg-analytics`.
pub fn with_analytics(mut d: Desired) -> Desired {
    let mut tags = d.tags.clone();
    tags.insert(tags::DATABASE.into(), "analytics".into());
    tags.insert(tags::TARGETS.into(), "10.0.2.9".into());
    tags.insert(tags::LISTENER_PORT.into(), "3307".into());
    tags.insert(tags::DATABASE_GROUP.into(), "sg-analytics".into());
    d.databases.push(crate::engine::deployment::desired::DesiredDatabase {
        name: "analytics".into(),
        target_group: "db-analytics".into(),
        target_group_tags: tags,
        target_type: TargetType::Ip,
        port: 3306,
        listener_port: 3307,
        targets: vec![TargetRef { port: 3306, ..target("10.0.2.9") }],
        egress: vec![Peer::Group("sg-analytics".into())],
        database_group: Some("sg-analytics".into()),
        database: crate::engine::knowledge::database::DatabaseProfile::default(),
    });
    d
}

/// A TCP rule on `port`.
pub fn rule(id: &str, group_id: &str, egress: bool, port: u16, peer: Peer, tags: &Tags) -> GroupRule {
    GroupRule {
        id: id.into(),
        group_id: group_id.into(),
        egress,
        protocol: "tcp".into(),
        from_port: i32::from(port),
        to_port: i32::from(port),
        peer: Some(peer),
        tags: tags.clone(),
    }
}

/// The sample VPC, `vpc-1`.
pub fn vpc() -> Vpc {
    Vpc { id: "vpc-1".into(), name: None, cidrs: vec!["10.0.0.0/16".into()] }
}

/// The VPC's main route table: no route to an internet gateway, so every subnet without
/// a table of its own is private.
pub fn private_route_table() -> RouteTable {
    RouteTable {
        id: "rtb-private".into(),
        is_main: true,
        subnet_ids: Vec::new(),
        routes: vec![Route { destination: "10.0.0.0/16".into(), gateway_id: Some("local".into()) }],
    }
}

/// A consumer's endpoint in Airbyte's account, in `state` as EC2 spells it.
pub fn connection(endpoint_id: &str, state: &str) -> Connection {
    Connection {
        endpoint_id: endpoint_id.into(),
        owner: "111122223333".into(),
        state: state.into(),
        region: Some("us-east-1".into()),
    }
}

/// `d` set up, in private subnets, with Airbyte's endpoint connected, as the day-2
/// commands read it.
pub fn inspected(d: &Desired) -> Observed {
    let mut observed = converged(d);
    let service_id = observed.service.as_ref().map(|s| s.id.clone()).unwrap_or_default();
    observed.connections.insert(service_id, vec![connection("vpce-0airbyte", "available")]);
    observed.subnets = d.subnets.clone();
    observed.route_tables = vec![private_route_table()];
    observed
}

/// Rendered text without colours, which depend on the terminal running the tests.
pub fn plain(text: impl AsRef<str>) -> String {
    console::strip_ansi_codes(text.as_ref()).into_owned()
}

/// Every event the engine reports, in order.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<Event>>);

impl Reporter for Recorder {
    fn report(&self, event: Event) {
        self.0.lock().unwrap().push(event);
    }
}

impl Recorder {
    pub fn events(&self) -> Vec<Event> {
        self.0.lock().unwrap().clone()
    }
}

/// What `setup` does once the spec is resolved: read what exists, plan, execute.
pub async fn set_up(cloud: &FakeCloud, d: &Desired, reporter: &Recorder) -> Result<Executed, ApplyFailure> {
    let observed = observe(cloud, &d.name, None).await.expect("the fake account answers reads");
    execute(cloud, &plan(d, &observed), reporter).await
}
