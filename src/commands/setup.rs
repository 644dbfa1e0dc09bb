//! `setup` and `plan`: spec → preflight and observation → plan → (confirm) → execute →
//! handover. `setup --plan FILE` starts from a saved plan instead: the account is read
//! again and must still hold what the plan was made from.

use std::path::Path;

use serde_json::json;

use crate::aws::Cloud;
use crate::aws::connect::{self, ConnectOptions};
use crate::aws::sdk::SdkCloud;
use crate::cli::{GlobalArgs, OutputFormat, SpecArgs};
use crate::commands::{Ui, day2};
use crate::dns::DnsResolver;
use crate::engine::checks::preflight::{preflight, short_of_addresses};
use crate::engine::deployment::desired::Desired;
use crate::engine::deployment::handover::Handover;
use crate::engine::deployment::observe::{Observed, observe};
use crate::engine::plan::Plan;
use crate::engine::plan::execute::execute;
use crate::engine::plan::planner::plan;
use crate::engine::plan::saved::{Purpose, SavedPlan};
use crate::failure::{Failure, Work};
use crate::interruption;
use crate::problems::Problem;
use crate::render;
use crate::spec::{self, DeploymentSpec, SpecDraft};
use crate::wizard;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `plan`: print the plan as the result.
    Plan,
    /// `setup --dry-run`: print the plan and the resolved configuration.
    DryRun,
    /// `setup`: apply the plan.
    Apply,
    /// `export cloudformation`: print the template of the desired state.
    Export,
}

/// Where a run writes besides stdout.
#[derive(Debug, Clone, Copy, Default)]
pub struct Files<'a> {
    /// The resolved spec (`setup --save-config`).
    pub save_config: Option<&'a Path>,
    /// The plan, for `setup --plan` (`plan --out`, `setup --dry-run --out`).
    pub plan_out: Option<&'a Path>,
}

