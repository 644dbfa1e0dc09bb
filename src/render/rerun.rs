//! The `--no-input` command line equivalent to a spec, so a wizard session can be
//! repeated in a script.

use crate::spec::DeploymentSpec;

pub fn command_line(spec: &DeploymentSpec) -> String {
    let mut args: Vec<String> = vec!["airbyte-plink".into(), "setup".into(), "--no-input".into()];
    let mut flag = |name: &str, value: &str| {
        args.push(format!("--{name}"));
        args.push(quote(value));
    };
    flag("region", &spec.region);
    flag("name", &spec.name);
    flag("airbyte-region", spec.airbyte_region.as_str());
    match spec.principal.strip_prefix("arn:aws:iam::").and_then(|rest| rest.strip_suffix(":root")) {
        Some(account) => flag("airbyte-account-id", account),
        None => flag("airbyte-principal", &spec.principal),
    }
    flag("target", &spec.targets.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    flag("port", &spec.port.to_string());
    flag("vpc-id", &spec.vpc_id);
    flag("subnets", &spec.subnet_ids.join(","));
    if let Some(group) = &spec.db_security_group {
        flag("db-security-group", group);
    }
    for database in &spec.databases {
        flag("database", &crate::spec::DatabaseDraft::to_flag(database));
    }
    for (key, value) in &spec.extra_tags {
        flag("tag", &format!("{key}={value}"));
    }
    for (off, name) in [
        (!spec.cross_zone, "--no-cross-zone"),
        (!spec.acceptance_required, "--no-acceptance-required"),
        (spec.allow_targets_outside_vpc, "--allow-targets-outside-vpc"),
    ] {
        if off {
            args.push(name.into());
        }
    }
    args.join(" ")
}

/// Quotes a value for a POSIX shell when it needs it.
fn quote(value: &str) -> String {
    let plain = !value.is_empty() && value.chars().all(|c| c.is_ascii_alphanumeric() || "._:/,=@-".contains(c));
    if plain { value.to_string() } else { format!("'{}'", value.replace('\'', r"'\''")) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::SpecDraft;

    fn draft_of_example() -> SpecDraft {
        crate::spec::file::parse(include_str!("../../docs/plink.example.toml")).unwrap()
    }

    #[test]
    fn the_command_line_round_trips_the_spec() {
        let draft = crate::spec::file::parse(include_str!("../../docs/plink.example.toml")).unwrap();
        let spec = draft.resolve("us-west-2").unwrap();
        let line = command_line(&spec);
        assert!(line.starts_with("airbyte-plink setup --no-input --region us-west-2 --name orders-db"), "{line}");
        assert!(line.contains("--airbyte-account-id 111122223333"), "{line}");
        assert!(line.contains("--tag team=data-platform"), "{line}");
        let modified = SpecDraft { tags: Some([("owner".into(), "data team".into())].into()), ..draft };
        let line = command_line(&modified.resolve("us-west-2").unwrap());
        assert!(line.contains("--tag 'owner=data team'"), "{line}");
        assert_eq!(quote("it's"), r"'it'\''s'");

        // Another database, with its listener port and group, reads back the same.
        let database =
            crate::spec::DatabaseDraft::parse_flag("aurora=aurora.internal:3306@3307/sg-0123456789abcdef0").unwrap();
        let spec = SpecDraft { databases: Some(vec![database]), ..draft_of_example() }.resolve("us-west-2").unwrap();
        let line = command_line(&spec);
        assert!(line.contains("--database aurora=aurora.internal:3306@3307/sg-0123456789abcdef0"), "{line}");
    }
}
