//! Why a target is unhealthy or unused: one `verify` check per cause, each naming what
//! blocks the load balancer and the fix. They read what `reachability` gathered and
//! run whether or not the targets are healthy now, so a cause shows before it bites.

use crate::engine::checks::reachability::Reachability;
use crate::engine::checks::{Check, fail, pass, warn};
use crate::engine::deployment::observe::Observed;
use crate::engine::knowledge::database::{self, SAFE_CONNECT_ERRORS};
use crate::engine::knowledge::network_acls::{self, Block};
use crate::engine::knowledge::targets;
use crate::spec::Engine;

pub fn checks(o: &Observed, r: &Reachability) -> Vec<Check> {
    let mut checks = Vec::new();
    let addresses = r.target_addresses(o);
    let port = o.target_group.as_ref().map(|tg| tg.port).unwrap_or(0);

    if !r.instances.is_empty() {
        let stopped: Vec<String> =
            r.instances.iter().filter(|i| i.state != "running").map(|i| format!("{} is {}", i.id, i.state)).collect();
        checks.push(if stopped.is_empty() {
            pass("targets.instances-running", "every instance target is running")
        } else {
            let ids: Vec<&str> = r.instances.iter().filter(|i| i.state != "running").map(|i| i.id.as_str()).collect();
            fail(
                "targets.instances-running",
                stopped.join(", "),
                format!("start it: `aws ec2 start-instances --instance-ids {}`", ids.join(" ")),
            )
        });
    }

    let zones: Vec<&str> = o.subnets.iter().map(|s| s.az_name.as_str()).collect();
    let uncovered = targets::in_uncovered_zones(addresses.iter().map(|(id, ip)| (id, *ip)), &o.subnets, &o.vpc_subnets);
    if !o.subnets.is_empty() {
        checks.push(if uncovered.is_empty() {
            pass("targets.zones-covered", "every target is in an AZ of the load balancer")
        } else {
            let detail: Vec<String> = uncovered
                .iter()
                .map(|(id, _, home)| {
                    format!("{id} is in {} ({}), where the load balancer has no subnet", home.az_name, home.id)
                })
                .collect();
            let fixes: Vec<String> = uncovered.iter().map(|(_, _, home)| subnet_fix(&home.az_name, o)).collect();
            fail("targets.zones-covered", format!("{}: it is unused", detail.join("; ")), fixes.join("; "))
        });
    }

    let found: Vec<Block> = addresses
        .iter()
        .flat_map(|(_, ip)| network_acls::blocks(&o.subnets, *ip, port, &o.vpc_subnets, &o.network_acls))
        .collect();
    let (near, far): (Vec<Block>, Vec<Block>) =
        network_acls::number(found, &o.network_acls).into_iter().partition(|b| b.load_balancer_side);
    let in_vpc = addresses.iter().any(|(_, ip)| targets::subnet_of(*ip, &o.vpc_subnets).is_some());
    if !addresses.is_empty() && !o.network_acls.is_empty() {
        let acl_check = |id: &'static str, blocks: &[Block], side: &str| {
            if blocks.is_empty() && side == "targets' subnets" && !in_vpc {
                pass(id, "no target is in the VPC's subnets: only the load balancer's side is checked")
            } else if blocks.is_empty() {
                pass(id, format!("the network ACLs of the {side} let TCP {port} and the replies through"))
            } else {
                let detail: Vec<String> = blocks.iter().map(Block::describe).collect();
                let fixes: Vec<String> = blocks.iter().map(|b| format!("`{}`", b.fix())).collect();
                fail(id, detail.join("; "), format!("add the rule: {}", fixes.join("; ")))
            }
        };
        checks.push(acl_check("network-acl.load-balancer-subnets", &near, "load balancer's subnets"));
        checks.push(acl_check("network-acl.target-subnets", &far, "targets' subnets"));
    }

    let Some(db) = &r.database else {
        return checks;
    };
    checks.push(if db.port == port || port == 0 || db.port == 0 {
        pass("database.port", format!("RDS says {} listens on {}, the port the load balancer uses", db.id, db.port))
    } else {
        fail(
            "database.port",
            format!("RDS says {} listens on {}, but the load balancer sends to {port}", db.id, db.port),
            format!(
                "a target group's port is fixed: set up a new deployment under another --name with --port {}, hand \
                 its service name to Airbyte, then remove this one with `airbyte-plink teardown`",
                db.port
            ),
        )
    });
    if r.engine.is_some_and(Engine::is_mysql_family) {
        checks.push(match &r.connect_errors {
            Some(limit) => match database::connect_error_warning(db, limit) {
                None => pass(
                    "database.mysql-connect-errors",
                    format!("max_connect_errors is {} (parameter group {})", limit.value, limit.group.name()),
                ),
                Some(why) => warn("database.mysql-connect-errors", why.detail, why.fix),
            },
            None => warn(
                "database.mysql-connect-errors",
                format!("no parameter group of {} lists max_connect_errors", db.id),
                format!("make sure it is at least {SAFE_CONNECT_ERRORS}"),
            ),
        });
    }
    let uncovered = database::uncovered_zones(db, &zones.iter().map(|z| z.to_string()).collect::<Vec<_>>());
    if !o.subnets.is_empty() {
        checks.push(if uncovered.is_empty() {
            pass("database.failover-zones", format!("every AZ {} can fail over to has a load balancer subnet", db.id))
        } else {
            let fixes: Vec<String> = uncovered.iter().map(|zone| subnet_fix(zone, o)).collect();
            warn(
                "database.failover-zones",
                format!(
                    "{} can fail over into {}, where the load balancer has no subnet: the link would be down there",
                    db.id,
                    uncovered.join(", ")
                ),
                fixes.join("; "),
            )
        });
    }
    checks
}

/// How to give the load balancer a subnet in `zone`.
fn subnet_fix(zone: &str, o: &Observed) -> String {
    let mut subnets: Vec<String> = o.subnets.iter().map(|s| s.id.clone()).collect();
    match database::private_subnet_in(zone, &o.vpc_subnets, &o.route_tables) {
        Some(subnet) => {
            subnets.push(subnet.id.clone());
            format!("add {} ({zone}): `airbyte-plink setup ... --subnets {}`", subnet.id, subnets.join(","))
        }
        None => format!("create a private subnet in {zone} and add it with `airbyte-plink setup ... --subnets`"),
    }
}
