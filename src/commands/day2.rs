//! What the day-2 commands share: reaching AWS without a spec, and finding the
//! deployment they are about.

use crate::aws::connect::{self, ConnectError, ConnectOptions};
use crate::aws::sdk::SdkCloud;
use crate::cli::{GlobalArgs, OutputFormat, Which};
use crate::commands::Ui;
use crate::engine::deployment::observe::{Observed, deployment_names};
use crate::engine::plan::saved::{Purpose, SavedPlan, Stale};
use crate::failure::Failure;

pub async fn connect(global: &GlobalArgs) -> Result<SdkCloud, Failure> {
    connect_to(global, global.region.clone()).await
}

async fn connect_to(global: &GlobalArgs, region: Option<String>) -> Result<SdkCloud, Failure> {
    let options = ConnectOptions { profile: global.profile.clone(), region, endpoint_url: global.endpoint_url.clone() };
    let config = connect::load(&options).await.map_err(connect_failure)?;
    connect::region_of(&config).map_err(connect_failure)?;
    connect::check_credentials(&config).await.map_err(connect_failure)?;
    Ok(SdkCloud::new(&config))
}

pub fn connect_failure(e: ConnectError) -> Failure {
    match e {
        ConnectError::NoRegion | ConnectError::BadSetting { .. } => Failure::Usage(e.to_string()),
        ConnectError::NoCredentials(_) => Failure::Credentials(e.to_string()),
    }
}

/// The deployment named, or the only one in the region.
pub async fn deployment(cloud: &SdkCloud, which: &Which) -> Result<String, Failure> {
    if let Some(name) = &which.name {
        return Ok(name.clone());
    }
    let names = deployment_names(cloud).await.map_err(Failure::Cloud)?;
    match names.as_slice() {
        [only] => Ok(only.clone()),
        [] => Err(Failure::Usage(
            "no airbyte-plink deployment in this region; check --region, or run `airbyte-plink setup`".into(),
        )),
        many => Err(Failure::Usage(format!("--name is required: this region has deployments {}", many.join(", ")))),
    }
}

/// `--output junit` belongs to `verify`.
pub fn refuse_junit(ui: &Ui) -> Result<(), Failure> {
    if ui.output == OutputFormat::Junit {
        return Err(Failure::Usage("--output junit is for `verify`; use human or json here".into()));
    }
    Ok(())
}

pub fn print_json(value: &impl serde::Serialize) {
    println!("{}", serde_json::to_string_pretty(value).expect("results serialize"));
}

/// Reads a saved plan for `purpose`, and reaches AWS in the region it was made for.
pub async fn open_saved_plan(
    global: &GlobalArgs,
    path: &std::path::Path,
    purpose: Purpose,
) -> Result<(SavedPlan, SdkCloud), Failure> {
    let refused = |why: String| Failure::Usage(format!("--plan {}: {why}", path.display()));
    let text = std::fs::read_to_string(path).map_err(|e| refused(format!("cannot read it: {e}")))?;
    let saved = SavedPlan::from_json(&text, purpose).map_err(refused)?;
    if let Some(region) = global.region.as_ref().filter(|r| **r != saved.region) {
        return Err(refused(format!(
            "it was made for region {}, not {region}; leave out --region to apply it where it was made",
            saved.region
        )));
    }
    let cloud = connect_to(global, Some(saved.region.clone())).await?;
    Ok((saved, cloud))
}

/// Refuses to apply a saved plan in another account than it was made in, or when the
/// deployment no longer is what it was made from.
pub fn refuse_stale(
    saved: &SavedPlan,
    account: &str,
    observed: &Observed,
    path: &std::path::Path,
) -> Result<(), Failure> {
    match saved.still_applies(account, observed) {
        Ok(()) => Ok(()),
        Err(Stale::OtherAccount { planned, now }) => Err(Failure::Usage(format!(
            "--plan {}: it was made in AWS account {planned}, and these credentials are for account {now}; \
             use the profile of account {planned}, or make a plan in this account",
            path.display()
        ))),
        Err(Stale::Changed(differences)) => Err(Failure::StalePlan {
            path: path.display().to_string(),
            deployment: saved.deployment.clone(),
            command: saved.apply_with.command(),
            differences,
        }),
    }
}
