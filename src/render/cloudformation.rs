//! The desired state as a CloudFormation template: the same resources, settings and tags
//! `setup` creates, so `verify`, `accept` and `status` work on a stack made from it, and
//! the handover values as outputs.

use serde_json::{Map, Value, json};

use crate::aws::follower::Trigger;
use crate::aws::{Peer, Tags};
use crate::engine::deployment::desired::Desired;
use crate::engine::deployment::follower::{
    DesiredFollower, LOG_RETENTION_DAYS, POLICY_NAME, RULE_TARGET_ID, TARGET_GROUP_VARIABLE, policy_document,
    trust_policy,
};

/// ELBv2's attribute for cross-zone load balancing on a network load balancer.
const CROSS_ZONE_ATTRIBUTE: &str = "load_balancing.cross_zone.enabled";

pub fn template(d: &Desired) -> Value {
    let mut resources = Map::new();
    resources.insert(
        "TargetGroup".into(),
        target_group(d, &d.name, d.port, d.target_type, &d.targets, &d.target_group_tags),
    );
    // Each other database: its own target group and listener, and its group's rule. They
    // are numbered in the spec's order: CloudFormation's logical IDs take no hyphen.
    for (index, database) in d.databases.iter().enumerate() {
        let id = format!("Database{}", index + 1);
        let group = target_group(
            d,
            &database.target_group,
            database.port,
            database.target_type,
            &database.targets,
            &database.target_group_tags,
        );
        resources.insert(format!("{id}TargetGroup"), group);
        resources.insert(format!("{id}Listener"), listener(d, database.listener_port, &format!("{id}TargetGroup")));
        if let Some(group_id) = &database.database_group {
            resources.insert(format!("{id}Ingress"), ingress(d, group_id, database.port));
        }
    }
    // The load balancer's own group: no inbound rule, outbound only to the database.
    let egress: Vec<Value> = d
        .egress()
        .into_iter()
        .map(|(port, peer)| {
            let mut rule = json!({ "IpProtocol": "tcp", "FromPort": port, "ToPort": port });
            match peer {
                Peer::Cidr(cidr) => rule["CidrIp"] = json!(cidr),
                Peer::Group(id) => rule["DestinationSecurityGroupId"] = json!(id),
            }
            rule
        })
        .collect();
    resources.insert(
        "LoadBalancerSecurityGroup".into(),
        json!({
            "Type": "AWS::EC2::SecurityGroup",
            "Properties": {
                "GroupName": d.security_group.name,
                "GroupDescription": d.security_group.description,
                "VpcId": d.vpc_id,
                "SecurityGroupEgress": egress,
                "Tags": tag_list(&d.tags),
            }
        }),
    );
    // PrivateLink traffic is let through the group: AWS filters it by default.
    resources.insert(
        "LoadBalancer".into(),
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::LoadBalancer",
            "Properties": {
                "Name": d.name,
                "Type": "network",
                "Scheme": "internal",
                "IpAddressType": "ipv4",
                "Subnets": d.subnet_ids(),
                "SecurityGroups": [{ "Ref": "LoadBalancerSecurityGroup" }],
                "EnforceSecurityGroupInboundRulesOnPrivateLinkTraffic": "off",
                "LoadBalancerAttributes": [{ "Key": CROSS_ZONE_ATTRIBUTE, "Value": d.cross_zone.to_string() }],
                "Tags": tag_list(&d.tags),
            }
        }),
    );
    resources.insert("Listener".into(), listener(d, d.port, "TargetGroup"));
    let mut service = json!({
        "NetworkLoadBalancerArns": [{ "Ref": "LoadBalancer" }],
        "AcceptanceRequired": d.acceptance_required,
        "Tags": tag_list(&d.service_tags),
    });
    if !d.supported_regions.is_empty() {
        service["SupportedRegions"] = json!(d.supported_regions);
    }
    resources
        .insert("EndpointService".into(), json!({ "Type": "AWS::EC2::VPCEndpointService", "Properties": service }));
    resources.insert(
        "EndpointServicePermissions".into(),
        json!({
            "Type": "AWS::EC2::VPCEndpointServicePermissions",
            "Properties": { "ServiceId": { "Ref": "EndpointService" }, "AllowedPrincipals": d.principals }
        }),
    );
    if let Some(group_id) = &d.database_group {
        resources.insert("DatabaseIngress".into(), ingress(d, group_id, d.port));
    }
    if let Some(follower) = &d.follower {
        follower_resources(follower, &mut resources);
    }

    let zone_ids: Vec<&str> = d.subnets.iter().map(|s| s.az_id.as_str()).collect();
    let output = |description: &str, value: Value| json!({ "Description": description, "Value": value });
    let mut outputs = Map::new();
    outputs.insert(
        "ServiceName".into(),
        output(
            "Give this to Airbyte: Workspace settings › Private Links",
            json!({ "Fn::Sub": "com.amazonaws.vpce.${AWS::Region}.${EndpointService}" }),
        ),
    );
    outputs.insert("ServiceId".into(), output("The endpoint service", json!({ "Ref": "EndpointService" })));
    outputs.insert(
        "AvailabilityZoneIds".into(),
        output("Zones the service is in, by AZ ID (the same in every account)", json!(zone_ids.join(","))),
    );
    outputs.insert("AllowedPrincipals".into(), output("Who may connect", json!(d.principals.join(","))));
    outputs.insert(
        "AcceptanceRequired".into(),
        output(
            "Whether each connection must be accepted (airbyte-plink accept --wait)",
            json!(d.acceptance_required.to_string()),
        ),
    );
    // CloudFormation refuses an output with an empty value.
    if !d.supported_regions.is_empty() {
        outputs.insert(
            "SupportedRegions".into(),
            output("Regions consumers may connect from besides the stack's own", json!(d.supported_regions.join(","))),
        );
    }
    outputs.insert(
        "LoadBalancerArn".into(),
        output("The internal network load balancer", json!({ "Ref": "LoadBalancer" })),
    );
    outputs.insert("TargetGroupArn".into(), output("The database's target group", json!({ "Ref": "TargetGroup" })));
    for (index, database) in d.databases.iter().enumerate() {
        outputs.insert(
            format!("Database{}Port", index + 1),
            output(
                &format!("The port of database {} in Airbyte's connector, on the same service", database.name),
                json!(database.listener_port.to_string()),
            ),
        );
    }
    outputs.insert(
        "LoadBalancerSecurityGroupId".into(),
        output("The load balancer's own security group", json!({ "Ref": "LoadBalancerSecurityGroup" })),
    );

    json!({
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": format!(
            "airbyte-plink deployment {}: AWS PrivateLink from Airbyte Cloud ({}) to a database in {}",
            d.name, d.airbyte_region, d.region
        ),
        "Resources": resources,
        "Outputs": outputs,
    })
}

