//! The code's layout as a test: no module of the tool imports, through others, a module
//! that imports it, and the engine's folders build on each other in one direction
//! (knowledge, then deployment, then checks and plan). Read from the source files, so a
//! `use` that closes a circle fails here, naming it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Each module of the crate (`engine::plan::planner`) and the source it is read from:
/// its code but for its unit tests, which may use whatever they test.
fn modules() -> BTreeMap<String, String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&root, &mut files);
    files
        .into_iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(&root).ok()?.with_extension("");
            let mut parts: Vec<String> = relative.iter().map(|p| p.to_string_lossy().into_owned()).collect();
            if parts.last().is_some_and(|p| p == "mod" || p == "main") {
                parts.pop();
            }
            // The tests' own support may use anything.
            if parts.first().is_some_and(|p| p == "testing") {
                return None;
            }
            let text = std::fs::read_to_string(&file).ok()?;
            let code = text.split("#[cfg(test)]\nmod tests").next().unwrap_or_default();
            let code: Vec<&str> = code.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
            Some((parts.join("::"), code.join("\n")))
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
}

/// The paths `code` names from the crate's root: `crate::a::b` and `super::c` (from
/// `module`), each with what a `{…}` after it lists.
fn named_paths(module: &str, code: &str) -> Vec<Vec<String>> {
    let segments = |text: &str| -> (Vec<String>, usize) {
        let mut parts = Vec::new();
        let mut rest = text;
        let mut used = 0;
        while let Some(after) = rest.strip_prefix("::") {
            let len = after.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(after.len());
            if len == 0 {
                break;
            }
            parts.push(after[..len].to_string());
            used += 2 + len;
            rest = &after[len..];
        }
        (parts, used)
    };
    let parent: Vec<String> = module.split("::").filter(|p| !p.is_empty()).map(str::to_string).collect();
    let parent = parent[..parent.len().saturating_sub(1)].to_vec();
    let mut paths = Vec::new();
    for (keyword, base) in [("crate", Vec::new()), ("super", parent)] {
        for (at, _) in code.match_indices(keyword) {
            let before = code[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
                continue;
            }
            let rest = &code[at + keyword.len()..];
            let (parts, used) = segments(rest);
            let path: Vec<String> = base.iter().cloned().chain(parts).collect();
            if let Some(listed) = rest[used..].strip_prefix("::{") {
                let listed = listed.split('}').next().unwrap_or_default();
                for item in listed.split(',').map(str::trim).filter(|i| !i.is_empty() && *i != "self") {
                    let item = item.split_whitespace().next().unwrap_or_default();
                    paths.push(path.iter().cloned().chain(item.split("::").map(str::to_string)).collect());
                }
            }
            paths.push(path);
        }
    }
    paths
}

/// Which modules each module uses, by the longest module each named path starts with.
/// A module's use of its own ancestors (whose `mod` lines declare it) does not count.
fn imports() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut graph = BTreeMap::new();
    for (module, code) in &modules {
        let mut uses = BTreeSet::new();
        for path in named_paths(module, code) {
            let used = (1..=path.len()).rev().map(|n| path[..n].join("::")).find(|m| modules.contains_key(m));
            if let Some(used) = used.filter(|u| u != module && !module.starts_with(&format!("{u}::"))) {
                uses.insert(used);
            }
        }
        graph.insert(module.clone(), uses);
    }
    graph
}

/// A circle in `graph`, if there is one, as the nodes along it.
fn circle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        node: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|n| n == node) {
            let mut found = path[start..].to_vec();
            found.push(node.to_string());
            return Some(found);
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in graph.get(node).into_iter().flatten() {
            if let Some(found) = visit(next, graph, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|node| visit(node, graph, &mut Vec::new(), &mut done))
}

#[test]
fn no_module_imports_itself_through_others() {
    let graph = imports();
    assert!(
        graph.contains_key("engine::plan::planner")
            && graph["engine::plan::planner"].contains("engine::deployment::desired")
    );
    if let Some(found) = circle(&graph) {
        panic!("an import circle: {}", found.join(" → "));
    }
}

#[test]
fn the_engines_folders_build_on_each_other_one_way() {
    let folder = |module: &str| module.strip_prefix("engine::").map(|m| m.split("::").next().unwrap_or(m).to_string());
    let mut folders: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, uses) in imports() {
        let Some(from) = folder(&module) else { continue };
        let entry = folders.entry(from.clone()).or_default();
        entry.extend(uses.iter().filter_map(|u| folder(u)).filter(|to| *to != from));
    }
    assert!(folders.get("plan").is_some_and(|uses| uses.contains("deployment")), "{folders:?}");
    if let Some(found) = circle(&folders) {
        panic!("the engine's folders import each other: {}", found.join(" → "));
    }
}

#[test]
fn a_circle_is_found_and_named() {
    let graph: BTreeMap<String, BTreeSet<String>> = [("a", "b"), ("b", "c"), ("c", "a"), ("d", "a")]
        .into_iter()
        .map(|(from, to)| (from.to_string(), BTreeSet::from([to.to_string()])))
        .collect();
    let found = circle(&graph).expect("a circle");
    assert_eq!(found.first(), found.last());
    assert_eq!(found.len(), 4);
    let acyclic: BTreeMap<String, BTreeSet<String>> =
        [("a", "b"), ("b", "c")].into_iter().map(|(f, t)| (f.to_string(), BTreeSet::from([t.to_string()]))).collect();
    assert_eq!(circle(&acyclic), None);
}

#[test]
fn paths_are_read_from_crate_and_super() {
    let paths = named_paths("engine::plan::planner", "use super::observe::X;\nuse crate::aws::{Cloud, fake::Y};");
    let joined: Vec<String> = paths.iter().map(|p| p.join("::")).collect();
    assert!(joined.contains(&"engine::plan::observe::X".to_string()), "{joined:?}");
    assert!(joined.contains(&"aws::fake::Y".to_string()), "{joined:?}");
    assert!(joined.contains(&"aws".to_string()), "{joined:?}");
}
