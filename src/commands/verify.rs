//! `verify`: every check of a deployment, read-only, for people and for CI.

use serde_json::json;

use crate::aws::Cloud;
use crate::cli::{GlobalArgs, OutputFormat, VerifyArgs};
use crate::commands::{Ui, day2};
use crate::dns::DnsResolver;
use crate::engine::checks::reachability;
use crate::engine::checks::{self, Status};
use crate::engine::deployment::observe::{Observed, Reach, read_one};
use crate::engine::deployment::tags;
use crate::engine::knowledge::targets;
use crate::failure::Failure;
use crate::render;

pub async fn run(global: &GlobalArgs, args: &VerifyArgs, ui: &Ui) -> Result<(), Failure> {
    let cloud = day2::connect(global).await?;
    let name = match &args.service_id {
        Some(id) => name_of_service(&cloud, id).await?,
        None => day2::deployment(&cloud, &args.which).await?,
    };
    let resolver = DnsResolver::new(global.dns_server).map_err(Failure::Usage)?;
    // RDS's databases alongside: an endpoint's security groups, for the database check.
    let (observed, databases) = futures::try_join!(read_one(&cloud, &name, None, Reach::FOR_VERIFY), cloud.databases())
        .map_err(Failure::Cloud)?;
    // Each other database is checked as if it were the deployment's own, all at once.
    let views: Vec<(String, Observed)> =
        observed.databases.iter().map(|d| (d.name.clone(), observed.as_database(d))).collect();
    let surroundings = futures::future::join_all(
        std::iter::once(&observed)
            .chain(views.iter().map(|(_, v)| v))
            .map(|o| around(&cloud, &resolver, o, &databases)),
    )
    .await;
    let mut surroundings = surroundings.into_iter();
    let (current, around) = surroundings.next().expect("the deployment's own");
    let mut checks = checks::verify(&observed, &current, &around.map_err(Failure::Cloud)?);
    for ((name, view), (current, around)) in views.iter().zip(surroundings) {
        checks.extend(checks::verify_database(view, name, &current, &around.map_err(Failure::Cloud)?));
    }

    let counts = render::checks::counts(&checks);
    match ui.output {
        OutputFormat::Human => println!("{}", render::checks::human(&name, &checks)),
        OutputFormat::Json => day2::print_json(&json!({
            "deployment": name,
            "checks": checks,
            "summary": { "passed": counts.passed, "warnings": counts.warnings, "failed": counts.failed },
        })),
        OutputFormat::Junit => print!("{}", render::checks::junit(&name, &checks, args.strict)),
    }
    let failed =
        checks.iter().filter(|c| c.status == Status::Fail || (args.strict && c.status == Status::Warn)).count();
    if failed > 0 { Err(Failure::Verification { failed }) } else { Ok(()) }
}

/// What the checks of one database read besides the deployment: its recorded targets
/// resolved now, and what decides whether the load balancer reaches it.
async fn around(
    cloud: &crate::aws::sdk::SdkCloud,
    resolver: &DnsResolver,
    o: &Observed,
    databases: &[crate::aws::Database],
) -> (Result<Vec<crate::aws::TargetRef>, Vec<String>>, crate::aws::CloudResult<reachability::Reachability>) {
    let port = o.target_group.as_ref().map(|tg| tg.port).unwrap_or(0);
    let recorded = o.recorded();
    futures::join!(
        targets::current(resolver, &recorded.targets, port),
        reachability::read(cloud, o, databases.to_vec())
    )
}

async fn name_of_service(cloud: &crate::aws::sdk::SdkCloud, service_id: &str) -> Result<String, Failure> {
    let services = cloud.endpoint_services_with_tag(tags::DEPLOYMENT).await.map_err(Failure::Cloud)?;
    services.iter().find(|s| s.id == service_id).and_then(|s| s.tags.get(tags::DEPLOYMENT).cloned()).ok_or_else(|| {
        Failure::Usage(format!(
            "--service-id: {service_id} is not an endpoint service of an airbyte-plink deployment in this region"
        ))
    })
}
