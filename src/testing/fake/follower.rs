//! The fake account's follower resources: roles, functions, rules, alarms and log groups,
//! kept as AWS keeps them. As on AWS, a rule with targets cannot be deleted, nor a role
//! with inline policies; a new function is `Active` at once (the emulator reproduces its
//! `Pending`).

use std::collections::BTreeMap;

use super::{Account, FakeCloud, REGION};
use crate::aws::follower::*;
use crate::aws::{CloudError, CloudErrorKind, CloudResult, Tags};

const ACCOUNT: &str = "123456789012";

#[derive(Default)]
pub(super) struct Followers {
    roles: Vec<Role>,
    policies: BTreeMap<(String, String), String>,
    functions: Vec<Function>,
    permissions: BTreeMap<String, Vec<InvokePermission>>,
    rules: Vec<(EventRule, Tags)>,
    targets: BTreeMap<String, Vec<RuleTarget>>,
    alarms: Vec<(Alarm, Tags)>,
    log_groups: Vec<(LogGroup, Tags)>,
}

impl Followers {
    pub(super) fn is_empty(&self) -> bool {
        self.roles.is_empty()
            && self.functions.is_empty()
            && self.rules.is_empty()
            && self.alarms.is_empty()
            && self.log_groups.is_empty()
    }
}

fn error(action: &'static str, code: &str, message: &str) -> CloudError {
    CloudError { action, kind: CloudErrorKind::Other, code: Some(code.into()), message: message.into() }
}

fn f(a: &mut Account) -> &mut Followers {
    &mut a.followers
}

impl FollowerCloud for FakeCloud {
    fn region(&self) -> &str {
        REGION
    }

    async fn role(&self, name: &str) -> CloudResult<Option<Role>> {
        self.call("iam:GetRole", |a| Ok(f(a).roles.iter().find(|r| r.name == name).cloned())).await
    }

    async fn role_policy(&self, role: &str, policy: &str) -> CloudResult<Option<String>> {
        self.call("iam:GetRolePolicy", |a| Ok(f(a).policies.get(&(role.into(), policy.into())).cloned())).await
    }

    async fn function(&self, name: &str) -> CloudResult<Option<Function>> {
        self.call("lambda:GetFunction", |a| Ok(f(a).functions.iter().find(|x| x.name == name).cloned())).await
    }

    async fn invoke_permissions(&self, function: &str) -> CloudResult<Vec<InvokePermission>> {
        self.call("lambda:GetPolicy", |a| {
            let name = function.rsplit(':').next().unwrap_or(function);
            Ok(f(a).permissions.get(name).cloned().unwrap_or_default())
        })
        .await
    }

    async fn event_rule(&self, name: &str) -> CloudResult<Option<EventRule>> {
        self.call("events:DescribeRule", |a| {
            Ok(f(a).rules.iter().find(|(r, _)| r.name == name).map(|(r, _)| r.clone()))
        })
        .await
    }

    async fn rule_targets(&self, rule: &str) -> CloudResult<Vec<RuleTarget>> {
        self.call("events:ListTargetsByRule", |a| Ok(f(a).targets.get(rule).cloned().unwrap_or_default())).await
    }

    async fn event_rule_tags(&self, arn: &str) -> CloudResult<Tags> {
        self.call("events:ListTagsForResource", |a| {
            Ok(f(a).rules.iter().find(|(r, _)| r.arn == arn).map(|(_, t)| t.clone()).unwrap_or_default())
        })
        .await
    }

    async fn alarm(&self, name: &str) -> CloudResult<Option<Alarm>> {
        self.call("cloudwatch:DescribeAlarms", |a| {
            Ok(f(a).alarms.iter().find(|(x, _)| x.name == name).map(|(x, _)| x.clone()))
        })
        .await
    }

    async fn event_rules(&self, prefix: &str) -> CloudResult<Vec<EventRule>> {
        self.call("events:ListRules", |a| {
            Ok(f(a).rules.iter().filter(|(r, _)| r.name.starts_with(prefix)).map(|(r, _)| r.clone()).collect())
        })
        .await
    }

    async fn alarms(&self, prefix: &str) -> CloudResult<Vec<Alarm>> {
        self.call("cloudwatch:DescribeAlarms", |a| {
            Ok(f(a).alarms.iter().filter(|(x, _)| x.name.starts_with(prefix)).map(|(x, _)| x.clone()).collect())
        })
        .await
    }

    async fn alarm_tags(&self, arn: &str) -> CloudResult<Tags> {
        self.call("cloudwatch:ListTagsForResource", |a| {
            Ok(f(a).alarms.iter().find(|(x, _)| x.arn == arn).map(|(_, t)| t.clone()).unwrap_or_default())
        })
        .await
    }

    async fn log_groups(&self, prefix: &str) -> CloudResult<Vec<LogGroup>> {
        self.call("logs:DescribeLogGroups", |a| {
            Ok(f(a).log_groups.iter().filter(|(g, _)| g.name.starts_with(prefix)).map(|(g, _)| g.clone()).collect())
        })
        .await
    }

