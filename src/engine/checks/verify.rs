//! The checks `verify` makes, each with a stable ID, a result and a fix. They read an
//! deployment as [`Observed`] with everything around it, and change nothing.

use crate::aws::{EndpointService, GroupRule, Peer, RegionState, RegisteredTarget, TargetRef};
use crate::engine::checks::database_groups::DatabaseGroups;
use crate::engine::checks::follower_checks::follower_checks;
use crate::engine::checks::reachability::Reachability;
use crate::engine::checks::target_checks;
use crate::engine::checks::{Check, fail, pass, warn};
use crate::engine::deployment::observe::Observed;
use crate::engine::deployment::tags;
use crate::engine::knowledge::addresses::internet_route;

/// `current_targets`: the recorded targets resolved now (or why they could not be);
/// `around`: what decides whether the load balancer reaches the database.
pub fn verify(
    o: &Observed,
    current_targets: &Result<Vec<TargetRef>, Vec<String>>,
    around: &Reachability,
) -> Vec<Check> {
    let database = around.groups.as_ref();
    let recorded = o.recorded();
    let setup = "run `airbyte-plink setup` with this deployment's configuration to restore it".to_string();
    let mut checks = Vec::new();

    checks.push(match &o.service {
        Some(s) if s.state.eq_ignore_ascii_case("available") => {
            pass("service.available", format!("{} is Available", s.id))
        }
        Some(s) => fail("service.available", format!("{} is {}", s.id, s.state), "wait for it, or see the VPC console"),
        None => fail("service.available", format!("no endpoint service is tagged for {}", o.name), setup.clone()),
    });

    match &o.load_balancer {
        None => {
            for id in ["load-balancer.active", "load-balancer.internal", "load-balancer.private-subnets"] {
                checks.push(fail(id, format!("no load balancer {} of this deployment", o.name), setup.clone()));
            }
        }
        Some(lb) => {
            checks.push(if lb.state == "active" {
                pass("load-balancer.active", format!("{} is active", lb.name))
            } else {
                fail(
                    "load-balancer.active",
                    format!("{} is {}", lb.name, lb.state),
                    "see the load balancer in the EC2 console",
                )
            });
            checks.push(if lb.scheme == "internal" && lb.kind == "network" {
                pass("load-balancer.internal", "an internal network load balancer")
            } else {
                fail(
                    "load-balancer.internal",
                    format!("an {} {} load balancer", lb.scheme, lb.kind),
                    "PrivateLink needs an internal network load balancer; set up a new deployment",
                )
            });
            let public: Vec<String> = lb
                .subnet_ids
                .iter()
                .filter_map(|s| {
                    internet_route(s, &o.route_tables)
                        .map(|(table, r)| format!("{s} ({table} → {})", r.gateway_id.as_deref().unwrap_or("")))
                })
                .collect();
            checks.push(if public.is_empty() {
                pass("load-balancer.private-subnets", format!("{} subnets, none routed to an internet gateway", lb.subnet_ids.len()))
            } else {
                fail(
                    "load-balancer.private-subnets",
                    format!("public subnets: {}", public.join(", ")),
                    "remove the internet gateway route, or move the load balancer to private subnets with setup --subnets",
                )
            });
        }
    }

    let configured_cross_zone = recorded.cross_zone.unwrap_or(true);
    checks.push(match (o.load_balancer.is_some(), o.cross_zone, configured_cross_zone) {
        (false, _, _) => fail("load-balancer.cross-zone", "no load balancer", setup.clone()),
        (true, true, _) => pass("load-balancer.cross-zone", "cross-zone load balancing is on"),
        (true, false, false) => warn(
            "load-balancer.cross-zone",
            "cross-zone load balancing is off, as configured",
            "endpoints in AZs without a healthy target fail; consider setup --cross-zone",
        ),
        (true, false, true) => fail("load-balancer.cross-zone", "cross-zone load balancing is off", setup.clone()),
    });

    checks.extend(served_database_checks(o, current_targets, &setup));

    let principal = recorded.airbyte_principal.as_deref();
    checks.push(match principal {
        None => fail("principals.airbyte-allowed", "no Airbyte principal is recorded on the service", setup.clone()),
        Some(p) if o.principals.iter().any(|a| a == p) => pass("principals.airbyte-allowed", format!("{p} is allowed")),
        Some(p) => fail("principals.airbyte-allowed", format!("{p} is not allowed"), setup.clone()),
    });
    checks.push(if o.principals.iter().any(|p| p.contains('*')) {
        fail(
            "principals.no-wildcard",
            "a `*` principal lets every AWS account connect",
            "remove it (setup removes principals that are not Airbyte's)",
        )
    } else {
        pass("principals.no-wildcard", "no wildcard principal")
    });
    let unexpected: Vec<&String> =
        o.principals.iter().filter(|p| Some(p.as_str()) != principal && !p.contains('*')).collect();
    checks.push(if unexpected.is_empty() {
        pass("principals.no-unexpected", "only Airbyte's principal is allowed")
    } else {
        let names: Vec<&str> = unexpected.iter().map(|p| p.as_str()).collect();
        fail(
            "principals.no-unexpected",
            format!("also allowed: {}", names.join(", ")),
            "remove them, or run setup, which does",
        )
    });

    checks.push(match (&o.service, recorded.acceptance_required) {
        (Some(s), Some(want)) if s.acceptance_required == want => {
            pass("acceptance.as-configured", format!("acceptance required: {want}"))
        }
        (Some(s), Some(want)) => fail(
            "acceptance.as-configured",
            format!("acceptance required is {}, configured {want}", s.acceptance_required),
            setup.clone(),
        ),
        _ => fail("acceptance.as-configured", "no recorded acceptance setting", setup.clone()),
    });

    let airbyte_region = recorded.airbyte_region.as_deref();
    let home = o.service.as_ref().and_then(|s| s.name.split('.').nth(3)).unwrap_or("");
    checks.push(match (&o.service, airbyte_region) {
        (_, Some(region)) if region == home => {
            pass("regions.airbyte-supported", format!("Airbyte connects from {region}, the service's own region"))
        }
        (Some(s), Some(region)) => match s.region_state(region) {
            Some(RegionState::Available) => {
                pass("regions.airbyte-supported", format!("{region} is a supported region, Available"))
            }
            Some(RegionState::Pending) => warn(
                "regions.airbyte-supported",
                format!("{region} is a supported region, but AWS is still adding it (Pending)"),
                "Airbyte can connect from it once AWS reports it Available, usually within minutes; run verify again",
            ),
            Some(RegionState::Unusable) => fail(
                "regions.airbyte-supported",
                format!(
                    "AWS lists {region} as a supported region, but {}: Airbyte cannot connect from it",
                    s.supported_regions.iter().find(|r| r.region == region).map_or("", |r| r.state.as_str())
                ),
                format!(
                    "{setup} (it removes the region and adds it again); if AWS refuses it again, see \
                     \"A supported region is Failed\" in docs/troubleshooting.md"
                ),
            ),
            Some(RegionState::Deleting | RegionState::Deleted) | None => fail(
                "regions.airbyte-supported",
                format!("{region}, where Airbyte connects from, is not a supported region"),
                setup.clone(),
            ),
        },
        _ => fail("regions.airbyte-supported", "no recorded Airbyte region", setup.clone()),
    });

    checks.extend(security_group_checks(o, database));
    checks.extend(target_checks::checks(o, around));

    let mut zones: Vec<&str> = o.subnets.iter().map(|s| s.az_id.as_str()).collect();
    zones.sort();
    zones.dedup();
    let cross_region = is_cross_region(o);
    checks.push(match zones.len() {
        2.. => pass("zones.at-least-two", format!("{} AZs: {}", zones.len(), zones.join(", "))),
        // "For high availability, providers must use at least two Availability Zones"
        // (PrivateLink guide, Cross-Region access, Considerations).
        _ if cross_region => fail(
            "zones.at-least-two",
            format!("{} AZ; AWS requires two for a service reached from other regions", zones.len()),
            "add a private subnet in another AZ with setup --subnets",
        ),
        _ => warn(
            "zones.at-least-two",
            format!("{} AZ", zones.len()),
            "add a private subnet in another AZ with setup --subnets",
        ),
    });
    // AWS lists a service in a zone at least: none listed tells nothing.
    if let Some(service) = o.service.as_ref().filter(|s| !s.availability_zone_ids.is_empty()) {
        checks.push(service_zones_check(&zones, service));
    }

    let resources = [
        ("load balancer", o.load_balancer.is_some().then_some(&o.load_balancer_tags)),
        ("target group", o.target_group.is_some().then_some(&o.target_group_tags)),
        ("endpoint service", o.service.as_ref().map(|s| &s.tags)),
    ];
    let others = o.databases.iter().map(|d| ("target group", Some(&d.tags)));
    let untagged: Vec<&str> = resources
        .into_iter()
        .chain(others)
        .filter(|(_, t)| t.is_none_or(|t| !t.contains_key(tags::MANAGED_BY) || !tags::owned_by(t, &o.name)))
        .map(|(what, _)| what)
        .collect();
    checks.push(if untagged.is_empty() {
        pass("tags.present", "every resource carries the deployment's tags")
    } else {
        fail("tags.present", format!("missing or untagged: {}", untagged.join(", ")), setup.clone())
    });

    let airbyte = recorded.airbyte_account();
    let from_airbyte: Vec<_> = o.service_connections().iter().filter(|c| Some(c.owner.as_str()) == airbyte).collect();
    checks.push(if from_airbyte.iter().any(|c| c.is("available")) {
        pass("connection.airbyte-available", "Airbyte's endpoint is connected")
    } else if from_airbyte.iter().any(|c| c.is("pending")) {
        warn(
            "connection.airbyte-available",
            "Airbyte's connection is accepted, and AWS is still setting it up (pending)",
            "it becomes available by itself, usually within minutes; run verify again",
        )
    } else if from_airbyte.iter().any(|c| c.is("pendingAcceptance")) {
        warn("connection.airbyte-available", "Airbyte's connection waits for acceptance", "run `airbyte-plink accept`")
    } else if from_airbyte.iter().any(|c| c.is("rejected")) {
        fail(
            "connection.airbyte-available",
            "Airbyte's connection was rejected",
            "create the Private Link again in Airbyte, then run `airbyte-plink accept --wait`",
        )
    } else {
        warn(
            "connection.airbyte-available",
            "no connection from Airbyte yet",
            "in Airbyte: Workspace settings › Private Links › create one with the service name",
        )
    });
    checks
}

