//! `verify`: every check of a deployment, read-only, for people and for CI.

use serde_json::json;

use crate::aws::Cloud;
use crate::cli::{GlobalArgs, OutputFormat, VerifyArgs};
use crate::commands::{Ui, day2};
use crate::dns::DnsResolver;
use crate::engine::checks::reachability;
use crate::engine::checks::{self, Status};
use crate::engine::deployment::observe::{Reach, read_one};
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
    let port = observed.target_group.as_ref().map(|tg| tg.port).unwrap_or(0);
    let recorded = observed.recorded();
    let (current, around) = futures::join!(
        targets::current(&resolver, &recorded.targets, port),
        reachability::read(&cloud, &observed, databases)
    );
    let around = around.map_err(Failure::Cloud)?;
    let checks = checks::verify(&observed, &current, &around);

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

async fn name_of_service(cloud: &crate::aws::sdk::SdkCloud, service_id: &str) -> Result<String, Failure> {
    let services = cloud.endpoint_services_with_tag(tags::DEPLOYMENT).await.map_err(Failure::Cloud)?;
    services.iter().find(|s| s.id == service_id).and_then(|s| s.tags.get(tags::DEPLOYMENT).cloned()).ok_or_else(|| {
        Failure::Usage(format!(
            "--service-id: {service_id} is not an endpoint service of an airbyte-plink deployment in this region"
        ))
    })
}