    async fn log_group_tags(&self, arn: &str) -> CloudResult<Tags> {
        self.call("logs:ListTagsForResource", |a| {
            Ok(f(a).log_groups.iter().find(|(g, _)| g.arn == arn).map(|(_, t)| t.clone()).unwrap_or_default())
        })
        .await
    }

    async fn runs(&self, functions: &[String], _minutes: u32) -> CloudResult<Vec<Runs>> {
        self.call("cloudwatch:GetMetricData", |_| Ok(vec![Runs::default(); functions.len()])).await
    }

    async fn create_role(&self, name: &str, _description: &str, _trust: &str, tags: &Tags) -> CloudResult<Role> {
        self.call("iam:CreateRole", |a| {
            if let Some(role) = f(a).roles.iter().find(|r| r.name == name) {
                return if &role.tags == tags {
                    Ok(role.clone())
                } else {
                    Err(error("iam:CreateRole", "EntityAlreadyExists", "a role with this name exists"))
                };
            }
            let role =
                Role { arn: format!("arn:aws:iam::{ACCOUNT}:role/{name}"), name: name.into(), tags: tags.clone() };
            f(a).roles.push(role.clone());
            Ok(role)
        })
        .await
    }

    async fn put_role_policy(&self, role: &str, policy: &str, document: &str) -> CloudResult<()> {
        self.call("iam:PutRolePolicy", |a| {
            if !f(a).roles.iter().any(|r| r.name == role) {
                return Err(error("iam:PutRolePolicy", "NoSuchEntity", "no such role"));
            }
            f(a).policies.insert((role.into(), policy.into()), document.into());
            Ok(())
        })
        .await
    }

    async fn create_log_group(&self, name: &str, tags: &Tags) -> CloudResult<()> {
        self.call("logs:CreateLogGroup", |a| {
            if !f(a).log_groups.iter().any(|(g, _)| g.name == name) {
                let arn = format!("arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}");
                f(a).log_groups.push((LogGroup { arn, name: name.into(), retention_days: None }, tags.clone()));
            }
            Ok(())
        })
        .await
    }

    async fn set_log_retention(&self, name: &str, days: i32) -> CloudResult<()> {
        self.call("logs:PutRetentionPolicy", |a| {
            for (group, _) in f(a).log_groups.iter_mut().filter(|(g, _)| g.name == name) {
                group.retention_days = Some(days);
            }
            Ok(())
        })
        .await
    }

    async fn create_function(&self, new: NewFunction<'_>) -> CloudResult<Function> {
        let settling = {
            let mut left = self.role_settling.lock().unwrap();
            let settling = *left > 0;
            *left = left.saturating_sub(1);
            settling
        };
        self.call("lambda:CreateFunction", |a| {
            if let Some(found) = f(a).functions.iter().find(|x| x.name == new.name) {
                return Ok(found.clone());
            }
            if settling || !f(a).roles.iter().any(|r| r.arn == new.role_arn) {
                return Err(error(
                    "lambda:CreateFunction",
                    "InvalidParameterValueException",
                    "The role defined for the function cannot be assumed by Lambda.",
                ));
            }
            let function = Function {
                arn: format!("arn:aws:lambda:{REGION}:{ACCOUNT}:function:{}", new.name),
                name: new.name.into(),
                role_arn: new.role_arn.into(),
                runtime: new.settings.runtime.clone(),
                handler: new.settings.handler.clone(),
                code_sha256: aws_smithy_types::base64::encode(<sha2::Sha256 as sha2::Digest>::digest(new.code)),
                environment: new.settings.environment.clone(),
                timeout_seconds: new.settings.timeout_seconds,
                state: "Active".into(),
                last_update_status: Some("Successful".into()),
                log_group: Some(new.settings.log_group.clone()),
                last_modified: None,
                tags: new.tags.clone(),
            };
            f(a).functions.push(function.clone());
            Ok(function)
        })
        .await
    }

    async fn update_function_code(&self, name: &str, code: &[u8]) -> CloudResult<()> {
        self.call("lambda:UpdateFunctionCode", |a| {
            for function in f(a).functions.iter_mut().filter(|x| x.name == name) {
                function.code_sha256 = aws_smithy_types::base64::encode(<sha2::Sha256 as sha2::Digest>::digest(code));
            }
            Ok(())
        })
        .await
    }

    async fn update_function_settings(
        &self,
        name: &str,
        role_arn: &str,
        settings: &FunctionSettings,
    ) -> CloudResult<()> {
        self.call("lambda:UpdateFunctionConfiguration", |a| {
            for function in f(a).functions.iter_mut().filter(|x| x.name == name) {
                function.role_arn = role_arn.into();
                function.runtime = settings.runtime.clone();
                function.handler = settings.handler.clone();
                function.timeout_seconds = settings.timeout_seconds;
                function.environment = settings.environment.clone();
                function.log_group = Some(settings.log_group.clone());
            }
            Ok(())
        })
        .await
    }