/// The checks of what serves one database: its listener and idle timeout, its targets
/// registered, healthy and current.
fn served_database_checks(
    o: &Observed,
    current_targets: &Result<Vec<TargetRef>, Vec<String>>,
    setup: &str,
) -> Vec<Check> {
    let recorded = o.recorded();
    let mut checks = Vec::new();
    let tg = o.target_group.as_ref();
    // The port Airbyte was told: another database's group records it, the deployment's
    // own database listens on its own.
    let listener_port = |tg: &crate::aws::TargetGroup| {
        let recorded = o.target_group_tags.get(tags::LISTENER_PORT).and_then(|p| p.parse().ok());
        recorded.unwrap_or(tg.port)
    };
    checks.push(match (tg, o.listener()) {
        (Some(tg), Some(l))
            if l.protocol == "TCP"
                && l.port == listener_port(tg)
                && l.forward_to.as_deref() == Some(tg.arn.as_str()) =>
        {
            pass("listener.forwarding", format!("TCP {} forwards to target group {}", l.port, tg.name))
        }
        (Some(tg), Some(l)) => fail(
            "listener.forwarding",
            format!(
                "listener {} {} is not TCP {} forwarding to target group {}",
                l.protocol,
                l.port,
                listener_port(tg),
                tg.name
            ),
            setup.to_string(),
        ),
        (_, None) => fail("listener.forwarding", "the load balancer has no listener", setup.to_string()),
        (None, Some(_)) => fail("listener.forwarding", "no target group of this deployment", setup.to_string()),
    });

    checks.extend(idle_timeout_check(o, setup));

    checks.push(if o.targets.is_empty() {
        fail("targets.registered", "no target is registered", setup.to_string())
    } else {
        pass("targets.registered", format!("{} registered", o.targets.len()))
    });
    checks.push(targets_healthy_check(o, setup));

    let registered: Vec<TargetRef> = o.targets.iter().map(|t| t.target.clone()).collect();
    checks.push(match current_targets {
        _ if recorded.targets.is_empty() => {
            warn("targets.dns-current", "no recorded targets to compare", setup.to_string())
        }
        Err(problems) => {
            fail("targets.dns-current", problems.join("; "), "fix DNS, or update the targets with setup --target")
        }
        Ok(current) if crate::engine::knowledge::targets::same(current, &registered) => pass(
            "targets.dns-current",
            format!(
                "{} {} to exactly the registered targets",
                recorded.targets.join(", "),
                if recorded.targets.len() == 1 { "resolves" } else { "resolve" }
            ),
        ),
        Ok(current) => fail(
            "targets.dns-current",
            format!("registered {} but the targets now resolve to {}", list(&registered), list(current)),
            "run `airbyte-plink sync-targets` (the database moved, e.g. after a failover)",
        ),
    });

    checks
}

