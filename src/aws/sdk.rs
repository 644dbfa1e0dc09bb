//! [`Cloud`] over the real AWS SDK: a thin translation, no decisions.

use std::collections::BTreeMap;

use aws_config::SdkConfig;
use aws_sdk_ec2::types as ec2;
use aws_sdk_elasticloadbalancingv2::types as elb;

use super::errors::classify;
use super::*;

mod follower;

/// ELBv2's attribute for cross-zone load balancing on a network load balancer.
const CROSS_ZONE_ATTRIBUTE: &str = "load_balancing.cross_zone.enabled";
const IDLE_TIMEOUT_ATTRIBUTE: &str = "tcp.idle_timeout.seconds";
const DELETION_PROTECTION: &str = "deletion_protection.enabled";

pub struct SdkCloud {
    region: String,
    ec2: aws_sdk_ec2::Client,
    elb: aws_sdk_elasticloadbalancingv2::Client,
    sts: aws_sdk_sts::Client,
    rds: aws_sdk_rds::Client,
    // The follower's.
    iam: aws_sdk_iam::Client,
    lambda: aws_sdk_lambda::Client,
    events: aws_sdk_eventbridge::Client,
    cloudwatch: aws_sdk_cloudwatch::Client,
    logs: aws_sdk_cloudwatchlogs::Client,
}

impl SdkCloud {
    pub fn new(config: &SdkConfig) -> Self {
        SdkCloud {
            region: config.region().map(|r| r.to_string()).unwrap_or_default(),
            ec2: aws_sdk_ec2::Client::new(config),
            elb: aws_sdk_elasticloadbalancingv2::Client::new(config),
            sts: aws_sdk_sts::Client::new(config),
            rds: aws_sdk_rds::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            lambda: aws_sdk_lambda::Client::new(config),
            events: aws_sdk_eventbridge::Client::new(config),
            cloudwatch: aws_sdk_cloudwatch::Client::new(config),
            logs: aws_sdk_cloudwatchlogs::Client::new(config),
        }
    }

    /// The region every call goes to.
    pub fn region(&self) -> &str {
        &self.region
    }
}

fn filter(name: &str, values: impl IntoIterator<Item = impl Into<String>>) -> ec2::Filter {
    let mut builder = ec2::Filter::builder().name(name);
    for value in values {
        builder = builder.values(value);
    }
    builder.build()
}

fn ec2_tags(tags: &[ec2::Tag]) -> Tags {
    tags.iter().filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string()))).collect()
}

fn ec2_tag_specification(resource: ec2::ResourceType, tags: &Tags) -> ec2::TagSpecification {
    let mut builder = ec2::TagSpecification::builder().resource_type(resource);
    for (key, value) in tags {
        builder = builder.tags(ec2::Tag::builder().key(key).value(value).build());
    }
    builder.build()
}

fn elb_tag_list(tags: &Tags) -> Vec<elb::Tag> {
    tags.iter().map(|(k, v)| elb::Tag::builder().key(k).value(v).build()).collect()
}

fn to_port(port: Option<i32>) -> u16 {
    port.and_then(|p| u16::try_from(p).ok()).unwrap_or(0)
}

fn name_tag(tags: &[ec2::Tag]) -> Option<String> {
    tags.iter().find(|t| t.key() == Some("Name")).and_then(|t| t.value()).map(str::to_string)
}

fn vpc(v: &ec2::Vpc) -> Vpc {
    let mut cidrs: Vec<String> = v
        .cidr_block_association_set()
        .iter()
        .filter(|a| a.cidr_block_state().and_then(|s| s.state()).map(|s| s.as_str()) != Some("disassociated"))
        .filter_map(|a| a.cidr_block().map(str::to_string))
        .collect();
    if cidrs.is_empty() {
        cidrs.extend(v.cidr_block().map(str::to_string));
    }
    Vpc { id: v.vpc_id().unwrap_or_default().to_string(), name: name_tag(v.tags()), cidrs }
}

fn subnet(s: &ec2::Subnet) -> Subnet {
    Subnet {
        id: s.subnet_id().unwrap_or_default().to_string(),
        name: name_tag(s.tags()),
        vpc_id: s.vpc_id().unwrap_or_default().to_string(),
        az_name: s.availability_zone().unwrap_or_default().to_string(),
        az_id: s.availability_zone_id().unwrap_or_default().to_string(),
        cidr: s.cidr_block().unwrap_or_default().to_string(),
        free_addresses: s.available_ip_address_count().and_then(|n| u32::try_from(n).ok()),
    }
}

fn instance(i: &ec2::Instance) -> Instance {
    Instance {
        id: i.instance_id().unwrap_or_default().to_string(),
        name: name_tag(i.tags()),
        vpc_id: i.vpc_id().map(str::to_string),
        private_ip: i.private_ip_address().map(str::to_string),
        state: i.state().and_then(|s| s.name()).map(|n| n.as_str().to_string()).unwrap_or_default(),
        security_groups: i.security_groups().iter().filter_map(|g| g.group_id().map(str::to_string)).collect(),
    }
}

fn security_group(g: &ec2::SecurityGroup) -> SecurityGroup {
    SecurityGroup {
        id: g.group_id().unwrap_or_default().to_string(),
        vpc_id: g.vpc_id().map(str::to_string),
        name: g.group_name().unwrap_or_default().to_string(),
        tags: ec2_tags(g.tags()),
    }
}

/// The most values sent in one filter. EC2 limits them (`FilterLimitExceeded`) without
/// saying how far for these calls; 200, the limit it gives elsewhere.
const FILTER_VALUES: usize = 200;

fn tcp_permission(port: u16, peer: &Peer, description: &str) -> ec2::IpPermission {
    let permission =
        ec2::IpPermission::builder().ip_protocol("tcp").from_port(i32::from(port)).to_port(i32::from(port));
    match peer {
        Peer::Cidr(cidr) => {
            permission.ip_ranges(ec2::IpRange::builder().cidr_ip(cidr).description(description).build())
        }
        Peer::Group(id) => permission
            .user_id_group_pairs(ec2::UserIdGroupPair::builder().group_id(id).description(description).build()),
    }
    .build()
}

