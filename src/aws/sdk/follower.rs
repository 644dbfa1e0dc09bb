//! [`FollowerCloud`] over the SDK's IAM, Lambda, EventBridge, CloudWatch and CloudWatch
//! Logs clients: a thin translation, no decisions.

use std::collections::{BTreeMap, HashMap};

use aws_sdk_cloudwatch::types as cw;
use aws_sdk_eventbridge::types as events;
use aws_sdk_lambda::primitives::Blob;
use aws_sdk_lambda::types as lambda;

use super::{SdkCloud, empty_answer, gone_is_done};
use crate::aws::errors::classify;
use crate::aws::follower::*;
use crate::aws::{CloudError, CloudErrorKind, CloudResult, Tags};

/// The minute Lambda's metrics are kept at (AWS/Lambda, "Types of metrics for Lambda
/// functions"): a run shows in the minute it started.
const METRIC_PERIOD: i32 = 60;

fn to_tags<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Tags {
    pairs.into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn to_map(tags: &Tags) -> HashMap<String, String> {
    tags.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// A tag builder's answer: only a missing key or value fails it, which these never lack.
fn built<T, E: std::fmt::Display>(result: Result<T, E>, action: &'static str) -> CloudResult<T> {
    result.map_err(|e| CloudError { action, kind: CloudErrorKind::Other, code: None, message: e.to_string() })
}

/// IAM returns policy documents URL-encoded (RFC 3986).
fn url_decoded(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
        match (bytes[i], hex.and_then(|h| u8::from_str_radix(h, 16).ok())) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (b'+', _) => {
                out.push(b' ');
                i += 1;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn function(c: &lambda::FunctionConfiguration, tags: Tags) -> Function {
    Function {
        arn: c.function_arn().unwrap_or_default().to_string(),
        name: c.function_name().unwrap_or_default().to_string(),
        role_arn: c.role().unwrap_or_default().to_string(),
        runtime: c.runtime().map(|r| r.as_str().to_string()).unwrap_or_default(),
        handler: c.handler().unwrap_or_default().to_string(),
        code_sha256: c.code_sha256().unwrap_or_default().to_string(),
        environment: c
            .environment()
            .and_then(|e| e.variables())
            .map(|v| v.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default(),
        timeout_seconds: c.timeout().and_then(|t| u32::try_from(t).ok()).unwrap_or_default(),
        state: c.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
        last_update_status: c.last_update_status().map(|s| s.as_str().to_string()),
        log_group: c.logging_config().and_then(|l| l.log_group()).map(str::to_string),
        last_modified: c.last_modified().and_then(lambda_time),
        tags,
    }
}

fn settings_of(settings: &FunctionSettings) -> (lambda::Environment, lambda::LoggingConfig) {
    let environment = lambda::Environment::builder().set_variables(Some(to_map(&settings.environment))).build();
    let logging = lambda::LoggingConfig::builder().log_group(&settings.log_group).build();
    (environment, logging)
}

/// The statements of a Lambda resource-based policy, as GetPolicy returns it (JSON).
fn invoke_permissions(policy: &str) -> Vec<InvokePermission> {
    let policy: serde_json::Value = serde_json::from_str(policy).unwrap_or_default();
    let statements = policy["Statement"].as_array().cloned().unwrap_or_default();
    statements
        .iter()
        .map(|s| InvokePermission {
            statement_id: s["Sid"].as_str().unwrap_or_default().to_string(),
            principal: s["Principal"]["Service"].as_str().unwrap_or_default().to_string(),
            source_arn: s["Condition"]["ArnLike"]["AWS:SourceArn"].as_str().map(str::to_string),
        })
        .collect()
}

impl FollowerCloud for SdkCloud {
    fn region(&self) -> &str {
        &self.region
    }

    async fn role(&self, name: &str) -> CloudResult<Option<Role>> {
        match self.iam.get_role().role_name(name).send().await {
            Ok(out) => Ok(out.role().map(|r| Role {
                arn: r.arn().to_string(),
                name: r.role_name().to_string(),
                tags: to_tags(r.tags().iter().map(|t| (t.key(), t.value()))),
            })),
            Err(e) => absent(classify("iam:GetRole", e), "NoSuchEntity"),
        }
    }

    async fn role_policy(&self, role: &str, policy: &str) -> CloudResult<Option<String>> {
        match self.iam.get_role_policy().role_name(role).policy_name(policy).send().await {
            Ok(out) => Ok(Some(url_decoded(out.policy_document()))),
            Err(e) => absent(classify("iam:GetRolePolicy", e), "NoSuchEntity"),
        }
    }

    async fn function(&self, name: &str) -> CloudResult<Option<Function>> {
        match self.lambda.get_function().function_name(name).send().await {
            Ok(out) => {
                let tags = out.tags().map(|t| to_tags(t.iter().map(|(k, v)| (k.as_str(), v.as_str()))));
                Ok(out.configuration().map(|c| function(c, tags.unwrap_or_default())))
            }
            Err(e) => absent(classify("lambda:GetFunction", e), "ResourceNotFoundException"),
        }
    }

    async fn invoke_permissions(&self, function: &str) -> CloudResult<Vec<InvokePermission>> {
        match self.lambda.get_policy().function_name(function).send().await {
            Ok(out) => Ok(out.policy().map(invoke_permissions).unwrap_or_default()),
            Err(e) => Ok(absent(classify("lambda:GetPolicy", e), "ResourceNotFoundException")?.unwrap_or_default()),
        }
    }

    async fn event_rule(&self, name: &str) -> CloudResult<Option<EventRule>> {
        match self.events.describe_rule().name(name).send().await {
            Ok(out) => Ok(Some(EventRule {
                arn: out.arn().unwrap_or_default().to_string(),
                name: out.name().unwrap_or(name).to_string(),
                state: out.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                schedule: out.schedule_expression().map(str::to_string),
                pattern: out.event_pattern().map(str::to_string),
            })),
            Err(e) => absent(classify("events:DescribeRule", e), "ResourceNotFoundException"),
        }
    }

    async fn rule_targets(&self, rule: &str) -> CloudResult<Vec<RuleTarget>> {
        match self.events.list_targets_by_rule().rule(rule).send().await {
            Ok(out) => Ok(out
                .targets()
                .iter()
                .map(|t| RuleTarget { id: t.id().to_string(), arn: t.arn().to_string() })
                .collect()),
            Err(e) => {
                Ok(absent(classify("events:ListTargetsByRule", e), "ResourceNotFoundException")?.unwrap_or_default())
            }
        }
    }

    async fn event_rule_tags(&self, arn: &str) -> CloudResult<Tags> {
        let out = self
            .events
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| classify("events:ListTagsForResource", e))?;
        Ok(to_tags(out.tags().iter().map(|t| (t.key(), t.value()))))
    }

    async fn alarm(&self, name: &str) -> CloudResult<Option<Alarm>> {
        let out = self
            .cloudwatch
            .describe_alarms()
            .alarm_names(name)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:DescribeAlarms", e))?;
        Ok(out.metric_alarms().iter().find(|a| a.alarm_name() == Some(name)).map(alarm_of))
    }

    async fn event_rules(&self, prefix: &str) -> CloudResult<Vec<EventRule>> {
        every_page(async |next| {
            let out = self
                .events
                .list_rules()
                .name_prefix(prefix)
                .set_next_token(next)
                .send()
                .await
                .map_err(|e| classify("events:ListRules", e))?;
            let rules = out.rules().iter().map(|r| EventRule {
                arn: r.arn().unwrap_or_default().to_string(),
                name: r.name().unwrap_or_default().to_string(),
                state: r.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                schedule: r.schedule_expression().map(str::to_string),
                pattern: r.event_pattern().map(str::to_string),
            });
            Ok((rules.collect(), out.next_token().map(str::to_string)))
        })
        .await
    }

    async fn alarms(&self, prefix: &str) -> CloudResult<Vec<Alarm>> {
        every_page(async |next| {
            let out = self
                .cloudwatch
                .describe_alarms()
                .alarm_name_prefix(prefix)
                .set_next_token(next)
                .send()
                .await
                .map_err(|e| classify("cloudwatch:DescribeAlarms", e))?;
            Ok((out.metric_alarms().iter().map(alarm_of).collect(), out.next_token().map(str::to_string)))
        })
        .await
    }

    async fn alarm_tags(&self, arn: &str) -> CloudResult<Tags> {
        let out = self
            .cloudwatch
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:ListTagsForResource", e))?;
        Ok(to_tags(out.tags().iter().filter_map(|t| Some((t.key()?, t.value()?)))))
    }

    async fn log_groups(&self, prefix: &str) -> CloudResult<Vec<LogGroup>> {
        every_page(async |next| {
            let out = self
                .logs
                .describe_log_groups()
                .log_group_name_prefix(prefix)
                .set_next_token(next)
                .send()
                .await
                .map_err(|e| classify("logs:DescribeLogGroups", e))?;
            let groups = out.log_groups().iter().filter_map(|g| {
                let name = g.log_group_name()?.to_string();
                // `arn` ends in `:*` (its streams); tagging APIs take the group's own ARN.
                let arn = g.log_group_arn().map(str::to_string);
                let arn = arn.or_else(|| g.arn().map(|a| a.trim_end_matches(":*").to_string()));
                Some(LogGroup { arn: arn.unwrap_or_default(), name, retention_days: g.retention_in_days() })
            });
            Ok((groups.collect(), out.next_token().map(str::to_string)))
        })
        .await
    }

    async fn log_group_tags(&self, arn: &str) -> CloudResult<Tags> {
        let out = self
            .logs
            .list_tags_for_resource()
            .resource_arn(arn)
            .send()
            .await
            .map_err(|e| classify("logs:ListTagsForResource", e))?;
        Ok(out.tags().map(|t| to_tags(t.iter().map(|(k, v)| (k.as_str(), v.as_str())))).unwrap_or_default())
    }

    async fn runs(&self, functions: &[String], minutes: u32) -> CloudResult<Vec<Runs>> {
        let now = std::time::SystemTime::now();
        let start = now - std::time::Duration::from_secs(u64::from(minutes) * 60);
        let query = |id: String, function: &str, metric: &str| {
            let metric = cw::Metric::builder()
                .namespace("AWS/Lambda")
                .metric_name(metric)
                .dimensions(cw::Dimension::builder().name("FunctionName").value(function).build())
                .build();
            let stat = cw::MetricStat::builder().metric(metric).period(METRIC_PERIOD).stat("Sum").build();
            cw::MetricDataQuery::builder().id(id).metric_stat(stat).return_data(true).build()
        };
        let mut runs = Vec::new();
        for chunk in functions.chunks(FUNCTIONS_PER_METRICS_CALL) {
            let mut request = self.cloudwatch.get_metric_data().start_time(start.into()).end_time(now.into());
            for (i, function) in chunk.iter().enumerate() {
                request = request
                    .metric_data_queries(query(format!("invocations{i}"), function, "Invocations"))
                    .metric_data_queries(query(format!("errors{i}"), function, "Errors"));
            }
            let mut results = Vec::new();
            let mut next = None;
            // An answer holds at most 100,800 data points; the rest comes on further pages.
            loop {
                let out = request
                    .clone()
                    .set_next_token(next)
                    .send()
                    .await
                    .map_err(|e| classify("cloudwatch:GetMetricData", e))?;
                results.extend(out.metric_data_results().iter().cloned());
                next = out.next_token().map(str::to_string);
                if next.is_none() {
                    break;
                }
            }
            runs.extend((0..chunk.len()).map(|i| runs_of(&results, i)));
        }
        Ok(runs)
    }

    async fn create_role(&self, name: &str, description: &str, trust_policy: &str, tags: &Tags) -> CloudResult<Role> {
        let mut iam_tags = Vec::new();
        for (k, v) in tags {
            iam_tags.push(built(aws_sdk_iam::types::Tag::builder().key(k).value(v).build(), "iam:TagRole")?);
        }
        let created = self
            .iam
            .create_role()
            .role_name(name)
            .description(description)
            .assume_role_policy_document(trust_policy)
            .set_tags(Some(iam_tags))
            .send()
            .await
            .map_err(|e| classify("iam:CreateRole", e));
        match created {
            Ok(out) => {
                let role = out.role().ok_or_else(|| empty_answer("iam:CreateRole"))?;
                Ok(Role { arn: role.arn().to_string(), name: name.to_string(), tags: tags.clone() })
            }
            // Made by a call whose answer was lost: the same role, if it carries the tags.
            Err(e) if e.is_code("EntityAlreadyExists") => match self.role(name).await? {
                Some(role) if carries(&role.tags, tags) => Ok(role),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    async fn put_role_policy(&self, role: &str, policy: &str, document: &str) -> CloudResult<()> {
        self.iam
            .put_role_policy()
            .role_name(role)
            .policy_name(policy)
            .policy_document(document)
            .send()
            .await
            .map_err(|e| classify("iam:PutRolePolicy", e))?;
        Ok(())
    }

    async fn create_log_group(&self, name: &str, tags: &Tags) -> CloudResult<()> {
        match self.logs.create_log_group().log_group_name(name).set_tags(Some(to_map(tags))).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("logs:CreateLogGroup", e), "ResourceAlreadyExistsException"),
        }
    }

    async fn set_log_retention(&self, name: &str, days: i32) -> CloudResult<()> {
        self.logs
            .put_retention_policy()
            .log_group_name(name)
            .retention_in_days(days)
            .send()
            .await
            .map_err(|e| classify("logs:PutRetentionPolicy", e))?;
        Ok(())
    }

    async fn create_function(&self, new: NewFunction<'_>) -> CloudResult<Function> {
        let (environment, logging) = settings_of(new.settings);
        let created = self
            .lambda
            .create_function()
            .function_name(new.name)
            .description(new.description)
            .role(new.role_arn)
            .runtime(lambda::Runtime::from(new.settings.runtime.as_str()))
            .handler(&new.settings.handler)
            .code(lambda::FunctionCode::builder().zip_file(Blob::new(new.code)).build())
            .timeout(i32::try_from(new.settings.timeout_seconds).unwrap_or(60))
            .memory_size(i32::try_from(new.settings.memory_mb).unwrap_or(128))
            .environment(environment)
            .logging_config(logging)
            .set_tags(Some(to_map(new.tags)))
            .send()
            .await
            .map_err(|e| classify("lambda:CreateFunction", e));
        match created {
            Ok(out) => Ok(Function {
                arn: out.function_arn().unwrap_or_default().to_string(),
                name: new.name.to_string(),
                role_arn: new.role_arn.to_string(),
                runtime: new.settings.runtime.clone(),
                handler: new.settings.handler.clone(),
                code_sha256: out.code_sha256().unwrap_or_default().to_string(),
                environment: new.settings.environment.clone(),
                timeout_seconds: new.settings.timeout_seconds,
                state: out.state().map(|s| s.as_str().to_string()).unwrap_or_default(),
                last_update_status: out.last_update_status().map(|s| s.as_str().to_string()),
                log_group: Some(new.settings.log_group.clone()),
                last_modified: out.last_modified().and_then(lambda_time),
                tags: new.tags.clone(),
            }),
            Err(e) if e.is_code("ResourceConflictException") => match self.function(new.name).await? {
                Some(found) if carries(&found.tags, new.tags) => Ok(found),
                _ => Err(e),
            },
            Err(e) => Err(e),
        }
    }

    async fn update_function_code(&self, name: &str, code: &[u8]) -> CloudResult<()> {
        self.lambda
            .update_function_code()
            .function_name(name)
            .zip_file(Blob::new(code))
            .send()
            .await
            .map_err(|e| classify("lambda:UpdateFunctionCode", e))?;
        Ok(())
    }

    async fn update_function_settings(
        &self,
        name: &str,
        role_arn: &str,
        settings: &FunctionSettings,
    ) -> CloudResult<()> {
        let (environment, logging) = settings_of(settings);
        self.lambda
            .update_function_configuration()
            .function_name(name)
            .role(role_arn)
            .runtime(lambda::Runtime::from(settings.runtime.as_str()))
            .handler(&settings.handler)
            .timeout(i32::try_from(settings.timeout_seconds).unwrap_or(60))
            .memory_size(i32::try_from(settings.memory_mb).unwrap_or(128))
            .environment(environment)
            .logging_config(logging)
            .send()
            .await
            .map_err(|e| classify("lambda:UpdateFunctionConfiguration", e))?;
        Ok(())
    }

    async fn allow_rule_to_invoke(&self, function: &str, statement_id: &str, source_arn: &str) -> CloudResult<()> {
        let added = self
            .lambda
            .add_permission()
            .function_name(function)
            .statement_id(statement_id)
            .action("lambda:InvokeFunction")
            .principal("events.amazonaws.com")
            .source_arn(source_arn)
            .send()
            .await
            .map_err(|e| classify("lambda:AddPermission", e));
        match added {
            Ok(_) => Ok(()),
            // The statement is there already (a call whose answer was lost), or the
            // function is being changed: only the first is done.
            Err(e) if e.is_code("ResourceConflictException") => {
                let present = self.invoke_permissions(function).await?;
                if present.iter().any(|p| p.statement_id == statement_id) { Ok(()) } else { Err(e) }
            }
            Err(e) => Err(e),
        }
    }

    async fn put_event_rule(&self, new: NewEventRule<'_>) -> CloudResult<String> {
        let mut tags = Vec::new();
        for (k, v) in new.tags {
            tags.push(built(events::Tag::builder().key(k).value(v).build(), "events:TagResource")?);
        }
        let request = self
            .events
            .put_rule()
            .name(new.name)
            .description(new.description)
            .state(events::RuleState::Enabled)
            .set_tags(Some(tags));
        let request = match new.trigger {
            Trigger::Schedule(expression) => request.schedule_expression(expression),
            Trigger::Events(pattern) => request.event_pattern(pattern),
        };
        let out = request.send().await.map_err(|e| classify("events:PutRule", e))?;
        out.rule_arn().map(str::to_string).ok_or_else(|| empty_answer("events:PutRule"))
    }

    async fn put_rule_target(&self, rule: &str, target: &RuleTarget) -> CloudResult<()> {
        let entry = built(events::Target::builder().id(&target.id).arn(&target.arn).build(), "events:PutTargets")?;
        let out = self
            .events
            .put_targets()
            .rule(rule)
            .targets(entry)
            .send()
            .await
            .map_err(|e| classify("events:PutTargets", e))?;
        match out.failed_entries().first() {
            None => Ok(()),
            Some(failed) => Err(CloudError {
                action: "events:PutTargets",
                kind: CloudErrorKind::Other,
                code: failed.error_code().map(str::to_string),
                message: failed.error_message().unwrap_or("the target was not added").to_string(),
            }),
        }
    }

    async fn put_alarm(&self, new: NewAlarm<'_>) -> CloudResult<()> {
        let tags = new.tags.iter().map(|(k, v)| cw::Tag::builder().key(k).value(v).build());
        let dimensions =
            new.dimensions.iter().map(|(name, value)| cw::Dimension::builder().name(name).value(value).build());
        self.cloudwatch
            .put_metric_alarm()
            .alarm_name(new.name)
            .alarm_description(new.description)
            .namespace("AWS/NetworkELB")
            .metric_name("HealthyHostCount")
            .set_dimensions(Some(dimensions.collect()))
            .statistic(cw::Statistic::Minimum)
            .period(METRIC_PERIOD)
            .evaluation_periods(3)
            .datapoints_to_alarm(3)
            .threshold(1.0)
            .comparison_operator(cw::ComparisonOperator::LessThanThreshold)
            // No data at all is as bad: the load balancer reports every minute while it serves.
            .treat_missing_data("breaching")
            .set_alarm_actions(Some(new.topics.to_vec()))
            .set_ok_actions(Some(new.topics.to_vec()))
            .set_tags(Some(tags.collect()))
            .send()
            .await
            .map_err(|e| classify("cloudwatch:PutMetricAlarm", e))?;
        Ok(())
    }

    async fn remove_rule_targets(&self, rule: &str, target_ids: &[String]) -> CloudResult<()> {
        match self.events.remove_targets().rule(rule).set_ids(Some(target_ids.to_vec())).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("events:RemoveTargets", e), "ResourceNotFoundException"),
        }
    }

    async fn delete_event_rule(&self, name: &str) -> CloudResult<()> {
        match self.events.delete_rule().name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("events:DeleteRule", e), "ResourceNotFoundException"),
        }
    }

    async fn delete_function(&self, name: &str) -> CloudResult<()> {
        match self.lambda.delete_function().function_name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("lambda:DeleteFunction", e), "ResourceNotFoundException"),
        }
    }

    async fn delete_role_policy(&self, role: &str, policy: &str) -> CloudResult<()> {
        match self.iam.delete_role_policy().role_name(role).policy_name(policy).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("iam:DeleteRolePolicy", e), "NoSuchEntity"),
        }
    }

    async fn delete_role(&self, name: &str) -> CloudResult<()> {
        match self.iam.delete_role().role_name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("iam:DeleteRole", e), "NoSuchEntity"),
        }
    }

    async fn delete_alarm(&self, name: &str) -> CloudResult<()> {
        self.cloudwatch
            .delete_alarms()
            .alarm_names(name)
            .send()
            .await
            .map_err(|e| classify("cloudwatch:DeleteAlarms", e))?;
        Ok(())
    }

    async fn delete_log_group(&self, name: &str) -> CloudResult<()> {
        match self.logs.delete_log_group().log_group_name(name).send().await {
            Ok(_) => Ok(()),
            Err(e) => gone_is_done(classify("logs:DeleteLogGroup", e), "ResourceNotFoundException"),
        }
    }
}

