//! `status`: each deployment with its resources, connections and target health.

use serde::Serialize;

use crate::aws::Connection;
use crate::cli::{GlobalArgs, OutputFormat, StatusArgs};
use crate::commands::{Ui, day2};
use crate::engine::deployment::observe::{Observed, Reach, Scope, read, read_one};
use crate::failure::Failure;

#[derive(Debug, Serialize)]
struct TargetStatus {
    id: String,
    port: u16,
    health: String,
}

#[derive(Debug, Serialize)]
struct DeploymentStatus {
    deployment: String,
    service_id: Option<String>,
    service_name: Option<String>,
    service_state: Option<String>,
    load_balancer_arn: Option<String>,
    load_balancer_state: Option<String>,
    /// The load balancer's own security group.
    security_group_id: Option<String>,
    availability_zone_ids: Vec<String>,
    allowed_principals: Vec<String>,
    targets: Vec<TargetStatus>,
    /// Its other databases, each with its own target group.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    databases: Vec<DatabaseStatus>,
    connections: Vec<Connection>,
    #[serde(skip_serializing_if = "Option::is_none")]
    follower: Option<FollowerStatus>,
}

/// One of a deployment's other databases.
#[derive(Debug, Serialize)]
struct DatabaseStatus {
    name: String,
    target_group: String,
    /// The port the database listens on.
    port: u16,
    targets: Vec<TargetStatus>,
}

fn target_statuses(targets: Vec<crate::aws::RegisteredTarget>) -> Vec<TargetStatus> {
    targets.into_iter().map(|t| TargetStatus { id: t.target.id, port: t.target.port, health: t.health }).collect()
}

/// The follower and what Lambda's metrics say of its last hour.
#[derive(Debug, Serialize)]
struct FollowerStatus {
    function: String,
    state: String,
    every_minutes: Option<u32>,
    alarm: Option<String>,
    /// When it last ran (seconds since the epoch, to the minute), in the last hour.
    last_run: Option<i64>,
    last_run_failed: bool,
    runs_last_hour: u64,
    errors_last_hour: u64,
}

impl FollowerStatus {
    fn of(o: &Observed) -> Option<FollowerStatus> {
        let function = o.follower.function.as_ref()?;
        let runs = o.follower.runs.clone().unwrap_or_default();
        Some(FollowerStatus {
            function: function.name.clone(),
            state: function.state.clone(),
            every_minutes: o.follower.every_minutes(),
            alarm: o.follower.alarm.as_ref().map(|a| a.name.clone()),
            last_run: runs.last_run,
            last_run_failed: runs.last_failed,
            runs_last_hour: runs.invocations,
            errors_last_hour: runs.errors,
        })
    }

    fn line(&self) -> String {
        let every = self.every_minutes.map_or(String::new(), |m| format!(", every {m} min and on RDS events"));
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64);
        let last = match self.last_run {
            None => "no run in the last hour".to_string(),
            Some(at) => format!(
                "last run {} min ago {}",
                (now - at).max(0) / 60,
                if self.last_run_failed { "failed" } else { "succeeded" }
            ),
        };
        format!("Follower: {} ({}{every}); {last}\n", self.function, self.state)
    }
}

impl From<Observed> for DeploymentStatus {
    fn from(o: Observed) -> Self {
        // Where Airbyte can connect: the service's zones as AWS reports them, else the
        // load balancer's.
        let mut zones: Vec<String> = match &o.service {
            Some(service) if !service.availability_zone_ids.is_empty() => service.availability_zone_ids.clone(),
            _ => o.subnets.iter().map(|s| s.az_id.clone()).collect(),
        };
        zones.sort();
        let connections = o.service_connections().to_vec();
        let follower = FollowerStatus::of(&o);
        DeploymentStatus {
            follower,
            deployment: o.name,
            service_id: o.service.as_ref().map(|s| s.id.clone()),
            service_name: o.service.as_ref().map(|s| s.name.clone()),
            service_state: o.service.as_ref().map(|s| s.state.clone()),
            load_balancer_arn: o.load_balancer.as_ref().map(|lb| lb.arn.clone()),
            load_balancer_state: o.load_balancer.as_ref().map(|lb| lb.state.clone()),
            security_group_id: o.security_group.as_ref().map(|g| g.id.clone()),
            availability_zone_ids: zones,
            allowed_principals: o.principals,
            targets: target_statuses(o.targets),
            databases: o
                .databases
                .into_iter()
                .map(|d| DatabaseStatus {
                    name: d.name,
                    target_group: d.target_group.name,
                    port: d.target_group.port,
                    targets: target_statuses(d.targets),
                })
                .collect(),
            connections,
        }
    }
}

