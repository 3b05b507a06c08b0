//! The workspace's layout rules that a reviewer would otherwise have to count by hand: no
//! source file under `*/src/` is over 600 lines (small modules, one job each).

mod source_tree;

use std::path::{Path, PathBuf};

/// The largest a source file may grow, in lines.
const MAX_LINES: usize = 600;

/// The files over the limit among `files`, with their line counts.
fn over_limit(files: &[PathBuf]) -> Vec<(PathBuf, usize)> {
    files
        .iter()
        .filter_map(|f| {
            let lines = std::fs::read_to_string(f).ok()?.lines().count();
            (lines > MAX_LINES).then(|| (f.clone(), lines))
        })
        .collect()
}

#[test]
fn no_source_file_is_over_600_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    for krate in ["spec", "conformance", "refserver"] {
        source_tree::rust_files(&root.join(krate).join("src"), &mut files);
    }
    assert!(files.len() > 50, "found only {} source files", files.len());
    let over = over_limit(&files);
    assert!(over.is_empty(), "files over {MAX_LINES} lines: {over:?}");
}

#[test]
fn the_check_sees_a_long_file() {
    // A deliberately broken input: a file one line over the limit is reported.
    let dir = std::env::temp_dir().join(format!("upi-layout-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let long = dir.join("long.rs");
    std::fs::write(&long, "//\n".repeat(MAX_LINES + 1)).expect("write");
    let short = dir.join("short.rs");
    std::fs::write(&short, "//\n".repeat(MAX_LINES)).expect("write");
    let over = over_limit(&[long.clone(), short]);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(over, vec![(long, MAX_LINES + 1)]);
}

/// The endpoint paths the message models declare, without their query (`/txns`,
/// `/merchant/postservice.php`, `/api/{uri}/merchants/transactions/registerIntent`).
fn model_paths() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = upi_spec::messages::all()
        .iter()
        .filter_map(|m| m.endpoint)
        .map(|e| e.path.split('?').next().unwrap_or(e.path))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// The lines of `text` (outside comments and the `#[cfg(test)]` module at its end) whose string
/// literals write one of `paths` again, whole or as a tail after a path parameter (`"/txns"`,
/// `"/txns?x"`, `"/merchants/transactions/registerIntent"`).
fn path_literals(text: &str, paths: &[&str]) -> Vec<String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let code = line.trim_start();
        if code.starts_with("#[cfg(test)]") {
            break;
        }
        if code.starts_with("//") {
            continue;
        }
        for path in paths {
            // The part after the last path parameter is as much the fact as the whole path.
            let tail = path.rsplit_once('}').map_or(*path, |(_, tail)| tail);
            let written = [format!("\"{path}\""), format!("\"{path}?"), format!("{tail}\"")];
            if tail.len() > 1 && written.iter().any(|w| line.contains(w.as_str())) {
                out.push(format!("{}: {}", n + 1, line.trim()));
            }
        }
    }
    out
}

#[test]
fn the_reference_server_writes_no_endpoint_path_of_the_models() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let paths = model_paths();
    assert!(paths.len() >= 5, "{paths:?}");
    let mut files = Vec::new();
    source_tree::rust_files(&root.join("refserver").join("src"), &mut files);
    assert!(files.len() > 20, "found only {} refserver files", files.len());
    let mut found = Vec::new();
    for file in &files {
        let text = std::fs::read_to_string(file).expect("readable source");
        for hit in path_literals(&text, &paths) {
            found.push(format!("{}:{hit}", file.display()));
        }
    }
    assert!(
        found.is_empty(),
        "endpoint paths written again in the reference server (take them from the API facts, refserver/src/routes.rs):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_path_check_sees_an_injected_duplicate() {
    // Deliberately broken inputs: the route table as it was, and a suffix test on a path.
    let paths = model_paths();
    let route = "        .route(\"/txns\", post(ec::txns::pay))\n";
    assert_eq!(path_literals(route, &paths).len(), 1);
    let suffix = "    let ri = path.ends_with(\"/merchants/transactions/registerIntent\");\n";
    assert_eq!(path_literals(suffix, &paths).len(), 1);
    let query = "    let url = \"/merchant/postservice.php?form=2\";\n";
    assert_eq!(path_literals(query, &paths).len(), 1);
    let clean = "// .route(\"/txns\")\nlet p = route.path;\n#[cfg(test)]\nmod tests { const P: &str = \"/txns\"; }\n";
    assert!(path_literals(clean, &paths).is_empty());
}
