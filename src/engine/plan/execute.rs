//! The one executor: runs any plan (setup's, teardown's, sync-targets', or one read
//! from a file) against AWS. It starts every change whose dependencies are complete, all
//! at once; a change is complete when AWS reports what its `complete_when` names, waited
//! for with the one backoff policy and reported as a step of its own. It retries what AWS
//! documents as transient for that call, stops starting changes at the first failure,
//! lets those under way finish, and says how many were made.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::time::Duration;

use futures::StreamExt;
use futures::stream::FuturesUnordered;
use sha2::{Digest, Sha256};

use crate::aws::follower::{Function, FunctionSettings, NewAlarm, NewEventRule, NewFunction, Role, RuleTarget};
use crate::aws::*;
use crate::engine::deployment::follower::{self, POLICY_NAME, RULE_TARGET_ID, TARGET_GROUP_VARIABLE};
use crate::engine::deployment::tags;
use crate::engine::plan::backoff::{Look, Patience, Unmet, wait_for};
use crate::engine::plan::events::{Reporter, Step, Steps};
use crate::engine::plan::{Action, Change, Completion, Effect, Plan, Ref, RulePeer};

/// How long a new load balancer may take to become active.
const ACTIVE_LIMIT: Duration = Duration::from_secs(15 * 60);
/// How long a new endpoint service may take to become available.
const AVAILABLE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long removing subnets from a load balancer may take: AWS says "up to 3 minutes"
/// ("Update the Availability Zones for your Network Load Balancer").
const SUBNETS_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long a zone added to the load balancer may take to be enabled for its endpoint
/// service: AWS says "a few minutes" ("Configure an endpoint service").
const ZONES_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How often to ask AWS again for a zone it has not enabled yet: its bucket for these
/// modifications holds 10 and refills at 1 a second ("Request throttling for the Amazon
/// EC2 API"), shared with every other change to the account's endpoint services.
const ASK_AGAIN: Duration = Duration::from_secs(5);
/// How long a new or changed function may take to be ready; Lambda gives no figure, and
/// takes seconds.
const READY_LIMIT: Duration = Duration::from_secs(5 * 60);
/// How long a deleted load balancer may take to disappear.
const GONE_LIMIT: Duration = Duration::from_secs(10 * 60);
/// How long to keep retrying a call AWS refuses for a reason that passes (a service in
/// `Deleting` still holds its load balancer).
const TRANSIENT_LIMIT: Duration = Duration::from_secs(5 * 60);

/// What the executor created, by the place of the change that created it.
#[derive(Debug, Clone, Default)]
pub struct Executed {
    made: BTreeMap<usize, Made>,
}

#[derive(Debug, Clone)]
enum Made {
    TargetGroup(TargetGroup),
    LoadBalancer(LoadBalancer),
    Service(EndpointService),
    SecurityGroup(SecurityGroup),
    Role(Role),
    Function(Function),
    /// The connections AWS would not accept, with its reason.
    Refused(Vec<(String, String)>),
}

impl Executed {
    pub fn target_group(&self) -> Option<&TargetGroup> {
        self.made.values().find_map(|m| if let Made::TargetGroup(tg) = m { Some(tg) } else { None })
    }

    pub fn load_balancer(&self) -> Option<&LoadBalancer> {
        self.made.values().find_map(|m| if let Made::LoadBalancer(lb) = m { Some(lb) } else { None })
    }

    /// The connections AWS would not accept or reject at change `index`, with its reason.
    pub fn refused(&self, index: usize) -> &[(String, String)] {
        match self.made.get(&index) {
            Some(Made::Refused(refused)) => refused,
            _ => &[],
        }
    }

    /// The endpoint service as AWS last reported it, after its last wait (`Available`):
    /// a later change reads it anew.
    pub fn service(&self) -> Option<&EndpointService> {
        self.made.values().rev().find_map(|m| if let Made::Service(s) = m { Some(s) } else { None })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApplyError {
    #[error(transparent)]
    Cloud(#[from] CloudError),
    #[error("the plan does not hold together: {0}; make a new one")]
    InvalidPlan(String),
    #[error("load balancer {name} is {state}, not active; see its state in the EC2 console (Load balancers)")]
    LoadBalancerFailed { name: String, state: String },
    #[error("endpoint service {id} is {state}, not Available; see it in the VPC console (Endpoint services)")]
    ServiceFailed { id: String, state: String },
    #[error(
        "AWS answered {MAX_SERVICE_GENERATIONS} requests for an endpoint service on {load_balancer_arn} with services \
         already deleted; remove the deployment with `airbyte-plink teardown` and run setup again, which starts with \
         a new load balancer"
    )]
    ServicesKeptDeleted { load_balancer_arn: String },
    #[error(
        "AWS could not make {region} a supported region of endpoint service {id} (it is {state}); consumers there \
         cannot connect. Run the same command again to remove and add it again; if AWS refuses it again, see \
         \"A supported region is Failed\" in docs/troubleshooting.md"
    )]
    SupportedRegionFailed { id: String, region: String, state: String },
    #[error(
        "AWS refused {regions} as a supported region ({error}). Cross-region PrivateLink is not offered between every \
         pair of regions, nor in every Availability Zone. Instead, set the deployment up in {regions} itself, with the \
         load balancer in a VPC there that reaches the database (peering or a transit gateway, targets outside the \
         VPC with --allow-targets-outside-vpc); see \"AWS refuses Airbyte's region\" in docs/troubleshooting.md"
    )]
    CrossRegionRefused { regions: String, error: String },
    #[error("{what} was still {state} after {minutes} minutes")]
    WaitTimedOut { what: String, state: String, minutes: u64 },
    #[error("load balancer {name} disappeared while it was being set up")]
    LoadBalancerVanished { name: String },
    #[error(
        "Lambda function {name} is {state} ({reason}); see it in the Lambda console, then run the same command again"
    )]
    FunctionFailed { name: String, state: String, reason: String },
    #[error("Lambda function {name} disappeared while it was being set up")]
    FunctionVanished { name: String },
}

#[derive(Debug)]
pub struct ApplyFailure {
    pub error: ApplyError,
    /// How many of the plan's changes were made before it stopped.
    pub completed: usize,
    pub total: usize,
}

pub async fn execute<C: Cloud>(cloud: &C, plan: &Plan, reporter: &dyn Reporter) -> Result<Executed, ApplyFailure> {
    let run = Run { cloud, plan, steps: Steps::new(reporter), made: RefCell::new(BTreeMap::new()) };
    let result = match plan.check() {
        Ok(()) => run.all().await,
        Err(why) => Err(ApplyError::InvalidPlan(why)),
    };
    match result {
        Ok(()) => Ok(Executed { made: run.made.into_inner() }),
        Err(error) => Err(ApplyFailure { error, completed: run.steps.completed(), total: plan.changes_to_make() }),
    }
}

struct Run<'a, C> {
    cloud: &'a C,
    plan: &'a Plan,
    steps: Steps<'a>,
    made: RefCell<BTreeMap<usize, Made>>,
}

