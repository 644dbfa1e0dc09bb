//! `teardown`: remove everything a deployment owns, in the order AWS requires, after
//! showing what will go and getting a yes for it. `--dry-run --out FILE` saves the
//! removal plan; `--plan FILE` applies exactly that, if the deployment is still as it was.

use serde::Serialize;

use crate::aws::Cloud;
use crate::aws::sdk::SdkCloud;
use crate::cli::{GlobalArgs, OutputFormat, TeardownArgs};
use crate::commands::{Ui, day2, setup};
use crate::engine::deployment::observe::{Observed, Reach, every_deployment_name, read_one};
use crate::engine::plan::Plan;
use crate::engine::plan::execute::execute;
use crate::engine::plan::removal::removal_plan;
use crate::engine::plan::saved::{Purpose, SavedPlan};
use crate::failure::{Failure, Work};
use crate::interruption;
use crate::render;
use crate::render::plan::describe;
use crate::wizard::prompt::confirm;

#[derive(Debug, Default, Serialize)]
struct Outcome {
    deployment: String,
    region: String,
    dry_run: bool,
    /// What was removed (or, in a dry run, would be), in order.
    removed: Vec<String>,
    /// Same-named resources that are not this deployment's, never touched.
    left_alone: Vec<String>,
}

pub async fn run(global: &GlobalArgs, args: &TeardownArgs, ui: &Ui) -> Result<(), Failure> {
    day2::refuse_junit(ui)?;
    if let Some(path) = &args.plan {
        let (saved, cloud) = day2::open_saved_plan(global, path, Purpose::Teardown).await?;
        if let Some(name) = args.which.name.as_ref().filter(|n| **n != saved.deployment) {
            return Err(Failure::Usage(format!(
                "--plan {} removes deployment {}, not {name}; leave out --name, or make a plan for {name}",
                path.display(),
                saved.deployment
            )));
        }
        let (observed, identity) =
            futures::try_join!(read_one(&cloud, &saved.deployment, None, Reach::FOR_REMOVAL), cloud.caller_identity())
                .map_err(Failure::Cloud)?;
        day2::refuse_stale(&saved, &identity.account, &observed, path)?;
        return remove(&cloud, &observed, &saved.plan, false, ui).await;
    }
    let cloud = day2::connect(global).await?;
    let region = cloud.region().to_string();
    let name = match &args.which.name {
        Some(name) => name.clone(),
        None => {
            let names = every_deployment_name(&cloud).await.map_err(Failure::Cloud)?;
            match names.as_slice() {
                [only] => only.clone(),
                [] if args.out.is_some() => {
                    return Err(Failure::Usage(format!(
                        "--out: {region} has no airbyte-plink deployment, so there is no removal to plan; nothing was saved"
                    )));
                }
                // Removing what is not there is done: a second teardown is a no-op.
                [] => {
                    let outcome = Outcome { deployment: String::new(), region, ..Outcome::default() };
                    return report(&outcome, ui);
                }
                many => {
                    return Err(Failure::Usage(format!(
                        "--name is required: {region} has deployments {}",
                        many.join(", ")
                    )));
                }
            }
        }
    };
    // A saved plan records the account it was made in: asked alongside the reading.
    let account = async {
        match &args.out {
            Some(_) => cloud.caller_identity().await.map(|identity| Some(identity.account)),
            None => Ok(None),
        }
    };
    let (observed, account) =
        futures::try_join!(read_one(&cloud, &name, None, Reach::FOR_REMOVAL), account).map_err(Failure::Cloud)?;
    let plan = removal_plan(&observed);
    if let (Some(path), Some(account)) = (&args.out, account) {
        setup::write_plan(&SavedPlan::new(Purpose::Teardown, (&account, &region), &observed, &plan, None), path, ui)?;
    }
    remove(&cloud, &observed, &plan, args.dry_run, ui).await
}