    async fn allow_rule_to_invoke(&self, function: &str, statement_id: &str, source_arn: &str) -> CloudResult<()> {
        self.call("lambda:AddPermission", |a| {
            let name = function.rsplit(':').next().unwrap_or(function).to_string();
            let statements = f(a).permissions.entry(name).or_default();
            if !statements.iter().any(|p| p.statement_id == statement_id) {
                statements.push(InvokePermission {
                    statement_id: statement_id.into(),
                    principal: "events.amazonaws.com".into(),
                    source_arn: Some(source_arn.into()),
                });
            }
            Ok(())
        })
        .await
    }

    async fn put_event_rule(&self, new: NewEventRule<'_>) -> CloudResult<String> {
        self.call("events:PutRule", |a| {
            let arn = format!("arn:aws:events:{REGION}:{ACCOUNT}:rule/{}", new.name);
            let (schedule, pattern) = match new.trigger {
                Trigger::Schedule(s) => (Some(s.clone()), None),
                Trigger::Events(p) => (None, Some(p.clone())),
            };
            let rule =
                EventRule { arn: arn.clone(), name: new.name.into(), state: "ENABLED".into(), schedule, pattern };
            let rules = &mut f(a).rules;
            match rules.iter_mut().find(|(r, _)| r.name == new.name) {
                // Tags are given only when a rule is created.
                Some((existing, _)) => *existing = rule,
                None => rules.push((rule, new.tags.clone())),
            }
            Ok(arn)
        })
        .await
    }

    async fn put_rule_target(&self, rule: &str, target: &RuleTarget) -> CloudResult<()> {
        self.call("events:PutTargets", |a| {
            let targets = f(a).targets.entry(rule.into()).or_default();
            targets.retain(|t| t.id != target.id);
            targets.push(target.clone());
            Ok(())
        })
        .await
    }

    async fn put_alarm(&self, new: NewAlarm<'_>) -> CloudResult<()> {
        self.call("cloudwatch:PutMetricAlarm", |a| {
            let alarm = Alarm {
                arn: format!("arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{}", new.name),
                name: new.name.into(),
                namespace: "AWS/NetworkELB".into(),
                metric: "HealthyHostCount".into(),
                dimensions: new.dimensions.clone(),
                alarm_actions: new.topics.to_vec(),
            };
            let alarms = &mut f(a).alarms;
            match alarms.iter_mut().find(|(x, _)| x.name == new.name) {
                // Tags are given only when an alarm is created.
                Some((existing, _)) => *existing = alarm,
                None => alarms.push((alarm, new.tags.clone())),
            }
            Ok(())
        })
        .await
    }

    async fn remove_rule_targets(&self, rule: &str, target_ids: &[String]) -> CloudResult<()> {
        self.call("events:RemoveTargets", |a| {
            if let Some(targets) = f(a).targets.get_mut(rule) {
                targets.retain(|t| !target_ids.contains(&t.id));
            }
            Ok(())
        })
        .await
    }

    async fn delete_event_rule(&self, name: &str) -> CloudResult<()> {
        self.call("events:DeleteRule", |a| {
            if f(a).targets.get(name).is_some_and(|t| !t.is_empty()) {
                return Err(error(
                    "events:DeleteRule",
                    "ValidationException",
                    "Rule can't be deleted since it has targets.",
                ));
            }
            f(a).rules.retain(|(r, _)| r.name != name);
            Ok(())
        })
        .await
    }

    async fn delete_function(&self, name: &str) -> CloudResult<()> {
        self.call("lambda:DeleteFunction", |a| {
            f(a).functions.retain(|x| x.name != name);
            f(a).permissions.remove(name);
            Ok(())
        })
        .await
    }

    async fn delete_role_policy(&self, role: &str, policy: &str) -> CloudResult<()> {
        self.call("iam:DeleteRolePolicy", |a| {
            f(a).policies.remove(&(role.into(), policy.into()));
            Ok(())
        })
        .await
    }

    async fn delete_role(&self, name: &str) -> CloudResult<()> {
        self.call("iam:DeleteRole", |a| {
            if f(a).policies.keys().any(|(role, _)| role == name) {
                return Err(error(
                    "iam:DeleteRole",
                    "DeleteConflict",
                    "Cannot delete entity, must delete policies first.",
                ));
            }
            f(a).roles.retain(|r| r.name != name);
            Ok(())
        })
        .await
    }

    async fn delete_alarm(&self, name: &str) -> CloudResult<()> {
        self.call("cloudwatch:DeleteAlarms", |a| {
            f(a).alarms.retain(|(x, _)| x.name != name);
            Ok(())
        })
        .await
    }

    async fn delete_log_group(&self, name: &str) -> CloudResult<()> {
        self.call("logs:DeleteLogGroup", |a| {
            f(a).log_groups.retain(|(g, _)| g.name != name);
            Ok(())
        })
        .await
    }
}
