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

use crate::engine::deployment::tags::{DEPLOYMENT, MANAGED_BY, MANAGED_BY_VALUE};

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
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeVpcEndpointServiceConfigurations",
    "ec2:DescribeVpcEndpointServicePermissions",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetHealth",
    // The follower, by name, and the tags of what does not carry them in its answer.
    "cloudwatch:DescribeAlarms",
    "cloudwatch:ListTagsForResource",
    "events:DescribeRule",
    "events:ListTagsForResource",
    "events:ListTargetsByRule",
    "iam:GetRole",
    "iam:GetRolePolicy",
    "lambda:GetFunction",
    "lambda:GetPolicy",
    "logs:DescribeLogGroups",
    "logs:ListTagsForResource",
];

/// The follower's runs, from Lambda's metrics: what `status` and `verify` show.
const FOLLOWER_RUNS: &[&str] = &["cloudwatch:GetMetricData"];

/// `status --all`: every follower's schedule in one listing.
const FOLLOWER_LISTING: &[&str] = &["events:ListRules"];

/// Making, changing and removing the follower: setup removes it too, with `--no-follow`.
const FOLLOWER_CHANGES: &[&str] = &[
    "cloudwatch:PutMetricAlarm",
    "cloudwatch:TagResource",
    "events:PutRule",
    "events:PutTargets",
    "events:TagResource",
    "iam:CreateRole",
    "iam:PassRole",
    "iam:PutRolePolicy",
    "iam:TagRole",
    "lambda:AddPermission",
    "lambda:CreateFunction",
    "lambda:TagResource",
    "lambda:UpdateFunctionCode",
    "lambda:UpdateFunctionConfiguration",
    "logs:CreateLogGroup",
    "logs:PutRetentionPolicy",
    "logs:TagResource",
];

const FOLLOWER_REMOVALS: &[&str] = &[
    "cloudwatch:DeleteAlarms",
    "events:DeleteRule",
    "events:RemoveTargets",
    "iam:DeleteRole",
    "iam:DeleteRolePolicy",
    "lambda:DeleteFunction",
    "logs:DeleteLogGroup",
];

/// The load balancer's listeners and attributes: what every command but `status` reads.
const SETTINGS_READS: &[&str] =
    &["elasticloadbalancing:DescribeListeners", "elasticloadbalancing:DescribeLoadBalancerAttributes"];

/// Each listener's idle timeout: what setup compares and verify reports, not what
/// teardown and sync-targets need.
const IDLE_TIMEOUT_READS: &[&str] = &["elasticloadbalancing:DescribeListenerAttributes"];

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
    // max_connect_errors of a MySQL or MariaDB database.
    "rds:DescribeDBClusterParameters",
    "rds:DescribeDBParameters",
];

const SETUP_CHANGES: &[&str] = &[
    "ec2:AuthorizeSecurityGroupEgress",
    "ec2:AuthorizeSecurityGroupIngress",
    "ec2:CreateSecurityGroup",
    "ec2:CreateTags",
    "ec2:CreateVpcEndpointServiceConfiguration",
    "ec2:ModifyVpcEndpointServiceConfiguration",
    "ec2:ModifyVpcEndpointServicePermissions",
    "ec2:RevokeSecurityGroupEgress",
    "ec2:RevokeSecurityGroupIngress",
    "elasticloadbalancing:AddTags",
    "elasticloadbalancing:CreateListener",
    "elasticloadbalancing:CreateLoadBalancer",
    "elasticloadbalancing:CreateTargetGroup",
    // A database removed from the spec: its listener and target group, in place.
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:DeleteTargetGroup",
    "elasticloadbalancing:DeregisterTargets",
    "elasticloadbalancing:ModifyListener",
    "elasticloadbalancing:ModifyListenerAttributes",
    "elasticloadbalancing:ModifyLoadBalancerAttributes",
    "elasticloadbalancing:ModifyTargetGroup",
    "elasticloadbalancing:RegisterTargets",
    "elasticloadbalancing:SetSecurityGroups",
    "elasticloadbalancing:SetSubnets",
    MULTI_REGION,
];