/// The checks of one of a deployment's other databases, on `view`, the deployment seen
/// with that database in its own database's place ([`Observed::as_database`]); each
/// check's ID ends in `@<database>`.
pub fn verify_database(
    view: &Observed,
    database: &str,
    current_targets: &Result<Vec<TargetRef>, Vec<String>>,
    around: &Reachability,
) -> Vec<Check> {
    let setup = "run `airbyte-plink setup` with this deployment's configuration, --database included, to restore it";
    let mut checks = served_database_checks(view, current_targets, setup);
    if let Some(group) = &view.security_group {
        checks.push(database_allows(view, around.groups.as_ref(), group));
    }
    checks.extend(target_checks::checks(view, around));
    for check in &mut checks {
        check.id = format!("{}@{database}", check.id);
    }
    checks
}

/// The load balancer's own group: attached, PrivateLink traffic let through, nothing in,
/// only the database's port out; and the database letting that group in.
fn security_group_checks(o: &Observed, database: Option<&DatabaseGroups>) -> Vec<Check> {
    let setup = "run `airbyte-plink setup` with this deployment's configuration to restore it";
    let replace = "a load balancer gets a security group only when it is created: remove the deployment \
                   (`airbyte-plink teardown`) and set it up again";
    let Some(group) = &o.security_group else {
        let detail = format!("no security group is tagged for {}", o.name);
        return ["security-group.attached", "security-group.no-inbound", "security-group.outbound-database-only"]
            .map(|id| fail(id, detail.clone(), setup))
            .into_iter()
            .collect();
    };
    let port = o.target_group.as_ref().map(|tg| tg.port).unwrap_or(0);
    // Each database's port: its own, and its other databases'.
    let mut ports: Vec<u16> = std::iter::once(port).chain(o.databases.iter().map(|d| d.target_group.port)).collect();
    ports.sort();
    ports.dedup();
    let shown = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(", ");
    let mut checks = Vec::new();
    checks.push(match &o.load_balancer {
        Some(lb) if lb.security_groups == [group.id.clone()] => {
            pass("security-group.attached", format!("{} has only its own group, {}", lb.name, group.id))
        }
        Some(lb) if lb.security_groups.is_empty() => {
            fail("security-group.attached", format!("{} has no security group", lb.name), replace)
        }
        Some(lb) => fail(
            "security-group.attached",
            format!("{} has groups {}, not only {}", lb.name, lb.security_groups.join(", "), group.id),
            setup,
        ),
        None => fail("security-group.attached", format!("no load balancer {} of this deployment", o.name), setup),
    });
    if let Some(lb) = o.load_balancer.as_ref().filter(|lb| !lb.security_groups.is_empty()) {
        checks.push(if lb.enforces_inbound_rules_on_privatelink() {
            fail(
                "security-group.privatelink-not-filtered",
                format!("{} filters PrivateLink traffic by its group's inbound rules: Airbyte cannot connect", lb.name),
                setup,
            )
        } else {
            pass("security-group.privatelink-not-filtered", "PrivateLink traffic is not filtered by inbound rules")
        });
    }
    let inbound: Vec<&GroupRule> = o.security_group_rules.iter().filter(|r| !r.egress).collect();
    checks.push(if inbound.is_empty() {
        pass(
            "security-group.no-inbound",
            format!("{} lets nothing in: only PrivateLink reaches the load balancer", group.id),
        )
    } else {
        let ids: Vec<&str> = inbound.iter().map(|r| r.id.as_str()).collect();
        fail(
            "security-group.no-inbound",
            format!(
                "{} has inbound rules ({}): the VPC can reach the database through the load balancer",
                group.id,
                ids.join(", ")
            ),
            setup,
        )
    });
    // TCP on a database's port, and not to everywhere.
    let port_only = |r: &&GroupRule| {
        r.protocol == "tcp"
            && ports.iter().any(|p| r.from_port == i32::from(*p) && r.to_port == i32::from(*p))
            && r.peer != Some(Peer::Cidr("0.0.0.0/0".into()))
    };
    let outbound: Vec<&GroupRule> = o.security_group_rules.iter().filter(|r| r.egress).collect();
    let wider: Vec<&str> = outbound.iter().filter(|r| !port_only(r)).map(|r| r.id.as_str()).collect();
    checks.push(if outbound.is_empty() {
        fail(
            "security-group.outbound-database-only",
            format!("{} lets nothing out, not even to the database: targets are unhealthy", group.id),
            setup,
        )
    } else if wider.is_empty() {
        pass("security-group.outbound-database-only", format!("{} lets out only TCP {shown}", group.id))
    } else {
        fail(
            "security-group.outbound-database-only",
            format!("{} lets out more than TCP {shown} ({})", group.id, wider.join(", ")),
            setup,
        )
    });
    checks.push(database_allows(o, database, group));
    checks.extend(follower_checks(o));
    checks
}

