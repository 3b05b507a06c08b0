//! A format's meaning lives in its own module under `spec/src/format/` (one `FormatKind`
//! implementation each, `Format::kind` the only match over them): no other source file in the
//! workspace picks a format variant apart, so adding or changing a format edits one module, not
//! parallel matches spread over the tree. "Picking apart" is a `Format::X` in pattern position (a
//! `match` arm, an or-pattern, `matches!`, `if let` / `let … else`) or compared with `==`/`!=`.
//! Naming a format (`.format(Format::Vpa)`, `Constraint::Format(Format::Pan)`) is fine.

mod source_tree;

use std::path::{Path, PathBuf};

use regex::Regex;
use upi_spec::format::Format;

/// The one directory allowed to match on format variants.
const FORMAT_MODULE: &str = "spec/src/format/";

/// This file, which writes variant matches in strings to show the check sees them.
const THIS_FILE: &str = "conformance/tests/format_dispatch.rs";

/// The crates whose sources (src, tests, benches, fuzz targets) are scanned.
const CRATES: &[&str] = &["spec", "conformance", "refserver", "fuzz"];

/// A `Format::<variant>` in pattern position or in a comparison, for the real variant names
/// (other enums called `Format` in the CLI, `Format::Json`, are not formats).
fn variant_use() -> Regex {
    let names: Vec<String> = Format::ALL.iter().map(|f| format!("{f:?}")).collect();
    let v = format!(r"\bFormat::(?:{})\b", names.join("|"));
    let arm = format!(r"{v}[)\]\s]*(?:=>|\|[^|]|\bif\b)");
    let macro_ = format!(r"\bmatches!\s*\([^;]*?,[\s\w:(|]*{v}");
    let let_ = format!(r"\blet\s+[\w:(]*{v}");
    let compare = format!(r"(?:==|!=)\s*{v}|{v}\s*(?:==|!=)");
    Regex::new(&format!("{arm}|{macro_}|{let_}|{compare}")).expect("pattern")
}

/// The variant matches in `text` (a file shown as `shown`), as `shown:line: text`; lines that
/// are comments are not scanned.
fn variant_matches(shown: &str, text: &str) -> Vec<String> {
    let code: String = text
        .lines()
        .map(|l| if l.trim_start().starts_with("//") { "" } else { l })
        .collect::<Vec<_>>()
        .join("\n");
    variant_use()
        .find_iter(&code)
        .map(|m| {
            let line = code[..m.start()].matches('\n').count() + 1;
            let first = m.as_str().lines().next().unwrap_or_default().trim();
            format!("{shown}:{line}: {first}")
        })
        .collect()
}

/// Every scanned source file, with its path relative to the workspace root (`/` separators).
fn sources(root: &Path) -> Vec<(PathBuf, String)> {
    let mut files = Vec::new();
    for krate in CRATES {
        source_tree::rust_files(&root.join(krate), &mut files);
    }
    files
        .into_iter()
        .filter_map(|f| {
            let shown = f.strip_prefix(root).ok()?.to_string_lossy().replace('\\', "/");
            let skip = shown.contains("/target/") || shown.starts_with(FORMAT_MODULE) || shown == THIS_FILE;
            (!skip).then_some((f, shown))
        })
        .collect()
}

#[test]
fn no_format_variant_is_matched_outside_the_format_module() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files = sources(&root);
    assert!(files.len() > 100, "found only {} source files", files.len());
    let found: Vec<String> = files
        .iter()
        .flat_map(|(f, shown)| variant_matches(shown, &std::fs::read_to_string(f).unwrap_or_default()))
        .collect();
    assert!(
        found.is_empty(),
        "format variants matched outside {FORMAT_MODULE} (put the per-format fact in the format's \
         FormatKind implementation instead):\n{}",
        found.join("\n")
    );
    // The format module itself is where the one dispatch lives, so the scan would see it there.
    let module = std::fs::read_to_string(root.join(FORMAT_MODULE).join("mod.rs")).expect("format/mod.rs");
    assert_eq!(
        variant_matches("mod.rs", &module).len(),
        Format::ALL.len(),
        "Format::kind has one arm per format"
    );
}

#[test]
fn the_check_sees_an_injected_match() {
    // Deliberately broken inputs: each way of picking a format apart is reported; naming a
    // format, another enum's `Format::Json` arm and a comment are not.
    let text = r#"fn words(f: Format) -> &'static str {
    match f {
        Format::Vpa => "vpa",
        Format::Pan
        | Format::Ifsc => "code",
        Constraint::Format(Format::Email) if strict => "mail",
        _ => "",
    }
}
fn flags(f: Format, c: &Constraint) -> bool {
    let url = f == Format::HttpUrl;
    if let Format::Mcc = f {}
    matches!(c, Constraint::Format(Format::Decimal | Format::Amount2dp))
}
fn fine(out: Out) {
    field("vpa").format(Format::Vpa);
    checks.push(Constraint::Format(Format::Pan));
    match out { Format::Json => json(), Format::Text => text() }
    // Format::Vpa => in a comment
}
"#;
    let found = variant_matches("src/x.rs", text);
    assert_eq!(
        found,
        [
            "src/x.rs:3: Format::Vpa =>",
            "src/x.rs:4: Format::Pan",
            "src/x.rs:5: Format::Ifsc =>",
            "src/x.rs:6: Format::Email) if",
            "src/x.rs:11: == Format::HttpUrl",
            "src/x.rs:12: let Format::Mcc",
            "src/x.rs:13: matches!(c, Constraint::Format(Format::Decimal | Format::Amount2dp",
        ],
        "{found:#?}"
    );
}
