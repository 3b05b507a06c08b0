//! No import cycles between the top-level modules of a crate: the module graph of `spec`,
//! `conformance` and `refserver` (an edge `a -> b` when a file of module `a` names
//! `crate::b...`, or `super::b...` from a file directly under `src/`) has no cycle. A cycle
//! means two modules can only be understood, tested and moved together.

mod source_tree;

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use regex::Regex;

/// Cycles not broken yet, each as its crate and its sorted modules. The list only shrinks: a
/// cycle not listed fails the test, and so does a listed one that is gone (delete its entry).
/// Empty: the last one (spec's grounding <-> messages, rule, sites, crypto, model) was broken by
/// moving the `Grounding` type into the rule vocabulary and the models' declared severities
/// (`declared`) into the catalogue, so every cycle fails.
const KNOWN: &[(&str, &[&str])] = &[];

/// The module graph of one crate: top-level module -> the top-level modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The top-level module a file under `src` belongs to (`None`: the crate root or a binary).
fn top_module(src: &Path, file: &Path) -> Option<(String, usize)> {
    let rel = file.strip_prefix(src).ok()?;
    let parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    let first = parts.first()?.trim_end_matches(".rs").to_string();
    if parts.len() == 1 && (first == "lib" || first == "main") || first == "bin" {
        return None;
    }
    // How deep the file's module is: `a.rs` and `a/mod.rs` are 1, `a/b.rs` is 2.
    let depth = if parts.last().is_some_and(|l| l == "mod.rs") {
        parts.len() - 1
    } else {
        parts.len()
    };
    Some((first, depth))
}

/// The code of `text` without comments and without the `#[cfg(test)]` module at its end.
fn code_of(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            break;
        }
        let code = match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ if trimmed.starts_with("//") => "",
            _ => line,
        };
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// The first path segments named after a path that leads to the crate root in `code` (a file
/// whose module is `depth` deep): `crate::`, or `depth` times `super::`; `{a, b::c}` groups
/// included.
fn named_modules(code: &str, depth: usize) -> BTreeSet<String> {
    // A group runs to the last `}` before the `;` that ends its `use`, nested groups included.
    let path = Regex::new(r"\b(crate::|(?:super::)+)(\{[^;]*\}|[A-Za-z_][A-Za-z0-9_]*)").expect("pattern");
    let first = Regex::new(r"(?:^|[{,])\s*([A-Za-z_][A-Za-z0-9_]*)").expect("pattern");
    let mut out = BTreeSet::new();
    for captures in path.captures_iter(code) {
        let root = &captures[1];
        if root != "crate::" && root.matches("super::").count() != depth {
            continue;
        }
        let named = &captures[2];
        if let Some(group) = named.strip_prefix('{') {
            // Only the items at the group's top level name modules of the crate root.
            let mut level = 0usize;
            let mut top = String::new();
            for c in group.chars() {
                match c {
                    '{' => level += 1,
                    '}' => level = level.saturating_sub(1),
                    _ if level == 0 => top.push(c),
                    _ => {}
                }
                if level == 0 && c == '}' {
                    top.push(' ');
                }
            }
            for item in first.captures_iter(&top) {
                out.insert(item[1].to_string());
            }
        } else {
            out.insert(named.to_string());
        }
    }
    out
}

/// The module graph of the crate whose sources are `files` under `src`.
fn graph(src: &Path, files: &[(PathBuf, String)]) -> Graph {
    let modules: BTreeSet<String> = files
        .iter()
        .filter_map(|(f, _)| top_module(src, f))
        .map(|(m, _)| m)
        .collect();
    let mut out = Graph::new();
    for (file, text) in files {
        let Some((module, depth)) = top_module(src, file) else {
            continue;
        };
        let edges = out.entry(module.clone()).or_default();
        for named in named_modules(&code_of(text), depth) {
            if named != module && modules.contains(&named) {
                edges.insert(named);
            }
        }
    }
    out
}

