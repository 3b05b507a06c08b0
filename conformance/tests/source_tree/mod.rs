//! The Rust source files under a directory, for the tests that read the source tree
//! (`layout.rs`: file sizes; `id_literals.rs`: ID literals).

use std::path::{Path, PathBuf};

/// Appends every `.rs` file below `dir` (recursively) to `out`; an unreadable directory adds
/// nothing.
pub fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}
