//! `verify`'s report: a table for people, JSON, and JUnit XML for CI test reports.

use std::fmt::Write;

use console::style;

use crate::engine::checks::{Check, Status};

pub struct Counts {
    pub passed: usize,
    pub warnings: usize,
    pub failed: usize,
}

pub fn counts(checks: &[Check]) -> Counts {
    let of = |status| checks.iter().filter(|c| c.status == status).count();
    Counts { passed: of(Status::Pass), warnings: of(Status::Warn), failed: of(Status::Fail) }
}

pub fn human(deployment: &str, checks: &[Check]) -> String {
    let mut out = format!("Verifying deployment {deployment}:\n");
    let width = checks.iter().map(|c| c.id.len()).max().unwrap_or(0);
    for check in checks {
        let mark = match check.status {
            Status::Pass => style("✓").green(),
            Status::Warn => style("!").yellow(),
            Status::Fail => style("✗").red(),
        };
        let _ = writeln!(out, "  {mark} {:<width$}  {}", check.id, check.detail);
        if let (Some(fix), false) = (&check.fix, check.status == Status::Pass) {
            let _ = writeln!(out, "    {:<width$}  fix: {fix}", "");
        }
    }
    let c = counts(checks);
    let _ = write!(out, "{} passed, {} failed, {} warnings", c.passed, c.failed, c.warnings);
    out
}

/// One test case per check; a failing check (or, with `strict`, a warning) is a failure.
pub fn junit(deployment: &str, checks: &[Check], strict: bool) -> String {
    let failing = |c: &Check| c.status == Status::Fail || (strict && c.status == Status::Warn);
    let failures = checks.iter().filter(|c| failing(c)).count();
    let suite = format!("airbyte-plink verify {deployment}");
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(out, "<testsuites name=\"{}\" tests=\"{}\" failures=\"{failures}\">", xml(&suite), checks.len());
    let _ = writeln!(
        out,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failures}\" errors=\"0\" skipped=\"0\">",
        xml(&suite),
        checks.len()
    );
    for check in checks {
        let _ =
            write!(out, "    <testcase classname=\"airbyte-plink.{}\" name=\"{}\"", xml(deployment), xml(&check.id));
        let fix = check.fix.as_deref().unwrap_or("");
        if failing(check) {
            let _ = writeln!(
                out,
                ">\n      <failure message=\"{}\">fix: {}</failure>\n    </testcase>",
                xml(&check.detail),
                xml(fix)
            );
        } else if check.status == Status::Warn {
            let _ = writeln!(
                out,
                ">\n      <system-out>warning: {} (fix: {})</system-out>\n    </testcase>",
                xml(&check.detail),
                xml(fix)
            );
        } else {
            let _ = writeln!(out, "/>");
        }
    }
    out.push_str("  </testsuite>\n</testsuites>\n");
    out
}

