//! What AWS holds for a deployment, read with the SDK directly: the independent view
//! the tests compare the tool's work against.

use std::collections::BTreeMap;

use aws_sdk_ec2::types::Filter;

use super::Emulator;

pub type Tags = BTreeMap<String, String>;

#[derive(Debug, Default)]
pub struct LoadBalancer {
    pub arn: String,
    pub scheme: String,
    pub kind: String,
    pub subnets: Vec<String>,
    pub security_groups: Vec<String>,
    /// `EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic`, as AWS reports it.
    pub privatelink_inbound_rules: Option<String>,
    pub tags: Tags,
    pub cross_zone: bool,
    pub listeners: Vec<Listener>,
}

#[derive(Debug)]
pub struct Listener {
    pub protocol: String,
    pub port: i32,
    pub forward_to: Vec<String>,
}

#[derive(Debug, Default)]
pub struct TargetGroup {
    pub arn: String,
    pub protocol: String,
    pub port: i32,
    pub vpc_id: String,
    pub target_type: String,
    pub health_check_protocol: String,
    /// Interval, timeout, healthy and unhealthy thresholds.
    pub health_check: (i32, i32, i32, i32),
    pub tags: Tags,
    /// `id:port`, sorted.
    pub targets: Vec<String>,
}

#[derive(Debug, Default)]
pub struct Service {
    pub id: String,
    pub name: String,
    pub load_balancers: Vec<String>,
    pub acceptance_required: bool,
    pub supported_regions: Vec<String>,
    pub principals: Vec<String>,
    pub tags: Tags,
}

#[derive(Debug, Clone)]
pub struct GroupRule {
    pub group_id: String,
    pub egress: bool,
    /// `tcp`, or `-1` for all traffic.
    pub protocol: String,
    /// The CIDR, or the ID of the security group the rule refers to.
    pub peer: String,
    pub from_port: i32,
    pub to_port: i32,
    pub tags: Tags,
}

#[derive(Debug)]
pub struct SecurityGroup {
    pub id: String,
    pub name: String,
    pub tags: Tags,
    /// Every rule of the group, tagged or not.
    pub rules: Vec<GroupRule>,
}

/// Every resource in the region whose name or deployment tag is `name`.
#[derive(Debug, Default)]
pub struct Deployment {
    pub load_balancers: Vec<LoadBalancer>,
    pub target_groups: Vec<TargetGroup>,
    pub services: Vec<Service>,
    /// Security groups tagged for the deployment.
    pub security_groups: Vec<SecurityGroup>,
    /// Rules tagged for the deployment, in any group.
    pub rules: Vec<GroupRule>,
}

impl Deployment {
    pub fn load_balancer(&self) -> &LoadBalancer {
        assert_eq!(self.load_balancers.len(), 1, "exactly one load balancer: {self:#?}");
        &self.load_balancers[0]
    }

    pub fn target_group(&self) -> &TargetGroup {
        assert_eq!(self.target_groups.len(), 1, "exactly one target group: {self:#?}");
        &self.target_groups[0]
    }

    pub fn service(&self) -> &Service {
        assert_eq!(self.services.len(), 1, "exactly one endpoint service: {self:#?}");
        &self.services[0]
    }

    pub fn security_group(&self) -> &SecurityGroup {
        assert_eq!(self.security_groups.len(), 1, "exactly one security group: {self:#?}");
        &self.security_groups[0]
    }

    /// The deployment's rules in groups other than its own: the database's.
    pub fn database_rules(&self) -> Vec<&GroupRule> {
        let own: Vec<&str> = self.security_groups.iter().map(|g| g.id.as_str()).collect();
        self.rules.iter().filter(|r| !own.contains(&r.group_id.as_str())).collect()
    }

    pub fn is_empty(&self) -> bool {
        self.load_balancers.is_empty()
            && self.target_groups.is_empty()
            && self.services.is_empty()
            && self.security_groups.is_empty()
            && self.rules.is_empty()
    }
}

