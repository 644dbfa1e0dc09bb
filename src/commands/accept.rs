//! `accept`: accept Airbyte's pending connection; leave (or reject) everyone else's.

use std::time::Duration;

use serde::Serialize;

use crate::aws::{Cloud, Connection};
use crate::cli::{AcceptArgs, GlobalArgs, OutputFormat};
use crate::commands::{Ui, day2};
use crate::engine::deployment::observe::{Reach, read_one};
use crate::engine::plan::backoff::{Look, Patience, Unmet, wait_for};
use crate::engine::plan::execute::{ApplyError, execute};
use crate::engine::plan::{Action, Change, Completion, Plan};
use crate::failure::{Failure, Work};
use crate::render;

#[derive(Debug, Default, Serialize)]
struct Outcome {
    deployment: String,
    service_id: String,
    airbyte_account: String,
    accepted: Vec<String>,
    rejected: Vec<String>,
    /// Pending connections from other accounts, left alone.
    left_pending: Vec<Connection>,
    /// Airbyte's connections that were already available.
    already_available: Vec<String>,
    /// Connections AWS would not accept or reject, with its reason.
    refused: Vec<Refusal>,
}

#[derive(Debug, Serialize)]
struct Refusal {
    endpoint_id: String,
    reason: String,
}

pub async fn run(global: &GlobalArgs, args: &AcceptArgs, ui: &Ui) -> Result<(), Failure> {
    day2::refuse_junit(ui)?;
    let cloud = day2::connect(global).await?;
    let name = day2::deployment(&cloud, &args.which).await?;
    let observed = read_one(&cloud, &name, None, Reach::EVERYTHING).await.map_err(Failure::Cloud)?;
    let Some(service) = observed.service.clone() else {
        return Err(Failure::Usage(format!(
            "deployment {name} has no endpoint service; run `airbyte-plink setup` first"
        )));
    };
    let Some(airbyte) = observed.recorded().airbyte_account().map(str::to_string) else {
        return Err(Failure::Usage(format!(
            "endpoint service {} does not record Airbyte's principal; run `airbyte-plink setup` again to record it",
            service.id
        )));
    };

    let mut connections = observed.service_connections().to_vec();
    if args.wait {
        connections = wait_for_airbyte(&cloud, &service.id, &airbyte, args.timeout, ui, connections).await?;
    }
    let pending: Vec<&Connection> = connections.iter().filter(|c| c.is("pendingAcceptance")).collect();
    let mut outcome = Outcome {
        deployment: name.clone(),
        service_id: service.id.clone(),
        airbyte_account: airbyte.clone(),
        already_available: connections
            .iter()
            .filter(|c| c.owner == airbyte && c.is("available"))
            .map(|c| c.endpoint_id.clone())
            .collect(),
        ..Outcome::default()
    };
    let to_accept: Vec<String> = pending.iter().filter(|c| c.owner == airbyte).map(|c| c.endpoint_id.clone()).collect();
    let others: Vec<&Connection> = pending.iter().filter(|c| c.owner != airbyte).copied().collect();
    // Accepting and rejecting are changes like any other: a plan the executor runs,
    // Airbyte's first. AWS may refuse some connections; each is reported with why.
    let mut plan = Plan::default();
    let accepting = (!to_accept.is_empty()).then(|| {
        let action = Action::AcceptConnections { service_id: service.id.clone(), endpoint_ids: to_accept.clone() };
        plan.push(action, Vec::new())
    });
    let rejecting: Vec<String> = others.iter().map(|c| c.endpoint_id.clone()).collect();
    let rejection = (args.reject_others && !rejecting.is_empty()).then(|| {
        let action = Action::RejectConnections { service_id: service.id.clone(), endpoint_ids: rejecting.clone() };
        // Done when AWS answers: a refusal is reported, not waited out.
        let change =
            Change { action, depends_on: accepting.into_iter().collect(), complete_when: Completion::Answered };
        plan.changes.push(change);
        plan.changes.len() - 1
    });
    if rejection.is_none() {
        outcome.left_pending = others.into_iter().cloned().collect();
    }
    let progress = render::progress::Progress::new(&plan, &name, ui.live_progress);
    let executed = execute(&cloud, &plan, &progress).await.map_err(|failure| match failure.error {
        ApplyError::Cloud(e) if failure.completed == 0 => Failure::Cloud(e),
        _ => Failure::Apply { failure, name: name.clone(), work: Work::Accept },
    })?;
    let decided = |index: Option<usize>, ids: Vec<String>, outcome: &mut Outcome| {
        let refused = index.map_or(&[][..], |index| executed.refused(index));
        outcome.refused.extend(
            refused
                .iter()
                .map(|(endpoint_id, reason)| Refusal { endpoint_id: endpoint_id.clone(), reason: reason.clone() }),
        );
        ids.into_iter().filter(|id| refused.iter().all(|(r, _)| r != id)).collect::<Vec<String>>()
    };
    outcome.accepted = decided(accepting, to_accept, &mut outcome);
    if rejection.is_some() {
        outcome.rejected = decided(rejection, rejecting, &mut outcome);
    }

    match ui.output {
        OutputFormat::Json => day2::print_json(&outcome),
        _ => print_human(&outcome),
    }
    if outcome.refused.is_empty() {
        Ok(())
    } else {
        let reasons: Vec<String> = outcome.refused.iter().map(|r| format!("{}: {}", r.endpoint_id, r.reason)).collect();
        Err(Failure::Failed(format!(
            "AWS did not change {}; see the endpoint service's connections in the VPC console",
            reasons.join("; ")
        )))
    }
}