/// `base`: the values the config file and flags build on (an existing deployment's, for
/// export).
pub async fn run_with(
    global: &GlobalArgs,
    args: &SpecArgs,
    mode: Mode,
    files: Files<'_>,
    base: SpecDraft,
    ui: &Ui,
) -> Result<(), Failure> {
    let save_config = files.save_config;
    day2::refuse_junit(ui)?;
    let file = match &args.config {
        Some(path) => spec::file::load(path).map_err(|p| Failure::Input(vec![p]))?,
        None => base,
    };
    let flags = args.to_draft(global.region.clone());
    let origins = spec::file::Origins::new(args.config.as_deref(), &file, &flags);
    let refused = |problems| Failure::Input(origins.attribute(problems));
    let mut draft = file.overlay(flags);
    let mut options = ConnectOptions {
        profile: global.profile.clone(),
        region: draft.region.clone(),
        endpoint_url: global.endpoint_url.clone(),
    };
    let mut config = connect::load(&options).await.map_err(day2::connect_failure)?;
    if ui.can_prompt {
        wizard::welcome();
        if draft.region.is_none() {
            let current = connect::region_of(&config).ok();
            let region = wizard::ask_region(current.as_deref())?;
            if current.as_deref() != Some(region.as_str()) {
                options.region = Some(region);
                config = connect::load(&options).await.map_err(day2::connect_failure)?;
            }
        }
    }
    let region = connect::region_of(&config).map_err(day2::connect_failure)?;
    if !ui.can_prompt {
        // Without a terminal every answer must be there: report all that are missing or
        // wrong before asking AWS anything.
        draft.resolve(&region).map_err(refused)?;
    }
    connect::check_credentials(&config).await.map_err(day2::connect_failure)?;

    let cloud = SdkCloud::new(&config);
    let mut asked = false;
    if ui.can_prompt {
        let identity = cloud.caller_identity().await.map_err(Failure::Cloud)?;
        wizard::show_identity(&identity, &region);
        (draft, asked) = wizard::complete(&cloud, &region, draft).await?;
    }
    let spec = draft.resolve(&region).map_err(refused)?;
    if let Some(path) = save_config {
        save(&spec, path)?;
    }
    let resolver = DnsResolver::new(global.dns_server).map_err(Failure::Usage)?;
    let (checked, observed) = futures::join!(
        preflight(&cloud, &resolver, &spec),
        observe(&cloud, &spec.name, spec.db_security_group.as_deref())
    );
    let checked = checked.map_err(Failure::Cloud)?;
    tracing::debug!(problems = checked.problems.len(), warnings = checked.warnings.len(), "preflight done");
    if let (Some(identity), false) = (&checked.identity, ui.can_prompt) {
        ui.note(format!("AWS identity: {} (account {}), region {}", identity.arn, identity.account, spec.region));
    }
    // With problems in the spec, what exists is only of interest for more problems.
    let observed = match observed {
        Ok(observed) => observed,
        Err(_) if !checked.problems.is_empty() => return Err(refused(checked.problems)),
        Err(e) => return Err(Failure::Cloud(e)),
    };
    let mut problems = checked.problems;
    problems.extend(short_of_addresses(&checked.subnets, observed.load_balancer.as_ref()));
    problems.extend(observed.conflicts.iter().map(|c| {
        Problem::new(
            "--name",
            format!("{c} exists but was not created by airbyte-plink for this deployment; choose another --name"),
        )
    }));
    let Some(facts) = checked.facts.filter(|_| problems.is_empty()) else {
        return Err(refused(problems));
    };
    let desired = Desired::new(&spec, &facts);
    tracing::debug!(?desired, "desired state");
    let plan = plan(&desired, &observed);
    let plan_text = render::plan::render(&plan, &desired, &checked.warnings);
    if let Some(path) = files.plan_out {
        let account = match &checked.identity {
            Some(identity) => identity.account.clone(),
            None => cloud.caller_identity().await.map_err(Failure::Cloud)?.account,
        };
        let saved = SavedPlan::new(Purpose::Setup, (&account, &spec.region), &observed, &plan, Some(&desired));
        write_plan(&saved, path, ui)?;
    }

    match mode {
        Mode::Plan => {
            match ui.output {
                OutputFormat::Human | OutputFormat::Junit => println!("{plan_text}"),
                OutputFormat::Json => day2::print_json(&plan_json(&spec, &plan, &checked.warnings)),
            }
            Ok(())
        }
        Mode::DryRun => {
            match ui.output {
                OutputFormat::Human | OutputFormat::Junit => {
                    eprintln!("{plan_text}");
                    eprintln!(
                        "Dry run: nothing was changed. The resolved configuration follows; save it and apply it with `airbyte-plink setup --config FILE`."
                    );
                    print!("{}", spec::file::render(&spec.to_draft()));
                }
                OutputFormat::Json => {
                    let mut value = plan_json(&spec, &plan, &checked.warnings);
                    value["config"] = serde_json::to_value(spec.to_draft()).expect("a draft serializes");
                    day2::print_json(&value);
                }
            }
            Ok(())
        }
        Mode::Export => {
            day2::print_json(&render::cloudformation::template(&desired));
            Ok(())
        }
        Mode::Apply => {
            ui.note(&plan_text);
            let rerun = render::rerun::command_line(&spec);
            let handover =
                converge(&cloud, &desired, &observed, &plan, Work::Setup, ui).await.inspect_err(|failure| {
                    if asked && matches!(failure, Failure::Apply { .. } | Failure::Interrupted { changing: Some(_) }) {
                        eprintln!("To run it again without the questions:\n  {rerun}");
                    }
                })?;
            match ui.output {
                OutputFormat::Human | OutputFormat::Junit => print!("{}", render::handover::render(&handover)),
                OutputFormat::Json => {
                    // Preflight's warnings too: in CI nothing else shows them.
                    let mut value = serde_json::to_value(&handover).expect("a handover serializes");
                    value["warnings"] = serde_json::json!(checked.warnings);
                    day2::print_json(&value)
                }
            }
            if asked {
                offer_to_save(&spec, save_config.is_some())?;
                eprintln!("To run it again without the questions:\n  {rerun}");
            }
            Ok(())
        }
    }
}

