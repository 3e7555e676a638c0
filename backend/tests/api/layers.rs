//! The layers of ARCHITECTURE.md are true in the imports: no module of `backend/src` or
//! `frontend/src` imports, through any chain of modules, a module that imports it back, and the
//! backend's top-level modules import only the layers ARCHITECTURE.md draws below them.
//!
//! Imports are read from the sources: `use` trees and inline `crate::`/`super::`/`self::`
//! paths outside `#[cfg(test)]` modules, each resolved to the deepest module that exists. A
//! module's use of its own submodules is structure, not an import.

use std::{
    collections::{BTreeMap, BTreeSet},
    path::{Path, PathBuf},
};

type Module = Vec<String>;

/// Every module of a crate's source tree and its file.
fn modules(root: &Path) -> BTreeMap<Module, PathBuf> {
    fn walk(dir: &Path, root: &Path, out: &mut BTreeMap<Module, PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("a source directory") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                walk(&path, root, out);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                let relative = path.strip_prefix(root).unwrap().with_extension("");
                let mut module: Module = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
                if matches!(module.last().map(String::as_str), Some("mod" | "lib" | "main")) {
                    module.pop();
                }
                out.insert(module, path);
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(root, root, &mut out);
    out
}

/// Flattens a `use` tree (`a::{b, c::{d}}`) into paths.
fn flatten(tree: &str) -> Vec<Vec<String>> {
    fn parse(chars: &[char], position: &mut usize, prefix: &[String], out: &mut Vec<Vec<String>>) {
        let mut segment = String::new();
        let split = |text: &str| -> Vec<String> {
            text.split("::").map(str::trim).filter(|part| !part.is_empty()).map(str::to_owned).collect()
        };
        while *position < chars.len() {
            let c = chars[*position];
            *position += 1;
            match c {
                '{' => {
                    let mut base = prefix.to_vec();
                    base.extend(split(&segment));
                    parse(chars, position, &base, out);
                    segment.clear();
                }
                '}' => break,
                ',' => {
                    if !segment.trim().is_empty() {
                        out.push([prefix.to_vec(), split(&segment)].concat());
                    }
                    segment.clear();
                }
                _ => segment.push(c),
            }
        }
        if !segment.trim().is_empty() {
            out.push([prefix.to_vec(), split(&segment)].concat());
        }
    }
    let chars: Vec<char> = tree.chars().collect();
    let mut out = Vec::new();
    parse(&chars, &mut 0, &[], &mut out);
    out.into_iter()
        .map(|path| path.into_iter().map(|part| part.split(" as ").next().unwrap().trim().to_owned()).collect())
        .collect()
}

/// The source without comments and without its `#[cfg(test)]` module.
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file");
    let text = text.split("#[cfg(test)]").next().unwrap();
    text.lines().map(|line| line.split("//").next().unwrap()).collect::<Vec<_>>().join("\n")
}

/// The paths a file names: its `use` trees and inline `crate::`/`super::`/`self::` paths.
fn paths(text: &str) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("use ") {
        let before = rest[..start].chars().last();
        rest = &rest[start + 4..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue;
        }
        let Some(end) = rest.find(';') else { break };
        out.extend(flatten(&rest[..end]));
        rest = &rest[end..];
    }
    for anchor in ["crate::", "super::", "self::"] {
        for (start, _) in text.match_indices(anchor) {
            if text[..start].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_') {
                continue;
            }
            let path: String =
                text[start..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            out.push(path.split("::").filter(|part| !part.is_empty()).map(str::to_owned).collect());
        }
    }
    out
}

/// The module graph: which modules each module imports.
fn imports(root: &Path) -> BTreeMap<Module, BTreeSet<Module>> {
    let modules = modules(root);
    let mut graph: BTreeMap<Module, BTreeSet<Module>> = BTreeMap::new();
    for (module, file) in &modules {
        let targets = graph.entry(module.clone()).or_default();
        for path in paths(&code(file)) {
            let (mut base, mut rest): (Module, &[String]) = match path.first().map(String::as_str) {
                Some("crate") => (Vec::new(), &path[1..]),
                Some("self") => (module.clone(), &path[1..]),
                Some("super") => (module[..module.len().saturating_sub(1)].to_vec(), &path[1..]),
                _ => continue,
            };
            while rest.first().is_some_and(|part| part == "super") {
                base.pop();
                rest = &rest[1..];
            }
            let full: Module = base.into_iter().chain(rest.iter().cloned()).collect();
            let Some(target) = (0..=full.len()).rev().map(|n| full[..n].to_vec()).find(|m| modules.contains_key(m))
            else {
                continue;
            };
            if !target.starts_with(module) {
                targets.insert(target);
            }
        }
    }
    graph
}