pub async fn read(emulator: &Emulator, region: &str, name: &str) -> Deployment {
    let config = emulator.sdk(region).await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let tag_key = "airbyte-plink:deployment";
    let mut deployment = Deployment::default();

    let lbs = elb.describe_load_balancers().send().await.unwrap();
    for lb in lbs.load_balancers().iter().filter(|lb| lb.load_balancer_name() == Some(name)) {
        let arn = lb.load_balancer_arn().unwrap().to_string();
        let attributes = elb.describe_load_balancer_attributes().load_balancer_arn(&arn).send().await.unwrap();
        let listeners = elb.describe_listeners().load_balancer_arn(&arn).send().await.unwrap();
        deployment.load_balancers.push(LoadBalancer {
            scheme: lb.scheme().unwrap().as_str().into(),
            kind: lb.r#type().unwrap().as_str().into(),
            subnets: sorted(lb.availability_zones().iter().map(|az| az.subnet_id().unwrap().to_string())),
            security_groups: lb.security_groups().to_vec(),
            privatelink_inbound_rules: lb
                .enforce_security_group_inbound_rules_on_private_link_traffic()
                .map(str::to_string),
            tags: elb_tags(&elb, &arn).await,
            cross_zone: attributes
                .attributes()
                .iter()
                .any(|a| a.key() == Some("load_balancing.cross_zone.enabled") && a.value() == Some("true")),
            listeners: listeners
                .listeners()
                .iter()
                .map(|l| Listener {
                    protocol: l.protocol().unwrap().as_str().into(),
                    port: l.port().unwrap(),
                    forward_to: l
                        .default_actions()
                        .iter()
                        .filter_map(|a| a.target_group_arn().map(String::from))
                        .collect(),
                })
                .collect(),
            arn,
        });
    }

    let tgs = elb.describe_target_groups().send().await.unwrap();
    for tg in tgs.target_groups().iter().filter(|tg| tg.target_group_name() == Some(name)) {
        let arn = tg.target_group_arn().unwrap().to_string();
        let health = elb.describe_target_health().target_group_arn(&arn).send().await.unwrap();
        deployment.target_groups.push(TargetGroup {
            protocol: tg.protocol().unwrap().as_str().into(),
            port: tg.port().unwrap(),
            vpc_id: tg.vpc_id().unwrap().into(),
            target_type: tg.target_type().unwrap().as_str().into(),
            health_check_protocol: tg.health_check_protocol().map(|p| p.as_str().to_string()).unwrap_or_default(),
            health_check: (
                tg.health_check_interval_seconds().unwrap_or_default(),
                tg.health_check_timeout_seconds().unwrap_or_default(),
                tg.healthy_threshold_count().unwrap_or_default(),
                tg.unhealthy_threshold_count().unwrap_or_default(),
            ),
            tags: elb_tags(&elb, &arn).await,
            targets: sorted(
                health
                    .target_health_descriptions()
                    .iter()
                    .filter_map(|d| d.target())
                    .map(|t| format!("{}:{}", t.id().unwrap(), t.port().unwrap())),
            ),
            arn,
        });
    }

    // Read every service, not filtered: the tool's own filtering is what is under test.
    let services = ec2.describe_vpc_endpoint_service_configurations().send().await.unwrap();
    for s in services.service_configurations() {
        let tags: Tags = s.tags().iter().map(|t| (t.key().unwrap().into(), t.value().unwrap().into())).collect();
        if tags.get(tag_key).map(String::as_str) != Some(name) {
            continue;
        }
        let id = s.service_id().unwrap().to_string();
        let permissions = ec2.describe_vpc_endpoint_service_permissions().service_id(&id).send().await.unwrap();
        deployment.services.push(Service {
            name: s.service_name().unwrap().into(),
            load_balancers: s.network_load_balancer_arns().to_vec(),
            acceptance_required: s.acceptance_required().unwrap(),
            supported_regions: sorted(s.supported_regions().iter().map(|r| r.region().unwrap().to_string())),
            principals: sorted(permissions.allowed_principals().iter().map(|p| p.principal().unwrap().to_string())),
            tags,
            id,
        });
    }

    let rules = ec2.describe_security_group_rules().send().await.unwrap();
    let all_rules: Vec<GroupRule> = rules
        .security_group_rules()
        .iter()
        .map(|rule| GroupRule {
            group_id: rule.group_id().unwrap().into(),
            egress: rule.is_egress().unwrap_or(false),
            protocol: rule.ip_protocol().unwrap_or_default().into(),
            peer: rule
                .cidr_ipv4()
                .map(str::to_string)
                .or_else(|| rule.referenced_group_info().and_then(|g| g.group_id()).map(str::to_string))
                .unwrap_or_default(),
            from_port: rule.from_port().unwrap_or(-1),
            to_port: rule.to_port().unwrap_or(-1),
            tags: rule.tags().iter().map(|t| (t.key().unwrap().into(), t.value().unwrap().into())).collect(),
        })
        .collect();
    deployment.rules =
        all_rules.iter().filter(|r| r.tags.get(tag_key).map(String::as_str) == Some(name)).cloned().collect();
    let groups = ec2.describe_security_groups().send().await.unwrap();
    for group in groups.security_groups() {
        let tags: Tags = group.tags().iter().map(|t| (t.key().unwrap().into(), t.value().unwrap().into())).collect();
        if tags.get(tag_key).map(String::as_str) == Some(name) {
            let id = group.group_id().unwrap().to_string();
            deployment.security_groups.push(SecurityGroup {
                name: group.group_name().unwrap().into(),
                rules: all_rules.iter().filter(|r| r.group_id == id).cloned().collect(),
                tags,
                id,
            });
        }
    }
    deployment
}

