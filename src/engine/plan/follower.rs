//! The follower's part of setup's plan and of teardown's: what to make or change so the
//! deployment's follower is as [`DesiredFollower`] says, and what to remove, in the order
//! AWS requires. The rules connect to the function only once its role has its policy,
//! so no run starts without the right to do its job.

use crate::aws::follower::Trigger;
use crate::engine::deployment::follower::{
    DesiredFollower, LOG_RETENTION_DAYS, POLICY_NAME, RULE_TARGET_ID, TARGET_GROUP_VARIABLE, same_policy,
};
use crate::engine::deployment::observe_follower::ObservedFollower;
use crate::engine::plan::{Action, Plan, Ref, creators};

/// Plans the follower `desired` asks for (or the removal of one it does not) on
/// `target_group` and `load_balancer`.
pub fn plan_follower(
    desired: Option<&DesiredFollower>,
    observed: &ObservedFollower,
    target_group: &Ref,
    load_balancer: &Ref,
    plan: &mut Plan,
) {
    let Some(want) = desired else {
        remove_follower(observed, plan);
        return;
    };
    let target_group_arn = match target_group {
        Ref::Existing(arn) => Some(arn.as_str()),
        Ref::CreatedBy(_) => None,
    };
    let role = match &observed.role {
        Some(role) => Ref::Existing(role.arn.clone()),
        None => Ref::CreatedBy(plan.push(
            Action::CreateFollowerRole {
                name: want.role.clone(),
                description: want.role_description(),
                tags: want.tags.clone(),
            },
            Vec::new(),
        )),
    };
    let policy_current = match (target_group_arn, &observed.role_policy) {
        (Some(arn), Some(document)) => same_policy(document, &want.policy(arn)),
        _ => false,
    };
    let policy = (!policy_current).then(|| {
        let action = Action::SetFollowerPolicy {
            role: role.clone(),
            role_name: want.role.clone(),
            target_group: target_group.clone(),
            more_target_groups: want.other_target_groups(),
            log_group_arn: want.log_group_arn(),
        };
        plan.push(action, creators(&[&role, target_group]))
    });
    let log_group = observed.log_group.is_none().then(|| {
        let action = Action::CreateFollowerLogGroup {
            name: want.log_group.clone(),
            retention_days: LOG_RETENTION_DAYS,
            tags: want.tags.clone(),
        };
        plan.push(action, Vec::new())
    });
    // The settings with the target group's ARN left to the executor, which knows it.
    let mut settings = want.settings("");
    settings.environment.remove(TARGET_GROUP_VARIABLE);
    let mut after_role_and_logs = creators(&[&role, target_group]);
    after_role_and_logs.extend(log_group);
    let function = match &observed.function {
        None => {
            let action = Action::CreateFollower {
                name: want.function.clone(),
                description: want.description(),
                role: role.clone(),
                target_group: target_group.clone(),
                settings,
                tags: want.tags.clone(),
            };
            let created = plan.push(action, after_role_and_logs);
            plan.push(Action::AwaitFollower { name: want.function.clone() }, vec![created]);
            Ref::CreatedBy(created)
        }
        Some(function) => {
            let mut last = None;
            if function.code_sha256 != crate::follower::code_sha256() {
                last = Some(plan.push(Action::UpdateFollowerCode { name: want.function.clone() }, Vec::new()));
            }
            let wanted = target_group_arn.map(|arn| want.settings(arn));
            let current = wanted.is_some_and(|wanted| {
                Some(&function.role_arn) == observed.role.as_ref().map(|r| &r.arn)
                    && function.runtime == wanted.runtime
                    && function.handler == wanted.handler
                    && function.timeout_seconds == wanted.timeout_seconds
                    && function.environment == wanted.environment
                    && function.log_group.as_deref() == Some(wanted.log_group.as_str())
            });
            if !current {
                // Lambda takes one change to a function at a time.
                after_role_and_logs.extend(last);
                let action = Action::UpdateFollowerSettings {
                    name: want.function.clone(),
                    role: role.clone(),
                    target_group: target_group.clone(),
                    settings,
                };
                last = Some(plan.push(action, after_role_and_logs));
            }
            if last.is_none() && !function.is_ready() {
                plan.push(Action::AwaitFollower { name: want.function.clone() }, Vec::new());
            }
            Ref::Existing(function.arn.clone())
        }
    };
    for rule in &want.rules {
        let existing = observed.rule(&rule.name);
        let rule_current = existing.is_some_and(|(found, _)| {
            found.is_enabled()
                && match &rule.trigger {
                    Trigger::Schedule(expression) => found.schedule.as_ref() == Some(expression),
                    Trigger::Events(pattern) => found.pattern.as_deref().is_some_and(|p| same_policy(p, pattern)),
                }
        });
        let put = (!rule_current).then(|| {
            let action = Action::PutFollowerRule {
                name: rule.name.clone(),
                description: rule.description.clone(),
                trigger: rule.trigger.clone(),
                tags: want.tags.clone(),
            };
            plan.push(action, Vec::new())
        });
        let rule_arn = want.rule_arn(&rule.name);
        let function_arn = match &function {
            Ref::Existing(arn) => Some(arn),
            Ref::CreatedBy(_) => None,
        };
        let targets_function = existing
            .is_some_and(|(_, targets)| targets.iter().any(|t| t.id == RULE_TARGET_ID && Some(&t.arn) == function_arn));
        let permitted = observed
            .permissions
            .iter()
            .any(|p| p.statement_id == rule.statement_id && p.source_arn.as_deref() == Some(rule_arn.as_str()));
        if !(targets_function && permitted) {
            let mut after = creators(&[&function]);
            after.extend(put);
            after.extend(policy);
            let action = Action::ConnectFollowerRule {
                rule: rule.name.clone(),
                rule_arn,
                statement_id: rule.statement_id.clone(),
                function: function.clone(),
            };
            plan.push(action, after);
        }
    }
    for (unwanted, targets) in observed.rules.iter().filter(|(r, _)| !want.rules.iter().any(|w| w.name == r.name)) {
        let target_ids = targets.iter().map(|t| t.id.clone()).collect();
        plan.push(Action::DeleteFollowerRule { name: unwanted.name.clone(), target_ids }, Vec::new());
    }
    let alarm_current = match (target_group_arn, load_balancer, &observed.alarm) {
        (Some(tg), Ref::Existing(lb), Some(alarm)) => {
            alarm.dimensions == crate::engine::deployment::follower::alarm_dimensions(tg, lb)
                && alarm.alarm_actions == want.alarm_topics
        }
        _ => false,
    };
    if !alarm_current {
        let action = Action::PutAlarm {
            name: want.alarm.clone(),
            description: want.alarm_description(),
            target_group: target_group.clone(),
            load_balancer: load_balancer.clone(),
            topics: want.alarm_topics.clone(),
            tags: want.tags.clone(),
        };
        plan.push(action, creators(&[target_group, load_balancer]));
    }
}

