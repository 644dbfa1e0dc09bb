//! The databases a deployment holds besides its own: each gets a target group and a
//! listener on its own port, behind the deployment's one load balancer and endpoint
//! service. Given as `--database NAME=TARGET[,TARGET…]:PORT[@LISTENER_PORT][/SECURITY_GROUP]`
//! (repeatable) or as `[[databases]]` tables in the config file.

use serde::{Deserialize, Serialize};

use super::{Checker, PortValue, dedup, fields};
use crate::spec::{Engine, Target};

/// At most this many listeners on one network load balancer ("Quotas for your Network
/// Load Balancers", NLB guide), and the PrivateLink guide adds that an endpoint service
/// does not support a load balancer with more: one per database.
pub const MAX_LISTENERS: usize = 50;

/// A database as written in the config file or a `--database` flag.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseDraft {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub targets: Option<Vec<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<PortValue>,
    /// The port Airbyte connects to; the database's port unless given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub listener_port: Option<PortValue>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub db_security_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub database_kind: Option<String>,
}

/// The flag's form, in its help and its messages.
pub const FLAG_FORM: &str = "NAME=TARGET[,TARGET…]:PORT[@LISTENER_PORT][/SECURITY_GROUP]";

impl DatabaseDraft {
    /// Reads [`FLAG_FORM`]. Targets (addresses, instance IDs, hostnames) hold no `:`, `@`
    /// or `/`, so the last of each splits the group and the ports off.
    pub fn parse_flag(raw: &str) -> Result<DatabaseDraft, String> {
        let form = || format!("'{raw}' is not {FLAG_FORM}, e.g. analytics=analytics.internal:5432@5433");
        let (name, rest) = raw.split_once('=').ok_or_else(form)?;
        let (rest, db_security_group) = match rest.rsplit_once('/') {
            Some((rest, group)) => (rest, Some(group.trim().to_string())),
            None => (rest, None),
        };
        let (rest, listener_port) = match rest.rsplit_once('@') {
            Some((rest, listener)) => (rest, Some(PortValue::Text(listener.to_string()))),
            None => (rest, None),
        };
        let (targets, port) = rest.rsplit_once(':').ok_or_else(form)?;
        let targets: Vec<String> =
            targets.split(',').map(str::trim).filter(|t| !t.is_empty()).map(str::to_string).collect();
        if name.trim().is_empty() || targets.is_empty() {
            return Err(form());
        }
        Ok(DatabaseDraft {
            name: Some(name.trim().to_string()),
            targets: Some(targets),
            port: Some(PortValue::Text(port.to_string())),
            listener_port,
            db_security_group,
            database_kind: None,
        })
    }

    /// The database in [`FLAG_FORM`], for a command line. A kind given in the config file
    /// is left out: the flag cannot say it (and RDS says it of its own databases).
    pub fn to_flag(spec: &DatabaseSpec) -> String {
        let targets: Vec<String> = spec.targets.iter().map(Target::to_string).collect();
        let mut flag = format!("{}={}:{}", spec.name, targets.join(","), spec.port);
        if spec.listener_port != spec.port {
            flag.push_str(&format!("@{}", spec.listener_port));
        }
        if let Some(group) = &spec.db_security_group {
            flag.push_str(&format!("/{group}"));
        }
        flag
    }
}

/// The databases of the config file and of the flags together: a flag's database takes
/// the place of the file's of the same name.
pub fn overlay(base: Option<Vec<DatabaseDraft>>, over: Option<Vec<DatabaseDraft>>) -> Option<Vec<DatabaseDraft>> {
    let (Some(mut base), Some(over)) = (base.clone(), over.clone()) else { return over.or(base) };
    for database in over {
        match base.iter_mut().find(|d| d.name.is_some() && d.name == database.name) {
            Some(same) => *same = database,
            None => base.push(database),
        }
    }
    Some(base)
}

/// One more database of a deployment, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct DatabaseSpec {
    /// Its name within the deployment; its target group is `<deployment>-<name>`.
    pub name: String,
    pub targets: Vec<Target>,
    /// The port the database listens on.
    pub port: u16,
    /// The port Airbyte's connector uses: the listener's.
    pub listener_port: u16,
    pub db_security_group: Option<String>,
    pub engine: Option<Engine>,
}

impl DatabaseSpec {
    pub fn to_draft(&self) -> DatabaseDraft {
        DatabaseDraft {
            name: Some(self.name.clone()),
            targets: Some(self.targets.iter().map(Target::to_string).collect()),
            port: Some(PortValue::Number(i64::from(self.port))),
            listener_port: Some(PortValue::Number(i64::from(self.listener_port))),
            db_security_group: self.db_security_group.clone(),
            database_kind: self.engine.map(|e| e.as_str().to_string()),
        }
    }
}