fn xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;").replace('\'', "&apos;")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aws::{Peer, Tags};
    use crate::engine::checks::database_groups::DatabaseGroups;
    use crate::engine::checks::reachability::Reachability;
    use crate::engine::checks::verify;
    use crate::engine::deployment::observe::Observed;
    use crate::testing::fixtures::{SECURITY_GROUP_ID, connection, desired, inspected, plain, rule, subnet, target};

    /// The VPC's three subnets behind one network ACL letting the VPC in and out, with
    /// `more` rules before those, and the database's groups.
    /// What verify reads around the deployment `o`: its VPC's subnets, sharing one network
    /// ACL (with `more` entries), and the database's groups.
    fn around(o: &mut Observed, groups: DatabaseGroups, more: Vec<crate::aws::AclEntry>) -> Reachability {
        let vpc = |rule_number, egress| crate::aws::AclEntry {
            rule_number,
            egress,
            protocol: "-1".into(),
            allow: true,
            cidr: Some("10.0.0.0/16".into()),
            ports: None,
        };
        let mut entries = more;
        entries.extend([vpc(100, false), vpc(100, true)]);
        let subnets = vec![
            subnet("subnet-a", "az1", "10.0.1.0/24"),
            subnet("subnet-b", "az2", "10.0.2.0/24"),
            subnet("subnet-c", "az3", "10.0.3.0/24"),
        ];
        let acl = crate::aws::NetworkAcl {
            id: "acl-private".into(),
            is_default: false,
            subnet_ids: subnets.iter().map(|s| s.id.clone()).collect(),
            entries,
        };
        (o.vpc_subnets, o.network_acls) = (subnets, vec![acl]);
        Reachability { groups: Some(groups), ..Reachability::default() }
    }

    #[test]
    fn junit_escapes_and_counts_failures() {
        let checks = vec![
            Check { id: "a.pass".into(), status: Status::Pass, detail: "ok".into(), fix: None },
            Check { id: "b.warn".into(), status: Status::Warn, detail: "w".into(), fix: Some("x".into()) },
            Check {
                id: "c.fail".into(),
                status: Status::Fail,
                detail: "<bad> & \"worse\"".into(),
                fix: Some("run it".into()),
            },
        ];
        let xml = junit("db", &checks, false);
        assert!(xml.contains("failures=\"1\""), "{xml}");
        assert!(xml.contains("&lt;bad&gt; &amp; &quot;worse&quot;"), "{xml}");
        assert!(junit("db", &checks, true).contains("failures=\"2\""));
    }

    /// The database's group `sg-db`, learnt from RDS, letting `group` in on 5432.
    fn database_lets_in(group: &str) -> DatabaseGroups {
        DatabaseGroups {
            groups: vec!["sg-db".into()],
            known_from: "RDS",
            inbound: vec![rule("sgr-db", "sg-db", false, 5432, Peer::Group(group.into()), &Tags::new())],
        }
    }

    /// Snapshots of `verify`'s report for a deployment that works.
    #[test]
    fn a_working_deployment_passes_every_check() {
        let d = desired();
        let database = database_lets_in(SECURITY_GROUP_ID);
        let mut o = inspected(&d);
        let around = around(&mut o, database, Vec::new());
        let checks = verify(&o, &Ok(d.targets.clone()), &around);
        insta::assert_snapshot!(plain(human("db", &checks)));
        insta::assert_snapshot!("working_junit", junit("db", &checks, false));
    }

    /// ... and for one that someone changed by hand, with every fix.
    #[test]
    fn a_broken_deployment_names_each_failed_check_and_its_fix() {
        let d = desired();
        let mut i = inspected(&d);
        i.targets[0].health = "unhealthy".into();
        i.principals.push("*".into());
        i.cross_zone = false;
        i.connections.insert("vpce-svc-1".into(), vec![connection("vpce-0airbyte", "pendingAcceptance")]);
        // Someone lets the VPC in on the load balancer's group, and turns the filter on.
        let vpc = Peer::Cidr("10.0.0.0/16".into());
        i.security_group_rules.push(rule("sgr-in", SECURITY_GROUP_ID, false, 5432, vpc, &d.tags));
        i.load_balancer.as_mut().unwrap().privatelink_inbound_rules = Some("on".into());
        // A zone added to the load balancer, not yet enabled for the service.
        i.service.as_mut().unwrap().availability_zone_ids.retain(|z| z != "usw2-az2");
        let moved = Ok(vec![target("10.0.1.9")]);
        // The database's group lets another group in, not the load balancer's.
        // A network ACL drops the replies to the load balancer's other subnet, and RDS
        // says the database listens on another port and can fail over into az3.
        let ephemeral = crate::aws::AclEntry {
            rule_number: 90,
            egress: true,
            protocol: "6".into(),
            allow: false,
            cidr: Some("10.0.0.0/16".into()),
            ports: Some((1024, 65535)),
        };
        let mut around = around(&mut i, database_lets_in("sg-other"), vec![ephemeral]);
        let mut database =
            crate::engine::knowledge::database::tests::mysql(crate::aws::DatabaseKind::RdsInstance, &[], None);
        database.engine = "postgres".into();
        around.database = Some(database);
        around.engine = Some(crate::spec::Engine::Postgres);
        let checks = verify(&i, &moved, &around);
        insta::assert_snapshot!(plain(human("db", &checks)));
        insta::assert_snapshot!("broken_junit_strict", junit("db", &checks, true));
    }
}
