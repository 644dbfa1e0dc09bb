//! The IAM permissions each command needs, as a least-privilege policy.
//!
//! Every action a command calls is listed, plus the ones AWS checks implicitly (tags
//! given on create need `AddTags`/`CreateTags`; cross-region support needs
//! `vpce:AllowMultiRegion`). `sts:GetCallerIdentity` needs no permission. Mutating
//! actions are scoped by the `airbyte-plink:managed-by` tag wherever AWS evaluates a tag
//! for them; the tests record every call the binary makes and hold each command's
//! policy to exactly that.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use crate::engine::tags::{MANAGED_BY, MANAGED_BY_VALUE};

/// The commands a policy can be asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, clap::ValueEnum)]
pub enum Use {
    /// `setup`, including the wizard's listings; `plan` needs its reads only
    Setup,
    Plan,
    /// `export cloudformation`, from a spec or an existing deployment
    Export,
    Accept,
    Status,
    Verify,
    SyncTargets,
    Teardown,
    /// Every command
    All,
}

impl Use {
    pub const ALL: [Use; 8] =
        [Use::Setup, Use::Plan, Use::Export, Use::Accept, Use::Status, Use::Verify, Use::SyncTargets, Use::Teardown];
}

/// Reads of a deployment: what `observe` and `inspect` call.
const DEPLOYMENT_READS: &[&str] = &[
    "ec2:DescribeSecurityGroupRules",
    "ec2:DescribeVpcEndpointServiceConfigurations",
    "ec2:DescribeVpcEndpointServicePermissions",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
];

/// The load balancer's listeners and attributes: what every command but `status` reads.
const SETTINGS_READS: &[&str] =
    &["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes"];

/// What `inspect` adds for the day-2 checks: connections and the network facts.
const INSPECTION_READS: &[&str] =
    &["ec2:DescribeRouteTables", "ec2:DescribeSubnets", "ec2:DescribeVpcEndpointConnections"];

/// Preflight's checks of the account and the wizard's listings.
const SPEC_READS: &[&str] = &[
    "ec2:DescribeInstances",
    "ec2:DescribeRegions",
    "ec2:DescribeRouteTables",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "rds:DescribeDBClusters",
    "rds:DescribeDBInstances",
    "rds:DescribeDBSubnetGroups",
];

const SETUP_CHANGES: &[&str] = &[
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateTags",
    "ec2:CreateVpcEndpointServiceConfiguration",
    "ec2:DeleteTags",
    "ec2:ModifyVpcEndpointServiceConfiguration",
    "ec2:ModifyVpcEndpointServicePermissions",
    "ec2:RevokeSecurityGroupIngress",
    "elasticloadbalancing:AddTags",
    "elasticloadbalancing:CreateListener",
    "elasticloadbalancing:CreateLoadBalancer",
    "elasticloadbalancing:CreateTargetGroup",
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:ModifyListener",
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:SetSubnets",
    "vpce:AllowMultiRegion",
];

const TEARDOWN_CHANGES: &[&str] = &[
    "ec2:CreateTags",
    "ec2:DeleteTags",
    "ec2:DeleteVpcEndpointServiceConfigurations",
    "ec2:RejectVpcEndpointConnections",
    "ec2:RevokeSecurityGroupIngress",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DeleteTargetGroup",
];

/// Every IAM action `command` may need.
pub fn actions(command: Use) -> BTreeSet<&'static str> {
    let parts: &[&[&str]] = match command {
        Use::Setup => &[DEPLOYMENT_READS, SETTINGS_READS, SPEC_READS, SETUP_CHANGES],
        Use::Plan => &[DEPLOYMENT_READS, SETTINGS_READS, SPEC_READS],
        Use::Export => &[DEPLOYMENT_READS, SETTINGS_READS, SPEC_READS, INSPECTION_READS],
        Use::Accept => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            INSPECTION_READS,
            &["ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections"],
        ],
        Use::Status => &[DEPLOYMENT_READS, INSPECTION_READS],
        Use::Verify => &[DEPLOYMENT_READS, SETTINGS_READS, INSPECTION_READS],
        Use::SyncTargets => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            // The VPC says which addresses are outside it (registered for every zone).
            &["ec2:DescribeVpcs", "elasticloadbalancing:DeregisterTargets", "elasticloadbalancing:RegisterTargets"],
        ],
        Use::Teardown => &[DEPLOYMENT_READS, SETTINGS_READS, &["ec2:DescribeVpcEndpointConnections"], TEARDOWN_CHANGES],
        Use::All => return Use::ALL.iter().flat_map(|c| actions(*c)).collect(),
    };
    parts.iter().flat_map(|part| part.iter().copied()).collect()
}

/// How tightly AWS lets an action be scoped.
struct Statement {
    sid: &'static str,
    actions: &'static [&'static str],
    resources: &'static [&'static str],
    condition: Option<fn() -> Value>,
}

const LOAD_BALANCING: &[&str] = &[
    "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*",
    "arn:aws:elasticloadbalancing:*:*:targetgroup/*",
    "arn:aws:elasticloadbalancing:*:*:listener/net/*",
];
const ENDPOINT_SERVICES: &[&str] = &["arn:aws:ec2:*:*:vpc-endpoint-service/*"];
const SECURITY_GROUPS: &[&str] = &["arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:security-group-rule/*"];

fn tag_condition(kind: &str) -> Value {
    json!({ "StringEquals": { format!("aws:{kind}/{MANAGED_BY}"): MANAGED_BY_VALUE } })
}

