//! `export cloudformation`: the deployment as a CloudFormation template, for
//! organisations that require infrastructure-as-code. The spec goes through the same
//! checks as `setup`; the template holds what setup would create.

use crate::cli::{ExportArgs, GlobalArgs};
use crate::commands::setup::{self, Files, Mode};
use crate::commands::{Ui, day2};
use crate::engine::deployment::observe::{Reach, read_one};
use crate::failure::Failure;
use crate::spec::SpecDraft;

pub async fn cloudformation(global: &GlobalArgs, args: &ExportArgs, ui: &Ui) -> Result<(), Failure> {
    let base = match &args.from_deployment {
        None => SpecDraft::default(),
        Some(name) => {
            let cloud = day2::connect(global).await?;
            let observed = read_one(&cloud, name, None, Reach::EVERYTHING).await.map_err(Failure::Cloud)?;
            observed.to_draft(cloud.region()).ok_or_else(|| {
                Failure::Usage(format!(
                    "--from-deployment: deployment {name} has no complete setup to export (load balancer, target group \
                     and endpoint service, with what setup records); check the name and --region, or run `airbyte-plink setup`"
                ))
            })?
        }
    };
    setup::run_with(global, &args.spec, Mode::Export, Files::default(), base, ui).await
}