fn load_balancer(lb: &elb::LoadBalancer) -> LoadBalancer {
    LoadBalancer {
        arn: lb.load_balancer_arn().unwrap_or_default().to_string(),
        name: lb.load_balancer_name().unwrap_or_default().to_string(),
        dns_name: lb.dns_name().unwrap_or_default().to_string(),
        scheme: lb.scheme().map(|s| s.as_str().to_string()).unwrap_or_default(),
        kind: lb.r#type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        state: lb.state().and_then(|s| s.code()).map(|c| c.as_str().to_string()).unwrap_or_default(),
        vpc_id: lb.vpc_id().unwrap_or_default().to_string(),
        subnet_ids: lb.availability_zones().iter().filter_map(|az| az.subnet_id().map(str::to_string)).collect(),
        subnet_zones: lb
            .availability_zones()
            .iter()
            .filter_map(|az| Some((az.subnet_id()?.to_string(), az.zone_name()?.to_string())))
            .collect(),
        security_groups: lb.security_groups().to_vec(),
        privatelink_inbound_rules: lb
            .enforce_security_group_inbound_rules_on_private_link_traffic()
            .map(str::to_string),
    }
}

fn target_group(tg: &elb::TargetGroup) -> TargetGroup {
    TargetGroup {
        arn: tg.target_group_arn().unwrap_or_default().to_string(),
        name: tg.target_group_name().unwrap_or_default().to_string(),
        port: to_port(tg.port()),
        vpc_id: tg.vpc_id().unwrap_or_default().to_string(),
        target_type: tg.target_type().map(|t| t.as_str().to_string()).unwrap_or_default(),
        load_balancer_arns: tg.load_balancer_arns().to_vec(),
        health_check: (|| {
            Some(HealthCheck {
                interval_seconds: u16::try_from(tg.health_check_interval_seconds()?).ok()?,
                timeout_seconds: u16::try_from(tg.health_check_timeout_seconds()?).ok()?,
                healthy_threshold: u8::try_from(tg.healthy_threshold_count()?).ok()?,
                unhealthy_threshold: u8::try_from(tg.unhealthy_threshold_count()?).ok()?,
            })
        })(),
    }
}

