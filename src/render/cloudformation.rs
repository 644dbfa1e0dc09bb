//! The desired state as a CloudFormation template: the same resources, settings and tags
//! `setup` creates, so `verify`, `accept` and `status` work on a stack made from it, and
//! the handover values as outputs.

use serde_json::{Map, Value, json};

use crate::aws::{Peer, Tags};
use crate::engine::deployment::desired::Desired;

/// ELBv2's attribute for cross-zone load balancing on a network load balancer.
const CROSS_ZONE_ATTRIBUTE: &str = "load_balancing.cross_zone.enabled";

pub fn template(d: &Desired) -> Value {
    let mut resources = Map::new();
    let targets: Vec<Value> = d
        .targets
        .iter()
        .map(|t| {
            let mut target = json!({ "Id": t.id, "Port": t.port });
            if let Some(zone) = &t.availability_zone {
                target["AvailabilityZone"] = json!(zone);
            }
            target
        })
        .collect();
    resources.insert(
        "TargetGroup".into(),
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::TargetGroup",
            "Properties": {
                "Name": d.name,
                "Protocol": "TCP",
                "Port": d.port,
                "VpcId": d.vpc_id,
                "TargetType": d.target_type.as_str(),
                "HealthCheckProtocol": "TCP",
                "HealthCheckIntervalSeconds": d.health_check.interval_seconds,
                "HealthCheckTimeoutSeconds": d.health_check.timeout_seconds,
                "HealthyThresholdCount": d.health_check.healthy_threshold,
                "UnhealthyThresholdCount": d.health_check.unhealthy_threshold,
                "Targets": targets,
                "Tags": tag_list(&d.target_group_tags),
            }
        }),
    );
    // The load balancer's own group: no inbound rule, outbound only to the database.
    let egress: Vec<Value> = d
        .security_group
        .egress
        .iter()
        .map(|peer| {
            let mut rule = json!({ "IpProtocol": "tcp", "FromPort": d.port, "ToPort": d.port });
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
    resources.insert(
        "Listener".into(),
        json!({
            "Type": "AWS::ElasticLoadBalancingV2::Listener",
            "Properties": {
                "LoadBalancerArn": { "Ref": "LoadBalancer" },
                "Protocol": "TCP",
                "Port": d.port,
                "DefaultActions": [{ "Type": "forward", "TargetGroupArn": { "Ref": "TargetGroup" } }],
            }
        }),
    );
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
        resources.insert(
            "DatabaseIngress".into(),
            json!({
                "Type": "AWS::EC2::SecurityGroupIngress",
                "Properties": {
                    "GroupId": group_id,
                    "IpProtocol": "tcp",
                    "FromPort": d.port,
                    "ToPort": d.port,
                    "SourceSecurityGroupId": { "Ref": "LoadBalancerSecurityGroup" },
                    "Description": format!("airbyte-plink {}: the load balancer", d.name),
                }
            }),
        );
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

/// Tags as CloudFormation lists them, the version tag included: it records the release
/// that wrote the template.
fn tag_list(tags: &Tags) -> Vec<Value> {
    tags.iter().map(|(key, value)| json!({ "Key": key, "Value": value })).collect()
}
