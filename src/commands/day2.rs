//! What the day-2 commands share: reaching AWS without a spec, and finding the
//! deployment they are about.

use crate::aws::connect::{self, ConnectError, ConnectOptions};
use crate::aws::sdk::SdkCloud;
use crate::cli::{GlobalArgs, OutputFormat, Which};
use crate::commands::Ui;
use crate::engine::inspect::deployment_names;
use crate::failure::Failure;

pub async fn connect(global: &GlobalArgs) -> Result<SdkCloud, Failure> {
    let options = ConnectOptions {
        profile: global.profile.clone(),
        region: global.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
    };
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