fn listener(l: &elb::Listener) -> Listener {
    Listener {
        arn: l.listener_arn().unwrap_or_default().to_string(),
        port: to_port(l.port()),
        protocol: l.protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
        forward_to: l
            .default_actions()
            .iter()
            .find(|a| a.r#type() == Some(&elb::ActionTypeEnum::Forward))
            .and_then(|a| a.target_group_arn().map(str::to_string)),
    }
}

fn endpoint_service(s: &ec2::ServiceConfiguration) -> EndpointService {
    EndpointService {
        id: s.service_id().unwrap_or_default().to_string(),
        name: s.service_name().unwrap_or_default().to_string(),
        state: s.service_state().map(|st| st.as_str().to_string()).unwrap_or_default(),
        load_balancer_arns: s.network_load_balancer_arns().to_vec(),
        acceptance_required: s.acceptance_required().unwrap_or(true),
        supported_regions: s
            .supported_regions()
            .iter()
            .map(|r| SupportedRegion::new(r.region().unwrap_or_default(), r.service_state().unwrap_or_default()))
            .collect(),
        availability_zone_ids: s.availability_zone_ids().to_vec(),
        tags: ec2_tags(s.tags()),
    }
}

fn target_description(t: &TargetRef) -> elb::TargetDescription {
    elb::TargetDescription::builder()
        .id(&t.id)
        .port(i32::from(t.port))
        .set_availability_zone(t.availability_zone.clone())
        .build()
}

impl Cloud for SdkCloud {
    async fn caller_identity(&self) -> CloudResult<Identity> {
        let out = self.sts.get_caller_identity().send().await.map_err(|e| classify("sts:GetCallerIdentity", e))?;
        Ok(Identity {
            account: out.account().unwrap_or_default().to_string(),
            arn: out.arn().unwrap_or_default().to_string(),
        })
    }

    async fn region_names(&self) -> CloudResult<Vec<RegionInfo>> {
        // Asked of the partition's oldest region: a mistyped region has no endpoint to ask.
        let home = match crate::spec::fields::partition_of(&self.region) {
            "aws-cn" => "cn-north-1",
            "aws-us-gov" => "us-gov-west-1",
            _ => "us-east-1",
        };
        let out = self
            .ec2
            .describe_regions()
            .all_regions(true)
            .customize()
            .config_override(aws_sdk_ec2::config::Builder::default().region(aws_sdk_ec2::config::Region::new(home)))
            .send()
            .await
            .map_err(|e| classify("ec2:DescribeRegions", e))?;
        Ok(out
            .regions()
            .iter()
            .filter_map(|r| {
                Some(RegionInfo {
                    name: r.region_name()?.to_string(),
                    enabled: r.opt_in_status() != Some("not-opted-in"),
                })
            })
            .collect())
    }

    async fn vpc(&self, vpc_id: &str) -> CloudResult<Option<Vpc>> {
        // A filter rather than VpcIds: a missing VPC is an empty answer, not an error.
        let out = self
            .ec2
            .describe_vpcs()
            .filters(filter("vpc-id", [vpc_id]))
            .send()
            .await
            .map_err(|e| classify("ec2:DescribeVpcs", e))?;
        Ok(out.vpcs().iter().find(|v| v.vpc_id() == Some(vpc_id)).map(vpc))
    }

    async fn subnets(&self, subnet_ids: &[String]) -> CloudResult<Vec<Subnet>> {
        self.describe_subnets(filter("subnet-id", subnet_ids.iter().cloned())).await
    }

    async fn route_tables(&self, vpc_id: &str) -> CloudResult<Vec<RouteTable>> {
        let tables: Vec<ec2::RouteTable> = self
            .ec2
            .describe_route_tables()
            .filters(filter("vpc-id", [vpc_id]))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeRouteTables", e))?;
        Ok(tables
            .iter()
            .map(|t| RouteTable {
                id: t.route_table_id().unwrap_or_default().to_string(),
                is_main: t.associations().iter().any(|a| a.main() == Some(true)),
                subnet_ids: t.associations().iter().filter_map(|a| a.subnet_id().map(str::to_string)).collect(),
                routes: t
                    .routes()
                    .iter()
                    .map(|r| Route {
                        destination: r
                            .destination_cidr_block()
                            .or(r.destination_ipv6_cidr_block())
                            .or(r.destination_prefix_list_id())
                            .unwrap_or_default()
                            .to_string(),
                        gateway_id: r.gateway_id().map(str::to_string),
                    })
                    .collect(),
            })
            .collect())
    }

    async fn instances(&self, instance_ids: &[String]) -> CloudResult<Vec<Instance>> {
        self.describe_instances(filter("instance-id", instance_ids.iter().cloned())).await
    }

    async fn security_group(&self, group_id: &str) -> CloudResult<Option<SecurityGroup>> {
        let out = self
            .ec2
            .describe_security_groups()
            .filters(filter("group-id", [group_id]))
            .send()
            .await
            .map_err(|e| classify("ec2:DescribeSecurityGroups", e))?;
        Ok(out.security_groups().iter().find(|g| g.group_id() == Some(group_id)).map(security_group))
    }

    async fn databases(&self) -> CloudResult<Vec<Database>> {
        let instances = self.rds.describe_db_instances().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
        let clusters = self.rds.describe_db_clusters().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
        let groups =
            self.rds.describe_db_subnet_groups().into_paginator().items().send().collect::<Result<Vec<_>, _>>();
        let (instances, clusters, groups) = futures::join!(instances, clusters, groups);
        let instances = instances.map_err(|e| classify("rds:DescribeDBInstances", e))?;
        let clusters = clusters.map_err(|e| classify("rds:DescribeDBClusters", e))?;
        let groups = groups.map_err(|e| classify("rds:DescribeDBSubnetGroups", e))?;
        let vpc_of_group = |name: Option<&str>| {
            groups.iter().find(|g| g.db_subnet_group_name() == name).and_then(|g| g.vpc_id()).map(str::to_string)
        };
        let zones_of_group = |name: Option<&str>| {
            let mut zones: Vec<String> = groups
                .iter()
                .filter(|g| g.db_subnet_group_name() == name)
                .flat_map(|g| g.subnets())
                .filter_map(|s| s.subnet_availability_zone().and_then(|z| z.name()).map(str::to_string))
                .collect();
            zones.sort();
            zones.dedup();
            zones
        };
        let security_groups = |memberships: &[aws_sdk_rds::types::VpcSecurityGroupMembership]| {
            memberships.iter().filter_map(|m| m.vpc_security_group_id().map(str::to_string)).collect()
        };
        let parameter_groups = |instance: &aws_sdk_rds::types::DbInstance| -> Vec<String> {
            instance
                .db_parameter_groups()
                .iter()
                .filter_map(|g| g.db_parameter_group_name().map(str::to_string))
                .collect()
        };
        let mut databases: Vec<Database> = clusters
            .iter()
            .filter_map(|c| {
                let id = c.db_cluster_identifier()?;
                let members: Vec<_> = instances.iter().filter(|i| i.db_cluster_identifier() == Some(id)).collect();
                let mut member_groups: Vec<String> = members.iter().flat_map(|i| parameter_groups(i)).collect();
                member_groups.sort();
                member_groups.dedup();
                let mut member_zones: Vec<String> =
                    members.iter().filter_map(|i| i.availability_zone().map(str::to_string)).collect();
                member_zones.sort();
                member_zones.dedup();
                Some(Database {
                    kind: DatabaseKind::AuroraCluster,
                    id: id.to_string(),
                    engine: c.engine().unwrap_or_default().to_string(),
                    endpoint: c.endpoint()?.to_string(),
                    port: to_port(c.port()),
                    vpc_id: vpc_of_group(c.db_subnet_group()),
                    security_groups: security_groups(c.vpc_security_groups()),
                    reader_endpoint: c.reader_endpoint().map(str::to_string),
                    parameter_groups: member_groups,
                    cluster_parameter_group: c.db_cluster_parameter_group().map(str::to_string),
                    zones: member_zones,
                    certificate_authority: members
                        .iter()
                        .find_map(|i| i.ca_certificate_identifier())
                        .map(str::to_string),
                })
            })
            .collect();
        // Members of a cluster are reached through the cluster's endpoint.
        databases.extend(instances.iter().filter(|i| i.db_cluster_identifier().is_none()).filter_map(|i| {
            let endpoint = i.endpoint()?;
            let subnet_group = i.db_subnet_group().and_then(|g| g.db_subnet_group_name());
            Some(Database {
                kind: DatabaseKind::RdsInstance,
                id: i.db_instance_identifier()?.to_string(),
                engine: i.engine().unwrap_or_default().to_string(),
                endpoint: endpoint.address()?.to_string(),
                port: to_port(endpoint.port()),
                vpc_id: i.db_subnet_group().and_then(|g| g.vpc_id()).map(str::to_string),
                security_groups: security_groups(i.vpc_security_groups()),
                reader_endpoint: None,
                parameter_groups: parameter_groups(i),
                cluster_parameter_group: None,
                zones: if i.multi_az() == Some(true) { zones_of_group(subnet_group) } else { Vec::new() },
                certificate_authority: i.ca_certificate_identifier().map(str::to_string),
            })
        }));
        Ok(databases)
    }

    async fn db_parameter(&self, group: &ParameterGroup, name: &str) -> CloudResult<Option<DbParameter>> {
        // Both calls take the `parameter-name` filter (RDS API reference); where an older
        // endpoint ignores it, the whole group is read and the parameter picked out.
        let by_name = aws_sdk_rds::types::Filter::builder().name("parameter-name").values(name).build();
        let found = |p: &aws_sdk_rds::types::Parameter| {
            (p.parameter_name() == Some(name)).then(|| DbParameter {
                value: p.parameter_value().map(str::to_string),
                source: p.source().map(str::to_string),
            })
        };
        let parameters: Vec<aws_sdk_rds::types::Parameter> = match group {
            ParameterGroup::Instance(group) => self
                .rds
                .describe_db_parameters()
                .db_parameter_group_name(group)
                .filters(by_name)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<_, _>>()
                .await
                .map_err(|e| classify("rds:DescribeDBParameters", e))?,
            ParameterGroup::Cluster(group) => self
                .rds
                .describe_db_cluster_parameters()
                .db_cluster_parameter_group_name(group)
                .filters(by_name)
                .into_paginator()
                .items()
                .send()
                .collect::<Result<_, _>>()
                .await
                .map_err(|e| classify("rds:DescribeDBClusterParameters", e))?,
        };
        Ok(parameters.iter().find_map(found))
    }

    async fn network_acls(&self, vpc_id: &str) -> CloudResult<Vec<NetworkAcl>> {
        let acls: Vec<ec2::NetworkAcl> = self
            .ec2
            .describe_network_acls()
            .filters(filter("vpc-id", [vpc_id]))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeNetworkAcls", e))?;
        Ok(acls
            .iter()
            .map(|acl| NetworkAcl {
                id: acl.network_acl_id().unwrap_or_default().to_string(),
                is_default: acl.is_default().unwrap_or(false),
                subnet_ids: acl.associations().iter().filter_map(|a| a.subnet_id().map(str::to_string)).collect(),
                entries: acl
                    .entries()
                    .iter()
                    .map(|e| AclEntry {
                        rule_number: e.rule_number().unwrap_or(32767),
                        egress: e.egress().unwrap_or(false),
                        protocol: e.protocol().unwrap_or("-1").to_string(),
                        allow: e.rule_action() == Some(&ec2::RuleAction::Allow),
                        cidr: e.cidr_block().map(str::to_string),
                        ports: e.port_range().map(|r| (r.from().unwrap_or(0), r.to().unwrap_or(65535))),
                    })
                    .collect(),
            })
            .collect())
    }

    async fn running_instances(&self) -> CloudResult<Vec<Instance>> {
        self.describe_instances(filter("instance-state-name", ["running"])).await
    }

    async fn vpcs(&self) -> CloudResult<Vec<Vpc>> {
        let vpcs: Vec<ec2::Vpc> = self
            .ec2
            .describe_vpcs()
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeVpcs", e))?;
        Ok(vpcs.iter().map(vpc).collect())
    }

    async fn subnets_of_vpc(&self, vpc_id: &str) -> CloudResult<Vec<Subnet>> {
        let subnets = self.describe_subnets(filter("vpc-id", [vpc_id])).await?;
        Ok(subnets.into_iter().filter(|s| s.vpc_id == vpc_id).collect())
    }

    async fn security_groups_of_vpc(&self, vpc_id: &str) -> CloudResult<Vec<SecurityGroup>> {
        let groups: Vec<ec2::SecurityGroup> = self
            .ec2
            .describe_security_groups()
            .filters(filter("vpc-id", [vpc_id]))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeSecurityGroups", e))?;
        Ok(groups.iter().map(security_group).filter(|g| g.vpc_id.as_deref() == Some(vpc_id)).collect())
    }

    async fn load_balancer_named(&self, name: &str) -> CloudResult<Option<LoadBalancer>> {
        match self.elb.describe_load_balancers().names(name).send().await {
            Ok(out) => Ok(out.load_balancers().first().map(load_balancer)),
            Err(e) => {
                let err = classify("elasticloadbalancing:DescribeLoadBalancers", e);
                if err.is_code("LoadBalancerNotFound") { Ok(None) } else { Err(err) }
            }
        }
    }

    async fn target_group_named(&self, name: &str) -> CloudResult<Option<TargetGroup>> {
        match self.elb.describe_target_groups().names(name).send().await {
            Ok(out) => Ok(out.target_groups().first().map(target_group)),
            Err(e) => {
                let err = classify("elasticloadbalancing:DescribeTargetGroups", e);
                if err.is_code("TargetGroupNotFound") { Ok(None) } else { Err(err) }
            }
        }
    }

    async fn elb_tags(&self, arns: &[String]) -> CloudResult<BTreeMap<String, Tags>> {
        // DescribeTags takes at most 20 ARNs per call; the calls go out together.
        let answers = futures::future::try_join_all(
            arns.chunks(20).map(|chunk| self.elb.describe_tags().set_resource_arns(Some(chunk.to_vec())).send()),
        )
        .await
        .map_err(|e| classify("elasticloadbalancing:DescribeTags", e))?;
        Ok(answers
            .iter()
            .flat_map(|out| out.tag_descriptions())
            .map(|description| {
                let tags = description
                    .tags()
                    .iter()
                    .filter_map(|t| Some((t.key()?.to_string(), t.value().unwrap_or_default().to_string())))
                    .collect();
                (description.resource_arn().unwrap_or_default().to_string(), tags)
            })
            .collect())
    }

    async fn load_balancer_attributes(&self, load_balancer_arn: &str) -> CloudResult<LoadBalancerAttributes> {
        let out = self
            .elb
            .describe_load_balancer_attributes()
            .load_balancer_arn(load_balancer_arn)
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:DescribeLoadBalancerAttributes", e))?;
        let on = |key: &str| out.attributes().iter().any(|a| a.key() == Some(key) && a.value() == Some("true"));
        Ok(LoadBalancerAttributes {
            cross_zone: on(CROSS_ZONE_ATTRIBUTE),
            deletion_protection: on(DELETION_PROTECTION),
        })
    }

    async fn listeners(&self, load_balancer_arn: &str) -> CloudResult<Vec<Listener>> {
        let listeners: Vec<elb::Listener> = self
            .elb
            .describe_listeners()
            .load_balancer_arn(load_balancer_arn)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("elasticloadbalancing:DescribeListeners", e))?;
        Ok(listeners.iter().map(listener).collect())
    }

    async fn listener_idle_timeout(&self, listener_arn: &str) -> CloudResult<u32> {
        let out = self
            .elb
            .describe_listener_attributes()
            .listener_arn(listener_arn)
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:DescribeListenerAttributes", e))?;
        let value = out.attributes().iter().find(|a| a.key() == Some(IDLE_TIMEOUT_ATTRIBUTE)).and_then(|a| a.value());
        Ok(value.and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_IDLE_TIMEOUT))
    }

    async fn registered_targets(&self, target_group_arn: &str) -> CloudResult<Vec<RegisteredTarget>> {
        let out = self
            .elb
            .describe_target_health()
            .target_group_arn(target_group_arn)
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:DescribeTargetHealth", e))?;
        Ok(out
            .target_health_descriptions()
            .iter()
            .filter_map(|d| {
                let target = d.target()?;
                Some(RegisteredTarget {
                    target: TargetRef {
                        id: target.id()?.to_string(),
                        port: to_port(target.port()),
                        availability_zone: target.availability_zone().filter(|az| *az == "all").map(str::to_string),
                    },
                    health: d
                        .target_health()
                        .and_then(|h| h.state())
                        .map(|s| s.as_str().to_string())
                        .unwrap_or_default(),
                    reason: d.target_health().and_then(|h| h.reason()).map(|r| r.as_str().to_string()),
                })
            })
            .collect())
    }

    async fn endpoint_services_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<EndpointService>> {
        let services: Vec<ec2::ServiceConfiguration> = self
            .ec2
            .describe_vpc_endpoint_service_configurations()
            .filters(filter(&format!("tag:{key}"), [value]))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeVpcEndpointServiceConfigurations", e))?;
        // Filter again here: not every implementation of the API honours filters.
        Ok(services
            .iter()
            .map(endpoint_service)
            .filter(|s| s.tags.get(key).map(String::as_str) == Some(value))
            .collect())
    }

    async fn endpoint_service(&self, service_id: &str) -> CloudResult<Option<EndpointService>> {
        let found = self.ec2.describe_vpc_endpoint_service_configurations().service_ids(service_id).send().await;
        match found.map_err(|e| classify("ec2:DescribeVpcEndpointServiceConfigurations", e)) {
            Ok(output) => Ok(output.service_configurations().iter().map(endpoint_service).find(|s| s.id == service_id)),
            // EC2 is eventually consistent: a service just created may not be listed yet.
            Err(e) if e.is_code("InvalidVpcEndpointServiceId.NotFound") => Ok(None),
            Err(e) => Err(e),
        }
    }

    async fn allowed_principals(&self, service_id: &str) -> CloudResult<Vec<String>> {
        let principals: Vec<ec2::AllowedPrincipal> = self
            .ec2
            .describe_vpc_endpoint_service_permissions()
            .service_id(service_id)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeVpcEndpointServicePermissions", e))?;
        Ok(principals.iter().filter_map(|p| p.principal().map(str::to_string)).collect())
    }

    async fn rules_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<GroupRule>> {
        let rules = self.group_rules(filter(&format!("tag:{key}"), [value])).await?;
        // Filter again here: not every implementation of the API honours filters.
        Ok(rules.into_iter().filter(|r| r.tags.get(key).map(String::as_str) == Some(value)).collect())
    }

    async fn rules_of_groups(&self, group_ids: &[String]) -> CloudResult<Vec<GroupRule>> {
        if group_ids.is_empty() {
            return Ok(Vec::new());
        }
        // A few values at a time (FILTER_VALUES); the calls go out together.
        let chunks =
            group_ids.chunks(FILTER_VALUES).map(|ids| self.group_rules(filter("group-id", ids.iter().cloned())));
        let rules = futures::future::try_join_all(chunks).await?.into_iter().flatten();
        Ok(rules.filter(|r| group_ids.contains(&r.group_id)).collect())
    }

    async fn security_groups_tagged(&self, key: &str, value: &str) -> CloudResult<Vec<SecurityGroup>> {
        let groups = self.describe_security_groups(filter(&format!("tag:{key}"), [value])).await?;
        Ok(groups.into_iter().filter(|g| g.tags.get(key).map(String::as_str) == Some(value)).collect())
    }

    async fn security_groups_with_tag(&self, key: &str) -> CloudResult<Vec<SecurityGroup>> {
        let groups = self.describe_security_groups(filter("tag-key", [key])).await?;
        Ok(groups.into_iter().filter(|g| g.tags.contains_key(key)).collect())
    }

    async fn endpoint_services_with_tag(&self, key: &str) -> CloudResult<Vec<EndpointService>> {
        let services: Vec<ec2::ServiceConfiguration> = self
            .ec2
            .describe_vpc_endpoint_service_configurations()
            .filters(filter("tag-key", [key]))
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeVpcEndpointServiceConfigurations", e))?;
        Ok(services.iter().map(endpoint_service).filter(|s| s.tags.contains_key(key)).collect())
    }

    async fn connections_of(&self, service_ids: &[String]) -> CloudResult<BTreeMap<String, Vec<Connection>>> {
        // A few values at a time (FILTER_VALUES); the calls go out together.
        let chunks = service_ids.chunks(FILTER_VALUES).map(|ids| {
            self.ec2
                .describe_vpc_endpoint_connections()
                .filters(filter("service-id", ids.iter().cloned()))
                .into_paginator()
                .items()
                .send()
                .collect::<Result<Vec<ec2::VpcEndpointConnection>, _>>()
        });
        let connections: Vec<ec2::VpcEndpointConnection> = futures::future::try_join_all(chunks)
            .await
            .map_err(|e| classify("ec2:DescribeVpcEndpointConnections", e))?
            .into_iter()
            .flatten()
            .collect();
        let mut by_service: BTreeMap<String, Vec<Connection>> =
            service_ids.iter().map(|id| (id.clone(), Vec::new())).collect();
        for c in &connections {
            // Only those asked for: not every implementation of the API honours filters.
            let Some(list) = c.service_id().and_then(|id| by_service.get_mut(id)) else { continue };
            list.push(Connection {
                endpoint_id: c.vpc_endpoint_id().unwrap_or_default().to_string(),
                owner: c.vpc_endpoint_owner().unwrap_or_default().to_string(),
                state: c.vpc_endpoint_state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                region: c.vpc_endpoint_region().map(str::to_string),
            });
        }
        Ok(by_service)
    }

    async fn load_balancers(&self) -> CloudResult<Vec<LoadBalancer>> {
        let all: Vec<elb::LoadBalancer> = self
            .elb
            .describe_load_balancers()
            .page_size(400)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("elasticloadbalancing:DescribeLoadBalancers", e))?;
        Ok(all.iter().map(load_balancer).collect())
    }

    async fn target_groups(&self) -> CloudResult<Vec<TargetGroup>> {
        let all: Vec<elb::TargetGroup> = self
            .elb
            .describe_target_groups()
            .page_size(400)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("elasticloadbalancing:DescribeTargetGroups", e))?;
        Ok(all.iter().map(target_group).collect())
    }

    async fn rules_with_tag(&self, key: &str) -> CloudResult<Vec<GroupRule>> {
        let rules = self.group_rules(filter("tag-key", [key])).await?;
        Ok(rules.into_iter().filter(|r| r.tags.contains_key(key)).collect())
    }

    async fn create_target_group(&self, new: NewTargetGroup<'_>) -> CloudResult<TargetGroup> {
        let target_type = match new.target_type {
            TargetType::Ip => elb::TargetTypeEnum::Ip,
            TargetType::Instance => elb::TargetTypeEnum::Instance,
        };
        let out = self
            .elb
            .create_target_group()
            .name(new.name)
            .protocol(elb::ProtocolEnum::Tcp)
            .port(i32::from(new.port))
            .vpc_id(new.vpc_id)
            .target_type(target_type)
            .health_check_protocol(elb::ProtocolEnum::Tcp)
            .health_check_interval_seconds(i32::from(new.health_check.interval_seconds))
            .health_check_timeout_seconds(i32::from(new.health_check.timeout_seconds))
            .healthy_threshold_count(i32::from(new.health_check.healthy_threshold))
            .unhealthy_threshold_count(i32::from(new.health_check.unhealthy_threshold))
            .set_tags(Some(elb_tag_list(new.tags)))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:CreateTargetGroup", e))?;
        out.target_groups()
            .first()
            .map(target_group)
            .ok_or_else(|| empty_answer("elasticloadbalancing:CreateTargetGroup"))
    }

    async fn set_health_check(&self, target_group_arn: &str, health_check: &HealthCheck) -> CloudResult<()> {
        self.elb
            .modify_target_group()
            .target_group_arn(target_group_arn)
            .health_check_interval_seconds(i32::from(health_check.interval_seconds))
            .health_check_timeout_seconds(i32::from(health_check.timeout_seconds))
            .healthy_threshold_count(i32::from(health_check.healthy_threshold))
            .unhealthy_threshold_count(i32::from(health_check.unhealthy_threshold))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:ModifyTargetGroup", e))?;
        Ok(())
    }

    async fn register_targets(&self, target_group_arn: &str, targets: &[TargetRef]) -> CloudResult<()> {
        self.elb
            .register_targets()
            .target_group_arn(target_group_arn)
            .set_targets(Some(targets.iter().map(target_description).collect()))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:RegisterTargets", e))?;
        Ok(())
    }

    async fn deregister_targets(&self, target_group_arn: &str, targets: &[TargetRef]) -> CloudResult<()> {
        self.elb
            .deregister_targets()
            .target_group_arn(target_group_arn)
            .set_targets(Some(targets.iter().map(target_description).collect()))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:DeregisterTargets", e))?;
        Ok(())
    }

    async fn create_load_balancer(&self, new: NewLoadBalancer<'_>) -> CloudResult<LoadBalancer> {
        // Its own security group, which AWS attaches only at creation; PrivateLink traffic
        // is let through it separately (SetSecurityGroups), as AWS filters it by default.
        let out = self
            .elb
            .create_load_balancer()
            .name(new.name)
            .r#type(elb::LoadBalancerTypeEnum::Network)
            .scheme(elb::LoadBalancerSchemeEnum::Internal)
            .ip_address_type(elb::IpAddressType::Ipv4)
            .set_subnets(Some(new.subnet_ids.to_vec()))
            .security_groups(new.security_group_id)
            .set_tags(Some(elb_tag_list(new.tags)))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:CreateLoadBalancer", e))?;
        out.load_balancers()
            .first()
            .map(load_balancer)
            .ok_or_else(|| empty_answer("elasticloadbalancing:CreateLoadBalancer"))
    }

    async fn set_subnets(&self, load_balancer_arn: &str, subnet_ids: &[String]) -> CloudResult<()> {
        self.elb
            .set_subnets()
            .load_balancer_arn(load_balancer_arn)
            .set_subnets(Some(subnet_ids.to_vec()))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:SetSubnets", e))?;
        Ok(())
    }

    async fn set_cross_zone(&self, load_balancer_arn: &str, enabled: bool) -> CloudResult<()> {
        self.elb
            .modify_load_balancer_attributes()
            .load_balancer_arn(load_balancer_arn)
            .attributes(
                elb::LoadBalancerAttribute::builder().key(CROSS_ZONE_ATTRIBUTE).value(enabled.to_string()).build(),
            )
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:ModifyLoadBalancerAttributes", e))?;
        Ok(())
    }

    async fn create_listener(&self, new: NewListener<'_>) -> CloudResult<Listener> {
        let out = self
            .elb
            .create_listener()
            .load_balancer_arn(new.load_balancer_arn)
            .protocol(elb::ProtocolEnum::Tcp)
            .port(i32::from(new.port))
            .default_actions(forward_to(new.target_group_arn))
            .set_tags(Some(elb_tag_list(new.tags)))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:CreateListener", e))?;
        out.listeners().first().map(listener).ok_or_else(|| empty_answer("elasticloadbalancing:CreateListener"))
    }

    async fn set_listener_idle_timeout(&self, listener_arn: &str, seconds: u32) -> CloudResult<()> {
        self.elb
            .modify_listener_attributes()
            .listener_arn(listener_arn)
            .attributes(
                elb::ListenerAttribute::builder().key(IDLE_TIMEOUT_ATTRIBUTE).value(seconds.to_string()).build(),
            )
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:ModifyListenerAttributes", e))?;
        Ok(())
    }

    async fn modify_listener(&self, listener_arn: &str, port: u16, target_group_arn: &str) -> CloudResult<()> {
        self.elb
            .modify_listener()
            .listener_arn(listener_arn)
            .protocol(elb::ProtocolEnum::Tcp)
            .port(i32::from(port))
            .default_actions(forward_to(target_group_arn))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:ModifyListener", e))?;
        Ok(())
    }

    async fn add_elb_tags(&self, arns: &[String], tags: &Tags) -> CloudResult<()> {
        self.elb
            .add_tags()
            .set_resource_arns(Some(arns.to_vec()))
            .set_tags(Some(elb_tag_list(tags)))
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:AddTags", e))?;
        Ok(())
    }

    async fn create_endpoint_service(&self, new: NewEndpointService<'_>) -> CloudResult<EndpointService> {
        let out = self
            .ec2
            .create_vpc_endpoint_service_configuration()
            .network_load_balancer_arns(new.load_balancer_arn)
            .acceptance_required(new.acceptance_required)
            .set_supported_regions((!new.supported_regions.is_empty()).then(|| new.supported_regions.to_vec()))
            .client_token(new.client_token)
            .tag_specifications(ec2_tag_specification(ec2::ResourceType::VpcEndpointService, new.tags))
            .send()
            .await
            .map_err(|e| classify("ec2:CreateVpcEndpointServiceConfiguration", e))?;
        out.service_configuration()
            .map(endpoint_service)
            .ok_or_else(|| empty_answer("ec2:CreateVpcEndpointServiceConfiguration"))
    }

    async fn modify_endpoint_service(&self, service_id: &str, change: &EndpointServiceChange) -> CloudResult<()> {
        self.ec2
            .modify_vpc_endpoint_service_configuration()
            .service_id(service_id)
            .set_acceptance_required(change.acceptance_required)
            .set_add_supported_regions(non_empty(&change.add_supported_regions))
            .set_remove_supported_regions(non_empty(&change.remove_supported_regions))
            .send()
            .await
            .map_err(|e| classify("ec2:ModifyVpcEndpointServiceConfiguration", e))?;
        Ok(())
    }

    async fn modify_allowed_principals(&self, service_id: &str, add: &[String], remove: &[String]) -> CloudResult<()> {
        self.ec2
            .modify_vpc_endpoint_service_permissions()
            .service_id(service_id)
            .set_add_allowed_principals(non_empty(add))
            .set_remove_allowed_principals(non_empty(remove))
            .send()
            .await
            .map_err(|e| classify("ec2:ModifyVpcEndpointServicePermissions", e))?;
        Ok(())
    }

    async fn add_ec2_tags(&self, resource_ids: &[String], tags: &Tags) -> CloudResult<()> {
        self.ec2
            .create_tags()
            .set_resources(Some(resource_ids.to_vec()))
            .set_tags(Some(tags.iter().map(|(k, v)| ec2::Tag::builder().key(k).value(v).build()).collect()))
            .send()
            .await
            .map_err(|e| classify("ec2:CreateTags", e))?;
        Ok(())
    }

    async fn create_security_group(&self, new: NewSecurityGroup<'_>) -> CloudResult<SecurityGroup> {
        let created = self
            .ec2
            .create_security_group()
            .group_name(new.name)
            .description(new.description)
            .vpc_id(new.vpc_id)
            .tag_specifications(ec2_tag_specification(ec2::ResourceType::SecurityGroup, new.tags))
            .send()
            .await
            .map_err(|e| classify("ec2:CreateSecurityGroup", e));
        let group_id = match created {
            Ok(out) => out.group_id().map(str::to_string).ok_or_else(|| empty_answer("ec2:CreateSecurityGroup"))?,
            // Made by a call whose answer was lost: the same group, if it carries the tags
            // asked for (a group of that name someone else made does not).
            Err(e) if e.is_code("InvalidGroup.Duplicate") => {
                let groups = self.security_groups_of_vpc(new.vpc_id).await?;
                let carries =
                    |tags: &Tags| !new.tags.is_empty() && new.tags.iter().all(|(k, v)| tags.get(k) == Some(v));
                let ours = groups.into_iter().find(|g| g.name == new.name && carries(&g.tags));
                ours.ok_or(e)?.id
            }
            Err(e) => return Err(e),
        };
        Ok(SecurityGroup {
            id: group_id,
            vpc_id: Some(new.vpc_id.to_string()),
            name: new.name.to_string(),
            tags: new.tags.clone(),
        })
    }

    async fn revoke_default_egress(&self, group_id: &str) -> CloudResult<()> {
        // AWS's user guide gives a new group an allow-all IPv4 rule; an IPv6 one too in a
        // VPC with an IPv6 range, by some accounts (AWS documents it only for a VPC's
        // default group). Both are revoked, side by side; one that is not there is fine.
        let revoke = |everything: ec2::IpPermission| async move {
            let revoked = self
                .ec2
                .revoke_security_group_egress()
                .group_id(group_id)
                .ip_permissions(everything)
                .send()
                .await
                .map_err(|e| classify("ec2:RevokeSecurityGroupEgress", e));
            match revoked {
                Err(e) if !e.is_code("InvalidPermission.NotFound") => Err(e),
                _ => Ok(()),
            }
        };
        let ipv4 = ec2::IpPermission::builder()
            .ip_protocol("-1")
            .ip_ranges(ec2::IpRange::builder().cidr_ip("0.0.0.0/0").build())
            .build();
        let ipv6 = ec2::IpPermission::builder()
            .ip_protocol("-1")
            .ipv6_ranges(ec2::Ipv6Range::builder().cidr_ipv6("::/0").build())
            .build();
        futures::try_join!(revoke(ipv4), revoke(ipv6)).map(|_| ())
    }

    async fn authorize_rule(&self, rule: NewGroupRule<'_>) -> CloudResult<()> {
        let permission = tcp_permission(rule.port, rule.peer, rule.description);
        let tags = ec2_tag_specification(ec2::ResourceType::SecurityGroupRule, rule.tags);
        let result = if rule.egress {
            self.ec2
                .authorize_security_group_egress()
                .group_id(rule.group_id)
                .ip_permissions(permission)
                .tag_specifications(tags)
                .send()
                .await
                .map(drop)
                .map_err(|e| classify("ec2:AuthorizeSecurityGroupEgress", e))
        } else {
            self.ec2
                .authorize_security_group_ingress()
                .group_id(rule.group_id)
                .ip_permissions(permission)
                .tag_specifications(tags)
                .send()
                .await
                .map(drop)
                .map_err(|e| classify("ec2:AuthorizeSecurityGroupIngress", e))
        };
        // The rule is there already: a retry of a call whose answer was lost, or a rule
        // someone added since we looked. Either way the access exists.
        match result {
            Err(e) if e.is_code("InvalidPermission.Duplicate") => Ok(()),
            other => other.map(drop),
        }
    }

    async fn decide_connections(
        &self,
        service_id: &str,
        endpoint_ids: &[String],
        accept: bool,
    ) -> CloudResult<Vec<(String, String)>> {
        let unsuccessful = if accept {
            let out = self
                .ec2
                .accept_vpc_endpoint_connections()
                .service_id(service_id)
                .set_vpc_endpoint_ids(Some(endpoint_ids.to_vec()))
                .send()
                .await
                .map_err(|e| classify("ec2:AcceptVpcEndpointConnections", e))?;
            out.unsuccessful().to_vec()
        } else {
            let out = self
                .ec2
                .reject_vpc_endpoint_connections()
                .service_id(service_id)
                .set_vpc_endpoint_ids(Some(endpoint_ids.to_vec()))
                .send()
                .await
                .map_err(|e| classify("ec2:RejectVpcEndpointConnections", e))?;
            out.unsuccessful().to_vec()
        };
        Ok(unsuccessful
            .iter()
            .map(|u| {
                let why = u.error().and_then(|e| e.message()).unwrap_or("no reason given").to_string();
                (u.resource_id().unwrap_or_default().to_string(), why)
            })
            .collect())
    }

    async fn revoke_rules(&self, group_id: &str, egress: bool, rule_ids: &[String]) -> CloudResult<()> {
        let result = if egress {
            self.ec2
                .revoke_security_group_egress()
                .group_id(group_id)
                .set_security_group_rule_ids(Some(rule_ids.to_vec()))
                .send()
                .await
                .map(drop)
                .map_err(|e| classify("ec2:RevokeSecurityGroupEgress", e))
        } else {
            self.ec2
                .revoke_security_group_ingress()
                .group_id(group_id)
                .set_security_group_rule_ids(Some(rule_ids.to_vec()))
                .send()
                .await
                .map(drop)
                .map_err(|e| classify("ec2:RevokeSecurityGroupIngress", e))
        };
        match result {
            Err(e) if e.is_code("InvalidPermission.NotFound") || e.is_code("InvalidSecurityGroupRuleId.NotFound") => {
                Ok(())
            }
            other => other.map(drop),
        }
    }

    async fn delete_endpoint_service(&self, service_id: &str) -> CloudResult<()> {
        const ACTION: &str = "ec2:DeleteVpcEndpointServiceConfigurations";
        let out = self
            .ec2
            .delete_vpc_endpoint_service_configurations()
            .service_ids(service_id)
            .send()
            .await
            .map_err(|e| classify(ACTION, e))?;
        // Per-service failures come back in the answer, not as an error.
        match out.unsuccessful().iter().find_map(|u| u.error()) {
            None => Ok(()),
            Some(e) if e.code().is_some_and(|code| code.ends_with(".NotFound")) => Ok(()),
            Some(e) => Err(CloudError {
                action: ACTION,
                kind: CloudErrorKind::Other,
                code: e.code().map(str::to_string),
                message: e.message().unwrap_or("no reason given").to_string(),
            }),
        }
    }

    async fn delete_listener(&self, listener_arn: &str) -> CloudResult<()> {
        match self.elb.delete_listener().listener_arn(listener_arn).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("elasticloadbalancing:DeleteListener", e), "ListenerNotFound"),
        }
    }

    async fn delete_load_balancer(&self, load_balancer_arn: &str) -> CloudResult<()> {
        match self.elb.delete_load_balancer().load_balancer_arn(load_balancer_arn).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("elasticloadbalancing:DeleteLoadBalancer", e), "LoadBalancerNotFound"),
        }
    }

    async fn delete_target_group(&self, target_group_arn: &str) -> CloudResult<()> {
        match self.elb.delete_target_group().target_group_arn(target_group_arn).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("elasticloadbalancing:DeleteTargetGroup", e), "TargetGroupNotFound"),
        }
    }

    async fn delete_security_group(&self, group_id: &str) -> CloudResult<()> {
        match self.ec2.delete_security_group().group_id(group_id).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("ec2:DeleteSecurityGroup", e), "InvalidGroup.NotFound"),
        }
    }

    async fn use_security_group_without_privatelink_inbound_rules(
        &self,
        load_balancer_arn: &str,
        security_group_id: &str,
    ) -> CloudResult<()> {
        self.elb
            .set_security_groups()
            .load_balancer_arn(load_balancer_arn)
            .security_groups(security_group_id)
            .enforce_security_group_inbound_rules_on_private_link_traffic(
                elb::EnforceSecurityGroupInboundRulesOnPrivateLinkTrafficEnum::Off,
            )
            .send()
            .await
            .map_err(|e| classify("elasticloadbalancing:SetSecurityGroups", e))?;
        Ok(())
    }
}