/// A database's target group with its targets.
fn target_group(
    d: &Desired,
    name: &str,
    port: u16,
    target_type: crate::aws::TargetType,
    targets: &[crate::aws::TargetRef],
    tags: &Tags,
) -> Value {
    let targets: Vec<Value> = targets
        .iter()
        .map(|t| {
            let mut target = json!({ "Id": t.id, "Port": t.port });
            if let Some(zone) = &t.availability_zone {
                target["AvailabilityZone"] = json!(zone);
            }
            target
        })
        .collect();
    json!({
        "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
        "Properties": {
            "Name": name,
            "Protocol": "TCP",
            "Port": port,
            "VpcId": d.vpc_id,
            "TargetType": target_type.as_str(),
            "HealthCheckProtocol": "TCP",
            "HealthCheckIntervalSeconds": d.health_check.interval_seconds,
            "HealthCheckTimeoutSeconds": d.health_check.timeout_seconds,
            "HealthyThresholdCount": d.health_check.healthy_threshold,
            "UnhealthyThresholdCount": d.health_check.unhealthy_threshold,
            "Targets": targets,
            "Tags": tag_list(tags),
        }
    })
}

/// A TCP listener on `port` forwarding to the target group `target_group` (a logical ID).
fn listener(d: &Desired, port: u16, target_group: &str) -> Value {
    let mut listener = json!({
        "LoadBalancerArn": { "Ref": "LoadBalancer" },
        "Protocol": "TCP",
        "Port": port,
        "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": target_group } }],
    });
    if d.idle_timeout != crate::aws::DEFAULT_IDLE_TIMEOUT {
        listener["ListenerAttributes"] =
            json!([{ "Key": "tcp.idle_timeout.seconds", "Value": d.idle_timeout.to_string() }]);
    }
    json!({ "Type": "AWS::ElasticLoadBalancingV2::Listener", "Properties": listener })
}

/// The database's group letting the load balancer's in on `port`.
fn ingress(d: &Desired, group_id: &str, port: u16) -> Value {
    json!({
        "Type": "AWS::EC2::SecurityGroupIngress",
        "Properties": {
            "GroupId": group_id,
            "IpProtocol": "tcp",
            "FromPort": port,
            "ToPort": port,
            "SourceSecurityGroupId": { "Ref": "LoadBalancerSecurityGroup" },
            "Description": format!("airbyte-plink {}: the load balancer", d.name),
        }
    })
}