fn print_human(o: &Outcome) {
    for id in &o.accepted {
        println!("accepted {id} from Airbyte's account {}", o.airbyte_account);
    }
    for id in &o.already_available {
        println!("{id} from Airbyte's account {} is already connected", o.airbyte_account);
    }
    for id in &o.rejected {
        println!("rejected {id} (not Airbyte's account)");
    }
    for c in &o.left_pending {
        println!(
            "left pending: {} from account {}, which is not Airbyte's ({}); --reject-others rejects it",
            c.endpoint_id, c.owner, o.airbyte_account
        );
    }
    if o.accepted.is_empty() && o.already_available.is_empty() && o.refused.is_empty() {
        println!(
            "no connection from Airbyte's account {} to {} yet: create the Private Link in Airbyte, then run `airbyte-plink accept --wait`",
            o.airbyte_account, o.service_id
        );
    }
}

/// Polls (5 s, growing to 30 s) until a connection from Airbyte is pending or available.
async fn wait_for_airbyte<C: Cloud>(
    cloud: &C,
    service_id: &str,
    airbyte: &str,
    timeout: Duration,
    ui: &Ui,
    connections: Vec<Connection>,
) -> Result<Vec<Connection>, Failure> {
    let arrived =
        |cs: &[Connection]| cs.iter().any(|c| c.owner == airbyte && (c.is("pendingAcceptance") || c.is("available")));
    if arrived(&connections) {
        return Ok(connections);
    }
    let spinner = ui.live_progress.then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("waiting for Airbyte's connection request to {service_id}"));
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    });
    if spinner.is_none() {
        ui.note(format!("waiting for Airbyte's connection request to {service_id} (up to {}s)", timeout.as_secs()));
    }
    // What is already known counts as the first look.
    let mut known = Some(connections);
    let patience = Patience { first: Duration::from_secs(5), cap: Duration::from_secs(30), limit: timeout };
    let waited = wait_for(
        patience,
        async || {
            let now = match known.take() {
                Some(connections) => connections,
                None => cloud.connections(service_id).await?,
            };
            Ok(if arrived(&now) { Look::Ready(now) } else { Look::NotYet("no request yet".into()) })
        },
        |_| {},
    )
    .await;
    if let Some(bar) = spinner {
        bar.finish_and_clear();
    }
    waited.map_err(|unmet| match unmet {
        Unmet::Failed(e) => Failure::Cloud(e),
        Unmet::TimedOut { .. } => Failure::Failed(format!(
            "no connection request from Airbyte's account {airbyte} arrived within {}s; check that Airbyte has the service name of {service_id}",
            timeout.as_secs()
        )),
    })
}
