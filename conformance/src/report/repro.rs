//! Reproducers: the command that re-runs one case alone, and a POSIX shell script that re-sends
//! every exchange of a case in order with the exact bytes (signatures and hashes over test data
//! included; secrets read from environment variables; bodies over 4 KiB in files next to it).

use std::collections::BTreeSet;
use std::path::Path;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::Context;
use crate::runner::Report;
use crate::runner::case::CaseResult;
use crate::runner::http::{DOCUMENT_BYTES, Exchange, INLINE_BODY_LIMIT, Part, ReplayBody, curl_command, document_name};

/// The command that re-runs `case` alone with the same seed and configuration.
pub fn rerun(report: &Report, ctx: &Context, case: &CaseResult) -> String {
    let mut words = vec![
        "upi-conformance".to_string(),
        "run".into(),
        "--seed".into(),
        report.seed.to_string(),
        "--only".into(),
        shell_words::quote(&case.id).into_owned(),
    ];
    if let Some(t) = &ctx.target {
        words.extend(["--target".into(), shell_words::quote(t).into_owned()]);
    }
    if let Some(f) = &ctx.fault {
        words.extend(["--fault".into(), shell_words::quote(f).into_owned()]);
    }
    if let Some(c) = &ctx.config {
        words.extend(["--config".into(), shell_words::quote(&c.to_string_lossy()).into_owned()]);
    }
    if report.strict {
        words.push("--strict".into());
    }
    words.join(" ")
}

/// A file name made from a case ID.
pub fn file_stem(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// A reproducer script for `case` and the body files it reads (name, bytes). With
/// `files = false` no file is used: larger bodies are inlined.
pub fn script(report: &Report, ctx: &Context, case: &CaseResult, files: bool) -> (String, Vec<(String, Vec<u8>)>) {
    let stem = file_stem(&case.id);
    let mut secrets = BTreeSet::new();
    let mut documents = BTreeSet::new();
    let mut bodies = Vec::new();
    let mut lines = Vec::new();
    for (n, x) in case.exchanges.iter().enumerate() {
        let r = &x.replay;
        if r.method.is_empty() {
            lines.push(format!(
                "# exchange {}: {} (not replayable: no recorded request)",
                n + 1,
                super::clean(&x.request_line)
            ));
            continue;
        }
        let mut parts: Vec<&Part> = r.url.0.iter().collect();
        parts.extend(r.headers.iter().flat_map(|(_, v)| v.0.iter()));
        let mut body_file = None;
        match &r.body {
            ReplayBody::Empty => {}
            ReplayBody::Bytes(b) => {
                parts.extend(b.0.iter());
                if let Some(bytes) = b.bytes()
                    && files
                    && bytes.len() > INLINE_BODY_LIMIT
                {
                    let name = format!("{stem}.{}.body", n + 1);
                    bodies.push((name.clone(), bytes));
                    body_file = Some(name);
                }
            }
            ReplayBody::Multipart(ps) => {
                for (_, v) in ps {
                    parts.extend(v.0.iter());
                    if let Some(Part::Text(t)) = v.0.first()
                        && t.starts_with(b"@")
                    {
                        documents.insert(document_name(&String::from_utf8_lossy(&t[1..])));
                    }
                }
            }
        }
        for p in parts {
            if let Part::Secret(name, _) = p {
                secrets.insert(name.clone());
            }
        }
        lines.push(format!("# exchange {}: {}", n + 1, super::clean(&x.request_line)));
        let curl = curl_command(r, body_file.as_deref());
        lines.push(format!("{curl} -w '\\n# HTTP %{{http_code}}\\n'"));
    }
    let mut out = String::from("#!/bin/sh\n");
    out.push_str(&format!(
        "# Re-sends the {} exchange(s) of case {} in order (seed {}).\n# Re-run the case alone: {}\nset -eu\ncd \"$(dirname \"$0\")\"\n",
        case.exchanges.len(),
        super::clean(&case.id),
        report.seed,
        rerun(report, ctx, case)
    ));
    for s in &secrets {
        out.push_str(&format!(
            ": \"${{{s}:?set {s} to the secret from your configuration}}\"\n"
        ));
    }
    for d in &documents {
        out.push_str(&format!(
            "printf '%s\\n' {} > {}\n",
            shell_words::quote(String::from_utf8_lossy(DOCUMENT_BYTES).trim_end()),
            shell_words::quote(d)
        ));
    }
    for l in lines {
        out.push_str(&l);
        out.push('\n');
    }
    (out, bodies)
}

/// Writes a script (`CASE.sh`) and its body files for every failing case into the context's
/// reproducer directory; returns the scripts written (case ID, path).
pub fn write_all(report: &Report, ctx: &Context) -> std::io::Result<Vec<(String, std::path::PathBuf)>> {
    let Some(dir) = &ctx.repro_dir else {
        return Ok(Vec::new());
    };
    let mut written = Vec::new();
    for case in report.cases.iter().filter(|c| report.fails_run(&c.outcome)) {
        std::fs::create_dir_all(dir)?;
        let (text, bodies) = script(report, ctx, case, true);
        for (name, bytes) in bodies {
            std::fs::write(dir.join(name), bytes)?;
        }
        let path = dir.join(format!("{}.sh", file_stem(&case.id)));
        std::fs::write(&path, text)?;
        set_executable(&path);
        written.push((case.id.clone(), path));
    }
    Ok(written)
}

#[cfg(unix)]
fn set_executable(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
}

#[cfg(not(unix))]
fn set_executable(_: &Path) {}

/// Human-readable decodings of a request body: the JWS payload of a signed JSON body and the
/// pairs of a form body (empty when neither applies).
pub fn decoded(x: &Exchange) -> Vec<String> {
    let mut out = Vec::new();
    let body = match &x.replay.body {
        ReplayBody::Bytes(b) => b.display(),
        _ => x.request_body.clone(),
    };
    let body = body.trim();
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(body) {
        let payload = value.get("payload").and_then(|p| p.as_str()).map(str::to_string);
        if let Some(p) = payload.and_then(|p| URL_SAFE_NO_PAD.decode(p.trim_end_matches('=')).ok()) {
            out.push(format!("JWS payload: {}", String::from_utf8_lossy(&p)));
        }
        if let Some(p) = value.get("protected").and_then(|p| p.as_str())
            && let Ok(h) = URL_SAFE_NO_PAD.decode(p.trim_end_matches('='))
        {
            out.push(format!("JWS header: {}", String::from_utf8_lossy(&h)));
        }
    } else if body.contains('=') && !body.contains('\n') && !body.is_empty() {
        let pairs: Vec<String> = form_urlencoded::parse(body.as_bytes())
            .map(|(k, v)| format!("  {k} = {v}"))
            .collect();
        out.push(format!("form:\n{}", pairs.join("\n")));
    }
    out
}
