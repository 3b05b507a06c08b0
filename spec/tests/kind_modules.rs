//! Each `Constraint` and `Cross` kind has its meaning in one module (`spec/src/constraint/`,
//! `spec/src/model/cross/`): outside them, no code of `spec/src` matches on a kind
//! (`Constraint::X =>`, `if let Cross::X { .. } =`, `matches!(k, Cross::X)`, `| Constraint::X`)
//! except the one dispatch point, `Constraint::kind` in `spec/src/model/mod.rs` (each kind once).
//! Building a constraint or rule (`self.check(Constraint::MaxLen(n))`, the message models) is
//! declaring, not interpreting, and is allowed anywhere.

use std::path::{Path, PathBuf};

use regex::Regex;

/// The code of `text` without `//` comments.
fn code_of(text: &str) -> String {
    text.lines()
        .map(|line| match line.find("//") {
            Some(at) if !line[..at].contains('"') => &line[..at],
            _ => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The index just past the balanced group opening at `open` (`(`, `{` or `[`).
fn skip_group(code: &[u8], open: usize) -> usize {
    let mut depth = 0usize;
    for (i, &c) in code.iter().enumerate().skip(open) {
        match c {
            b'(' | b'{' | b'[' => depth += 1,
            b')' | b'}' | b']' => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return i + 1;
                }
            }
            _ => {}
        }
    }
    code.len()
}

/// Whether byte `pos` of `code` is inside the pattern (second) argument of a `matches!`.
fn in_matches(code: &str, pos: usize) -> bool {
    let bytes = code.as_bytes();
    code[..pos].match_indices("matches!(").any(|(at, m)| {
        let open = at + m.len() - 1;
        if skip_group(bytes, open) <= pos {
            return false;
        }
        // A comma at the top level of the call before `pos`: `pos` is in the pattern.
        let mut depth = 0usize;
        bytes[open + 1..pos].iter().any(|&c| {
            match c {
                b'(' | b'{' | b'[' => depth += 1,
                b')' | b'}' | b']' => depth = depth.saturating_sub(1),
                _ => {}
            }
            c == b',' && depth == 0
        })
    })
}

/// Every kind named as a pattern in `code`: `Constraint::X` or `Cross::X`, as written.
fn kind_patterns(code: &str) -> Vec<String> {
    let code = code_of(code);
    let bytes = code.as_bytes();
    let name = Regex::new(r"\b(Constraint|Cross)::([A-Z][A-Za-z0-9_]*)").expect("pattern");
    let mut out = Vec::new();
    for m in name.find_iter(&code) {
        let mut end = m.end();
        while end < bytes.len() && bytes[end] == b' ' {
            end += 1;
        }
        if end < bytes.len() && matches!(bytes[end], b'(' | b'{') {
            end = skip_group(bytes, end);
        }
        let after = code[end..].trim_start();
        let before = code[..m.start()].trim_end();
        let arm = after.starts_with("=>")
            || after.starts_with('|') && !after.starts_with("||")
            || after.starts_with("if ")
            || after.starts_with('=') && !after.starts_with("==")
            // An or-pattern's `|` stands between spaces; a closure's `|c|` does not.
            || before.ends_with('|') && before[..before.len() - 1].ends_with(char::is_whitespace)
            || before.ends_with("let")
            || in_matches(&code, m.start());
        if arm {
            out.push(m.as_str().to_string());
        }
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("readable source directory").flatten() {
        let path = entry.path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn the_scan_finds_kind_arms_and_passes_constructions() {
    // (code, kinds named as patterns): injected arms of every form, and constructions.
    let cases: &[(&str, &[&str])] = &[
        (
            "match c { Constraint::MinLen(n) => n, _ => 0 }",
            &["Constraint::MinLen"],
        ),
        (
            "match c {\n    Constraint::Enum(v) | Constraint::EnumIgnoreCase(v) => v,\n}",
            &["Constraint::Enum", "Constraint::EnumIgnoreCase"],
        ),
        (
            "if let Cross::Before { earlier, .. } = rule.kind {}",
            &["Cross::Before"],
        ),
        (
            "let Cross::Together(keys) = rule.kind else { return };",
            &["Cross::Together"],
        ),
        (
            "matches!(\n    kind,\n    Cross::EqualAmounts { .. }\n        | Cross::SameVariant(_)\n)",
            &["Cross::EqualAmounts", "Cross::SameVariant"],
        ),
        (
            "matches!(c, Constraint::Format(f) if f.other_side().is_some())",
            &["Constraint::Format"],
        ),
        ("Constraint::Const(v) if v.is_empty() => 1,", &["Constraint::Const"]),
        // Constructions and paths to functions are not patterns.
        ("self.check(Constraint::MaxLen(n))", &[]),
        (
            "rule(\"a-b\", \"a and b\", SRC, Cross::Together(&[\"a\", \"b\"])),",
            &[],
        ),
        (
            "kind: Cross::RequiredWhen { field: \"a\", when: Cond::Eq(\"b\", \"c\") },",
            &[],
        ),
        ("let c = Constraint::MinItems(1);", &[]),
        ("checks.iter().map(Constraint::kind)", &[]),
        ("sizes.map(|n| Constraint::MaxLen(n))", &[]),
        ("// Constraint::MinLen(n) => in a comment", &[]),
        ("if x == Constraint::Const(\"1\") {}", &[]),
    ];
    for (code, expected) in cases {
        assert_eq!(kind_patterns(code), *expected, "in {code:?}");
    }
}

#[test]
fn no_kind_is_matched_outside_its_module_and_the_one_dispatch() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let kind_modules = [src.join("constraint"), src.join("model").join("cross")];
    let dispatch = src.join("model").join("mod.rs");
    let mut stray = Vec::new();
    for file in &files {
        if kind_modules.iter().any(|dir| file.starts_with(dir)) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("readable source file");
        let found = kind_patterns(&text);
        if *file == dispatch {
            // The dispatch: each constraint kind once, no cross kind.
            let mut sorted = found.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(
                sorted.len(),
                found.len(),
                "a constraint kind matched twice in {file:?}: {found:?}"
            );
            assert!(found.iter().all(|k| k.starts_with("Constraint::")), "{found:?}");
            assert_eq!(found.len(), 10, "the dispatch names every constraint kind: {found:?}");
            continue;
        }
        stray.extend(found.into_iter().map(|k| format!("{}: {k}", file.display())));
    }
    assert!(stray.is_empty(), "kinds matched outside their modules: {stray:#?}");
}