/// AWS checks this permission-only action on calls about a cross-region service. It
/// documents no list of them: it has been seen on any ModifyVpcEndpointServiceConfiguration
/// of such a service (aws-cdk issue 36216), CloudFormation's endpoint service resource asks
/// for it to create, update and delete, and the condition keys of cross-region services
/// (`ec2:VpceMultiRegion`) apply to accepting and rejecting connections too. So every
/// command that changes a service or its connections gets it.
const MULTI_REGION: &str = "vpce:AllowMultiRegion";

const TEARDOWN_CHANGES: &[&str] = &[
    "ec2:DeleteSecurityGroup",
    "ec2:DeleteVpcEndpointServiceConfigurations",
    "ec2:RejectVpcEndpointConnections",
    "ec2:RevokeSecurityGroupIngress",
    "elasticloadbalancing:DeleteListener",
    "elasticloadbalancing:DeleteLoadBalancer",
    "elasticloadbalancing:DeleteTargetGroup",
    MULTI_REGION,
];

/// Every IAM action `command` may need.
pub fn actions(command: Use) -> BTreeSet<&'static str> {
    let parts: &[&[&str]] = match command {
        Use::Setup => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            IDLE_TIMEOUT_READS,
            SPEC_READS,
            SETUP_CHANGES,
            FOLLOWER_CHANGES,
            FOLLOWER_REMOVALS,
        ],
        Use::Plan => &[DEPLOYMENT_READS, SETTINGS_READS, IDLE_TIMEOUT_READS, SPEC_READS],
        Use::Export => &[DEPLOYMENT_READS, SETTINGS_READS, IDLE_TIMEOUT_READS, SPEC_READS, INSPECTION_READS],
        Use::Accept => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            IDLE_TIMEOUT_READS,
            INSPECTION_READS,
            &["ec2:AcceptVpcEndpointConnections", "ec2:RejectVpcEndpointConnections", MULTI_REGION],
        ],
        Use::Status => &[DEPLOYMENT_READS, INSPECTION_READS, FOLLOWER_RUNS, FOLLOWER_LISTING],
        // The database's groups (from RDS, or from the instance), the network ACLs and the
        // VPC's subnets, and a MySQL database's max_connect_errors.
        Use::Verify => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            IDLE_TIMEOUT_READS,
            INSPECTION_READS,
            FOLLOWER_RUNS,
            &[
                "ec2:DescribeInstances",
                "ec2:DescribeNetworkAcls",
                "rds:DescribeDBClusterParameters",
                "rds:DescribeDBClusters",
                "rds:DescribeDBInstances",
                "rds:DescribeDBParameters",
                "rds:DescribeDBSubnetGroups",
            ],
        ],
        Use::SyncTargets => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            // The VPC says which addresses are outside it (registered for every zone), and
            // the load balancer's group follows such an address out; its subnets say
            // whether an address is in a zone the load balancer covers.
            &["ec2:DescribeRouteTables", "ec2:DescribeSubnets"],
            &[
                "ec2:AuthorizeSecurityGroupEgress",
                "ec2:CreateTags",
                "ec2:DescribeVpcs",
                "ec2:RevokeSecurityGroupEgress",
                "elasticloadbalancing:DeregisterTargets",
                "elasticloadbalancing:RegisterTargets",
            ],
        ],
        Use::Teardown => &[
            DEPLOYMENT_READS,
            SETTINGS_READS,
            &["ec2:DescribeVpcEndpointConnections"],
            TEARDOWN_CHANGES,
            FOLLOWER_REMOVALS,
        ],
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
    /// Only in the policies of these commands (every command's, if empty).
    only_for: &'static [Use],
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