/// The follower as the stack's: the same function, role, log group, rules and alarm
/// setup makes. Its code is inline (comments left out, for CloudFormation's 4096
/// characters), so the stack needs nothing uploaded; CloudFormation writes it as
/// `index.py`, hence the handler's module. The function changes the target group's
/// targets, which the stack declares: a stack update puts back the addresses of the
/// export until the follower's next run.
fn follower_resources(f: &DesiredFollower, resources: &mut Map<String, Value>) {
    let settings = f.settings("");
    let mut environment: Map<String, Value> = settings.environment.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
    environment.insert(TARGET_GROUP_VARIABLE.into(), json!({ "Ref": "TargetGroup" }));
    let policy: Value =
        serde_json::from_str(&policy_document("TARGET_GROUP", &f.other_target_groups(), &f.log_group_arn()))
            .unwrap_or_default();
    let policy = with_target_group_ref(policy);
    let trust: Value = serde_json::from_str(&trust_policy()).unwrap_or_default();
    resources.insert(
        "FollowerRole".into(),
        json!({
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": f.role,
                "Description": f.role_description(),
                "AssumeRolePolicyDocument": trust,
                "Policies": [{ "PolicyName": POLICY_NAME, "PolicyDocument": policy }],
                "Tags": tag_list(&f.tags),
            }
        }),
    );
    resources.insert(
        "FollowerLogGroup".into(),
        json!({
            "Type": "AWS::Logs::LogGroup",
            "Properties": { "LogGroupName": f.log_group, "RetentionInDays": LOG_RETENTION_DAYS, "Tags": tag_list(&f.tags) }
        }),
    );
    resources.insert(
        "Follower".into(),
        json!({
            "Type": "AWS::Lambda::Function",
            "Properties": {
                "FunctionName": f.function,
                "Description": f.description(),
                "Role": { "Fn::GetAtt": ["FollowerRole", "Arn"] },
                "Runtime": settings.runtime,
                "Handler": crate::follower::INLINE_HANDLER,
                "Code": { "ZipFile": crate::follower::inline_source() },
                "Timeout": settings.timeout_seconds,
                "MemorySize": settings.memory_mb,
                "Environment": { "Variables": environment },
                "LoggingConfig": { "LogGroup": { "Ref": "FollowerLogGroup" } },
                "Tags": tag_list(&f.tags),
            }
        }),
    );
    for (index, rule) in f.rules.iter().enumerate() {
        let id = format!("FollowerRule{index}");
        let mut properties = json!({
            "Name": rule.name,
            "Description": rule.description,
            "State": "ENABLED",
            "Targets": [{ "Id": RULE_TARGET_ID, "Arn": { "Fn::GetAtt": ["Follower", "Arn"] } }],
        });
        match &rule.trigger {
            Trigger::Schedule(expression) => properties["ScheduleExpression"] = json!(expression),
            Trigger::Events(pattern) => {
                properties["EventPattern"] = serde_json::from_str(pattern).unwrap_or_default();
            }
        }
        resources.insert(id.clone(), json!({ "Type": "AWS::Events::Rule", "Properties": properties }));
        resources.insert(
            format!("FollowerPermission{index}"),
            json!({
                "Type": "AWS::Lambda::Permission",
                "Properties": {
                    "FunctionName": { "Ref": "Follower" },
                    "Action": "lambda:InvokeFunction",
                    "Principal": "events.amazonaws.com",
                    "SourceArn": { "Fn::GetAtt": [id, "Arn"] },
                }
            }),
        );
    }
    let mut alarm = json!({
        "AlarmName": f.alarm,
        "AlarmDescription": f.alarm_description(),
        "Namespace": "AWS/NetworkELB",
        "MetricName": "HealthyHostCount",
        "Dimensions": [
            { "Name": "TargetGroup", "Value": { "Fn::GetAtt": ["TargetGroup", "TargetGroupFullName"] } },
            { "Name": "LoadBalancer", "Value": { "Fn::GetAtt": ["LoadBalancer", "LoadBalancerFullName"] } },
        ],
        "Statistic": "Minimum",
        "Period": 60,
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 3,
        "Threshold": 1,
        "ComparisonOperator": "LessThanThreshold",
        "TreatMissingData": "breaching",
        "Tags": tag_list(&f.tags),
    });
    if !f.alarm_topics.is_empty() {
        alarm["AlarmActions"] = json!(f.alarm_topics);
        alarm["OKActions"] = json!(f.alarm_topics);
    }
    resources.insert("NoHealthyTargetAlarm".into(), json!({ "Type": "AWS::CloudWatch::Alarm", "Properties": alarm }));
}

/// The policy with its target group as the stack's: the placeholder ARN becomes a `Ref`.
fn with_target_group_ref(policy: Value) -> Value {
    match policy {
        Value::String(s) if s == "TARGET_GROUP" => json!({ "Ref": "TargetGroup" }),
        Value::Array(items) => Value::Array(items.into_iter().map(with_target_group_ref).collect()),
        Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, with_target_group_ref(v))).collect()),
        other => other,
    }
}

/// Tags as CloudFormation lists them, the version tag included: it records the release
/// that wrote the template.
fn tag_list(tags: &Tags) -> Vec<Value> {
    tags.iter().map(|(key, value)| json!({ "Key": key, "Value": value })).collect()
}