/// Shows the removal plan and, unless it is a dry run, carries it out once confirmed.
async fn remove(cloud: &SdkCloud, observed: &Observed, plan: &Plan, dry_run: bool, ui: &Ui) -> Result<(), Failure> {
    let (name, region) = (&observed.name, cloud.region().to_string());
    if let Some(stack) = observed.stack() {
        return Err(Failure::Usage(format!(
            "deployment {name} belongs to CloudFormation stack {stack}; remove it with the stack: \
             aws cloudformation delete-stack --stack-name {stack}"
        )));
    }
    ui.note(render::plan::render_removal(plan, name, &region, &warnings(observed)));
    // AWS would refuse the load balancer after the service was gone: refuse before
    // anything is removed, so a deployment is never left half removed for this.
    if let Some(lb) = observed.load_balancer.as_ref().filter(|_| observed.deletion_protection && !dry_run) {
        return Err(Failure::Usage(format!(
            "load balancer {} has deletion protection on (its attribute deletion_protection.enabled is true), and AWS \
             refuses to delete it; nothing was removed. Turn it off, then run teardown again:\n  \
             aws elbv2 modify-load-balancer-attributes --region {region} --load-balancer-arn {} \
             --attributes Key=deletion_protection.enabled,Value=false",
            lb.name, lb.arn
        )));
    }
    let outcome = Outcome {
        deployment: name.clone(),
        region,
        dry_run,
        removed: plan.changes.iter().map(|c| describe(&c.action, name)).collect(),
        left_alone: observed.conflicts.clone(),
    };
    if dry_run || plan.changes.is_empty() {
        return report(&outcome, ui);
    }
    confirm_removal(observed, ui)?;
    // A prompt blocks; a signal that came meanwhile must win before the first removal.
    tokio::task::yield_now().await;

    let progress = render::progress::Progress::new(plan, name, ui.live_progress);
    interruption::begin(name, plan.changes_to_make(), Work::Teardown);
    let removed = execute(cloud, plan, &progress).await;
    interruption::end();
    removed.map_err(|failure| Failure::Apply { failure, name: name.clone(), work: Work::Teardown })?;
    report(&outcome, ui)
}

/// What a person should know before saying yes.
fn warnings(observed: &Observed) -> Vec<String> {
    let live = observed.live_connections().into_iter().map(|c| {
        format!(
            "connection {} from account {} is live: removing the deployment breaks every Airbyte sync that uses it",
            c.endpoint_id, c.owner
        )
    });
    let others = observed.conflicts.iter().map(|c| format!("{c}: not this deployment's, left alone"));
    let protected = observed.load_balancer.iter().filter(|_| observed.deletion_protection).map(|lb| {
        format!("load balancer {} has deletion protection on: teardown refuses until it is turned off", lb.name)
    });
    live.chain(others).chain(protected).collect()
}

/// A yes at the terminal (twice when a connection is live), or `--yes` without one.
fn confirm_removal(observed: &Observed, ui: &Ui) -> Result<(), Failure> {
    if ui.assume_yes {
        return Ok(());
    }
    if !ui.can_prompt {
        return Err(Failure::Usage(
            "teardown removes the resources listed above; pass --yes to confirm when not running interactively".into(),
        ));
    }
    if !confirm("Remove these resources from your AWS account?", false)? {
        return Err(Failure::Declined);
    }
    let live = observed.live_connections();
    if !live.is_empty()
        && !confirm(
            &format!(
                "{} live connection(s) will stop working and Airbyte syncs through them will fail. Remove anyway?",
                live.len()
            ),
            false,
        )?
    {
        return Err(Failure::Declined);
    }
    Ok(())
}

/// The result on stdout: JSON, or one line.
fn report(outcome: &Outcome, ui: &Ui) -> Result<(), Failure> {
    let Outcome { deployment, region, removed, .. } = outcome;
    match ui.output {
        OutputFormat::Json => day2::print_json(outcome),
        _ if deployment.is_empty() => println!("Nothing to remove: no airbyte-plink deployment in {region}."),
        _ if removed.is_empty() => println!("Nothing to remove: deployment {deployment} has no resources in {region}."),
        _ if outcome.dry_run => {
            println!("Dry run: nothing was removed; teardown would make the {} removals above.", removed.len())
        }
        _ => println!("Removed deployment {deployment} from {region} ({} removals).", removed.len()),
    }
    Ok(())
}