/// `database.allows-load-balancer`: the database's groups let the load balancer's in on
/// its port.
fn database_allows(o: &Observed, database: Option<&DatabaseGroups>, group: &crate::aws::SecurityGroup) -> Check {
    let port = o.target_group.as_ref().map(|tg| tg.port).unwrap_or(0);
    let own = Peer::Group(group.id.clone());
    let subnet_cidrs: Vec<String> = o.subnets.iter().map(|s| s.cidr.clone()).collect();
    match database {
        Some(db) if db.lets_in(&own, port, &subnet_cidrs) => pass(
            "database.allows-load-balancer",
            format!("{} ({}) lets {} in on {port}", db.groups.join(", "), db.known_from, group.id),
        ),
        Some(db) => fail(
            "database.allows-load-balancer",
            format!(
                "the database's groups {} ({}) do not let {} in on {port}",
                db.groups.join(", "),
                db.known_from,
                group.id
            ),
            format!(
                "run `airbyte-plink setup` with --db-security-group {}",
                db.groups.first().map_or("ID", |g| g.as_str())
            ),
        ),
        None => warn(
            "database.allows-load-balancer",
            "nothing says which security groups protect the database",
            format!("make sure they let {} in on TCP {port}, or run setup with --db-security-group", group.id),
        ),
    }
}

