//! The triage page in a real browser: headless Chromium loads a report of a run against the
//! embedded server with a fault, runs its inline script, and the dumped DOM shows the summary
//! first, the broken rule's section with its statement, and the filter's count line (which only
//! the script writes). Skips, saying why, when no Chromium is installed.

use std::process::Command;

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|b| {
            Command::new(b)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

#[test]
fn the_triage_page_renders_and_filters_in_headless_chromium() {
    let Some(browser) = chromium() else {
        eprintln!("skipped: no chromium, chromium-browser or google-chrome on PATH (apt-get install -y chromium)");
        return;
    };
    let dir = std::env::temp_dir().join(format!("upi-html-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let html = dir.join("r.html");
    let status = Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
        .args([
            "run",
            "--seed",
            "3",
            "--fault",
            "accept-wrong-payu-hash",
            "--suite",
            "payu-intent",
            "--report",
        ])
        .arg(format!("html={}", html.display()))
        .output()
        .expect("run");
    assert_eq!(
        status.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let profile = dir.join("profile");
    let out = Command::new(&browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg("--dump-dom")
        .arg(format!("file://{}", html.display()))
        .output()
        .expect("chromium");
    let dom = String::from_utf8_lossy(&out.stdout).into_owned();
    let _ = std::fs::remove_dir_all(&dir);
    let summary = dom.find("id=\"verdict\"").expect("summary");
    let section = dom
        .find("data-rule=\"payu.hash.request.mismatch\"")
        .expect("the broken rule's section");
    assert!(summary < section, "the summary comes first");
    assert!(dom.contains("FAILED: 1 failing case"), "summary line");
    assert!(dom.contains("The request hash equals sha512"), "the rule's statement");
    assert!(
        dom.contains("cases shown</span>"),
        "the inline script did not run (no count line)"
    );
}