/// Removes what exists of a follower: the rules first, so nothing runs the function while
/// it goes; the function; then its role and log group, which it no longer uses. The alarm
/// goes along with them.
pub fn remove_follower(observed: &ObservedFollower, plan: &mut Plan) {
    let rules: Vec<usize> = observed
        .rules
        .iter()
        .map(|(rule, targets)| {
            let target_ids = targets.iter().map(|t| t.id.clone()).collect();
            plan.push(Action::DeleteFollowerRule { name: rule.name.clone(), target_ids }, Vec::new())
        })
        .collect();
    let function: Vec<usize> = observed
        .function
        .iter()
        .map(|f| plan.push(Action::DeleteFollower { name: f.name.clone() }, rules.clone()))
        .collect();
    let after_function: Vec<usize> = rules.iter().chain(&function).copied().collect();
    if let Some(role) = &observed.role {
        let policies = observed.role_policy.iter().map(|_| POLICY_NAME.to_string()).collect();
        plan.push(Action::DeleteFollowerRole { name: role.name.clone(), policies }, after_function.clone());
    }
    if let Some(group) = &observed.log_group {
        plan.push(Action::DeleteFollowerLogGroup { name: group.name.clone() }, after_function);
    }
    if let Some(alarm) = &observed.alarm {
        plan.push(Action::DeleteAlarm { name: alarm.name.clone() }, Vec::new());
    }
}

