//! The config file (`--config FILE`): the same fields as the flags, in TOML.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use super::SpecDraft;
use crate::problems::Problem;

pub fn load(path: &Path) -> Result<SpecDraft, Problem> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Problem::new("--config", format!("cannot read {}: {e}; check the path and its permissions", path.display()))
    })?;
    parse(&text).map_err(|message| Problem::new("--config", format!("{}: {message}", path.display())))
}

pub fn parse(text: &str) -> Result<SpecDraft, String> {
    toml::from_str(text).map_err(|e| {
        let message = e.message().to_string();
        let location = e
            .span()
            .map(|span| {
                let line = text[..span.start].matches('\n').count() + 1;
                format!("line {line}: ")
            })
            .unwrap_or_default();
        format!("{location}{message}")
    })
}

/// Where the values of a run came from, so that a problem names what a person edits:
/// the flag, or the key in the config file when the file alone set it.
#[derive(Debug, Default)]
pub struct Origins {
    path: Option<PathBuf>,
    from_file: BTreeSet<String>,
    from_flags: BTreeSet<String>,
}

impl Origins {
    pub fn new(path: Option<&Path>, file: &SpecDraft, flags: &SpecDraft) -> Self {
        Origins { path: path.map(Path::to_path_buf), from_file: keys(file), from_flags: keys(flags) }
    }

    pub fn attribute(&self, problems: Vec<Problem>) -> Vec<Problem> {
        let Some(path) = &self.path else { return problems };
        problems
            .into_iter()
            .map(|mut problem| {
                let key = match problem.field.trim_start_matches("--") {
                    "target" => "targets".to_string(),
                    "tag" => "tags".to_string(),
                    "database" => "databases".to_string(),
                    flag => flag.replace('-', "_"),
                };
                if self.from_file.contains(&key) && !self.from_flags.contains(&key) {
                    problem.field = format!("{key} in {}", path.display());
                }
                problem
            })
            .collect()
    }
}

/// The keys a draft sets.
fn keys(draft: &SpecDraft) -> BTreeSet<String> {
    match serde_json::to_value(draft) {
        Ok(serde_json::Value::Object(map)) => map.into_iter().filter(|(_, v)| !v.is_null()).map(|(k, _)| k).collect(),
        _ => BTreeSet::new(),
    }
}

pub fn render(draft: &SpecDraft) -> String {
    toml::to_string_pretty(draft).expect("a draft always serializes to TOML")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec::PortValue;

    #[test]
    fn unknown_keys_are_named() {
        let err = parse("name = \"x\"\nsubnet = [\"subnet-1\"]\n").unwrap_err();
        assert!(err.contains("subnet"), "{err}");
        assert!(err.starts_with("line 2"), "{err}");
    }

    #[test]
    fn malformed_toml_is_located() {
        let err = parse("name = \"x\"\nport = \n").unwrap_err();
        assert!(err.contains("line 2"), "{err}");
    }

    #[test]
    fn the_documented_example_is_a_complete_spec() {
        let draft = parse(include_str!("../../docs/plink.example.toml")).unwrap();
        let spec = draft.resolve(draft.region.as_deref().unwrap()).unwrap();
        assert_eq!(spec.name, "orders-db");
        assert!(spec.is_cross_region());
        assert_eq!(spec.databases.len(), 1);
        assert_eq!((spec.databases[0].port, spec.databases[0].listener_port), (5432, 5433));
    }

    #[test]
    fn a_problem_with_a_value_from_the_file_names_the_key_there() {
        let file = parse("airbyte_account_id = \"1234\"\nport = 5432\n").unwrap();
        let flags = SpecDraft { port: Some(PortValue::Number(6543)), ..SpecDraft::default() };
        let origins = Origins::new(Some(Path::new("plink.toml")), &file, &flags);
        let problems = origins.attribute(vec![
            Problem::new("--airbyte-account-id", "bad"),
            Problem::new("--port", "bad"),
            Problem::new("--name", "missing"),
        ]);
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["airbyte_account_id in plink.toml", "--port", "--name"]);
    }

    #[test]
    fn a_rendered_draft_parses_back() {
        let draft = SpecDraft { name: Some("db".into()), port: Some(PortValue::Number(5432)), ..SpecDraft::default() };
        assert_eq!(parse(&render(&draft)).unwrap(), draft);
    }
}