/// The statements, each with the actions it may hold; a policy keeps the actions its
/// commands need and drops empty statements.
const STATEMENTS: &[Statement] = &[
    Statement { sid: "ReadOnly", actions: &[], resources: &["*"], condition: None },
    Statement {
        sid: "CreateOnlyTagged",
        actions: &[
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
            "ec2:CreateVpcEndpointServiceConfiguration",
        ],
        resources: &[
            "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*",
            "arn:aws:elasticloadbalancing:*:*:targetgroup/*",
            "arn:aws:ec2:*:*:vpc-endpoint-service/*",
        ],
        condition: Some(|| tag_condition("RequestTag")),
    },
    Statement {
        sid: "TagWhenCreatingLoadBalancing",
        actions: &["elasticloadbalancing:AddTags"],
        resources: LOAD_BALANCING,
        condition: Some(
            || json!({ "StringEquals": { "elasticloadbalancing:CreateAction": ["CreateLoadBalancer", "CreateTargetGroup", "CreateListener"] } }),
        ),
    },
    Statement {
        sid: "TagWhenCreatingEc2",
        actions: &["ec2:CreateTags"],
        resources: &["arn:aws:ec2:*:*:vpc-endpoint-service/*", "arn:aws:ec2:*:*:security-group-rule/*"],
        condition: Some(
            || json!({ "StringEquals": { "ec2:CreateAction": ["CreateVpcEndpointServiceConfiguration", "AuthorizeSecurityGroupIngress"] } }),
        ),
    },
    Statement {
        sid: "ChangeOnlyOwnLoadBalancing",
        actions: &[
            "elasticloadbalancing:AddTags",
            "elasticloadbalancing:CreateListener",
            "elasticloadbalancing:DeleteListener",
            "elasticloadbalancing:DeleteLoadBalancer",
            "elasticloadbalancing:DeleteTargetGroup",
            "elasticloadbalancing:DeregisterTargets",
            "elasticloadbalancing:ModifyListener",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:SetSubnets",
        ],
        resources: LOAD_BALANCING,
        condition: Some(|| tag_condition("ResourceTag")),
    },
    Statement {
        sid: "ChangeOnlyOwnEndpointServices",
        actions: &[
            "ec2:AcceptVpcEndpointConnections",
            "ec2:CreateTags",
            "ec2:DeleteTags",
            "ec2:DeleteVpcEndpointServiceConfigurations",
            "ec2:ModifyVpcEndpointServiceConfiguration",
            "ec2:ModifyVpcEndpointServicePermissions",
            "ec2:RejectVpcEndpointConnections",
        ],
        resources: &["arn:aws:ec2:*:*:vpc-endpoint-service/*", "arn:aws:ec2:*:*:security-group-rule/*"],
        condition: Some(|| tag_condition("ResourceTag")),
    },
    Statement {
        // The database's security group is not the tool's, so no tag can scope these;
        // narrow the resource to that group's ARN where you can.
        sid: "OpenTheDatabaseSecurityGroup",
        actions: &["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        resources: SECURITY_GROUPS,
        condition: None,
    },
    Statement {
        sid: "CrossRegionEndpointService",
        actions: &["vpce:AllowMultiRegion"],
        resources: ENDPOINT_SERVICES,
        condition: None,
    },
];

fn is_read(action: &str) -> bool {
    let name = action.split(':').nth(1).unwrap_or(action);
    ["Describe", "Get", "List"].iter().any(|read| name.starts_with(read))
}

/// The policy document for `commands`.
pub fn policy(commands: &[Use]) -> Value {
    let needed: BTreeSet<&str> = commands.iter().flat_map(|c| actions(*c)).collect();
    let statements: Vec<Value> = STATEMENTS
        .iter()
        .filter_map(|statement| {
            let actions: Vec<&str> = if statement.sid == "ReadOnly" {
                needed.iter().copied().filter(|a| is_read(a)).collect()
            } else {
                let mut held: Vec<&str> = statement.actions.iter().copied().filter(|a| needed.contains(a)).collect();
                held.sort();
                held
            };
            if actions.is_empty() {
                return None;
            }
            let mut value = json!({
                "Sid": statement.sid,
                "Effect": "Allow",
                "Action": actions,
                "Resource": statement.resources,
            });
            if let Some(condition) = statement.condition {
                value["Condition"] = condition();
            }
            Some(value)
        })
        .collect();
    json!({ "Version": "2012-10-17", "Statement": statements })
}

/// The actions a policy document allows.
#[cfg(test)]
fn allowed(policy: &Value) -> BTreeSet<String> {
    policy["Statement"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["Action"].as_array().unwrap().iter().map(|a| a.as_str().unwrap().to_string()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_needed_action_lands_in_a_statement() {
        for command in Use::ALL {
            let needed: BTreeSet<String> = actions(command).iter().map(|a| a.to_string()).collect();
            assert_eq!(allowed(&policy(&[command])), needed, "{command:?}");
        }
    }

    #[test]
    fn read_only_commands_get_no_change_and_nothing_gets_a_wildcard_action() {
        for command in [Use::Plan, Use::Status, Use::Verify] {
            assert!(allowed(&policy(&[command])).iter().all(|a| is_read(a)), "{command:?}");
        }
        let all = policy(&Use::ALL);
        assert!(allowed(&all).iter().all(|a| !a.contains('*')));
        let changes = all["Statement"].as_array().unwrap().iter().filter(|s| s["Sid"] != "ReadOnly");
        assert!(changes.clone().all(|s| s["Resource"] != json!(["*"])), "only reads are on every resource");
        assert!(changes.filter(|s| s.get("Condition").is_some()).count() >= 4, "tag conditions where AWS allows");
    }
}