/// Applies the plan (after confirmation where someone can give it) and returns the
/// handover of the resulting state.
async fn converge<C: Cloud>(
    cloud: &C,
    desired: &Desired,
    observed: &Observed,
    plan: &Plan,
    work: Work,
    ui: &Ui,
) -> Result<Handover, Failure> {
    if !plan.replacements.is_empty() {
        return Err(Failure::Replacement(plan.replacements.clone()));
    }
    if let (Some(stack), false) = (observed.stack(), plan.changes.is_empty()) {
        return Err(Failure::Usage(format!(
            "deployment {} belongs to CloudFormation stack {stack}; change it through the stack \
             (`airbyte-plink export cloudformation` prints the updated template), not with setup, \
             or CloudFormation will undo the change",
            desired.name
        )));
    }
    if !plan.changes.is_empty() {
        if ui.can_prompt
            && !ui.assume_yes
            && !wizard::prompt::confirm("Apply these changes to your AWS account?", false)?
        {
            return Err(Failure::Declined);
        }
        // A prompt blocks; a signal that came meanwhile must win before the first change.
        tokio::task::yield_now().await;
    }
    let progress = render::progress::Progress::new(plan, &desired.name, ui.live_progress);
    interruption::begin(&desired.name, plan.changes_to_make(), work);
    let executed = execute(cloud, plan, &progress).await;
    interruption::end();
    let executed = executed.map_err(|failure| Failure::Apply { failure, name: desired.name.clone(), work })?;
    // What the plan created, else what was there already.
    let service = executed.service().or(observed.service.as_ref());
    let lb = executed.load_balancer().or(observed.load_balancer.as_ref()).map(|lb| &lb.arn);
    let tg = executed.target_group().or(observed.target_group.as_ref()).map(|tg| &tg.arn);
    match (service, lb, tg) {
        (Some(service), Some(lb), Some(tg)) => Ok(Handover::new(desired, service, lb, tg)),
        _ => Err(Failure::Failed(format!(
            "deployment {} is not complete after the plan ran (it needs a load balancer, target group and endpoint \
             service); run `airbyte-plink setup` with its configuration to finish it",
            desired.name
        ))),
    }
}

/// `setup --plan FILE`: applies a saved plan exactly, once the account is seen to still
/// hold what the plan was made from.
pub async fn apply_saved(global: &GlobalArgs, args: &SpecArgs, path: &Path, ui: &Ui) -> Result<(), Failure> {
    day2::refuse_junit(ui)?;
    if args.config.is_some() || args.to_draft(None) != SpecDraft::default() {
        return Err(Failure::Usage(
            "--plan applies the saved plan as it is; leave out --config and the spec flags (make a new plan to change the spec)"
                .into(),
        ));
    }
    let (saved, cloud) = day2::open_saved_plan(global, path, Purpose::Setup).await?;
    let Some(desired) = &saved.desired else {
        return Err(Failure::Usage(format!(
            "--plan {}: it has no desired settings; make the plan again",
            path.display()
        )));
    };
    let db_security_group = desired.database_group.as_deref();
    let (observed, identity) =
        futures::try_join!(observe(&cloud, &saved.deployment, db_security_group), cloud.caller_identity())
            .map_err(Failure::Cloud)?;
    day2::refuse_stale(&saved, &identity.account, &observed, path)?;
    ui.note(render::plan::render(&saved.plan, desired, &[]));
    let handover = converge(&cloud, desired, &observed, &saved.plan, Work::SavedSetup, ui).await?;
    match ui.output {
        OutputFormat::Human | OutputFormat::Junit => print!("{}", render::handover::render(&handover)),
        OutputFormat::Json => day2::print_json(&serde_json::to_value(&handover).expect("a handover serializes")),
    }
    Ok(())
}

/// Writes a plan for `setup --plan` or `teardown --plan`.
pub fn write_plan(saved: &SavedPlan, path: &Path, ui: &Ui) -> Result<(), Failure> {
    std::fs::write(path, saved.to_json())
        .map_err(|e| Failure::Usage(format!("--out: cannot write {}: {e}; choose a writable path", path.display())))?;
    ui.note(format!(
        "Saved the plan to {}; review it, then apply exactly it with `airbyte-plink {} --plan {}`.",
        path.display(),
        saved.apply_with.command(),
        path.display()
    ));
    Ok(())
}

fn offer_to_save(spec: &DeploymentSpec, already_saved: bool) -> Result<(), Failure> {
    if already_saved || !wizard::prompt::confirm("Save these answers to a config file for scripted re-runs?", true)? {
        return Ok(());
    }
    let path = wizard::prompt::input("Config file", Some(format!("plink-{}.toml", spec.name)), |_| Ok(()))?;
    save(spec, Path::new(&path))
}

fn save(spec: &DeploymentSpec, path: &Path) -> Result<(), Failure> {
    let text = format!(
        "# airbyte-plink deployment {}: apply with `airbyte-plink setup --config {}`\n{}",
        spec.name,
        path.display(),
        spec::file::render(&spec.to_draft())
    );
    std::fs::write(path, text).map_err(|e| {
        Failure::Usage(format!("--save-config: cannot write {}: {e}; choose a writable path", path.display()))
    })?;
    eprintln!("Saved the configuration to {}.", path.display());
    Ok(())
}

fn plan_json(spec: &DeploymentSpec, plan: &Plan, warnings: &[String]) -> serde_json::Value {
    json!({
        "deployment": spec.name,
        "region": spec.region,
        "changes": plan.changes,
        "replacements": plan.replacements,
        "summary": plan.summary(),
        "warnings": warnings,
    })
}