/// The strongly connected components of `graph` with more than one module (each a cycle),
/// each sorted, by Tarjan's algorithm.
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct Walk<'a> {
        graph: &'a Graph,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'a>(w: &mut Walk<'a>, v: &'a str) {
        let n = w.index.len();
        w.index.insert(v, n);
        w.low.insert(v, n);
        w.stack.push(v);
        w.on_stack.insert(v);
        for u in w.graph.get(v).into_iter().flatten() {
            let u = u.as_str();
            if !w.index.contains_key(u) {
                visit(w, u);
                let low = w.low[u].min(w.low[v]);
                w.low.insert(v, low);
            } else if w.on_stack.contains(u) {
                let low = w.index[u].min(w.low[v]);
                w.low.insert(v, low);
            }
        }
        if w.low[v] == w.index[v] {
            let mut component = Vec::new();
            while let Some(u) = w.stack.pop() {
                w.on_stack.remove(u);
                component.push(u.to_string());
                if u == v {
                    break;
                }
            }
            if component.len() > 1 {
                component.sort();
                w.out.push(component);
            }
        }
    }
    let mut walk = Walk {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !walk.index.contains_key(v.as_str()) {
            visit(&mut walk, v);
        }
    }
    walk.out
}

/// Whether a listed cycle is this one.
fn same(listed: &[&str], cycle: &[String]) -> bool {
    listed.iter().copied().eq(cycle.iter().map(String::as_str))
}

fn sources(src: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    source_tree::rust_files(src, &mut files);
    files
        .into_iter()
        .filter_map(|f| {
            let text = std::fs::read_to_string(&f).ok()?;
            Some((f, text))
        })
        .collect()
}

#[test]
fn no_crate_has_an_import_cycle_between_its_modules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut found = Vec::new();
    let mut seen = Vec::new();
    for krate in ["spec", "conformance", "refserver"] {
        let src = root.join(krate).join("src");
        let files = sources(&src);
        assert!(files.len() > 10, "{krate}: only {} source files", files.len());
        let graph = graph(&src, &files);
        assert!(
            graph.values().map(BTreeSet::len).sum::<usize>() > 5,
            "{krate}: the graph has almost no edges, the parser is broken: {graph:?}"
        );
        for cycle in cycles(&graph) {
            if KNOWN.iter().any(|(k, m)| *k == krate && same(m, &cycle)) {
                seen.push((krate, cycle));
                continue;
            }
            let edges: Vec<String> = cycle
                .iter()
                .flat_map(|a| {
                    graph[a]
                        .iter()
                        .filter(|b| cycle.contains(b))
                        .map(move |b| format!("{a} -> {b}"))
                })
                .collect();
            found.push(format!("{krate}: {} ({})", cycle.join(" <-> "), edges.join(", ")));
        }
    }
    assert!(found.is_empty(), "import cycles between modules:\n{}", found.join("\n"));
    let gone: Vec<_> = KNOWN
        .iter()
        .filter(|(k, m)| !seen.iter().any(|(sk, sm)| sk == k && same(m, sm)))
        .collect();
    assert!(
        gone.is_empty(),
        "these known cycles are broken now, delete them from KNOWN: {gone:?}"
    );
}

/// Deliberately broken inputs: a tiny crate whose files import each other in a ring.
#[test]
fn the_check_sees_an_injected_cycle() {
    let src = Path::new("/x/src");
    let file = |name: &str, text: &str| (src.join(name), text.to_string());
    let acyclic = vec![
        file("lib.rs", "pub mod a; pub mod b; pub mod c;"),
        file("a.rs", "use crate::b::Thing;\n// crate::c is only named in a comment\n"),
        file("b/mod.rs", "mod inner;\nuse super::c;\n"),
        file(
            "b/inner.rs",
            "use super::Other; // one super from a nested file stays in b\n",
        ),
        file("c.rs", "pub fn f() {}\n#[cfg(test)]\nmod tests { use crate::a; }\n"),
    ];
    assert_eq!(cycles(&graph(src, &acyclic)), Vec::<Vec<String>>::new());
    // The same crate with one more import, in a `crate::{...}` group: c -> a closes a -> b -> c.
    let mut cyclic = acyclic.clone();
    cyclic[4] = file("c.rs", "use crate::{d::{x, y}, a::Item};\npub fn f() {}\n");
    assert_eq!(cycles(&graph(src, &cyclic)), vec![vec!["a", "b", "c"]]);
    // From a nested file `crate::` and `super::super::` lead to the root too.
    for import in ["fn g() { crate::a::h(); }\n", "use super::super::a;\n"] {
        let mut nested = acyclic.clone();
        nested[3] = file("b/inner.rs", import);
        let g = graph(src, &nested);
        assert!(g["b"].contains("a") && g["a"].contains("b"), "{import}: {g:?}");
        assert_eq!(cycles(&g), vec![vec!["a", "b"]], "{import}");
    }
}
