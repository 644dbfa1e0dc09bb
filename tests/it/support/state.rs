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
    found.extend(follower_resources(emulator, region).await);
    found
}

/// Every follower resource in the region, by the names the tool gives them, tagged or not.
pub async fn follower_resources(emulator: &Emulator, region: &str) -> Vec<String> {
    let config = emulator.sdk(region).await;
    let prefix = "airbyte-plink-";
    let mut found = Vec::new();
    let functions = aws_sdk_lambda::Client::new(&config).list_functions().send().await.unwrap();
    for f in functions.functions() {
        let name = f.function_name().unwrap_or_default();
        if name.starts_with(prefix) {
            found.push(format!("Lambda function {name}"));
        }
    }
    let roles = aws_sdk_iam::Client::new(&config).list_roles().send().await.unwrap();
    found.extend(
        roles
            .roles()
            .iter()
            .filter(|r| r.role_name().starts_with(prefix))
            .map(|r| format!("IAM role {}", r.role_name())),
    );
    let rules = aws_sdk_eventbridge::Client::new(&config).list_rules().name_prefix(prefix).send().await.unwrap();
    found.extend(rules.rules().iter().map(|r| format!("EventBridge rule {}", r.name().unwrap_or_default())));
    let alarms =
        aws_sdk_cloudwatch::Client::new(&config).describe_alarms().alarm_name_prefix(prefix).send().await.unwrap();
    found.extend(alarms.metric_alarms().iter().map(|a| format!("alarm {}", a.alarm_name().unwrap_or_default())));
    let groups = aws_sdk_cloudwatchlogs::Client::new(&config)
        .describe_log_groups()
        .log_group_name_prefix(format!("/aws/lambda/{prefix}"))
        .send()
        .await
        .unwrap();
    found.extend(groups.log_groups().iter().map(|g| format!("log group {}", g.log_group_name().unwrap_or_default())));
    found
}

/// An EventBridge rule: its schedule or pattern, its state, and its targets' ARNs.
#[derive(Debug, Default)]
pub struct Rule {
    pub schedule: Option<String>,
    pub pattern: Option<String>,
    pub state: String,
    pub targets: Vec<String>,
}

/// A deployment's follower as AWS holds it.
#[derive(Debug, Default)]
pub struct Follower {
    pub function_arn: String,
    pub runtime: String,
    pub handler: String,
    pub state: String,
    /// The uploaded code's SHA-256, as Lambda reports it.
    pub code_sha256: String,
    pub role_arn: String,
    pub environment: Tags,
    pub function_tags: Tags,
    /// The role's inline policy, parsed.
    pub policy: serde_json::Value,
    pub trusts: serde_json::Value,
    pub rules: BTreeMap<String, Rule>,
    /// The function's policy statements: Sid and the SourceArn each allows.
    pub invokers: BTreeMap<String, String>,
    pub alarm_dimensions: Tags,
    pub alarm_actions: Vec<String>,
    pub alarm_metric: String,
    pub log_retention: Option<i32>,
}