impl<C: Cloud> Run<'_, C> {
    /// Starts each change once those it depends on are complete; after a failure starts
    /// nothing more and waits for what is under way.
    async fn all(&self) -> Result<(), ApplyError> {
        let count = self.plan.changes.len();
        let (mut started, mut complete) = (vec![false; count], vec![false; count]);
        let mut running = FuturesUnordered::new();
        let mut failure = None;
        loop {
            if failure.is_none() {
                for (index, change) in self.plan.changes.iter().enumerate() {
                    if !started[index] && change.depends_on.iter().all(|d| complete[*d]) {
                        started[index] = true;
                        running.push(async move { (index, self.change(index, change).await) });
                    }
                }
            }
            let Some((index, result)) = running.next().await else { break };
            match result {
                Ok(()) => complete[index] = true,
                Err(error) => {
                    failure.get_or_insert(error);
                }
            }
        }
        failure.map_or(Ok(()), Err)
    }

    /// One change: its call (retried while AWS says the refusal is transient), then its
    /// wait until complete.
    async fn change(&self, index: usize, change: &Change) -> Result<(), ApplyError> {
        // A wait changes nothing: it shows only as its wait, and only if there is one.
        let made = match change.effect() {
            Effect::Wait => self.attempt(index, &change.action).await?,
            _ => self.steps.run(Step::Change(index), self.attempt(index, &change.action)).await?,
        };
        let made = self.complete(index, change, made).await?;
        if let Some(made) = made {
            self.made.borrow_mut().insert(index, made);
        }
        Ok(())
    }

    async fn attempt(&self, index: usize, action: &Action) -> Result<Option<Made>, ApplyError> {
        let codes = self.transient_codes(index);
        let transient = |error: &ApplyError| matches!(error, ApplyError::Cloud(e) if codes.iter().any(|code| e.is_code(code)) || role_settling(action, e));
        let mut last = match self.call(action).await {
            Err(error) if transient(&error) => error,
            other => return other,
        };
        tracing::debug!(error = %last, "refused for now; retrying");
        let patience = Patience { first: Duration::from_millis(500), ..Patience::for_state(TRANSIENT_LIMIT) };
        // The refusal was the first look: the wait pauses before it calls again.
        let retries = async {
            tokio::time::sleep(patience.first).await;
            wait_for(
                patience,
                async || match self.call(action).await {
                    Err(error) if transient(&error) => {
                        let why = error.to_string();
                        last = error;
                        Ok(Look::NotYet(why))
                    }
                    other => other.map(Look::Ready),
                },
                |_| self.steps.waiting(Step::Retry(index), "in use".into()),
            )
            .await
        };
        match self.steps.run(Step::Retry(index), retries).await {
            Ok(made) => Ok(made),
            Err(Unmet::Failed(error)) => Err(error),
            Err(Unmet::TimedOut { .. }) => Err(last),
        }
    }

    /// Waits until AWS lists the service `Available` in every one of `zones`, asking AWS to
    /// enable those it does not list ("simply call the command with the ID of the endpoint
    /// service": a modification that changes nothing). A zone not ready when asked stays
    /// out, so it is asked again, once Available (a modified service is `Pending` first)
    /// and no more than every ASK_AGAIN.
    async fn service_in_zones(
        &self,
        id: &str,
        zones: &[String],
        waiting: impl Fn(&str),
    ) -> Result<EndpointService, Unmet<ApplyError>> {
        let cloud = self.cloud;
        let asked: std::cell::Cell<Option<tokio::time::Instant>> = std::cell::Cell::new(None);
        wait_for(
            Patience::for_state(ZONES_LIMIT),
            async || {
                let Some(s) = cloud.endpoint_service(id).await? else {
                    return Ok(Look::NotYet("not listed yet".into()));
                };
                let missing: Vec<&str> =
                    zones.iter().filter(|z| !s.availability_zone_ids.contains(z)).map(String::as_str).collect();
                if missing.is_empty() && s.is_settled() {
                    return settled(s).map(Look::Ready);
                }
                if missing.is_empty() || !s.state.eq_ignore_ascii_case("available") {
                    return Ok(Look::NotYet(s.state));
                }
                if asked.get().is_none_or(|at| at.elapsed() >= ASK_AGAIN) {
                    cloud.modify_endpoint_service(id, &EndpointServiceChange::default()).await?;
                    asked.set(Some(tokio::time::Instant::now()));
                }
                Ok::<_, ApplyError>(Look::NotYet(format!("not available in {}", missing.join(", "))))
            },
            waiting,
        )
        .await
    }

    /// Waits, when the change's condition asks for it and its answer does not already
    /// show it met, until AWS reports the condition; returns what AWS last reported.
    async fn complete(&self, index: usize, change: &Change, made: Option<Made>) -> Result<Option<Made>, ApplyError> {
        let step = Step::Complete(index);
        let waiting = |state: &str| self.steps.waiting(step, state.to_string());
        let cloud = self.cloud;
        match (change.complete_when, &change.action, made) {
            (Completion::Answered, _, made) => Ok(made),
            (Completion::LoadBalancerActive, _, Some(Made::LoadBalancer(lb))) => {
                if lb.state == "active" {
                    return Ok(Some(Made::LoadBalancer(lb)));
                }
                let name = lb.name.clone();
                let active = wait_for(
                    Patience::for_state(ACTIVE_LIMIT),
                    async || match cloud.load_balancer_named(&name).await? {
                        None => Err(ApplyError::LoadBalancerVanished { name: name.clone() }),
                        Some(lb) if lb.state == "active" => Ok(Look::Ready(lb)),
                        Some(lb) if lb.state == "failed" || lb.state == "active_impaired" => {
                            Err(ApplyError::LoadBalancerFailed { name: name.clone(), state: lb.state })
                        }
                        Some(lb) => Ok(Look::NotYet(lb.state)),
                    },
                    waiting,
                );
                let what = format!("load balancer {name}");
                Ok(Some(Made::LoadBalancer(self.steps.run(step, waited(active, what, ACTIVE_LIMIT)).await?)))
            }
            (Completion::SubnetsSet, Action::SetSubnets { name, to, .. }, made) => {
                let mut wanted = to.clone();
                wanted.sort();
                let set = wait_for(
                    Patience::for_state(SUBNETS_LIMIT),
                    async || match cloud.load_balancer_named(name).await? {
                        None => Err(ApplyError::LoadBalancerVanished { name: name.clone() }),
                        Some(lb) => {
                            let mut listed = lb.subnet_ids.clone();
                            listed.sort();
                            if listed == wanted {
                                Ok(Look::Ready(()))
                            } else {
                                let leaving: Vec<&str> =
                                    listed.iter().filter(|s| !wanted.contains(s)).map(String::as_str).collect();
                                Ok(Look::NotYet(format!("still in {}", leaving.join(", "))))
                            }
                        }
                    },
                    waiting,
                );
                self.steps.run(step, waited(set, format!("load balancer {name}"), SUBNETS_LIMIT)).await?;
                Ok(made)
            }
            (Completion::ServiceAvailable, action, made) => {
                // The service the change made (as its answer reported it), or changed.
                let (id, reported) = match (made, action) {
                    (Some(Made::Service(service)), _) => (service.id.clone(), Some(service)),
                    (_, Action::UpdateEndpointService { service, .. } | Action::AwaitEndpointService { service }) => {
                        (service.clone(), None)
                    }
                    (_, action) => {
                        return Err(ApplyError::InvalidPlan(format!(
                            "change {index} ({}) names no endpoint service to wait for",
                            action_name(action)
                        )));
                    }
                };
                if let Some(service) = reported.filter(EndpointService::is_settled) {
                    return settled(service).map(|s| Some(Made::Service(s)));
                }
                let available = wait_for(
                    Patience::for_state(AVAILABLE_LIMIT),
                    async || match cloud.endpoint_service(&id).await? {
                        // Just created, and not listed yet: EC2 is eventually consistent.
                        None => Ok(Look::NotYet("not listed yet".into())),
                        Some(s) if s.is_settled() => settled(s).map(Look::Ready),
                        Some(s) if s.state.eq_ignore_ascii_case("failed") => {
                            Err(ApplyError::ServiceFailed { id: id.clone(), state: s.state })
                        }
                        Some(s) if !s.state.eq_ignore_ascii_case("available") => Ok(Look::NotYet(s.state)),
                        Some(s) => Ok(Look::NotYet(regions_changing(&s))),
                    },
                    waiting,
                );
                let what = format!("endpoint service {id}");
                Ok(Some(Made::Service(self.steps.run(step, waited(available, what, AVAILABLE_LIMIT)).await?)))
            }
            (Completion::ServiceInZones, Action::EnableServiceZones { service, zones }, _) => {
                let id = self.id_of(service)?;
                let enabled = self.service_in_zones(&id, zones, waiting);
                let what = format!("endpoint service {id}");
                Ok(Some(Made::Service(self.steps.run(step, waited(enabled, what, ZONES_LIMIT)).await?)))
            }
            (Completion::Gone, Action::DeleteLoadBalancer { name, .. }, _) => {
                let gone = wait_for(
                    Patience::for_state(GONE_LIMIT),
                    async || match cloud.load_balancer_named(name).await? {
                        None => Ok(Look::Ready(())),
                        Some(lb) => Ok::<_, ApplyError>(Look::NotYet(lb.state)),
                    },
                    waiting,
                );
                self.steps.run(step, waited(gone, format!("load balancer {name}"), GONE_LIMIT)).await?;
                Ok(None)
            }
            (
                Completion::FunctionReady,
                Action::AwaitFollower { name }
                | Action::UpdateFollowerCode { name }
                | Action::UpdateFollowerSettings { name, .. },
                made,
            ) => {
                let ready = wait_for(
                    Patience::for_state(READY_LIMIT),
                    async || match cloud.function(name).await? {
                        None => Err(ApplyError::FunctionVanished { name: name.clone() }),
                        Some(f) if f.is_ready() => Ok(Look::Ready(f)),
                        Some(f)
                            if f.state.eq_ignore_ascii_case("failed")
                                || f.last_update_status
                                    .as_deref()
                                    .is_some_and(|s| s.eq_ignore_ascii_case("failed")) =>
                        {
                            let reason = f.last_update_status.clone().unwrap_or_default();
                            Err(ApplyError::FunctionFailed { name: name.clone(), state: f.state, reason })
                        }
                        Some(f) => Ok(Look::NotYet(match f.last_update_status {
                            Some(update) if f.state.eq_ignore_ascii_case("active") => format!("update {update}"),
                            _ => f.state,
                        })),
                    },
                    waiting,
                );
                let what = format!("Lambda function {name}");
                let function = self.steps.run(step, waited(ready, what, READY_LIMIT)).await?;
                Ok(made.or(Some(Made::Function(function))))
            }
            (Completion::ConnectionsClosed, Action::RejectConnections { service_id, .. }, Some(Made::Refused(r))) => {
                self.closed_anyway(service_id, &r).await?;
                Ok(Some(Made::Refused(r)))
            }
            (condition, action, _) => Err(ApplyError::InvalidPlan(format!(
                "change {index} ({}) cannot wait until {condition:?}",
                action_name(action)
            ))),
        }
    }

    /// The ID or ARN of a resource, whether it existed or a change of this plan made it.
    fn id_of(&self, reference: &Ref) -> Result<String, ApplyError> {
        let index = match reference {
            Ref::Existing(id) => return Ok(id.clone()),
            Ref::CreatedBy(index) => *index,
        };
        match self.made.borrow().get(&index) {
            Some(Made::TargetGroup(tg)) => Ok(tg.arn.clone()),
            Some(Made::LoadBalancer(lb)) => Ok(lb.arn.clone()),
            Some(Made::Service(service)) => Ok(service.id.clone()),
            Some(Made::SecurityGroup(group)) => Ok(group.id.clone()),
            Some(Made::Role(role)) => Ok(role.arn.clone()),
            Some(Made::Function(function)) => Ok(function.arn.clone()),
            Some(Made::Refused(_)) | None => {
                Err(ApplyError::InvalidPlan(format!("change {index} did not create what a later change needs")))
            }
        }
    }

    /// The one AWS call an action is, and what it created.
    async fn call(&self, action: &Action) -> Result<Option<Made>, ApplyError> {
        let cloud = self.cloud;
        let one = std::slice::from_ref;
        match action {
            Action::CreateTargetGroup { name, port, target_type, vpc_id, health_check, tags } => {
                let new = NewTargetGroup {
                    name,
                    port: *port,
                    vpc_id,
                    target_type: *target_type,
                    health_check: *health_check,
                    tags,
                };
                return Ok(Some(Made::TargetGroup(cloud.create_target_group(new).await?)));
            }
            Action::SetHealthCheck { target_group, to, .. } => cloud.set_health_check(target_group, to).await?,
            Action::RegisterTargets { target_group, targets } => {
                cloud.register_targets(&self.id_of(target_group)?, targets).await?
            }
            Action::DeregisterTargets { target_group, targets } => {
                cloud.deregister_targets(&self.id_of(target_group)?, targets).await?
            }
            Action::CreateSecurityGroup { name, vpc_id, description, tags } => {
                let new = NewSecurityGroup { name, vpc_id, description, tags };
                return Ok(Some(Made::SecurityGroup(cloud.create_security_group(new).await?)));
            }
            Action::RevokeDefaultEgress { security_group, .. } => {
                cloud.revoke_default_egress(&self.id_of(security_group)?).await?
            }
            Action::CreateLoadBalancer { name, subnets, security_group, tags } => {
                let subnet_ids: Vec<String> = subnets.iter().map(|s| s.subnet_id.clone()).collect();
                let security_group_id = self.id_of(security_group)?;
                let new =
                    NewLoadBalancer { name, subnet_ids: &subnet_ids, security_group_id: &security_group_id, tags };
                return Ok(Some(Made::LoadBalancer(cloud.create_load_balancer(new).await?)));
            }
            Action::SetSecurityGroup { load_balancer, security_group, .. } => {
                let (arn, group) = (self.id_of(load_balancer)?, self.id_of(security_group)?);
                cloud.use_security_group_without_privatelink_inbound_rules(&arn, &group).await?
            }
            Action::AwaitLoadBalancer { load_balancer, name } => {
                // The answer that created it may already say it is active.
                if let Ref::CreatedBy(index) = load_balancer
                    && let Some(Made::LoadBalancer(lb)) = self.made.borrow().get(index)
                {
                    return Ok(Some(Made::LoadBalancer(lb.clone())));
                }
                let lb = cloud.load_balancer_named(name).await?;
                let lb = lb.ok_or_else(|| ApplyError::LoadBalancerVanished { name: name.clone() })?;
                return Ok(Some(Made::LoadBalancer(lb)));
            }
            Action::SetSubnets { load_balancer, to, .. } => cloud.set_subnets(load_balancer, to).await?,
            Action::SetCrossZone { load_balancer, enabled } => {
                cloud.set_cross_zone(&self.id_of(load_balancer)?, *enabled).await?
            }
            Action::CreateListener { load_balancer, target_group, port, tags, idle_timeout, .. } => {
                let (load_balancer_arn, target_group_arn) = (self.id_of(load_balancer)?, self.id_of(target_group)?);
                let new = NewListener {
                    load_balancer_arn: &load_balancer_arn,
                    port: *port,
                    target_group_arn: &target_group_arn,
                    tags,
                };
                let listener = cloud.create_listener(new).await?;
                // Cut off between the two, a re-run reads AWS's 350 s and sets it then.
                if let Some(seconds) = idle_timeout {
                    cloud.set_listener_idle_timeout(&listener.arn, *seconds).await?;
                }
            }
            Action::SetIdleTimeout { listener, to, .. } => cloud.set_listener_idle_timeout(listener, *to).await?,
            Action::UpdateListener { listener, target_group, port, .. } => {
                cloud.modify_listener(listener, *port, &self.id_of(target_group)?).await?
            }
            Action::CreateEndpointService { load_balancer, acceptance_required, supported_regions, tags } => {
                let load_balancer_arn = self.id_of(load_balancer)?;
                let deployment = tags.get(tags::DEPLOYMENT).map(String::as_str).unwrap_or_default();
                let mut token =
                    client_token(deployment, &load_balancer_arn, *acceptance_required, supported_regions, tags);
                // A token stays bound to the service it first created: once that service
                // is deleted (by hand, or by a teardown cut off before the load balancer
                // went), AWS answers the same request with it again, `Deleted`. A deleted
                // service is never handed over: ask again with a token of the next
                // generation, derived from the deleted service, so a retry of that request
                // is idempotent too.
                for _ in 0..MAX_SERVICE_GENERATIONS {
                    let new = NewEndpointService {
                        load_balancer_arn: &load_balancer_arn,
                        acceptance_required: *acceptance_required,
                        supported_regions,
                        client_token: &token,
                        tags,
                    };
                    let service =
                        cloud.create_endpoint_service(new).await.map_err(|e| refused_regions(e, supported_regions))?;
                    if !service.is_deleted() {
                        return Ok(Some(Made::Service(service)));
                    }
                    tracing::debug!(service = %service.id, "the client token names a deleted service; next generation");
                    token = next_generation(&token, &service.id);
                }
                return Err(ApplyError::ServicesKeptDeleted { load_balancer_arn });
            }
            // Nothing to call: its completion is the wait.
            Action::AwaitEndpointService { .. } => {}
            Action::UpdateEndpointService {
                service,
                acceptance_required,
                add_supported_regions,
                remove_supported_regions,
            } => {
                let change = EndpointServiceChange {
                    acceptance_required: *acceptance_required,
                    add_supported_regions: add_supported_regions.clone(),
                    remove_supported_regions: remove_supported_regions.clone(),
                };
                cloud
                    .modify_endpoint_service(service, &change)
                    .await
                    .map_err(|e| refused_regions(e, add_supported_regions))?
            }
            Action::UpdateAllowedPrincipals { service, add, remove } => {
                cloud.modify_allowed_principals(&self.id_of(service)?, add, remove).await?
            }
            // Nothing to call yet: its completion looks first, and asks only for a zone
            // the service does not list.
            Action::EnableServiceZones { .. } => {}
            Action::AuthorizeRule { group, egress, port, peer, description, tags } => {
                let group_id = self.id_of(group)?;
                let peer = match peer {
                    RulePeer::Cidr(cidr) => Peer::Cidr(cidr.clone()),
                    RulePeer::Group(group) => Peer::Group(self.id_of(group)?),
                };
                let rule =
                    NewGroupRule { group_id: &group_id, egress: *egress, port: *port, peer: &peer, description, tags };
                cloud.authorize_rule(rule).await?
            }
            Action::RevokeRule { group_id, egress, rule_id, .. } => {
                cloud.revoke_rules(group_id, *egress, one(rule_id)).await?
            }
            Action::TagResource { id, tags, .. } if id.starts_with("arn:") => cloud.add_elb_tags(one(id), tags).await?,
            Action::TagResource { id, tags, .. } => cloud.add_ec2_tags(one(id), tags).await?,
            Action::AcceptConnections { service_id, endpoint_ids } => {
                let refused = cloud.decide_connections(service_id, endpoint_ids, true).await?;
                return Ok(Some(Made::Refused(refused)));
            }
            Action::RejectConnections { service_id, endpoint_ids } => {
                let refused = cloud.decide_connections(service_id, endpoint_ids, false).await?;
                return Ok(Some(Made::Refused(refused)));
            }
            Action::DeleteEndpointService { id, .. } => cloud.delete_endpoint_service(id).await?,
            Action::DeleteListener { arn, .. } => cloud.delete_listener(arn).await?,
            Action::DeleteLoadBalancer { arn, .. } => cloud.delete_load_balancer(arn).await?,
            Action::DeleteTargetGroup { arn, .. } => cloud.delete_target_group(arn).await?,
            Action::DeleteSecurityGroup { id, .. } => cloud.delete_security_group(id).await?,
            Action::CreateFollowerRole { name, description, tags } => {
                let role = cloud.create_role(name, description, &follower::trust_policy(), tags).await?;
                return Ok(Some(Made::Role(role)));
            }
            Action::SetFollowerPolicy { role_name, target_group, more_target_groups, log_group_arn, .. } => {
                let document = follower::policy_document(&self.id_of(target_group)?, more_target_groups, log_group_arn);
                cloud.put_role_policy(role_name, POLICY_NAME, &document).await?
            }
            Action::CreateFollowerLogGroup { name, retention_days, tags } => {
                cloud.create_log_group(name, tags).await?;
                cloud.set_log_retention(name, *retention_days).await?
            }
            Action::CreateFollower { name, description, role, target_group, settings, tags } => {
                let (role_arn, settings) = (self.id_of(role)?, self.with_target_group(settings, target_group)?);
                let code = crate::follower::package();
                let new =
                    NewFunction { name, description, role_arn: &role_arn, code: &code, settings: &settings, tags };
                return Ok(Some(Made::Function(cloud.create_function(new).await?)));
            }
            // Nothing to call: its completion is the wait.
            Action::AwaitFollower { .. } => {}
            Action::UpdateFollowerCode { name } => {
                cloud.update_function_code(name, &crate::follower::package()).await?
            }
            Action::UpdateFollowerSettings { name, role, target_group, settings } => {
                let (role_arn, settings) = (self.id_of(role)?, self.with_target_group(settings, target_group)?);
                cloud.update_function_settings(name, &role_arn, &settings).await?
            }
            Action::PutFollowerRule { name, description, trigger, tags } => {
                cloud.put_event_rule(NewEventRule { name, description, trigger, tags }).await?;
            }
            Action::ConnectFollowerRule { rule, rule_arn, statement_id, function } => {
                let function_arn = self.id_of(function)?;
                let target = RuleTarget { id: RULE_TARGET_ID.into(), arn: function_arn.clone() };
                futures::try_join!(
                    cloud.allow_rule_to_invoke(&function_arn, statement_id, rule_arn),
                    cloud.put_rule_target(rule, &target),
                )?;
            }
            Action::PutAlarm { name, description, target_group, load_balancer, topics, tags } => {
                let dimensions = follower::alarm_dimensions(&self.id_of(target_group)?, &self.id_of(load_balancer)?);
                cloud.put_alarm(NewAlarm { name, description, dimensions: &dimensions, topics, tags }).await?
            }
            Action::DeleteFollowerRule { name, target_ids } => {
                if !target_ids.is_empty() {
                    cloud.remove_rule_targets(name, target_ids).await?;
                }
                cloud.delete_event_rule(name).await?
            }
            Action::DeleteFollower { name } => cloud.delete_function(name).await?,
            Action::DeleteFollowerRole { name, policies } => {
                futures::future::try_join_all(policies.iter().map(|policy| cloud.delete_role_policy(name, policy)))
                    .await?;
                cloud.delete_role(name).await?
            }
            Action::DeleteFollowerLogGroup { name } => cloud.delete_log_group(name).await?,
            Action::DeleteAlarm { name } => cloud.delete_alarm(name).await?,
        }
        Ok(None)
    }

    /// The function's settings with the target group's ARN, once it is known.
    fn with_target_group(
        &self,
        settings: &FunctionSettings,
        target_group: &Ref,
    ) -> Result<FunctionSettings, ApplyError> {
        let mut settings = settings.clone();
        settings.environment.insert(TARGET_GROUP_VARIABLE.into(), self.id_of(target_group)?);
        Ok(settings)
    }

    /// The error codes AWS answers change `index`'s call with for a reason that passes by
    /// itself, so the call is retried:
    /// - a load balancer or target group is `ResourceInUse` while what holds it (a
    ///   service, a load balancer) is still being deleted;
    /// - rejection completes asynchronously: right after a service's connections were
    ///   rejected (by this plan, or by a teardown cut off just before it), AWS may still
    ///   count them and refuse the service's deletion with
    ///   `ExistingVpcEndpointConnections`. A service with no rejected connection is not
    ///   waited out: someone connected since the plan was made, and that stops it;
    /// - a group or service just created may be unknown for a moment (eventual consistency).
    fn transient_codes(&self, index: usize) -> &'static [&'static str] {
        let Some(change) = self.plan.changes.get(index) else { return &[] };
        match &change.action {
            Action::DeleteLoadBalancer { .. } | Action::DeleteTargetGroup { .. } => &["ResourceInUse"],
            // The network interfaces of a deleted load balancer hold its group for a while.
            Action::DeleteSecurityGroup { .. } => &["DependencyViolation"],
            // EC2 is eventually consistent: a service this plan just created may still be
            // unknown to a call that names it.
            Action::UpdateAllowedPrincipals { service: Ref::CreatedBy(_), .. } => {
                &["InvalidVpcEndpointServiceId.NotFound"]
            }
            Action::DeleteEndpointService { rejected, .. } if !rejected.is_empty() => {
                &["ExistingVpcEndpointConnections"]
            }
            // Likewise a security group this plan just created, to the calls naming it
            // (EC2's answer, and ELB's for a load balancer's groups).
            Action::RevokeDefaultEgress { security_group: Ref::CreatedBy(_), .. } => &["InvalidGroup.NotFound"],
            Action::CreateLoadBalancer { security_group: Ref::CreatedBy(_), .. }
            | Action::SetSecurityGroup { security_group: Ref::CreatedBy(_), .. } => &["InvalidSecurityGroup"],
            Action::AuthorizeRule { group: Ref::CreatedBy(_), .. }
            | Action::AuthorizeRule { peer: RulePeer::Group(Ref::CreatedBy(_)), .. } => &["InvalidGroup.NotFound"],
            // IAM is eventually consistent too: a role just created may be unknown for a
            // moment to the call that gives it its policy.
            Action::SetFollowerPolicy { role: Ref::CreatedBy(_), .. } => &["NoSuchEntity"],
            // Lambda takes one change to a function at a time, and answers another while
            // one is in progress with ResourceConflictException.
            Action::UpdateFollowerCode { .. }
            | Action::UpdateFollowerSettings { .. }
            | Action::ConnectFollowerRule { .. } => &["ResourceConflictException"],
            _ => &[],
        }
    }

    /// Whether the connections AWS refused to reject are closed anyway. AWS refuses one
    /// that is already rejected or gone (a retried call whose answer was lost, or a
    /// change since we looked): what counts is that none is still pending or available.
    async fn closed_anyway(&self, service_id: &str, refused: &[(String, String)]) -> Result<(), ApplyError> {
        if refused.is_empty() {
            return Ok(());
        }
        let now = self.cloud.connections(service_id).await?;
        let still_open = |endpoint: &str| now.iter().any(|c| c.endpoint_id == endpoint && c.is_open());
        match refused.iter().find(|(endpoint, _)| still_open(endpoint)) {
            None => Ok(()),
            Some((endpoint, why)) => Err(ApplyError::Cloud(CloudError {
                action: "ec2:RejectVpcEndpointConnections",
                kind: CloudErrorKind::Other,
                code: None,
                message: format!("AWS did not reject {endpoint}: {why}"),
            })),
        }
    }
}

