//! `sync-targets`: re-resolve the recorded hostnames and make the target group hold the
//! database's current addresses: a plan that registers new ones before removing stale
//! ones, run by the executor like every change to AWS.

use serde_json::json;

use crate::aws::sdk::SdkCloud;
use crate::aws::{Cloud, Subnet, TargetRef};
use crate::cli::{GlobalArgs, OutputFormat, SyncTargetsArgs};
use crate::commands::{Ui, day2};
use crate::dns::DnsResolver;
use crate::engine::deployment::observe::{Observed, Reach, read_one};
use crate::engine::knowledge::database;
use crate::engine::knowledge::targets;
use crate::engine::plan::Plan;
use crate::engine::plan::execute::{ApplyError, execute};
use crate::engine::plan::planner;
use crate::failure::{Failure, Work};
use crate::render;

pub async fn run(global: &GlobalArgs, args: &SyncTargetsArgs, ui: &Ui) -> Result<(), Failure> {
    day2::refuse_junit(ui)?;
    let cloud = day2::connect(global).await?;
    let name = day2::deployment(&cloud, &args.which).await?;
    // With the load balancer's subnets: a moved address may be in a zone they miss.
    let reach = Reach { network: true, idle_timeouts: false, ..Reach::RESOURCES };
    let observed = read_one(&cloud, &name, None, reach).await.map_err(Failure::Cloud)?;
    if let Some(stack) = observed.stack() {
        return Err(Failure::Usage(format!(
            "deployment {name} belongs to CloudFormation stack {stack}; its targets are the stack's: \
             re-export the template (`airbyte-plink export cloudformation --from-deployment {name}` resolves the \
             hostnames again) and update the stack"
        )));
    }
    if observed.target_group.is_none() {
        return Err(Failure::Usage(format!("deployment {name} has no target group; run `airbyte-plink setup` first")));
    }
    let resolver = DnsResolver::new(global.dns_server).map_err(Failure::Usage)?;
    // Its own database, and each other one seen in its place: one plan for all.
    let views: Vec<(Option<String>, Observed)> = std::iter::once((None, observed.clone()))
        .chain(observed.databases.iter().map(|d| (Some(d.name.clone()), observed.as_database(d))))
        .collect();
    let syncs = futures::future::join_all(views.iter().map(|(_, view)| reconcile(&cloud, &resolver, view))).await;
    let mut plan = Plan::default();
    let mut found = Vec::new();
    for ((database, view), sync) in views.iter().zip(syncs) {
        let sync = sync?;
        planner::follow_targets(&mut plan, view, sync.register.clone(), sync.deregister.clone());
        found.push((database.clone(), view, sync));
    }
    let apply = !plan.changes.is_empty() && !args.dry_run;
    if apply {
        let progress = render::progress::Progress::new(&plan, &name, ui.live_progress);
        execute(&cloud, &plan, &progress).await.map_err(|failure| match failure.error {
            // Nothing was changed: the plain explanation of the refusal says it all.
            ApplyError::Cloud(e) if failure.completed == 0 => Failure::Cloud(e),
            _ => Failure::Apply { failure, name: name.clone(), work: Work::SyncTargets },
        })?;
    }
    let list = |targets: &[TargetRef]| targets.iter().map(|t| format!("{}:{}", t.id, t.port)).collect::<Vec<_>>();
    match ui.output {
        OutputFormat::Json => {
            let (_, _, own) = &found[0];
            let others: Vec<serde_json::Value> = found[1..]
                .iter()
                .map(|(database, _, sync)| {
                    json!({ "name": database, "register": list(&sync.register), "deregister": list(&sync.deregister) })
                })
                .collect();
            let mut report = json!({
                "deployment": name,
                "register": list(&own.register),
                "deregister": list(&own.deregister),
                "applied": apply,
            });
            if !others.is_empty() {
                report["databases"] = serde_json::Value::Array(others);
            }
            day2::print_json(&report)
        }
        _ => {
            for (database, _, sync) in &found {
                let of = database.as_ref().map_or(name.clone(), |d| format!("{name}'s database {d}"));
                if sync.register.is_empty() && sync.deregister.is_empty() {
                    println!("Targets of {of} are current: {}", list(&sync.current).join(", "));
                }
                let (verb_in, verb_out) =
                    if args.dry_run { ("would register", "would deregister") } else { ("registered", "deregistered") };
                let suffix = database.as_ref().map_or(String::new(), |d| format!(" ({d})"));
                for t in list(&sync.register) {
                    println!("+ {verb_in} {t}{suffix}");
                }
                for t in list(&sync.deregister) {
                    println!("- {verb_out} {t}{suffix}");
                }
            }
        }
    }
    let messages: Vec<String> =
        found.iter().filter_map(|(_, view, sync)| uncovered(view, &sync.current, &sync.vpc_subnets)).collect();
    if messages.is_empty() { Ok(()) } else { Err(Failure::Uncovered(messages.join("\n"))) }
}

