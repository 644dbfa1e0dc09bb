//! Teardown's planner: the removals of a deployment, with the dependencies AWS requires.
//! A service with pending or available connections cannot be deleted, so they are
//! rejected first; a load balancer backing a service cannot be deleted, so it waits for
//! the service; a target group a listener forwards to cannot be deleted, so it waits for
//! the load balancer to be gone. The database's rule goes once the connections are
//! rejected (so a rejection AWS refuses leaves the link as it was), before the load
//! balancer; the load balancer's group goes last, once nothing refers to it and AWS has
//! released it from the deleted load balancer. The executor runs it.
//!
//! Only what carries this deployment's tag is in the plan; a same-named resource that
//! someone else owns is reported and left alone.

use crate::aws::{EndpointService, GroupRule, Peer};
use crate::engine::deployment::observe::Observed;
use crate::engine::plan::planner::revoke;
use crate::engine::plan::{Action, Plan, follower};

/// The removals of deployment `observed` (read with [`crate::engine::deployment::observe::Reach::FOR_REMOVAL`]).
pub fn removal_plan(observed: &Observed) -> Plan {
    let mut plan = Plan::default();
    follower::remove_follower(&observed.follower, &mut plan);
    let services: Vec<&EndpointService> = observed.service.iter().chain(&observed.stray_services).collect();
    let mut services_gone = Vec::new();
    let mut rejections = Vec::new();
    for service in &services {
        let connections = || observed.connections.get(&service.id).into_iter().flatten();
        let open: Vec<String> = connections().filter(|c| c.is_open()).map(|c| c.endpoint_id.clone()).collect();
        let already: Vec<String> = connections().filter(|c| c.is("rejected")).map(|c| c.endpoint_id.clone()).collect();
        let rejected = open.iter().chain(&already).cloned().collect();
        let rejection = (!open.is_empty()).then(|| {
            plan.push(Action::RejectConnections { service_id: service.id.clone(), endpoint_ids: open }, Vec::new())
        });
        rejections.extend(rejection);
        let action = Action::DeleteEndpointService { id: service.id.clone(), name: service.name.clone(), rejected };
        services_gone.push(plan.push(action, rejection.into_iter().collect()));
    }
    let mut load_balancer_gone = Vec::new();
    // This deployment's rules in other groups, and any other rule seen there letting its
    // load balancer's group in (added by hand): AWS deletes no group a rule refers to.
    let own = observed.security_group.as_ref().map(|g| Peer::Group(g.id.clone()));
    let referring = observed
        .database_group_rules
        .iter()
        .chain(&observed.group_rules)
        .filter(|r| own.is_some() && r.peer == own && !observed.database_rules.iter().any(|d| d.id == r.id));
    let mut revoked: Vec<&GroupRule> = observed.database_rules.iter().chain(referring).collect();
    revoked.sort_by(|a, b| a.id.cmp(&b.id));
    revoked.dedup_by(|a, b| a.id == b.id);
    let database_rules: Vec<usize> =
        revoked.into_iter().map(|rule| plan.push(revoke(rule), rejections.clone())).collect();
    if let Some(lb) = &observed.load_balancer {
        // The listener carries the live traffic: it goes only once every connection is
        // rejected, so a rejection AWS refuses leaves the link as it was.
        let listeners: Vec<usize> = observed
            .listeners
            .iter()
            .map(|l| plan.push(Action::DeleteListener { arn: l.arn.clone(), port: l.port }, rejections.clone()))
            .collect();
        let action = Action::DeleteLoadBalancer { name: lb.name.clone(), arn: lb.arn.clone() };
        let after = services_gone.iter().chain(&listeners).chain(&database_rules).copied().collect();
        load_balancer_gone.push(plan.push(action, after));
    }
    let target_groups = observed.target_group.iter().chain(observed.databases.iter().map(|d| &d.target_group));
    for tg in target_groups {
        plan.push(Action::DeleteTargetGroup { name: tg.name.clone(), arn: tg.arn.clone() }, load_balancer_gone.clone());
    }
    if let Some(group) = &observed.security_group {
        let action = Action::DeleteSecurityGroup { id: group.id.clone(), name: group.name.clone() };
        plan.push(action, load_balancer_gone.iter().chain(&database_rules).copied().collect());
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::*;
    use crate::engine::plan::Completion;
    use crate::testing::fixtures::{connection, rule};

    fn deployed() -> Observed {
        let lb = LoadBalancer {
            arn: "arn:lb".into(),
            name: "db".into(),
            dns_name: "db.elb".into(),
            scheme: "internal".into(),
            kind: "network".into(),
            state: "active".into(),
            vpc_id: "vpc-1".into(),
            subnet_ids: vec!["subnet-1".into()],
            subnet_zones: [("subnet-1".to_string(), "us-west-2a".to_string())].into(),
            security_groups: vec!["sg-lb".into()],
            privatelink_inbound_rules: Some("off".into()),
        };
        let service = EndpointService {
            id: "vpce-svc-1".into(),
            name: "com.amazonaws.vpce.us-east-1.vpce-svc-1".into(),
            state: "Available".into(),
            load_balancer_arns: vec![lb.arn.clone()],
            acceptance_required: true,
            supported_regions: vec![],
            availability_zone_ids: vec!["usw2-az1".into()],
            tags: Tags::new(),
        };
        Observed {
            name: "db".into(),
            load_balancer: Some(lb),
            listeners: vec![Listener {
                arn: "arn:listener".into(),
                port: 5432,
                protocol: "TCP".into(),
                forward_to: None,
            }],
            target_group: Some(TargetGroup {
                arn: "arn:tg".into(),
                name: "db".into(),
                port: 5432,
                vpc_id: "vpc-1".into(),
                target_type: "ip".into(),
                health_check: None,
                load_balancer_arns: Vec::new(),
            }),
            service: Some(service),
            security_group: Some(SecurityGroup {
                id: "sg-lb".into(),
                vpc_id: Some("vpc-1".into()),
                name: "airbyte-plink-db".into(),
                tags: Tags::new(),
            }),
            database_rules: vec![rule("sgr-1", "sg-db", false, 5432, Peer::Group("sg-lb".into()), &Tags::new())],
            connections: [(
                "vpce-svc-1".to_string(),
                vec![
                    connection("vpce-live", "available"),
                    connection("vpce-waiting", "pendingAcceptance"),
                    connection("vpce-accepted", "pending"),
                    connection("vpce-old", "rejected"),
                ],
            )]
            .into(),
            ..Observed::default()
        }
    }

    fn kind(action: &Action) -> &'static str {
        match action {
            Action::RejectConnections { .. } => "reject",
            Action::DeleteEndpointService { .. } => "service",
            Action::DeleteListener { .. } => "listener",
            Action::DeleteLoadBalancer { .. } => "load balancer",
            Action::DeleteTargetGroup { .. } => "target group",
            Action::RevokeRule { .. } => "database rule",
            Action::DeleteSecurityGroup { .. } => "security group",
            _ => "other",
        }
    }

    #[test]
    fn each_removal_waits_for_what_aws_requires_gone_first() {
        let plan = removal_plan(&deployed());
        let order: Vec<(&str, Vec<&str>)> = plan
            .changes
            .iter()
            .map(|c| (kind(&c.action), c.depends_on.iter().map(|d| kind(&plan.changes[*d].action)).collect()))
            .collect();
        assert_eq!(
            order,
            [
                ("reject", vec![]),
                ("service", vec!["reject"]),
                ("database rule", vec!["reject"]),
                ("listener", vec!["reject"]),
                ("load balancer", vec!["service", "listener", "database rule"]),
                ("target group", vec!["load balancer"]),
                ("security group", vec!["load balancer", "database rule"]),
            ]
        );
        let gone = plan.changes.iter().find(|c| kind(&c.action) == "load balancer").unwrap();
        assert_eq!(gone.complete_when, Completion::Gone);
        assert_eq!(plan.changes[0].complete_when, Completion::ConnectionsClosed);
        assert_eq!(plan.check(), Ok(()));
    }

    #[test]
    fn every_open_connection_is_rejected_and_only_those() {
        let plan = removal_plan(&deployed());
        let Action::RejectConnections { endpoint_ids, .. } = &plan.changes[0].action else { panic!("rejects first") };
        assert_eq!(endpoint_ids, &["vpce-live", "vpce-waiting", "vpce-accepted"]);
        // In use: the available one, and the one accepted and still being set up.
        let deployment = deployed();
        let live: Vec<&str> = deployment.live_connections().iter().map(|c| c.endpoint_id.as_str()).collect();
        assert_eq!(live, ["vpce-live", "vpce-accepted"]);
    }

    #[test]
    fn a_rule_added_by_hand_for_the_load_balancers_group_goes_before_the_group() {
        let mut observed = deployed();
        let by_hand = rule("sgr-hand", "sg-db", false, 5432, Peer::Group("sg-lb".into()), &Tags::new());
        observed.database_group_rules = vec![by_hand.clone(), observed.database_rules[0].clone()];
        observed.group_rules = vec![by_hand];
        let plan = removal_plan(&observed);
        let revoked: Vec<&str> = plan
            .changes
            .iter()
            .filter_map(
                |c| if let Action::RevokeRule { rule_id, .. } = &c.action { Some(rule_id.as_str()) } else { None },
            )
            .collect();
        assert_eq!(revoked, ["sgr-1", "sgr-hand"]);
        let group = plan.changes.iter().find(|c| matches!(c.action, Action::DeleteSecurityGroup { .. })).unwrap();
        assert_eq!(group.depends_on.len(), 3, "the load balancer gone and both rules revoked: {:?}", group.depends_on);
    }

    #[test]
    fn nothing_owned_means_nothing_to_remove() {
        let observed = Observed { conflicts: vec!["load balancer db (arn:other)".into()], ..Observed::default() };
        assert!(removal_plan(&observed).changes.is_empty());
    }
}