fn list(targets: &[TargetRef]) -> String {
    targets.iter().map(|t| format!("{}:{}", t.id, t.port)).collect::<Vec<_>>().join(", ")
}

/// `targets.healthy`: each target that is not healthy, with the cause AWS's state and
/// reason code give (TargetHealth, API reference; "Health checks for Network Load
/// Balancer target groups", Target health status) and its fix. A target still starting,
/// or whose health AWS cannot tell (`unavailable`), is a warning: it may pass by itself.
fn targets_healthy_check(o: &Observed, setup: &str) -> Check {
    if o.targets.is_empty() {
        return fail("targets.healthy", "no target to be healthy", setup);
    }
    let forwarded =
        o.target_group.as_ref().is_some_and(|tg| o.listeners.iter().any(|l| l.forward_to.as_ref() == Some(&tg.arn)));
    let causes: Vec<(&RegisteredTarget, TargetCause)> =
        o.targets.iter().filter_map(|t| Some((t, TargetCause::of(t, forwarded)?))).collect();
    if causes.is_empty() {
        return pass("targets.healthy", "every target is healthy");
    }
    let detail: Vec<String> = causes
        .iter()
        .map(|(t, cause)| {
            let reason = t.reason.as_deref().map(|r| format!(" ({r})")).unwrap_or_default();
            format!("{}:{} is {}{reason}: {}", t.target.id, t.target.port, t.health, cause.why)
        })
        .collect();
    let mut fixes: Vec<&str> = Vec::new();
    for (_, cause) in &causes {
        if !fixes.contains(&cause.fix) {
            fixes.push(cause.fix);
        }
    }
    if causes.iter().any(|(_, cause)| cause.fatal) {
        fail("targets.healthy", detail.join("; "), fixes.join("; "))
    } else {
        warn("targets.healthy", detail.join("; "), fixes.join("; "))
    }
}

