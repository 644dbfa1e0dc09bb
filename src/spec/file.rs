//! The config file (`--config FILE`): the same fields as the flags, in TOML.

use std::path::Path;

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
    }

    #[test]
    fn a_rendered_draft_parses_back() {
        let draft = SpecDraft { name: Some("db".into()), port: Some(PortValue::Number(5432)), ..SpecDraft::default() };
        assert_eq!(parse(&render(&draft)).unwrap(), draft);
    }
}