/// Whether `tags` hold every one of `asked` (and some are asked).
fn carries(tags: &Tags, asked: &Tags) -> bool {
    !asked.is_empty() && asked.iter().all(|(k, v)| tags.get(k) == Some(v))
}

/// A read of something that may not exist: `None` for AWS's not-found answer.
fn absent<T>(error: CloudError, not_found: &str) -> CloudResult<Option<T>> {
    if error.is_code(not_found) { Ok(None) } else { Err(error) }
}

/// Every item of a paginated listing: `page` asks for the page after the given token
/// and answers its items and the next token, none after the last page.
async fn every_page<T>(
    mut page: impl AsyncFnMut(Option<String>) -> CloudResult<(Vec<T>, Option<String>)>,
) -> CloudResult<Vec<T>> {
    let mut found = Vec::new();
    let mut next = None;
    loop {
        let (items, token) = page(next).await?;
        found.extend(items);
        match token {
            Some(token) => next = Some(token),
            None => return Ok(found),
        }
    }
}

/// The functions one GetMetricData asks about: two queries each, of the 500 it takes.
const FUNCTIONS_PER_METRICS_CALL: usize = 250;

/// Function `i`'s runs, from the results of its two queries.
fn runs_of(results: &[cw::MetricDataResult], i: usize) -> Runs {
    let series = |id: String| -> BTreeMap<i64, f64> {
        // Summed by minute: an answer may hold a minute more than once, or over pages.
        let mut by_minute = BTreeMap::new();
        for result in results.iter().filter(|r| r.id() == Some(id.as_str())) {
            for (at, value) in result.timestamps().iter().zip(result.values()) {
                *by_minute.entry(at.secs() / 60 * 60).or_insert(0.0) += value;
            }
        }
        by_minute
    };
    let (invocations, errors) = (series(format!("invocations{i}")), series(format!("errors{i}")));
    let last_run = invocations.iter().filter(|(_, n)| **n > 0.0).map(|(t, _)| *t).max();
    let count = |values: &BTreeMap<i64, f64>| values.values().sum::<f64>() as u64;
    Runs {
        invocations: count(&invocations),
        errors: count(&errors),
        last_run,
        last_failed: last_run.is_some_and(|t| errors.get(&t).is_some_and(|n| *n > 0.0)),
    }
}