/// Modules that reach themselves through their imports, as one cycle each (Tarjan's SCCs).
fn cycles(graph: &BTreeMap<Module, BTreeSet<Module>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<Module, BTreeSet<Module>>,
        index: BTreeMap<&'a Module, usize>,
        low: BTreeMap<&'a Module, usize>,
        stack: Vec<&'a Module>,
        found: Vec<Vec<String>>,
    }
    fn visit<'a>(state: &mut State<'a>, node: &'a Module) {
        let index = state.index.len();
        state.index.insert(node, index);
        state.low.insert(node, index);
        state.stack.push(node);
        for next in &state.graph[node] {
            if !state.index.contains_key(next) {
                visit(state, next);
                let low = state.low[next].min(state.low[node]);
                state.low.insert(node, low);
            } else if state.stack.contains(&next) {
                let low = state.index[next].min(state.low[node]);
                state.low.insert(node, low);
            }
        }
        if state.low[node] == state.index[node] {
            let mut component = Vec::new();
            while let Some(member) = state.stack.pop() {
                component.push(member.join("::"));
                if member == node {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                state.found.push(component);
            }
        }
    }
    let mut state = State { graph, index: BTreeMap::new(), low: BTreeMap::new(), stack: Vec::new(), found: Vec::new() };
    for node in graph.keys() {
        if !state.index.contains_key(node) {
            visit(&mut state, node);
        }
    }
    state.found
}

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The backend's layers as ARCHITECTURE.md draws them, top first: the lines of the block after
/// the line `backend/src layers, top to bottom`.
fn documented_layers() -> Vec<Vec<String>> {
    let architecture = std::fs::read_to_string(workspace().join("ARCHITECTURE.md")).unwrap();
    let block =
        architecture.split("backend/src layers, top to bottom").nth(1).expect("ARCHITECTURE.md draws the layers");
    block
        .lines()
        .skip(1)
        .take_while(|line| !line.starts_with("```"))
        .map(|line| line.split_whitespace().map(str::to_owned).collect::<Vec<_>>())
        .filter(|layer| !layer.is_empty())
        .collect()
}

#[test]
fn no_module_imports_itself_back() {
    for crate_dir in ["backend/src", "frontend/src"] {
        let graph = imports(&workspace().join(crate_dir));
        assert!(graph.len() > 10, "{crate_dir} was read");
        assert_eq!(cycles(&graph), Vec::<Vec<String>>::new(), "import circles in {crate_dir}");
    }
}

#[test]
fn backend_modules_import_only_the_layers_below_them() {
    let layers = documented_layers();
    let layer_of = |module: &str| layers.iter().position(|layer| layer.iter().any(|name| name == module));
    let graph = imports(&workspace().join("backend/src"));
    let mut top_level = BTreeSet::new();
    for (module, targets) in &graph {
        let Some(from) = module.first() else { continue };
        top_level.insert(from.clone());
        for target in targets.iter().filter_map(|target| target.first()).filter(|target| *target != from) {
            let (Some(upper), Some(lower)) = (layer_of(from), layer_of(target)) else {
                panic!("ARCHITECTURE.md's layers lack `{from}` or `{target}`");
            };
            assert!(
                upper < lower,
                "`{}` imports `{target}`, which ARCHITECTURE.md draws above or beside it",
                module.join("::")
            );
        }
    }
    for module in top_level.iter().filter(|module| *module != "main") {
        assert!(layer_of(module).is_some(), "ARCHITECTURE.md's layers lack `{module}`");
    }
}

#[test]
fn the_checker_finds_circles_and_resolves_paths() {
    assert_eq!(
        flatten("a::{b, c::{d, e as f}}, g"),
        vec![vec!["a", "b"], vec!["a", "c", "d"], vec!["a", "c", "e"], vec!["g"]]
    );
    let module = |name: &str| -> Module { name.split("::").map(str::to_owned).collect() };
    let mut graph = BTreeMap::new();
    graph.insert(module("a"), BTreeSet::from([module("b")]));
    graph.insert(module("b"), BTreeSet::from([module("c")]));
    graph.insert(module("c"), BTreeSet::from([module("a")]));
    graph.insert(module("d"), BTreeSet::from([module("a")]));
    assert_eq!(cycles(&graph), vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);
}