/// The target group of database `database` of deployment `deployment`.
pub fn target_group_name(deployment: &str, database: &str) -> String {
    format!("{deployment}-{database}")
}

/// Validates `drafts`, each problem under `--database` and naming the database; the
/// deployment's own database listens on `own_port`. `None` when there were problems.
pub(super) fn resolve(
    drafts: &[DatabaseDraft],
    deployment: Option<&str>,
    own_port: Option<u16>,
    c: &mut Checker,
) -> Option<Vec<DatabaseSpec>> {
    let before = c.problems.len();
    let mut resolved: Vec<DatabaseSpec> = Vec::new();
    for (index, draft) in drafts.iter().enumerate() {
        let label = draft.name.clone().unwrap_or_else(|| format!("#{}", index + 1));
        let name = named(c, &label, database_name(draft.name.as_deref(), deployment));
        let targets = named(c, &label, targets(draft.targets.as_deref()));
        let port = draft.port.as_ref().ok_or_else(|| format!("no port; give it as {FLAG_FORM}"));
        let port = named(c, &label, port.and_then(PortValue::parse));
        let listener_port = match &draft.listener_port {
            Some(raw) => named(c, &label, raw.parse()),
            None => port,
        };
        let db_security_group = match &draft.db_security_group {
            Some(raw) => named(c, &label, fields::resource_id(raw, "sg-", "security group")).map(Some),
            None => Some(None),
        };
        let engine = match &draft.database_kind {
            Some(raw) => named(c, &label, Engine::parse(raw)).map(Some),
            None => Some(None),
        };
        if let (Some(name), Some(targets), Some(port), Some(listener_port), Some(db_security_group), Some(engine)) =
            (name, targets, port, listener_port, db_security_group, engine)
        {
            resolved.push(DatabaseSpec { name, targets, port, listener_port, db_security_group, engine });
        }
    }
    for (index, database) in resolved.iter().enumerate() {
        let earlier = &resolved[..index];
        if earlier.iter().any(|d| d.name == database.name) {
            c.check::<()>(
                "--database",
                Err(format!("{}: named twice; give each database its own name", database.name)),
            );
        }
        let taken = if own_port == Some(database.listener_port) {
            Some("the deployment's own database (--port)".to_string())
        } else {
            earlier.iter().find(|d| d.listener_port == database.listener_port).map(|d| format!("database {}", d.name))
        };
        if let Some(taken) = taken {
            let free = free_port(database.listener_port, own_port, &resolved);
            c.check::<()>(
                "--database",
                Err(format!(
                    "{}: listener port {} is taken by {taken}; each database needs its own port on the load balancer: \
                     give another after @, e.g. {}={}:{}@{free}",
                    database.name,
                    database.listener_port,
                    database.name,
                    database.targets.iter().map(Target::to_string).collect::<Vec<_>>().join(","),
                    database.port,
                )),
            );
        }
    }
    if resolved.len() + 1 > MAX_LISTENERS {
        c.check::<()>(
            "--database",
            Err(format!(
                "{} databases need {} listeners; a load balancer behind an endpoint service takes at most \
                 {MAX_LISTENERS}: split them over two deployments",
                resolved.len() + 1,
                resolved.len() + 1
            )),
        );
    }
    (c.problems.len() == before).then_some(resolved)
}

/// A problem of database `label`, under `--database`.
fn named<T>(c: &mut Checker, label: &str, result: Result<T, String>) -> Option<T> {
    c.check("--database", result.map_err(|message| format!("{label}: {message}")))
}

fn database_name(raw: Option<&str>, deployment: Option<&str>) -> Result<String, String> {
    let raw = raw.ok_or_else(|| format!("no name; give it as {FLAG_FORM}"))?;
    let name = fields::deployment_name(raw)?.to_ascii_lowercase();
    if let Some(deployment) = deployment {
        let group = target_group_name(deployment, &name);
        if group.len() > fields::MAX_NAME_LEN {
            return Err(format!(
                "its target group {group} would be {} characters, and AWS allows {}: use a name of at most {} characters",
                group.len(),
                fields::MAX_NAME_LEN,
                fields::MAX_NAME_LEN.saturating_sub(deployment.len() + 1)
            ));
        }
    }
    Ok(name)
}

fn targets(raw: Option<&[String]>) -> Result<Vec<Target>, String> {
    let raw = raw.filter(|r| !r.is_empty()).ok_or_else(|| format!("no target; give it as {FLAG_FORM}"))?;
    let targets = raw.iter().map(|t| Target::parse(t)).collect::<Result<Vec<_>, _>>()?;
    let instances = targets.iter().filter(|t| matches!(t, Target::Instance(_))).count();
    if instances > 0 && instances < targets.len() {
        return Err("mixes EC2 instance IDs with IPs or hostnames; one target group holds one kind".into());
    }
    Ok(dedup(targets))
}