/// Why one target takes no traffic, and what to do.
struct TargetCause {
    why: &'static str,
    fix: &'static str,
    /// Not a state that passes by itself.
    fatal: bool,
}

impl TargetCause {
    /// `None` for a healthy target. `forwarded`: a listener sends the target group traffic.
    fn of(t: &RegisteredTarget, forwarded: bool) -> Option<Self> {
        let cause = |why, fix, fatal| Some(TargetCause { why, fix, fatal });
        match (t.health.as_str(), t.reason.as_deref()) {
            ("healthy", _) => None,
            ("initial", _) => cause("health checks are still starting", "verify again in a minute", false),
            ("draining", _) => cause(
                "it is being deregistered, and goes after the deregistration delay",
                "nothing to do: verify again once AWS has let it go",
                false,
            ),
            ("unavailable", _) => cause(
                "AWS cannot tell its health (an error on AWS's side)",
                "verify again in a few minutes; if it stays unavailable, ask AWS Support",
                false,
            ),
            ("unused", Some("Target.InvalidState")) => cause(
                "the instance is stopped or terminated",
                "start the instance, or point --target at the database's running one",
                true,
            ),
            ("unused", Some("Target.NotRegistered")) => {
                cause("it is not registered with the target group", "run `airbyte-plink sync-targets`", true)
            }
            ("unused", Some("Target.IpUnusable")) => cause(
                "the address is one a load balancer uses, not the database's",
                "give the database's own address or hostname with setup --target",
                true,
            ),
            ("unused", _) if !forwarded => cause(
                "the target group gets no traffic from a listener",
                "run `airbyte-plink setup` with this deployment's configuration: it restores the listener",
                true,
            ),
            ("unused", _) => cause(
                "its AZ is not enabled for the load balancer: no subnet there, or one being removed (AWS takes up \
                 to 3 minutes, and marks that AZ's targets unused)",
                "add a private subnet in the target's AZ with setup --subnets (targets.zones-covered names it)",
                true,
            ),
            ("unhealthy.draining", _) => cause(
                "it failed its health checks; it keeps the connections it has for the unhealthy draining interval \
                 and takes no new ones",
                HEALTH_FIX,
                true,
            ),
            _ => cause("it failed its health checks", HEALTH_FIX, true),
        }
    }
}

/// Where the cause of failed health checks is named.
const HEALTH_FIX: &str = "the checks database.allows-load-balancer, network-acl.*, targets.* and database.* below \
                          name the cause they find; if they all pass, check that the database is up and listening on \
                          the port";

/// Whether consumers in other regions may connect: AWS lists the service's own region
/// among its supported regions, and others while they are present.
fn is_cross_region(o: &Observed) -> bool {
    o.service
        .as_ref()
        .is_some_and(|s| s.supported_regions.iter().filter(|r| RegionState::of(&r.state).is_present()).count() > 1)
}

/// Consumers connect only through the zones the service is enabled in, which AWS does not
/// extend to a zone added to the load balancer until asked.
fn service_zones_check(zones: &[&str], service: &EndpointService) -> Check {
    let missing: Vec<&str> =
        zones.iter().copied().filter(|z| !service.availability_zone_ids.iter().any(|id| id == z)).collect();
    if missing.is_empty() {
        pass("endpoint-service.zones", format!("available in every AZ of the load balancer: {}", zones.join(", ")))
    } else {
        fail(
            "endpoint-service.zones",
            format!(
                "not available in {} of the load balancer: Airbyte cannot connect through {}",
                missing.join(", "),
                if missing.len() == 1 { "it" } else { "them" }
            ),
            "run `airbyte-plink setup` with this deployment's configuration: it enables the service there",
        )
    }
}

