//! Puts the commit the binary was built from into `--version`, as the compile-time variable
//! `UPI_CONFORMANCE_COMMIT`: `UPI_CONFORMANCE_COMMIT` from the environment when set (the
//! Dockerfile passes it, since its build context has no `.git`), else `git rev-parse --short
//! HEAD`, else `unknown`. A build from a tarball, or where git is missing, never fails here.

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