fn alarm_of(a: &cw::MetricAlarm) -> Alarm {
    Alarm {
        arn: a.alarm_arn().unwrap_or_default().to_string(),
        name: a.alarm_name().unwrap_or_default().to_string(),
        namespace: a.namespace().unwrap_or_default().to_string(),
        metric: a.metric_name().unwrap_or_default().to_string(),
        dimensions: a
            .dimensions()
            .iter()
            .filter_map(|d| Some((d.name()?.to_string(), d.value()?.to_string())))
            .collect(),
        alarm_actions: a.alarm_actions().to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iam_policy_documents_are_url_decoded() {
        assert_eq!(url_decoded("%7B%22Version%22%3A%222012-10-17%22%7D"), r#"{"Version":"2012-10-17"}"#);
        assert_eq!(url_decoded("100%"), "100%");
    }

    #[test]
    fn a_lambda_policy_gives_each_statement_and_its_source() {
        let policy = r#"{"Statement":[{"Sid":"airbyte-plink-schedule","Principal":{"Service":"events.amazonaws.com"},
            "Condition":{"ArnLike":{"AWS:SourceArn":"arn:aws:events:us-west-2:1:rule/r"}}}]}"#;
        let read = invoke_permissions(policy);
        assert_eq!(read[0].statement_id, "airbyte-plink-schedule");
        assert_eq!(read[0].source_arn.as_deref(), Some("arn:aws:events:us-west-2:1:rule/r"));
    }
}