/// Whether Lambda refused a role because IAM has not made it assumable yet: a role just
/// created is not, for a few seconds (IAM user guide, "Changes that I make are not always
/// immediately visible"; Lambda answers InvalidParameterValueException "The role defined
/// for the function cannot be assumed by Lambda"). Any other invalid value is not waited out.
fn role_settling(action: &Action, error: &CloudError) -> bool {
    let names_a_role = matches!(action, Action::CreateFollower { .. } | Action::UpdateFollowerSettings { .. });
    names_a_role && error.is_code("InvalidParameterValueException") && error.message.contains("cannot be assumed")
}

/// A wait's outcome as the change's result: a timeout names what was waited for.
async fn waited<T>(
    wait: impl Future<Output = Result<T, Unmet<ApplyError>>>,
    what: String,
    limit: Duration,
) -> Result<T, ApplyError> {
    wait.await.map_err(|unmet| match unmet {
        Unmet::Failed(error) => error,
        Unmet::TimedOut { last } => ApplyError::WaitTimedOut { what, state: last, minutes: limit.as_secs() / 60 },
    })
}

/// The action's name as plans spell it (`create_target_group`).
fn action_name(action: &Action) -> String {
    serde_json::to_value(action).ok().and_then(|v| v["action"].as_str().map(str::to_string)).unwrap_or_default()
}