/// Setup puts back a missing `managed-by` tag on a resource of its deployment. AWS
/// evaluates `aws:ResourceTag` against the tags the resource has before the call, so
/// the statements conditioned on it deny this repair; this one allows tagging a resource
/// that carries a deployment tag, when the request sets `managed-by` as the tool does.
fn repair_condition() -> Value {
    json!({
        "Null": { format!("aws:ResourceTag/{DEPLOYMENT}"): "false" },
        "StringEquals": { format!("aws:RequestTag/{MANAGED_BY}"): MANAGED_BY_VALUE },
    })
}

/// The statements, each with the actions it may hold; a policy keeps the actions its
/// commands need and drops empty statements.
const STATEMENTS: &[Statement] = &[
    Statement { sid: "ReadOnly", actions: &[], resources: &["*"], condition: None, only_for: &[] },
    Statement {
        sid: "CreateOnlyTagged",
        actions: &[
            "elasticloadbalancing:CreateLoadBalancer",
            "elasticloadbalancing:CreateTargetGroup",
            "ec2:CreateSecurityGroup",
            "ec2:CreateVpcEndpointServiceConfiguration",
        ],
        resources: &[
            "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*",
            "arn:aws:elasticloadbalancing:*:*:targetgroup/*",
            "arn:aws:ec2:*:*:security-group/*",
            "arn:aws:ec2:*:*:vpc/*",
            "arn:aws:ec2:*:*:vpc-endpoint-service/*",
        ],
        condition: Some(|| tag_condition("RequestTag")),
        only_for: &[],
    },
    Statement {
        sid: "TagWhenCreatingLoadBalancing",
        actions: &["elasticloadbalancing:AddTags"],
        resources: LOAD_BALANCING,
        condition: Some(
            || json!({ "StringEquals": { "elasticloadbalancing:CreateAction": ["CreateLoadBalancer", "CreateTargetGroup", "CreateListener"] } }),
        ),
        only_for: &[],
    },
    Statement {
        sid: "TagWhenCreatingEc2",
        actions: &["ec2:CreateTags"],
        resources: &[
            "arn:aws:ec2:*:*:vpc-endpoint-service/*",
            "arn:aws:ec2:*:*:security-group/*",
            "arn:aws:ec2:*:*:security-group-rule/*",
        ],
        condition: Some(|| {
            json!({ "StringEquals": { "ec2:CreateAction": [
                "CreateVpcEndpointServiceConfiguration",
                "CreateSecurityGroup",
                "AuthorizeSecurityGroupIngress",
                "AuthorizeSecurityGroupEgress",
            ] } })
        }),
        only_for: &[],
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
            "elasticloadbalancing:ModifyListenerAttributes",
            "elasticloadbalancing:ModifyLoadBalancerAttributes",
            "elasticloadbalancing:ModifyTargetGroup",
            "elasticloadbalancing:RegisterTargets",
            "elasticloadbalancing:SetSecurityGroups",
            "elasticloadbalancing:SetSubnets",
        ],
        resources: LOAD_BALANCING,
        condition: Some(|| tag_condition("ResourceTag")),
        only_for: &[],
    },
    Statement {
        sid: "ChangeOnlyOwnEndpointServices",
        actions: &[
            "ec2:AcceptVpcEndpointConnections",
            "ec2:CreateTags",
            "ec2:DeleteVpcEndpointServiceConfigurations",
            "ec2:ModifyVpcEndpointServiceConfiguration",
            "ec2:ModifyVpcEndpointServicePermissions",
            "ec2:RejectVpcEndpointConnections",
        ],
        resources: &["arn:aws:ec2:*:*:vpc-endpoint-service/*", "arn:aws:ec2:*:*:security-group-rule/*"],
        condition: Some(|| tag_condition("ResourceTag")),
        only_for: &[],
    },
    Statement {
        // The load balancer's own group, which carries the tag from its creation.
        sid: "ChangeOnlyOwnSecurityGroup",
        actions: &[
            "ec2:AuthorizeSecurityGroupEgress",
            "ec2:CreateTags",
            "ec2:DeleteSecurityGroup",
            "ec2:RevokeSecurityGroupEgress",
        ],
        resources: &["arn:aws:ec2:*:*:security-group/*", "arn:aws:ec2:*:*:security-group-rule/*"],
        condition: Some(|| tag_condition("ResourceTag")),
        only_for: &[],
    },
    Statement {
        sid: "RepairOwnershipTag",
        actions: &["ec2:CreateTags", "elasticloadbalancing:AddTags"],
        resources: &[
            "arn:aws:elasticloadbalancing:*:*:loadbalancer/net/*",
            "arn:aws:elasticloadbalancing:*:*:targetgroup/*",
            "arn:aws:elasticloadbalancing:*:*:listener/net/*",
            "arn:aws:ec2:*:*:vpc-endpoint-service/*",
            "arn:aws:ec2:*:*:security-group/*",
            "arn:aws:ec2:*:*:security-group-rule/*",
        ],
        condition: Some(repair_condition),
        only_for: &[Use::Setup],
    },
    Statement {
        // The database's security group is not the tool's, so no tag can scope these;
        // narrow the resource to that group's ARN where you can. AWS also checks them on
        // the load balancer's group, which the rule refers to.
        sid: "OpenTheDatabaseSecurityGroup",
        actions: &["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
        resources: SECURITY_GROUPS,
        condition: None,
        only_for: &[],
    },
    // The follower's resources are named `airbyte-plink-<deployment>-…`: the names scope
    // them, as IAM, Lambda, EventBridge, CloudWatch and Logs all take resource ARNs.
    Statement {
        sid: "OwnFollowerRole",
        actions: &["iam:CreateRole", "iam:DeleteRole", "iam:DeleteRolePolicy", "iam:PutRolePolicy", "iam:TagRole"],
        resources: &["arn:aws:iam::*:role/airbyte-plink-*"],
        condition: None,
        only_for: &[],
    },
    Statement {
        // Setup hands the follower's role to Lambda, and to nothing else.
        sid: "PassFollowerRoleToLambda",
        actions: &["iam:PassRole"],
        resources: &["arn:aws:iam::*:role/airbyte-plink-*"],
        condition: Some(|| json!({ "StringEquals": { "iam:PassedToService": "lambda.amazonaws.com" } })),
        only_for: &[],
    },
    Statement {
        sid: "OwnFollowerFunction",
        actions: &[
            "lambda:AddPermission",
            "lambda:CreateFunction",
            "lambda:DeleteFunction",
            "lambda:TagResource",
            "lambda:UpdateFunctionCode",
            "lambda:UpdateFunctionConfiguration",
        ],
        resources: &["arn:aws:lambda:*:*:function:airbyte-plink-*"],
        condition: None,
        only_for: &[],
    },
    Statement {
        sid: "OwnFollowerRules",
        actions: &[
            "events:DeleteRule",
            "events:PutRule",
            "events:PutTargets",
            "events:RemoveTargets",
            "events:TagResource",
        ],
        resources: &["arn:aws:events:*:*:rule/airbyte-plink-*"],
        condition: None,
        only_for: &[],
    },
    Statement {
        sid: "OwnAlarm",
        actions: &["cloudwatch:DeleteAlarms", "cloudwatch:PutMetricAlarm", "cloudwatch:TagResource"],
        resources: &["arn:aws:cloudwatch:*:*:alarm:airbyte-plink-*"],
        condition: None,
        only_for: &[],
    },
    Statement {
        sid: "OwnFollowerLogs",
        actions: &["logs:CreateLogGroup", "logs:DeleteLogGroup", "logs:PutRetentionPolicy", "logs:TagResource"],
        resources: &["arn:aws:logs:*:*:log-group:/aws/lambda/airbyte-plink-*"],
        condition: None,
        only_for: &[],
    },
    Statement {
        sid: "CrossRegionEndpointService",
        actions: &["vpce:AllowMultiRegion"],
        resources: ENDPOINT_SERVICES,
        condition: None,
        only_for: &[],
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
        .filter(|statement| {
            statement.only_for.is_empty() || commands.iter().any(|c| *c == Use::All || statement.only_for.contains(c))
        })
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

    /// What AWS knows when it authorizes a call, as far as these policies look: the
    /// action, the tags the resource has before the call, and the tags the call sets.
    struct Request<'a> {
        action: &'a str,
        resource_tags: &'a [(&'static str, &'static str)],
        request_tags: &'a [(&'static str, &'static str)],
    }

    /// Whether a statement's condition holds, for the operators these policies use, as
    /// IAM documents them: StringEquals fails on a key the request lacks; `Null: "false"`
    /// means the key is present. Any other operator fails, so a new one needs adding here.
    fn holds(condition: &Value, request: &Request) -> bool {
        let value_of = |key: &str| -> Option<&str> {
            let find = |tags: &[(&'static str, &'static str)], tag: &str| {
                tags.iter().find(|(k, _)| *k == tag).map(|(_, v)| *v)
            };
            match key.split_once('/') {
                Some(("aws:ResourceTag", tag)) => find(request.resource_tags, tag),
                Some(("aws:RequestTag", tag)) => find(request.request_tags, tag),
                _ => None,
            }
        };
        condition.as_object().unwrap().iter().all(|(operator, keys)| {
            keys.as_object().unwrap().iter().all(|(key, expected)| match operator.as_str() {
                "StringEquals" => value_of(key).is_some_and(|value| match expected {
                    Value::Array(list) => list.iter().any(|e| e == value),
                    one => one == value,
                }),
                "Null" => value_of(key).is_none() == (expected == "true"),
                _ => false,
            })
        })
    }

    fn allows(policy: &Value, request: &Request) -> bool {
        policy["Statement"].as_array().unwrap().iter().any(|s| {
            s["Action"].as_array().unwrap().iter().any(|a| a == request.action)
                && s.get("Condition").is_none_or(|c| holds(c, request))
        })
    }

    #[test]
    fn setup_may_put_back_a_missing_managed_by_tag_but_not_adopt_anything_else() {
        let setup = policy(&[Use::Setup]);
        let repair = [(MANAGED_BY, MANAGED_BY_VALUE), (crate::engine::deployment::tags::VERSION, "0.1.0")];
        let ours_without_it = [(DEPLOYMENT, "orders-db")];
        let ours = [(DEPLOYMENT, "orders-db"), (MANAGED_BY, MANAGED_BY_VALUE)];
        for action in ["elasticloadbalancing:AddTags", "ec2:CreateTags"] {
            let request = |resource_tags, request_tags| Request { action, resource_tags, request_tags };
            assert!(allows(&setup, &request(&ours_without_it, &repair)), "{action}: the repair");
            assert!(!allows(&setup, &request(&[("team", "data")], &repair)), "{action}: someone else's resource");
            assert!(!allows(&setup, &request(&ours_without_it, &[("team", "data")])), "{action}: without managed-by");
            assert!(
                allows(&setup, &request(&ours, &[(crate::engine::deployment::tags::TARGETS, "db")])),
                "{action}: a record"
            );
        }
        // Only the tag: nothing else may change on a resource without it.
        let modify = Request {
            action: "elasticloadbalancing:ModifyListener",
            resource_tags: &ours_without_it,
            request_tags: &[],
        };
        assert!(!allows(&setup, &modify));
        assert!(allows(&setup, &Request { resource_tags: &ours, ..modify }));
        // Teardown never repairs tags, so its policy does not allow it.
        let teardown = policy(&[Use::Teardown]);
        let repair_request =
            Request { action: "ec2:CreateTags", resource_tags: &ours_without_it, request_tags: &repair };
        assert!(!allows(&teardown, &repair_request));
    }

    #[test]
    fn every_command_that_changes_a_service_or_its_connections_may_do_so_cross_region() {
        for command in [Use::Setup, Use::Accept, Use::Teardown] {
            assert!(actions(command).contains(MULTI_REGION), "{command:?}");
        }
        for command in [Use::Plan, Use::Export, Use::Status, Use::Verify, Use::SyncTargets] {
            assert!(!actions(command).contains(MULTI_REGION), "{command:?}");
        }
    }

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