pub async fn follower(emulator: &Emulator, region: &str, deployment: &str) -> Option<Follower> {
    let config = emulator.sdk(region).await;
    let name = format!("airbyte-plink-{deployment}-follower");
    let lambda = aws_sdk_lambda::Client::new(&config);
    let got = lambda.get_function().function_name(&name).send().await.ok()?;
    let c = got.configuration().unwrap();
    let mut follower = Follower {
        function_arn: c.function_arn().unwrap().to_string(),
        runtime: c.runtime().map(|r| r.as_str().to_string()).unwrap_or_default(),
        handler: c.handler().unwrap_or_default().to_string(),
        state: c.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
        code_sha256: c.code_sha256().unwrap_or_default().to_string(),
        role_arn: c.role().unwrap_or_default().to_string(),
        environment: c
            .environment()
            .and_then(|e| e.variables())
            .map(|v| v.clone().into_iter().collect())
            .unwrap_or_default(),
        function_tags: got.tags().map(|t| t.clone().into_iter().collect()).unwrap_or_default(),
        ..Follower::default()
    };
    let iam = aws_sdk_iam::Client::new(&config);
    let role_name = format!("airbyte-plink-{deployment}-{region}");
    let role = iam.get_role().role_name(&role_name).send().await.unwrap();
    // IAM answers policy documents URL-encoded.
    let decode = |text: &str| -> serde_json::Value {
        let text = text.replace('+', " ");
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&text[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        serde_json::from_slice(&out).unwrap()
    };
    follower.trusts = decode(role.role().unwrap().assume_role_policy_document().unwrap_or_default());
    let policy = iam.get_role_policy().role_name(&role_name).policy_name("follow-targets").send().await.unwrap();
    follower.policy = decode(policy.policy_document());
    if let Ok(p) = lambda.get_policy().function_name(&name).send().await {
        let doc: serde_json::Value = serde_json::from_str(p.policy().unwrap()).unwrap();
        for s in doc["Statement"].as_array().unwrap() {
            let source = s["Condition"]["ArnLike"]["AWS:SourceArn"].as_str().unwrap_or_default();
            follower.invokers.insert(s["Sid"].as_str().unwrap().to_string(), source.to_string());
        }
    }
    let events = aws_sdk_eventbridge::Client::new(&config);
    let rules = events.list_rules().name_prefix(format!("airbyte-plink-{deployment}-")).send().await.unwrap();
    for rule in rules.rules() {
        let rule_name = rule.name().unwrap().to_string();
        let targets = events.list_targets_by_rule().rule(&rule_name).send().await.unwrap();
        let arns = targets.targets().iter().map(|t| t.arn().to_string()).collect();
        let state = rule.state().map(|s| s.as_str().to_string()).unwrap_or_default();
        let entry = Rule {
            schedule: rule.schedule_expression().map(str::to_string),
            pattern: rule.event_pattern().map(str::to_string),
            state,
            targets: arns,
        };
        follower.rules.insert(rule_name, entry);
    }
    let alarms = aws_sdk_cloudwatch::Client::new(&config)
        .describe_alarms()
        .alarm_names(format!("airbyte-plink-{deployment}-no-healthy-target"))
        .send()
        .await
        .unwrap();
    if let Some(alarm) = alarms.metric_alarms().first() {
        follower.alarm_metric =
            format!("{}/{}", alarm.namespace().unwrap_or_default(), alarm.metric_name().unwrap_or_default());
        follower.alarm_dimensions = alarm
            .dimensions()
            .iter()
            .map(|d| (d.name().unwrap().to_string(), d.value().unwrap().to_string()))
            .collect();
        follower.alarm_actions = alarm.alarm_actions().to_vec();
    }
    let groups = aws_sdk_cloudwatchlogs::Client::new(&config)
        .describe_log_groups()
        .log_group_name_prefix(format!("/aws/lambda/{name}"))
        .send()
        .await
        .unwrap();
    follower.log_retention = groups.log_groups().first().and_then(|g| g.retention_in_days());
    Some(follower)
}

/// Changes a deployment's follower by hand: other code and another setting, as a person
/// editing it in the console would.
pub async fn drift_follower(emulator: &Emulator, region: &str, deployment: &str) {
    let config = emulator.sdk(region).await;
    let lambda = aws_sdk_lambda::Client::new(&config);
    let name = format!("airbyte-plink-{deployment}-follower");
    let current = lambda.get_function().function_name(&name).send().await.unwrap();
    let mut variables = current.configuration().unwrap().environment().unwrap().variables().unwrap().clone();
    variables.insert("PLINK_PORT".into(), "1".into());
    let environment = aws_sdk_lambda::types::Environment::builder().set_variables(Some(variables)).build();
    lambda.update_function_configuration().function_name(&name).environment(environment).send().await.unwrap();
    let other = zip_of("def handler(event, context):\n    return None\n");
    lambda
        .update_function_code()
        .function_name(&name)
        .zip_file(aws_sdk_lambda::primitives::Blob::new(other))
        .send()
        .await
        .unwrap();
}

/// A zip holding `follower.py` with `source`, made by the emulator's Python (the
/// standard library's zipfile, independent of the tool's own packaging).
fn zip_of(source: &str) -> Vec<u8> {
    let python = std::env::var("PLINK_EMULATOR_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = "import io,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w')\nz.writestr('follower.py', sys.argv[1])\nz.close()\nsys.stdout.buffer.write(b.getvalue())";
    let out = std::process::Command::new(python).args(["-c", script, source]).output().unwrap();
    assert!(out.status.success());
    out.stdout
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