/// A delete whose resource is already gone has nothing left to do.
fn gone_is_done(error: CloudError, not_found: &str) -> CloudResult<()> {
    if error.is_code(not_found) { Ok(()) } else { Err(error) }
}

impl SdkCloud {
    async fn describe_security_groups(&self, filter: ec2::Filter) -> CloudResult<Vec<SecurityGroup>> {
        let groups: Vec<ec2::SecurityGroup> = self
            .ec2
            .describe_security_groups()
            .filters(filter)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeSecurityGroups", e))?;
        Ok(groups.iter().map(security_group).collect())
    }

    async fn describe_subnets(&self, filter: ec2::Filter) -> CloudResult<Vec<Subnet>> {
        let subnets: Vec<ec2::Subnet> = self
            .ec2
            .describe_subnets()
            .filters(filter)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeSubnets", e))?;
        Ok(subnets.iter().map(subnet).collect())
    }

    async fn describe_instances(&self, filter: ec2::Filter) -> CloudResult<Vec<Instance>> {
        let reservations: Vec<ec2::Reservation> = self
            .ec2
            .describe_instances()
            .filters(filter)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeInstances", e))?;
        Ok(reservations.iter().flat_map(|r| r.instances()).map(instance).collect())
    }

    async fn group_rules(&self, filter: ec2::Filter) -> CloudResult<Vec<GroupRule>> {
        let rules: Vec<ec2::SecurityGroupRule> = self
            .ec2
            .describe_security_group_rules()
            .filters(filter)
            .into_paginator()
            .items()
            .send()
            .collect::<Result<_, _>>()
            .await
            .map_err(|e| classify("ec2:DescribeSecurityGroupRules", e))?;
        Ok(rules
            .iter()
            .map(|r| GroupRule {
                id: r.security_group_rule_id().unwrap_or_default().to_string(),
                group_id: r.group_id().unwrap_or_default().to_string(),
                egress: r.is_egress() == Some(true),
                protocol: r.ip_protocol().unwrap_or_default().to_string(),
                from_port: r.from_port().unwrap_or(-1),
                to_port: r.to_port().unwrap_or(-1),
                peer: r.cidr_ipv4().map(|cidr| Peer::Cidr(cidr.to_string())).or_else(|| {
                    r.referenced_group_info().and_then(|g| g.group_id()).map(|id| Peer::Group(id.to_string()))
                }),
                tags: ec2_tags(r.tags()),
            })
            .collect())
    }
}

fn forward_to(target_group_arn: &str) -> elb::Action {
    elb::Action::builder().r#type(elb::ActionTypeEnum::Forward).target_group_arn(target_group_arn).build()
}

fn non_empty(items: &[String]) -> Option<Vec<String>> {
    (!items.is_empty()).then(|| items.to_vec())
}

fn empty_answer(action: &'static str) -> CloudError {
    CloudError {
        action,
        kind: CloudErrorKind::Other,
        code: None,
        message: "AWS answered without the created resource".into(),
    }
}
