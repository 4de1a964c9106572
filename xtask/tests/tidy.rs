//! Repository checks on xtask itself, as ordinary tests: every module says
//! what it is for (`//!`), no line ends in whitespace, and the top-level
//! modules of xtask/src depend on each other without a cycle, so the
//! pipeline reads in one direction; the README stays a short guide and no
//! doc links a file that does not exist.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn every_module_has_a_doc_line_and_no_trailing_whitespace() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    sources(&root.join("src"), &mut files);
    sources(&root.join("tests"), &mut files);
    assert!(files.len() > 10);
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        assert!(text.starts_with("//!"), "{} has no //! doc line", f.display());
        for (i, line) in text.lines().enumerate() {
            assert_eq!(line.trim_end(), line, "{}:{} ends in whitespace", f.display(), i + 1);
        }
    }
}

/// Module graph: top-level module name -> the top-level modules it names.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// The top-level modules that `code` refers to through `crate::name` or
/// `crate::{a, b::c}`.
fn references(code: &str) -> BTreeSet<String> {
    references_after(code, "crate::")
}

/// The names `code` reaches through `prefix` (`crate::`, `super::`,
/// `crate::render::`): `prefixname` or `prefix{a, b::c}`.
fn references_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| s.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect::<String>();
    for (i, _) in code.match_indices(prefix) {
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // `crate::{a, b::{c, d}, e}`: the first identifier of each top-level item.
            let mut depth = 0;
            let mut item_start = true;
            for (j, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && (c.is_ascii_alphabetic() || c == '_') => {
                        out.insert(ident(&group[j..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            let name = ident(rest);
            if !name.is_empty() {
                out.insert(name);
            }
        }
    }
    out
}

/// A file's code as the graphs read it: its tests (everything from its
/// first `#[cfg(test)]` on) may borrow fixtures from anywhere, and a doc
/// link (`[crate::cli::parse]`) or comment is not a dependency.
fn non_test_code(f: &Path) -> String {
    let text = std::fs::read_to_string(f).unwrap();
    let code = text.split("#[cfg(test)]").next().unwrap_or("");
    code.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// The graph among the child modules of one folder module (`src/render`):
/// a child names a sibling as `super::name` or `crate::render::name`. The
/// parent (`mod.rs`) is left out: it declares its children, so an edge to
/// it from any child would be a cycle by construction; what the graph
/// checks is that siblings do not import each other in a circle (the page
/// renderers call the section renderers, which must not import helpers
/// back from them: those live in a leaf).
fn child_graph(dir: &Path, crate_path: &str) -> Graph {
    let mut files = Vec::new();
    sources(dir, &mut files);
    let names: BTreeSet<String> =
        files.iter().map(|f| f.file_stem().unwrap().to_string_lossy().into_owned()).filter(|n| n != "mod").collect();
    let mut graph = Graph::new();
    for f in &files {
        let module = f.file_stem().unwrap().to_string_lossy().into_owned();
        if module == "mod" {
            continue;
        }
        let code = non_test_code(f);
        let mut refs = references_after(&code, "super::");
        refs.extend(references_after(&code, &format!("crate::{crate_path}::")));
        let deps = graph.entry(module.clone()).or_default();
        deps.extend(refs.into_iter().filter(|d| *d != module && names.contains(d)));
    }
    graph
}

/// The graph of a crate's src/, from non-test code (see [`non_test_code`]).
fn module_graph(src: &Path) -> Graph {
    let mut files = Vec::new();
    sources(src, &mut files);
    let mut graph = Graph::new();
    for f in files {
        let rel = f.strip_prefix(src).unwrap();
        let first = rel.components().next().unwrap().as_os_str().to_string_lossy().into_owned();
        let module = first.trim_end_matches(".rs").to_string();
        if module == "main" || module == "lib" {
            continue;
        }
        let code = non_test_code(&f);
        let deps = graph.entry(module.clone()).or_default();
        deps.extend(references(&code).into_iter().filter(|d| *d != module));
    }
    graph
}

/// One cycle of `graph` as a path `a -> b -> a`, if there is any.
fn find_cycle(graph: &Graph) -> Option<Vec<String>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Open,
        Done,
    }
    fn visit(n: &str, g: &Graph, marks: &mut BTreeMap<String, Mark>, path: &mut Vec<String>) -> Option<Vec<String>> {
        match marks.get(n) {
            Some(Mark::Done) => return None,
            Some(Mark::Open) => {
                let start = path.iter().position(|p| p == n).unwrap_or(0);
                let mut cycle = path[start..].to_vec();
                cycle.push(n.to_string());
                return Some(cycle);
            }
            None => {}
        }
        marks.insert(n.to_string(), Mark::Open);
        path.push(n.to_string());
        for d in g.get(n).into_iter().flatten() {
            if let Some(c) = visit(d, g, marks, path) {
                return Some(c);
            }
        }
        path.pop();
        marks.insert(n.to_string(), Mark::Done);
        None
    }
    let mut marks = BTreeMap::new();
    graph.keys().find_map(|n| visit(n, graph, &mut marks, &mut Vec::new()))
}

#[test]
fn the_cycle_finder_finds_cycles_and_only_cycles() {
    let graph = |edges: &[(&str, &str)]| {
        let mut g = Graph::new();
        for (a, b) in edges {
            g.entry(a.to_string()).or_default().insert(b.to_string());
            g.entry(b.to_string()).or_default();
        }
        g
    };
    assert_eq!(find_cycle(&graph(&[("cli", "results"), ("run", "cli"), ("run", "results")])), None);
    let cycle = find_cycle(&graph(&[("a", "b"), ("b", "c"), ("c", "a"), ("c", "d")])).unwrap();
    assert_eq!(cycle.first(), cycle.last());
    assert_eq!(cycle.len(), 4, "{cycle:?}");
    assert!(find_cycle(&graph(&[("x", "y"), ("y", "x")])).is_some());
    let refs = references("use crate::cli::{A, B};\nuse crate::{render, results::{self, X}};\nx = crate::plan::f();");
    assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["cli", "plan", "render", "results"]);
    let refs = references_after("use super::text::escape;\nuse super::{html, chart::color};", "super::");
    assert_eq!(refs.into_iter().collect::<Vec<_>>(), ["chart", "html", "text"]);
}

#[test]
fn top_level_modules_have_no_import_cycle() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    // xtask, the records side (core) and the harness. Paths through core's
    // re-exports (`crate::Workload`) are not followed: a cycle hidden behind
    // one would need `crate::workload::` spelled out to show.
    for (krate, modules) in [("xtask", 8), ("core", 8), ("harness", 4)] {
        let graph = module_graph(&root.join(krate).join("src"));
        assert!(graph.len() > modules, "{krate}: {graph:?}");
        if let Some(cycle) = find_cycle(&graph) {
            panic!("import cycle among {krate}'s top-level modules: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn render_modules_have_no_import_cycle() {
    let render = Path::new(env!("CARGO_MANIFEST_DIR")).join("src").join("render");
    let graph = child_graph(&render, "render");
    // The page renderers reach the section renderers, and every renderer the leaf.
    for (from, to) in [("html", "matrix"), ("html", "text"), ("matrix", "text"), ("fairness", "text")] {
        assert!(graph[from].contains(to), "{from} -> {to} not seen: {graph:?}");
    }
    assert!(graph["text"].is_empty(), "text is a leaf: {:?}", graph["text"]);
    if let Some(cycle) = find_cycle(&graph) {
        panic!("import cycle among render's modules: {}", cycle.join(" -> "));
    }
}

/// The relative file targets of the markdown links and image links in
/// `text` (`[a](b)`, `![a](b)`, `[a]: b`), outside fenced code blocks and
/// inline code: web addresses and same-page anchors are left out, and a
/// target's `#anchor` or `"title"` is cut off.
fn relative_links(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut keep = |target: &str| {
        let target = target.trim().trim_start_matches('<');
        let target = target.split_whitespace().next().unwrap_or("").trim_end_matches('>');
        let path = target.split('#').next().unwrap_or("");
        let web = ["http://", "https://", "mailto:"].iter().any(|p| target.starts_with(p));
        if !web && !path.is_empty() {
            out.push(path.to_string());
        }
    };
    let mut fenced = false;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
            continue;
        }
        if fenced {
            continue;
        }
        // Inline code is code: `[a](b)` inside backticks is not a link.
        let prose: String = line.split('`').step_by(2).collect::<Vec<_>>().join(" ");
        if let Some(rest) = prose.trim_start().strip_prefix('[')
            && let Some((_, target)) = rest.split_once("]:")
        {
            keep(target);
            continue;
        }
        for (i, _) in prose.match_indices("](") {
            let rest = &prose[i + 2..];
            if let Some(end) = rest.find(')') {
                keep(&rest[..end]);
            }
        }
    }
    out
}

/// README.md and every docs/*.md, with the folder their links start from.
fn markdown_files() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut files = vec![root.join("README.md")];
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "md") {
            files.push(path);
        }
    }
    files.sort();
    files
}