async fn elb_tags(elb: &aws_sdk_elasticloadbalancingv2::Client, arn: &str) -> Tags {
    let out = elb.describe_tags().resource_arns(arn).send().await.unwrap();
    out.tag_descriptions()
        .iter()
        .flat_map(|d| d.tags())
        .map(|t| (t.key().unwrap().to_string(), t.value().unwrap_or_default().to_string()))
        .collect()
}

fn sorted(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut items: Vec<String> = items.collect();
    items.sort();
    items
}

/// Creates a load balancer named `name` without the tool's tags, as another team would.
pub async fn create_foreign_load_balancer(emulator: &Emulator, region: &str, name: &str, subnets: &[String]) {
    let config = emulator.sdk(region).await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    elb.create_load_balancer()
        .name(name)
        .r#type(aws_sdk_elasticloadbalancingv2::types::LoadBalancerTypeEnum::Network)
        .scheme(aws_sdk_elasticloadbalancingv2::types::LoadBalancerSchemeEnum::Internal)
        .set_subnets(Some(subnets.to_vec()))
        .send()
        .await
        .unwrap();
}

/// Every resource in the region carrying the tool's deployment tag, whatever the
/// deployment: what a teardown must leave none of. Listed as `kind name-or-id`.
pub async fn tagged_resources(emulator: &Emulator, region: &str) -> Vec<String> {
    let config = emulator.sdk(region).await;
    let elb = aws_sdk_elasticloadbalancingv2::Client::new(&config);
    let ec2 = aws_sdk_ec2::Client::new(&config);
    let tag_key = "airbyte-plink:deployment";
    let mut found = Vec::new();
    let lbs = elb.describe_load_balancers().send().await.unwrap();
    let tgs = elb.describe_target_groups().send().await.unwrap();
    let elb_resources = lbs
        .load_balancers()
        .iter()
        .map(|lb| ("load balancer", lb.load_balancer_arn().unwrap()))
        .chain(tgs.target_groups().iter().map(|tg| ("target group", tg.target_group_arn().unwrap())));
    for (kind, arn) in elb_resources {
        if elb_tags(&elb, arn).await.contains_key(tag_key) {
            found.push(format!("{kind} {arn}"));
        }
    }
    let services = ec2.describe_vpc_endpoint_service_configurations().send().await.unwrap();
    for s in services.service_configurations() {
        if s.tags().iter().any(|t| t.key() == Some(tag_key)) {
            found.push(format!("endpoint service {}", s.service_id().unwrap()));
        }
    }
    let rules = ec2.describe_security_group_rules().send().await.unwrap();
    for rule in rules.security_group_rules() {
        if rule.tags().iter().any(|t| t.key() == Some(tag_key)) {
            found.push(format!("security group rule {}", rule.security_group_rule_id().unwrap()));
        }
    }
    let groups = ec2.describe_security_groups().send().await.unwrap();
    for group in groups.security_groups() {
        if group.tags().iter().any(|t| t.key() == Some(tag_key)) {
            found.push(format!("security group {}", group.group_id().unwrap()));
        }
    }
    found
}

/// Security group rules without the tool's tag, as `group cidr port`: what teardown
/// must never touch.
pub async fn untagged_ingress_rules(emulator: &Emulator, region: &str) -> Vec<String> {
    let ec2 = aws_sdk_ec2::Client::new(&emulator.sdk(region).await);
    let rules = ec2.describe_security_group_rules().send().await.unwrap();
    sorted(
        rules
            .security_group_rules()
            .iter()
            .filter(|r| {
                !r.is_egress().unwrap_or(false) && r.tags().iter().all(|t| t.key() != Some("airbyte-plink:deployment"))
            })
            .map(|r| {
                format!("{} {} {}", r.group_id().unwrap(), r.cidr_ipv4().unwrap_or("-"), r.from_port().unwrap_or(-1))
            }),
    )
}

pub fn filter(name: &str, value: &str) -> Filter {
    Filter::builder().name(name).values(value).build()
}