/// What one database's targets should be now, against what is registered.
struct Sync {
    current: Vec<TargetRef>,
    register: Vec<TargetRef>,
    deregister: Vec<TargetRef>,
    vpc_subnets: Vec<Subnet>,
}

/// Re-resolves what the target group of `view`'s database records, against what it holds.
async fn reconcile(cloud: &SdkCloud, resolver: &DnsResolver, view: &Observed) -> Result<Sync, Failure> {
    let tg = view.target_group.as_ref().expect("every view has its target group");
    let recorded = view.recorded();
    if recorded.targets.is_empty() {
        return Err(Failure::Usage(format!(
            "target group {} does not record its targets; run `airbyte-plink setup` again to record them",
            tg.name
        )));
    }
    // The VPC says which addresses are outside it, registered for every zone.
    // The VPC's subnets say which zone each address is in.
    let (current, vpc, vpc_subnets) = futures::join!(
        targets::current(resolver, &recorded.targets, tg.port),
        cloud.vpc(&tg.vpc_id),
        cloud.subnets_of_vpc(&tg.vpc_id)
    );
    let vpc_cidrs = vpc.map_err(Failure::Cloud)?.map(|vpc| vpc.cidrs).unwrap_or_default();
    let vpc_subnets = vpc_subnets.map_err(Failure::Cloud)?;
    let resolved: Vec<String> = current
        .map_err(|problems| {
            Failure::Failed(format!(
                "cannot tell the current addresses of {}: {}; nothing was changed",
                tg.name,
                problems.join("; ")
            ))
        })?
        .into_iter()
        .map(|t| t.id)
        .collect();
    let registered: Vec<TargetRef> = view.targets.iter().map(|t| t.target.clone()).collect();
    let targets::Reconciliation { current, register, deregister } =
        targets::reconcile(&registered, &resolved, tg.port, &vpc_cidrs).map_err(|why| {
            Failure::Failed(format!("cannot tell the current addresses of {}: {why}; nothing was changed", tg.name))
        })?;
    Ok(Sync { current, register, deregister, vpc_subnets })
}

/// The addresses a failover moved into a zone where the load balancer has no subnet:
/// AWS reports them `unused`, and the link is down though the targets are current.
fn uncovered(observed: &Observed, current: &[TargetRef], vpc_subnets: &[Subnet]) -> Option<String> {
    let mut subnets: Vec<String> = observed.subnets.iter().map(|s| s.id.clone()).collect();
    let mut found = Vec::new();
    let addresses = current.iter().filter_map(|t| Some((t, t.id.parse().ok()?)));
    for (target, _, home) in targets::in_uncovered_zones(addresses, &observed.subnets, vpc_subnets) {
        let add = database::private_subnet_in(&home.az_name, vpc_subnets, &observed.route_tables).unwrap_or(home);
        if !subnets.contains(&add.id) {
            subnets.push(add.id.clone());
        }
        found
            .push(format!("{} is in {} ({}), where the load balancer has no subnet", target.id, home.az_name, home.id));
    }
    (!found.is_empty()).then(|| {
        format!(
            "the database's address moved out of the load balancer's zones: {}. It gets no traffic and the link is \
             down. Add a subnet in that zone: `airbyte-plink setup --name {} ... --subnets {}` (the rest of the \
             deployment's configuration as before), or move the database back.",
            found.join("; "),
            observed.name,
            subnets.join(",")
        )
    })
}