/// `listener.idle-timeout`: how long a connection may carry no data before the load
/// balancer forgets it and resets it at the next packet, which a long query or a quiet
/// CDC stream can meet. Not made when the listener's timeout was not read (no TCP
/// listener: `listener.forwarding` fails).
fn idle_timeout_check(o: &Observed, setup: &str) -> Option<Check> {
    use crate::aws::DEFAULT_IDLE_TIMEOUT;
    let seconds = o.idle_timeout()?;
    let cross_region = is_cross_region(o);
    let keepalive = format!("TCP keepalives more often than every {DEFAULT_IDLE_TIMEOUT} s");
    Some(match (cross_region, seconds == DEFAULT_IDLE_TIMEOUT) {
        (true, false) => fail(
            "listener.idle-timeout",
            format!("{seconds} s, with cross-region access, which AWS does not support with a custom idle timeout"),
            setup.to_string(),
        ),
        (true, true) => pass(
            "listener.idle-timeout",
            format!("{seconds} s, AWS's: cross-region access takes no other; keep long syncs alive with {keepalive}"),
        ),
        (false, true) => warn(
            "listener.idle-timeout",
            format!("{seconds} s, AWS's default: a sync whose connection carries no data for longer is cut"),
            format!("run setup with --idle-timeout 3600 (up to 6000), or use {keepalive}"),
        ),
        (false, false) => pass("listener.idle-timeout", format!("{seconds} s without data before a connection is cut")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::checks::Status;
    use crate::testing::fixtures::{converged, desired};

    /// The check with the one target in `health` for `reason`.
    fn with_target(health: &str, reason: Option<&str>, forwarded: bool) -> Check {
        let mut o = converged(&desired());
        o.targets[0].health = health.into();
        o.targets[0].reason = reason.map(str::to_string);
        if !forwarded {
            o.listeners.clear();
        }
        targets_healthy_check(&o, "run setup")
    }

    #[test]
    fn each_target_state_and_reason_names_its_own_cause() {
        let cases = [
            ("healthy", None, true, Status::Pass, "every target is healthy"),
            ("initial", Some("Elb.InitialHealthChecking"), true, Status::Warn, "still starting"),
            ("unavailable", Some("Elb.InternalError"), true, Status::Warn, "AWS cannot tell its health"),
            ("unhealthy", Some("Target.FailedHealthChecks"), true, Status::Fail, "failed its health checks"),
            ("draining", Some("Target.DeregistrationInProgress"), true, Status::Warn, "being deregistered"),
            (
                "unhealthy.draining",
                Some("Target.FailedHealthChecks"),
                true,
                Status::Fail,
                "unhealthy draining interval",
            ),
            ("unused", Some("Target.InvalidState"), true, Status::Fail, "stopped or terminated"),
            ("unused", Some("Target.NotRegistered"), true, Status::Fail, "not registered"),
            ("unused", Some("Target.IpUnusable"), true, Status::Fail, "one a load balancer uses"),
            ("unused", Some("Target.NotInUse"), false, Status::Fail, "no traffic from a listener"),
            ("unused", Some("Target.NotInUse"), true, Status::Fail, "its AZ is not enabled for the load balancer"),
        ];
        for (health, reason, forwarded, status, says) in cases {
            let check = with_target(health, reason, forwarded);
            assert_eq!(check.status, status, "{health} {reason:?}: {check:?}");
            assert!(check.detail.contains(says), "{health} {reason:?}: {}", check.detail);
            if let Some(reason) = reason {
                assert!(check.detail.contains(&format!("({reason})")), "{}", check.detail);
            }
        }
        let starting_and_broken = {
            let mut o = converged(&desired());
            let mut second = o.targets[0].clone();
            second.target.id = "10.0.1.6".into();
            second.health = "unhealthy".into();
            o.targets[0].health = "initial".into();
            o.targets.push(second);
            targets_healthy_check(&o, "run setup")
        };
        assert_eq!(starting_and_broken.status, Status::Fail, "one broken target fails the check");
    }
}