/// How many deleted services one create may meet before it gives up: each is a service
/// of this deployment deleted since (a teardown cut off, or by hand), which a re-run meets
/// at most once per deletion.
const MAX_SERVICE_GENERATIONS: usize = 16;

/// The token after `token`, whose service (`deleted`) is gone.
fn next_generation(token: &str, deleted: &str) -> String {
    let mut hash = Sha256::new();
    for part in [token, deleted] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// AWS refusing a request that adds supported regions as invalid: cross-region access
/// is not offered there. AWS documents no error code for it; these are the codes EC2
/// uses for a request it will not carry out as asked.
fn refused_regions(error: CloudError, added: &[String]) -> ApplyError {
    let refusal = ["InvalidParameter", "InvalidParameterValue", "InvalidParameterCombination", "OptInRequired"];
    if added.is_empty() || !refusal.iter().any(|code| error.is_code(code)) {
        return ApplyError::Cloud(error);
    }
    ApplyError::CrossRegionRefused { regions: added.join(", "), error: error.to_string() }
}

/// A settled service, unless AWS could not add one of its supported regions.
fn settled(service: EndpointService) -> Result<EndpointService, ApplyError> {
    match service.supported_regions.iter().find(|r| RegionState::of(&r.state) == RegionState::Unusable) {
        Some(r) => Err(ApplyError::SupportedRegionFailed {
            id: service.id.clone(),
            region: r.region.clone(),
            state: r.state.clone(),
        }),
        None => Ok(service),
    }
}

/// What an Available service is still waiting for: "eu-west-3 Pending", say.
fn regions_changing(service: &EndpointService) -> String {
    let changing: Vec<String> = service
        .supported_regions
        .iter()
        .filter(|r| RegionState::of(&r.state).is_changing())
        .map(|r| format!("{} {}", r.region, r.state))
        .collect();
    format!("Available, supported region {}", changing.join(", "))
}

/// The same request gets the same token, so AWS returns the service a lost response
/// created instead of creating a second one. The token covers every parameter the request
/// sends, its tags among them: AWS answers a token it saw with other parameters with
/// `IdempotentParameterMismatch` ("Ensuring idempotency in Amazon EC2 API requests"), which
/// a re-run with another tag or principal would otherwise meet once its service is gone.
fn client_token(
    deployment: &str,
    load_balancer_arn: &str,
    acceptance_required: bool,
    supported_regions: &[String],
    tags: &Tags,
) -> String {
    let mut hash = Sha256::new();
    let tags = tags.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("\n");
    for part in [deployment, load_balancer_arn, &acceptance_required.to_string(), &supported_regions.join(","), &tags] {
        hash.update(part.as_bytes());
        hash.update([0]);
    }
    hash.finalize().iter().take(16).map(|b| format!("{b:02x}")).collect()
}

/// The executor against the in-memory account: what runs side by side, what waits for
/// what, how a failure stops what depends on it, and a re-run that finishes the rest; for
/// setup's plans and teardown's alike. No emulator; a few seconds in all, most of it the
/// real backoff of the tests that wait.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::deployment::observe::{Observed, Reach, observe, read_one};
    use crate::engine::plan::events::Event;
    use crate::engine::plan::planner::plan;
    use crate::engine::plan::removal::removal_plan;
    use crate::testing::fake::FakeCloud;
    use crate::testing::fixtures::{Recorder, desired, set_up};

    const CREATE_TARGET_GROUP: &str = "elasticloadbalancing:CreateTargetGroup";
    const REGISTER_TARGETS: &str = "elasticloadbalancing:RegisterTargets";
    const CREATE_LOAD_BALANCER: &str = "elasticloadbalancing:CreateLoadBalancer";
    const DESCRIBE_LOAD_BALANCERS: &str = "elasticloadbalancing:DescribeLoadBalancers";
    const SET_CROSS_ZONE: &str = "elasticloadbalancing:ModifyLoadBalancerAttributes";
    const CREATE_LISTENER: &str = "elasticloadbalancing:CreateListener";
    const CREATE_SERVICE: &str = "ec2:CreateVpcEndpointServiceConfiguration";
    const DESCRIBE_SERVICES: &str = "ec2:DescribeVpcEndpointServiceConfigurations";
    const ALLOW_PRINCIPALS: &str = "ec2:ModifyVpcEndpointServicePermissions";
    const REJECT: &str = "ec2:RejectVpcEndpointConnections";
    const DELETE_SERVICE: &str = "ec2:DeleteVpcEndpointServiceConfigurations";
    const DELETE_LISTENER: &str = "elasticloadbalancing:DeleteListener";
    const DELETE_LOAD_BALANCER: &str = "elasticloadbalancing:DeleteLoadBalancer";
    const DELETE_TARGET_GROUP: &str = "elasticloadbalancing:DeleteTargetGroup";
    const CREATE_SECURITY_GROUP: &str = "ec2:CreateSecurityGroup";
    const SET_SECURITY_GROUP: &str = "elasticloadbalancing:SetSecurityGroups";
    const REVOKE_EGRESS: &str = "ec2:RevokeSecurityGroupEgress";

    fn waits(reporter: &Recorder, step: Step) -> Vec<String> {
        let waiting = |e: Event| if let Event::Waiting(s, state) = e { (s == step).then_some(state) } else { None };
        reporter.events().into_iter().filter_map(waiting).collect()
    }

    #[tokio::test]
    async fn a_new_deployment_converges_and_a_rerun_plans_nothing() {
        let cloud = FakeCloud::new();
        let d = desired();
        let executed = set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let observed = observe(&cloud, &d.name, None).await.unwrap();
        let rerun = plan(&d, &observed);
        assert!(rerun.is_empty(), "{rerun:?}");
        assert_eq!(observed.service.map(|s| s.id), executed.service().map(|s| s.id.clone()));
    }

    #[tokio::test]
    async fn independent_changes_run_side_by_side_and_dependents_wait_for_what_they_build_on() {
        let cloud = FakeCloud::new();
        set_up(&cloud, &desired(), &Recorder::default()).await.unwrap();
        assert!(cloud.overlapped(CREATE_TARGET_GROUP, CREATE_SECURITY_GROUP));
        // Once the load balancer exists, what builds on it starts at once.
        assert!(cloud.overlapped(CREATE_LISTENER, SET_CROSS_ZONE));
        for (first, then) in [
            (CREATE_SECURITY_GROUP, CREATE_LOAD_BALANCER),
            (CREATE_SECURITY_GROUP, REVOKE_EGRESS),
            (SET_SECURITY_GROUP, ALLOW_PRINCIPALS),
            (REVOKE_EGRESS, ALLOW_PRINCIPALS),
            (CREATE_TARGET_GROUP, REGISTER_TARGETS),
            (CREATE_TARGET_GROUP, CREATE_LISTENER),
            (CREATE_LOAD_BALANCER, CREATE_LISTENER),
            (CREATE_LOAD_BALANCER, SET_CROSS_ZONE),
            (CREATE_LOAD_BALANCER, CREATE_SERVICE),
            (CREATE_SERVICE, ALLOW_PRINCIPALS),
        ] {
            assert!(cloud.ended_before(first, then), "{then} started before {first} ended: {:#?}", cloud.calls());
        }
    }

    #[tokio::test]
    async fn nothing_waits_for_what_it_does_not_build_on() {
        // AWS answers the calls that ready the group slowly: only Airbyte's principal
        // waits for them, not the load balancer or the endpoint service.
        let slow = Duration::from_millis(60);
        let cloud = FakeCloud::new().slow(SET_SECURITY_GROUP, slow).slow(REVOKE_EGRESS, slow);
        set_up(&cloud, &desired(), &Recorder::default()).await.unwrap();
        assert!(cloud.overlapped(REVOKE_EGRESS, CREATE_LOAD_BALANCER), "{:#?}", cloud.calls());
        assert!(cloud.overlapped(SET_SECURITY_GROUP, CREATE_SERVICE), "{:#?}", cloud.calls());
        for first in [SET_SECURITY_GROUP, REVOKE_EGRESS, CREATE_SERVICE] {
            assert!(cloud.ended_before(first, ALLOW_PRINCIPALS), "Airbyte let in before {first}: {:#?}", cloud.calls());
        }
        // The group lost AWS's allow-all outbound rule.
        let rules = observe(&cloud, &desired().name, None).await.unwrap().security_group_rules;
        assert!(!rules.is_empty() && rules.iter().all(|r| r.protocol == "tcp"), "{rules:#?}");
    }

    #[tokio::test]
    async fn what_builds_on_the_load_balancer_waits_until_it_is_active() {
        let cloud = FakeCloud::new().provisioning_for(1);
        let reporter = Recorder::default();
        let d = desired();
        let plan = plan(&d, &Observed::default());
        execute(&cloud, &plan, &reporter).await.unwrap();
        let wait = plan.changes.iter().position(|c| matches!(c.action, Action::AwaitLoadBalancer { .. })).unwrap();
        assert_eq!(waits(&reporter, Step::Complete(wait)), ["provisioning"]);
        // One look that saw `provisioning`, one that saw `active`; the service only after.
        assert_eq!(cloud.count(DESCRIBE_LOAD_BALANCERS), 2, "{:#?}", cloud.calls());
        assert!(cloud.ended_before(DESCRIBE_LOAD_BALANCERS, CREATE_SERVICE), "{:#?}", cloud.calls());
        // The listener, the cross-zone setting and the targets were made while it
        // provisioned: before the look that saw it active.
        let calls = cloud.calls();
        let active_seen = calls.iter().filter(|c| c.action == DESCRIBE_LOAD_BALANCERS).map(|c| c.started).max();
        for meanwhile in [CREATE_LISTENER, SET_CROSS_ZONE, REGISTER_TARGETS] {
            let made = calls.iter().find(|c| c.action == meanwhile).map(|c| c.ended);
            assert!(made.zip(active_seen).is_some_and(|(made, seen)| made <= seen), "{meanwhile}: {calls:#?}");
        }
    }

    #[tokio::test]
    async fn the_principals_wait_until_the_new_service_is_available() {
        let cloud = FakeCloud::new().pending_for(2);
        let reporter = Recorder::default();
        let plan = plan(&desired(), &Observed::default());
        let executed = execute(&cloud, &plan, &reporter).await.unwrap();
        let created =
            plan.changes.iter().position(|c| matches!(c.action, Action::CreateEndpointService { .. })).unwrap();
        assert_eq!(waits(&reporter, Step::Complete(created)), ["Pending", "Pending"]);
        assert_eq!(cloud.count(DESCRIBE_SERVICES), 3, "{:#?}", cloud.calls());
        assert!(cloud.ended_before(DESCRIBE_SERVICES, ALLOW_PRINCIPALS), "{:#?}", cloud.calls());
        // What the handover is built from is the service as AWS last reported it.
        assert_eq!(executed.service().map(|s| s.state.as_str()), Some("Available"));
    }

    #[tokio::test]
    async fn a_failure_stops_what_depends_on_it_and_a_rerun_finishes_the_rest() {
        let cloud = FakeCloud::new().refusing(CREATE_SERVICE, "AccessDenied", 1);
        let d = desired();
        let failure = set_up(&cloud, &d, &Recorder::default()).await.unwrap_err();
        assert!(matches!(&failure.error, ApplyError::Cloud(e) if e.is_code("AccessDenied")), "{:?}", failure.error);
        assert_eq!(cloud.count(ALLOW_PRINCIPALS), 0, "the principals were set on a service that does not exist");
        // Everything but the service and its principals was made (what was under way when
        // the service failed finished); the count says so.
        assert_eq!((failure.completed, failure.total), (9, 11));

        set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        for made_once in [CREATE_TARGET_GROUP, CREATE_LOAD_BALANCER, CREATE_LISTENER] {
            assert_eq!(cloud.count(made_once), 1, "the re-run called {made_once} again");
        }
        assert!(plan(&d, &observe(&cloud, &d.name, None).await.unwrap()).is_empty());
    }

    #[tokio::test]
    async fn a_service_deleted_under_its_load_balancer_is_built_anew_not_handed_over() {
        let cloud = FakeCloud::new();
        let d = desired();
        let first = set_up(&cloud, &d, &Recorder::default()).await.unwrap().service().unwrap().id.clone();
        // Deleted by hand (or by a teardown cut off before the load balancer went).
        cloud.delete_endpoint_service(&first).await.unwrap();
        let again = set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let service = again.service().unwrap();
        assert_ne!(service.id, first, "the deleted service was handed over");
        assert_eq!(service.state, "Available");
        // The same request got the deleted service back; one of the next generation made it.
        assert_eq!(cloud.count(CREATE_SERVICE), 3);
        assert!(plan(&d, &observe(&cloud, &d.name, None).await.unwrap()).is_empty());
    }

    #[tokio::test]
    async fn a_zone_added_to_the_load_balancer_is_enabled_for_the_service_and_reported_by_it() {
        let cloud = FakeCloud::new();
        let d = desired();
        let first = set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        assert_eq!(first.service().unwrap().availability_zone_ids, ["usw2-az1", "usw2-az2"]);
        let mut wider = desired();
        wider.subnets.push(crate::testing::fixtures::subnet("subnet-c", "az3", "10.0.3.0/24"));
        let again = set_up(&cloud, &wider, &Recorder::default()).await.unwrap();
        // The service as AWS reported it once enabled there: what the handover reads.
        assert_eq!(again.service().unwrap().availability_zone_ids, ["usw2-az1", "usw2-az2", "usw2-az3"]);
        assert!(cloud.ended_before("elasticloadbalancing:SetSubnets", "ec2:ModifyVpcEndpointServiceConfiguration"));
        assert!(plan(&wider, &observe(&cloud, &wider.name, None).await.unwrap()).is_empty());
    }

    #[tokio::test]
    async fn a_service_gone_is_rebuilt_with_other_tags_without_reusing_its_token() {
        let cloud = FakeCloud::new();
        let d = desired();
        let first = set_up(&cloud, &d, &Recorder::default()).await.unwrap().service().unwrap().id.clone();
        cloud.delete_endpoint_service(&first).await.unwrap();
        // Another tag (a principal, a kind): another request, so another token.
        let mut retagged = desired();
        retagged.service_tags.insert("team".into(), "finance".into());
        let again = set_up(&cloud, &retagged, &Recorder::default()).await.unwrap();
        let service = again.service().unwrap();
        assert_ne!(service.id, first);
        assert_eq!(service.tags.get("team").map(String::as_str), Some("finance"));
        assert_eq!(cloud.count(CREATE_SERVICE), 2, "a fresh token makes the service at once");
    }

    #[tokio::test]
    async fn a_plan_that_does_not_hold_together_changes_nothing() {
        let cloud = FakeCloud::new();
        let mut plan = plan(&desired(), &Observed::default());
        plan.changes[6].depends_on.clear();
        let failure = execute(&cloud, &plan, &Recorder::default()).await.unwrap_err();
        assert!(matches!(failure.error, ApplyError::InvalidPlan(_)), "{:?}", failure.error);
        assert!(cloud.calls().is_empty());
    }

    /// Sets up the sample deployment with Airbyte connected, and plans its removal.
    async fn connected_deployment(cloud: &FakeCloud) -> Plan {
        let executed = set_up(cloud, &desired(), &Recorder::default()).await.unwrap();
        cloud.connect(&executed.service().unwrap().id, "vpce-0airbyte", "available");
        removal_plan(&read_one(cloud, "db", None, Reach::FOR_REMOVAL).await.unwrap())
    }

    #[tokio::test]
    async fn removal_follows_the_order_aws_requires_and_waits_while_aws_releases() {
        let cloud = FakeCloud::new();
        let plan = connected_deployment(&cloud).await;
        let reporter = Recorder::default();
        execute(&cloud, &plan, &reporter).await.unwrap();
        assert!(cloud.is_empty());
        for (first, then) in [
            (REJECT, DELETE_SERVICE),
            (DELETE_SERVICE, DELETE_LOAD_BALANCER),
            (DELETE_LISTENER, DELETE_LOAD_BALANCER),
            (DELETE_LOAD_BALANCER, DELETE_TARGET_GROUP),
        ] {
            assert!(cloud.ended_before(first, then), "{then} started before {first} ended: {:#?}", cloud.calls());
        }
        // The listener waits only for the rejection, not for the service.
        assert!(cloud.ended_before(REJECT, DELETE_LISTENER));
        assert!(cloud.overlapped(DELETE_SERVICE, DELETE_LISTENER));
        // The service's deletion takes a moment: the first attempt on the load balancer is
        // refused, and the retry is shown as a wait of its own, not as a failure.
        assert_eq!(cloud.count(DELETE_LOAD_BALANCER), 2);
        let index = plan.changes.iter().position(|c| matches!(c.action, Action::DeleteLoadBalancer { .. })).unwrap();
        let events = reporter.events();
        assert!(events.contains(&Event::Started(Step::Retry(index))), "{events:?}");
        assert!(events.contains(&Event::Finished(Step::Retry(index))), "{events:?}");
        // And the load balancer counts as removed only once AWS no longer lists it.
        assert!(events.contains(&Event::Finished(Step::Complete(index))), "{events:?}");
    }

    #[tokio::test]
    async fn a_service_is_deleted_once_aws_has_finished_rejecting_its_connections() {
        // AWS still counts the rejected connection at the first attempt.
        let cloud = FakeCloud::new().refusing(DELETE_SERVICE, "ExistingVpcEndpointConnections", 1);
        let plan = connected_deployment(&cloud).await;
        let reporter = Recorder::default();
        execute(&cloud, &plan, &reporter).await.unwrap();
        assert_eq!(cloud.count(DELETE_SERVICE), 2);
        let index = plan.changes.iter().position(|c| matches!(c.action, Action::DeleteEndpointService { .. })).unwrap();
        assert!(reporter.events().contains(&Event::Finished(Step::Retry(index))), "{:?}", reporter.events());
        assert!(cloud.is_empty());
    }

    #[tokio::test]
    async fn teardown_reads_in_two_rounds_without_the_idle_timeouts_and_removes_every_database() {
        let cloud = FakeCloud::new();
        let d = crate::testing::fixtures::with_analytics(desired());
        set_up(&cloud, &d, &Recorder::default()).await.unwrap();
        let before = cloud.calls().len();
        let observed = read_one(&cloud, "db", None, Reach::FOR_REMOVAL).await.unwrap();
        assert_eq!(cloud.rounds_after(before), 2, "{:#?}", &cloud.calls()[before..]);
        let attributes = cloud.calls()[before..]
            .iter()
            .filter(|c| c.action == "elasticloadbalancing:DescribeListenerAttributes")
            .count();
        assert_eq!(attributes, 0, "teardown does not need to know how long idle connections last");
        assert_eq!(observed.databases.len(), 1);
        execute(&cloud, &removal_plan(&observed), &Recorder::default()).await.unwrap();
        assert!(cloud.is_empty());
    }

    #[tokio::test]
    async fn a_connection_made_after_the_plan_is_not_waited_out() {
        // Planned with nobody connected; Airbyte connects before the plan runs.
        let cloud = FakeCloud::new();
        let executed = set_up(&cloud, &desired(), &Recorder::default()).await.unwrap();
        let plan = removal_plan(&read_one(&cloud, "db", None, Reach::FOR_REMOVAL).await.unwrap());
        cloud.connect(&executed.service().unwrap().id, "vpce-0late", "available");
        let failure = execute(&cloud, &plan, &Recorder::default()).await.unwrap_err();
        assert!(
            matches!(&failure.error, ApplyError::Cloud(e) if e.is_code("ExistingVpcEndpointConnections")),
            "{:?}",
            failure.error
        );
        assert_eq!(cloud.count(DELETE_SERVICE), 1, "refused at once, not retried for minutes");
        assert_eq!(cloud.count(DELETE_LOAD_BALANCER), 0);
    }

    #[tokio::test]
    async fn a_refused_removal_stops_everything_after_it_and_says_how_far_it_got() {
        let cloud = FakeCloud::new().refusing(DELETE_SERVICE, "AccessDenied", 1);
        let plan = connected_deployment(&cloud).await;
        let failure = execute(&cloud, &plan, &Recorder::default()).await.unwrap_err();
        assert!(matches!(&failure.error, ApplyError::Cloud(e) if e.is_code("AccessDenied")), "{:?}", failure.error);
        assert_eq!(cloud.count(DELETE_LOAD_BALANCER), 0);
        assert_eq!(cloud.count(DELETE_TARGET_GROUP), 0);
        // The rejection and the listener, which the service's deletion did not need, are done.
        assert_eq!((failure.completed, failure.total), (2, 6));
    }
}
