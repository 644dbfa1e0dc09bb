//! The handover block: what to paste into Airbyte, and what to do next.

use std::fmt::Write;

use console::style;

use crate::engine::deployment::handover::Handover;
use crate::engine::knowledge::database::Tls;

/// AZ IDs, stable across accounts, each with this account's name for it.
fn zones(h: &Handover) -> String {
    let zones: Vec<String> =
        h.availability_zone_ids.iter().zip(&h.availability_zones).map(|(id, name)| format!("{id} ({name})")).collect();
    zones.join(", ")
}

pub fn render(h: &Handover) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", style("PrivateLink endpoint service ready").bold().green());
    let kind = h.database_kind.clone().unwrap_or_else(|| "not known (--database-kind says it)".into());
    let rows = [
        ("Service name", h.service_name.clone()),
        ("Service ID", h.service_id.clone()),
        ("Region", h.region.clone()),
        ("Database", kind.clone()),
        ("Port", h.port.to_string()),
        ("Idle timeout", format!("{} s: a connection carrying no data for longer is reset", h.idle_timeout_seconds)),
        ("AZ IDs", zones(h)),
        ("Allowed principal", h.allowed_principals.join(", ")),
        ("Acceptance", if h.acceptance_required { "required".into() } else { "automatic".into() }),
        ("Supported regions", h.supported_regions.join(", ")),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "  {:<18} {value}", format!("{label}:"));
    }
    let _ = writeln!(out);
    tls(&mut out, &h.tls);
    for database in &h.databases {
        let _ = writeln!(out);
        let _ = writeln!(out, "{}", style(format!("Database {}, behind the same service:", database.name)).bold());
        let kind = database.database_kind.clone().unwrap_or_else(|| "not known (database_kind says it)".into());
        for (label, value) in [("Database", kind), ("Port", database.port.to_string())] {
            let _ = writeln!(out, "  {:<18} {value}", format!("{label}:"));
        }
        tls(&mut out, &database.tls);
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "Next steps:");
    let kind = match &h.database_kind {
        Some(kind) => format!("the type {kind}"),
        None => "the type of your source or destination".to_string(),
    };
    let _ = writeln!(
        out,
        "  1. In Airbyte: Workspace settings › Private Links › create one with\n     service name {},\n     region {}, and {kind}",
        style(&h.service_name).bold(),
        h.region
    );
    if h.acceptance_required {
        let _ = writeln!(
            out,
            "  2. Accept Airbyte's connection request, which waits in \"Pending acceptance\"\n     until you do: airbyte-plink accept --name {} --wait",
            h.deployment
        );
    } else {
        let _ = writeln!(out, "  2. Airbyte's connection is accepted automatically (acceptance is off).");
    }
    let _ = writeln!(out, "  3. Check the link end to end: airbyte-plink verify --name {}", h.deployment);
    let _ = writeln!(
        out,
        "  4. In Airbyte's connector: port {}, and a TLS mode that does not check the\n     hostname ({}).",
        h.port,
        h.tls.modes_that_work.join(", ")
    );
    for database in &h.databases {
        let _ = writeln!(
            out,
            "     Database {}: a connector of its own on the same Private Link, port {}\n     ({}).",
            database.name,
            database.port,
            database.tls.modes_that_work.join(", ")
        );
    }
    out
}

/// Over PrivateLink the client connects to the endpoint's DNS name, which the
/// database's certificate does not carry.
fn tls(out: &mut String, tls: &Tls) {
    let _ = writeln!(out, "TLS through the link:");
    let certificate = match &tls.certificate_hostname {
        Some(host) => format!("issued to {host}, not to the endpoint's DNS name Airbyte connects to"),
        None => "its hostname is not known to airbyte-plink (no hostname was given)".to_string(),
    };
    let authority = match (&tls.certificate_authority, &tls.ca_bundle_url) {
        (Some(ca), Some(url)) => format!("{ca}; bundle {url}"),
        (None, Some(url)) => format!("RDS; bundle {url}"),
        _ => "your database's own".to_string(),
    };
    let rows = [
        ("Certificate", certificate),
        ("Signed by", authority),
        ("Modes that work", tls.modes_that_work.join(", ")),
        ("Modes that fail", tls.modes_that_fail.join(", ")),
    ];
    for (label, value) in rows {
        let _ = writeln!(out, "  {:<18} {value}", format!("{label}:"));
    }
}

/// Snapshots of what the customer hands to Airbyte, as text and as `--output json`.
#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::fixtures::{LOAD_BALANCER_ARN, TARGET_GROUP_ARN, converged, desired, plain};

    fn handover(acceptance_required: bool) -> Handover {
        let d = crate::engine::deployment::desired::Desired { acceptance_required, ..desired() };
        let service = converged(&d).service.expect("a converged deployment has its service");
        Handover::new(&d, &service, LOAD_BALANCER_ARN, TARGET_GROUP_ARN)
    }

    #[test]
    fn with_acceptance_required_the_next_step_is_to_accept() {
        let h = handover(true);
        insta::assert_snapshot!(plain(render(&h)));
        insta::assert_snapshot!("json", serde_json::to_string_pretty(&h).unwrap());
    }

    #[test]
    fn with_acceptance_off_nothing_waits_for_acceptance() {
        insta::assert_snapshot!(plain(render(&handover(false))));
    }
}