pub async fn run(global: &GlobalArgs, args: &StatusArgs, ui: &Ui) -> Result<(), Failure> {
    day2::refuse_junit(ui)?;
    let cloud = day2::connect(global).await?;
    let deployments = match &args.which.name {
        Some(name) => vec![read_one(&cloud, name, None, Reach::FOR_DISPLAY).await.map_err(Failure::Cloud)?],
        None => read(&cloud, Scope::All, Reach::FOR_DISPLAY).await.map_err(Failure::Cloud)?,
    };
    let statuses: Vec<DeploymentStatus> = deployments.into_iter().map(DeploymentStatus::from).collect();
    match ui.output {
        OutputFormat::Json => day2::print_json(&statuses),
        _ => print!("{}", human(&statuses, args.which.name.is_some())),
    }
    Ok(())
}

fn human(statuses: &[DeploymentStatus], detailed: bool) -> String {
    if statuses.is_empty() {
        return "No airbyte-plink deployment in this region.\n".into();
    }
    let dash = || "-".to_string();
    let rows: Vec<[String; 6]> = statuses
        .iter()
        .map(|s| {
            let every = || s.targets.iter().chain(s.databases.iter().flat_map(|d| &d.targets));
            let healthy = every().filter(|t| t.health == "healthy").count();
            let count = |state: &str| s.connections.iter().filter(|c| c.is(state)).count();
            [
                s.deployment.clone(),
                s.service_id.clone().unwrap_or_else(dash),
                s.service_state.clone().unwrap_or_else(dash),
                s.load_balancer_state.clone().unwrap_or_else(dash),
                format!("{healthy}/{} healthy", every().count()),
                format!("{} available, {} pending", count("available"), count("pendingAcceptance")),
            ]
        })
        .collect();
    let header = ["DEPLOYMENT", "SERVICE", "STATE", "LOAD BALANCER", "TARGETS", "CONNECTIONS"].map(String::from);
    let widths: Vec<usize> =
        (0..6).map(|c| rows.iter().chain([&header]).map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for row in [&header].into_iter().chain(&rows) {
        let cells: Vec<String> = row.iter().zip(&widths).map(|(cell, w)| format!("{cell:<w$}")).collect();
        out.push_str(cells.join("  ").trim_end());
        out.push('\n');
    }
    if detailed {
        for s in statuses {
            out.push_str(&format!("\nService name: {}\n", s.service_name.as_deref().unwrap_or("-")));
            out.push_str(&format!("AZ IDs: {}\n", s.availability_zone_ids.join(", ")));
            out.push_str(&format!(
                "Load balancer's security group: {}\n",
                s.security_group_id.as_deref().unwrap_or("-")
            ));
            out.push_str(&format!("Allowed principals: {}\n", s.allowed_principals.join(", ")));
            for t in &s.targets {
                out.push_str(&format!("Target {}:{} {}\n", t.id, t.port, t.health));
            }
            for d in &s.databases {
                out.push_str(&format!("Database {} (target group {}, port {})\n", d.name, d.target_group, d.port));
                for t in &d.targets {
                    out.push_str(&format!("  Target {}:{} {}\n", t.id, t.port, t.health));
                }
            }
            for c in &s.connections {
                out.push_str(&format!("Connection {} from account {}: {}\n", c.endpoint_id, c.owner, c.state));
            }
            match &s.follower {
                Some(follower) => out.push_str(&follower.line()),
                None => out.push_str("Follower: none (after a failover, run `airbyte-plink sync-targets`)\n"),
            }
        }
    }
    out
}

/// Snapshots of `status`: one deployment in detail, a region as a table, and JSON.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::desired::Desired;
    use crate::testing::fixtures::{connection, desired, inspected};

    #[test]
    fn a_deployment_in_detail_and_a_region_as_a_table() {
        let mut orders = inspected(&desired());
        let stranger = Connection { owner: "444455556666".into(), ..connection("vpce-0stranger", "pendingAcceptance") };
        orders.connections.get_mut("vpce-svc-1").unwrap().push(stranger);
        let mut billing = inspected(&Desired { name: "billing".into(), ..desired() });
        billing.service = None;
        billing.targets[0].health = "unhealthy".into();
        billing.connections.clear();

        let one = [DeploymentStatus::from(orders.clone())];
        insta::assert_snapshot!("detailed", human(&one, true));
        insta::assert_snapshot!("json", serde_json::to_string_pretty(&one).unwrap());
        let region = [DeploymentStatus::from(orders), DeploymentStatus::from(billing)];
        insta::assert_snapshot!("table", human(&region, false));
    }
}