#[test]
fn the_link_finder_finds_relative_links_and_only_those() {
    let text = "See [xtask](docs/xtask.md#bench) and ![chart](docs/a.svg \"title\").\n\
                [web](https://example.com), [anchor](#top), `[code](nope.md)`\n\
                ```\n[fenced](nope.md)\n```\n\
                [ref]: ../README.md\n";
    assert_eq!(relative_links(text), ["docs/xtask.md", "docs/a.svg", "../README.md"]);
}

#[test]
fn docs_link_only_files_that_exist() {
    let mut missing = Vec::new();
    for f in markdown_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        let dir = f.parent().unwrap();
        for link in relative_links(&text) {
            if !dir.join(&link).exists() {
                missing.push(format!("{} links {link}", f.display()));
            }
        }
    }
    assert!(missing.is_empty(), "links to files that do not exist:\n{}", missing.join("\n"));
}

#[test]
fn every_chart_in_docs_is_linked() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let mut linked = BTreeSet::new();
    for f in markdown_files() {
        let text = std::fs::read_to_string(&f).unwrap();
        for link in relative_links(&text) {
            if let Ok(path) = f.parent().unwrap().join(link).canonicalize() {
                linked.insert(path);
            }
        }
    }
    for entry in std::fs::read_dir(root.join("docs")).unwrap() {
        let path = entry.unwrap().path().canonicalize().unwrap();
        if path.extension().is_some_and(|e| e == "svg") {
            assert!(linked.contains(&path), "{} is linked from no doc", path.display());
        }
    }
}

#[test]
fn the_readme_is_a_short_guide() {
    // The reference lives in docs/; the README answers, shows and points there.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let lines = std::fs::read_to_string(root.join("README.md")).unwrap().lines().count();
    assert!(lines <= 200, "README.md has {lines} lines; at most 200 (move the reference into docs/)");
}