/// The follower's plans against the in-memory account: what waits for what, a converged
/// re-run, a removal in AWS's order, and the function's code put back.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::FollowerCloud;
    use crate::engine::deployment::desired::Desired;
    use crate::engine::deployment::follower::{FollowedDatabase, FollowerInputs};
    use crate::engine::deployment::observe::{Reach, observe, read_one};
    use crate::engine::plan::execute::execute;
    use crate::engine::plan::planner::plan;
    use crate::engine::plan::removal::removal_plan;
    use crate::testing::fake::FakeCloud;
    use crate::testing::fixtures::{Recorder, desired, set_up};

    fn followed() -> Desired {
        followed_as("db")
    }

    /// The fixture's deployment, for an Aurora cluster and named `name`.
    fn followed_as(name: &str) -> Desired {
        let mut d = desired();
        let rename = |tags: &mut crate::aws::Tags| {
            tags.insert(crate::engine::deployment::tags::DEPLOYMENT.into(), name.into());
        };
        d.name = name.into();
        for tags in [&mut d.tags, &mut d.target_group_tags, &mut d.service_tags] {
            rename(tags);
        }
        d.security_group.name = format!("airbyte-plink-{name}");
        let database = FollowedDatabase::new(crate::aws::DatabaseKind::AuroraCluster, name, "aws", "us-west-2", "1");
        d.follower = Some(DesiredFollower::new(FollowerInputs {
            deployment: name,
            every_minutes: 5,
            databases: vec![database],
            others: Vec::new(),
            alarm_topics: Vec::new(),
            targets: "db.cluster-1.us-west-2.rds.amazonaws.com".into(),
            port: 5432,
            vpc_cidrs: vec!["10.0.0.0/16".into()],
            partition: "aws",
            region: "us-west-2",
            account: "123456789012",
            tags: d.tags.clone(),
        }));
        d
    }

    #[tokio::test]
    async fn status_all_reads_the_followers_beside_the_deployments_details_in_no_more_rounds() {
        use crate::engine::deployment::observe::{Scope, read};
        // The same 50 deployments, with and without followers.
        let rounds = async |followers: bool| {
            let cloud = FakeCloud::new();
            for i in 0..50 {
                let mut d = followed_as(&format!("db-{i:02}"));
                if !followers {
                    d.follower = None;
                }
                set_up(&cloud, &d, &Recorder::default()).await.unwrap();
            }
            let before = cloud.calls().len();
            let all = read(&cloud, Scope::All, Reach::FOR_DISPLAY).await.unwrap();
            assert_eq!(all.len(), 50);
            assert!(
                all.iter()
                    .all(|o| o.follower.function.is_some() == followers && o.follower.alarm.is_some() == followers)
            );
            let calls = cloud.calls();
            let count = |action: &str| calls[before..].iter().filter(|c| c.action == action).count();
            if followers {
                // One listing of each kind, one GetFunction each (the only call with a function's state).
                assert_eq!(count("events:ListRules"), 1);
                assert_eq!(count("cloudwatch:DescribeAlarms"), 1);
                assert_eq!(count("cloudwatch:GetMetricData"), 1);
                assert_eq!(count("lambda:GetFunction"), 50);
            }
            cloud.rounds_after(before)
        };
        let (with, without) = (rounds(true).await, rounds(false).await);
        assert_eq!(with, without, "the followers cost no round of their own");
    }

    fn at(plan: &Plan, pick: impl Fn(&Action) -> bool) -> Vec<usize> {
        plan.changes.iter().enumerate().filter(|(_, c)| pick(&c.action)).map(|(i, _)| i).collect()
    }

    #[test]
    fn the_rules_run_the_function_only_once_its_role_may_do_its_job() {
        let planned = plan(&followed(), &Default::default());
        assert_eq!(planned.check(), Ok(()));
        let policy = at(&planned, |a| matches!(a, Action::SetFollowerPolicy { .. }))[0];
        let function = at(&planned, |a| matches!(a, Action::CreateFollower { .. }))[0];
        let connections = at(&planned, |a| matches!(a, Action::ConnectFollowerRule { .. }));
        assert_eq!(connections.len(), 2, "the database's events and the schedule");
        for connection in connections {
            let after = &planned.changes[connection].depends_on;
            assert!(after.contains(&policy) && after.contains(&function), "{after:?}");
        }
        // The rules themselves, the role and the log group wait for nothing.
        for first in at(&planned, |a| {
            matches!(
                a,
                Action::PutFollowerRule { .. }
                    | Action::CreateFollowerRole { .. }
                    | Action::CreateFollowerLogGroup { .. }
            )
        }) {
            assert!(planned.changes[first].depends_on.is_empty(), "{:?}", planned.changes[first]);
        }
        let alarm = at(&planned, |a| matches!(a, Action::PutAlarm { .. }))[0];
        let load_balancer = at(&planned, |a| matches!(a, Action::CreateLoadBalancer { .. }))[0];
        assert!(planned.changes[alarm].depends_on.contains(&load_balancer));
    }

    #[tokio::test]
    async fn a_follower_converges_is_put_back_and_goes_in_awss_order() {
        let cloud = FakeCloud::new();
        let d = followed();
        set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let observed = observe(&cloud, "db", None).await.unwrap();
        assert!(observed.follower.function.is_some() && observed.follower.rules.len() == 2);
        assert_eq!(plan(&d, &observed).changes, Vec::new(), "a re-run changes nothing");

        // Other code in the function: this release's goes back, nothing else changes.
        cloud.update_function_code("airbyte-plink-db-follower", b"other").await.unwrap();
        let observed = observe(&cloud, "db", None).await.unwrap();
        let replan = plan(&d, &observed);
        let actions: Vec<&Action> = replan.changes.iter().map(|c| &c.action).collect();
        assert!(matches!(actions[..], [Action::UpdateFollowerCode { .. }]), "{actions:?}");
        execute(&cloud, &replan, &Recorder::default()).await.unwrap();

        let removal = removal_plan(&read_one(&cloud, "db", None, Reach::FOR_REMOVAL).await.unwrap());
        execute(&cloud, &removal, &Recorder::default()).await.unwrap();
        // The fake, like AWS, deletes no rule with targets and no role with a policy.
        assert!(cloud.is_empty(), "nothing is left");
        assert!(cloud.ended_before("events:DeleteRule", "lambda:DeleteFunction"));
        assert!(cloud.ended_before("iam:DeleteRolePolicy", "iam:DeleteRole"));
    }

    #[tokio::test]
    async fn a_plan_saved_before_someone_changed_the_follower_no_longer_applies() {
        use crate::engine::plan::saved::State;
        let cloud = FakeCloud::new();
        set_up(&cloud, &followed(), &Recorder::default()).await.unwrap();
        let mut observed = observe(&cloud, "db", None).await.unwrap();
        let then = State::of(&observed);
        // What Lambda moves by itself is not a change.
        observed.follower.function.as_mut().unwrap().state = "Pending".into();
        assert_eq!(then.differences(&State::of(&observed)), Vec::<String>::new());

        cloud.update_function_code("airbyte-plink-db-follower", b"other").await.unwrap();
        cloud.delete_alarm("airbyte-plink-db-no-healthy-target").await.unwrap();
        let differences = then.differences(&State::of(&observe(&cloud, "db", None).await.unwrap()));
        assert_eq!(differences.len(), 2, "{differences:?}");
        assert!(
            differences[0].starts_with("follower alarm airbyte-plink-db-no-healthy-target: was"),
            "{differences:?}"
        );
        assert!(differences[0].ends_with("now gone"), "{differences:?}");
        assert!(differences[1].starts_with("follower function airbyte-plink-db-follower: was"), "{differences:?}");
    }

    #[tokio::test]
    async fn a_setup_cut_after_the_followers_first_changes_is_found_by_teardown_all() {
        use crate::engine::deployment::observe::every_deployment_name;
        let cloud = FakeCloud::new();
        let d = followed();
        // What the first round makes, beside the target group: the role and the log group.
        cloud.create_log_group("/aws/lambda/airbyte-plink-db-follower", &d.tags).await.unwrap();
        // Someone else's group of a follower-like name is not a deployment.
        cloud.create_log_group("/aws/lambda/airbyte-plink-theirs-follower", &Default::default()).await.unwrap();
        assert_eq!(every_deployment_name(&cloud).await.unwrap(), ["db"]);
        let leftover = read_one(&cloud, "db", None, Reach::FOR_REMOVAL).await.unwrap();
        execute(&cloud, &removal_plan(&leftover), &Recorder::default()).await.unwrap();
        assert_eq!(every_deployment_name(&cloud).await.unwrap(), Vec::<String>::new());
    }

    #[tokio::test]
    async fn a_role_lambda_cannot_assume_yet_is_waited_for_and_no_other_refusal_is() {
        let cloud = FakeCloud::new().role_settles_after(2);
        set_up(&cloud, &followed(), &Recorder::default()).await.unwrap();
        assert_eq!(cloud.count("lambda:CreateFunction"), 3, "two refusals while IAM settles, then made");
        let refused = FakeCloud::new().refusing("lambda:CreateFunction", "InvalidParameterValueException", 1);
        let failure = set_up(&refused, &followed(), &Recorder::default()).await.unwrap_err();
        assert!(failure.error.to_string().contains("InvalidParameterValueException"), "{}", failure.error);
        assert_eq!(refused.count("lambda:CreateFunction"), 1, "another invalid value is not waited out");
    }

    #[tokio::test]
    async fn setup_without_the_follower_removes_it_and_keeps_the_link() {
        let cloud = FakeCloud::new();
        let d = followed();
        set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let mut unfollowed = d.clone();
        unfollowed.follower = None;
        let observed = observe(&cloud, "db", None).await.unwrap();
        let removal = plan(&unfollowed, &observed);
        assert!(removal.changes.iter().all(|c| c.effect() == crate::engine::plan::Effect::Remove), "{removal:?}");
        execute(&cloud, &removal, &Recorder::default()).await.unwrap();
        let after = observe(&cloud, "db", None).await.unwrap();
        assert!(!after.follower.exists() && after.service.is_some());
        assert_eq!(plan(&unfollowed, &after).changes, Vec::new());
    }
}