/// The first port from `from` up that no database listens on.
fn free_port(from: u16, own_port: Option<u16>, databases: &[DatabaseSpec]) -> u16 {
    (from..=u16::MAX).find(|p| Some(*p) != own_port && !databases.iter().any(|d| d.listener_port == *p)).unwrap_or(from)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flag_form_splits_name_targets_and_ports() {
        let draft = DatabaseDraft::parse_flag("analytics=10.0.1.7,10.0.2.7:5432@5433").unwrap();
        assert_eq!(draft.name.as_deref(), Some("analytics"));
        assert_eq!(draft.targets, Some(vec!["10.0.1.7".to_string(), "10.0.2.7".to_string()]));
        assert_eq!(draft.port, Some(PortValue::Text("5432".into())));
        assert_eq!(draft.listener_port, Some(PortValue::Text("5433".into())));
        let plain = DatabaseDraft::parse_flag("cdc=cdc.internal:3306").unwrap();
        assert_eq!(plain.listener_port, None);
        let grouped = DatabaseDraft::parse_flag("cdc=cdc.internal:3306@3307/sg-0abc").unwrap();
        assert_eq!(grouped.db_security_group.as_deref(), Some("sg-0abc"));
        assert_eq!(grouped.listener_port, Some(PortValue::Text("3307".into())));
        for bad in ["analytics", "analytics=10.0.1.7", "=10.0.1.7:5432", "a=:5432"] {
            assert!(DatabaseDraft::parse_flag(bad).unwrap_err().contains(FLAG_FORM), "{bad}");
        }
    }

    fn draft(name: &str, port: i64, listener: Option<i64>) -> DatabaseDraft {
        DatabaseDraft {
            name: Some(name.into()),
            targets: Some(vec!["10.0.1.7".into()]),
            port: Some(PortValue::Number(port)),
            listener_port: listener.map(PortValue::Number),
            ..DatabaseDraft::default()
        }
    }

    fn problems(drafts: &[DatabaseDraft], deployment: &str, own_port: u16) -> Vec<String> {
        let mut c = Checker::default();
        resolve(drafts, Some(deployment), Some(own_port), &mut c);
        c.problems.into_iter().map(|p| format!("{}: {}", p.field, p.message)).collect()
    }

    #[test]
    fn a_listener_port_taken_is_named_with_a_free_one() {
        let found = problems(&[draft("analytics", 5432, None)], "orders", 5432);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].starts_with("--database: analytics: listener port 5432 is taken by the deployment's own"));
        assert!(found[0].contains("analytics=10.0.1.7:5432@5433"), "{found:?}");
        let found = problems(&[draft("a", 3306, None), draft("b", 3306, None)], "orders", 5432);
        assert!(found[0].contains("b: listener port 3306 is taken by database a"), "{found:?}");
        assert!(problems(&[draft("a", 5432, Some(5433)), draft("b", 3306, None)], "orders", 5432).is_empty());
    }

    #[test]
    fn names_are_unique_and_fit_awss_target_group_names() {
        let found = problems(&[draft("a", 1, None), draft("a", 2, None)], "orders", 5432);
        assert!(found[0].contains("named twice"), "{found:?}");
        let found = problems(&[draft("a-rather-long-name", 1, None)], "orders-production-east", 5432);
        assert!(found[0].contains("would be 41 characters"), "{found:?}");
        assert!(found[0].contains("at most 9 characters"), "{found:?}");
    }

    #[test]
    fn flags_add_to_the_files_databases_and_replace_those_of_the_same_name() {
        let file = Some(vec![draft("aurora", 3306, None), draft("rds", 5432, Some(5433))]);
        let flags = Some(vec![draft("rds", 5432, Some(6000)), draft("mysql", 3306, Some(3307))]);
        let merged = overlay(file, flags).unwrap();
        let names: Vec<_> = merged.iter().map(|d| (d.name.clone().unwrap(), d.listener_port.clone())).collect();
        assert_eq!(
            names,
            [
                ("aurora".to_string(), None),
                ("rds".to_string(), Some(PortValue::Number(6000))),
                ("mysql".to_string(), Some(PortValue::Number(3307)))
            ]
        );
    }

    #[test]
    fn more_listeners_than_aws_allows_are_refused() {
        let many: Vec<DatabaseDraft> = (0..50).map(|i| draft(&format!("d{i}"), 6000 + i, None)).collect();
        let found = problems(&many, "orders", 5432);
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].contains("51 databases need 51 listeners"), "{found:?}");
        assert!(problems(&many[..49], "orders", 5432).is_empty());
    }
}
