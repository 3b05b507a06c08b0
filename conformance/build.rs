//! Puts the commit the binary was built from into `--version`, as the compile-time variable
//! `UPI_CONFORMANCE_COMMIT`: `UPI_CONFORMANCE_COMMIT` from the environment when set (the
//! Dockerfile passes it, since its build context has no `.git`), else `git rev-parse --short
//! HEAD`, else `unknown`. A build from a tarball, or where git is missing, never fails here.
//!
//! Also writes `$OUT_DIR/embedded_golden.rs`, the table of golden files compiled into the binary
//! (`src/embedded.rs`): the TEST-ONLY keys and the seed samples the runner sends. A generated
//! table rather than the `include_dir` crate: no new dependency, only the files the runner
//! reads, and `rerun-if-changed` on the directories rebuilds it when a file is added.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=UPI_CONFORMANCE_COMMIT");
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").unwrap_or_else(|_| ".".to_owned());
    let commit = std::env::var("UPI_CONFORMANCE_COMMIT")
        .ok()
        .filter(|c| is_commit(c))
        .or_else(|| git_commit(Path::new(&manifest_dir)))
        .unwrap_or_else(|| "unknown".to_owned());
    println!("cargo:rustc-env=UPI_CONFORMANCE_COMMIT={commit}");
    embed_golden(Path::new(&manifest_dir));
}

/// The golden files the runner reads, relative to the repository root: every `*.pem` under
/// `golden/keys/`, `golden/seeds/MANIFEST.json` and every file under `golden/seeds/corrected/`.
fn embed_golden(manifest_dir: &Path) {
    let root = manifest_dir.join("..");
    let mut files = vec!["golden/seeds/MANIFEST.json".to_owned()];
    for (dir, keep) in [
        ("golden/keys", (|n: &str| n.ends_with(".pem")) as fn(&str) -> bool),
        ("golden/seeds/corrected", |_: &str| true),
    ] {
        println!("cargo:rerun-if-changed={}", root.join(dir).display());
        let mut names: Vec<String> = std::fs::read_dir(root.join(dir))
            .map(|entries| {
                entries
                    .filter_map(Result::ok)
                    .filter(|e| e.file_type().is_ok_and(|t| t.is_file()))
                    .filter_map(|e| e.file_name().into_string().ok())
                    .filter(|n| keep(n))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        files.extend(names.into_iter().map(|n| format!("{dir}/{n}")));
    }
    println!(
        "cargo:rerun-if-changed={}",
        root.join("golden/seeds/MANIFEST.json").display()
    );
    let mut table = String::from("/// The embedded golden files: path from the repository root, bytes.\n");
    table.push_str("pub static FILES: &[(&str, &[u8])] = &[\n");
    for f in &files {
        // A missing file is left out (the binary then says it is not compiled in); no panic.
        let Ok(abs) = root.join(f).canonicalize() else {
            continue;
        };
        table.push_str(&format!(
            "    ({f:?}, include_bytes!({:?})),\n",
            abs.display().to_string()
        ));
    }
    table.push_str("];\n");
    // Cargo always sets OUT_DIR; without it (build.rs run on its own) there is nothing to write.
    if let Ok(out) = std::env::var("OUT_DIR") {
        if let Err(e) = std::fs::write(Path::new(&out).join("embedded_golden.rs"), table) {
            println!("cargo:warning=writing embedded_golden.rs: {e}");
        }
    }
}

/// A short or full hexadecimal object name, so nothing else ends up in `--version`.
fn is_commit(s: &str) -> bool {
    (4..=40).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The short commit of `HEAD`, and the files to watch so a new commit rebuilds the version.
fn git_commit(dir: &Path) -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").arg("-C").arg(dir).args(args).output().ok()?;
        if !out.status.success() {
            return None;
        }
        let text = String::from_utf8(out.stdout).ok()?;
        Some(text.trim().to_owned())
    };
    let commit = git(&["rev-parse", "--short", "HEAD"]).filter(|c| is_commit(c))?;
    // HEAD (per worktree) names the branch; the branch's ref (or packed-refs) names the commit.
    // Only existing files: cargo reruns a build script on every build for a missing one.
    let mut watched = vec!["HEAD".to_owned(), "packed-refs".to_owned()];
    watched.extend(git(&["symbolic-ref", "-q", "HEAD"]));
    for name in &watched {
        let path = git(&["rev-parse", "--path-format=absolute", "--git-path", name]);
        if let Some(p) = path.filter(|p| Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={p}");
        }
    }
    Some(commit)
}
