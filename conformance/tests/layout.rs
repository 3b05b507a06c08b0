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
