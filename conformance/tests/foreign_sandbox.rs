//! Issue 14 part 3, any sandbox through an adapter: the callback/verify flow runs through a
//! sandbox control API that is not ours. The foreign sandbox here is a tiny axum app in front of
//! the reference server (which stays the PayU side): its health is `GET /control/ping`, the
//! callback URL is set by `PUT /control/hooks?url=`, a payment is settled by `POST
//! /control/settle` with JSON `{"id":…,"result":"success"}`, and `GET /control/payments/{id}`
//! reports `{"payment":{"state":"SETTLED"}}`. With the right `[sandbox]` mapping the flow runs and
//! passes; each mis-mapped field makes it fail or skip with a reason naming the mapping; the
//! default mapping (the reference server's protocol) is skipped against it, as before the adapter.
//! Every control call must carry `x-control-token` (`[sandbox.headers]`, its value read from
//! `SANDBOX_CONTROL_TOKEN`): without it the sandbox answers 401, and the token never appears in
//! any output of a run (report formats, stderr).

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use serde_json::{Value, json};
use upi_conformance::runner::case::{CaseResult, Outcome};
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::expect::Expectations;
use upi_conformance::runner::{RunOptions, run};
use upi_reference_server::{ServerConfig, spawn};

const FLOW: &str = "flow.payu-intent.callback-verify-udf";
/// The control API's token, as the environment variable the mapping names holds it.
const TOKEN: &str = "ctl-Tok3n-9f2c41d7";
const TOKEN_VAR: &str = "SANDBOX_CONTROL_TOKEN";

fn env(name: &str) -> Option<String> {
    (name == TOKEN_VAR).then(|| TOKEN.to_owned())
}

/// The foreign control API refuses every call without its token.
async fn guard(request: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if request.headers().get("x-control-token").and_then(|v| v.to_str().ok()) == Some(TOKEN) {
        next.run(request).await
    } else {
        (StatusCode::UNAUTHORIZED, "control calls need x-control-token").into_response()
    }
}

#[derive(Clone)]
struct Foreign {
    /// The reference server (the PayU side) the control requests are forwarded to.
    payu: String,
    client: reqwest::Client,
    settled: Arc<Mutex<BTreeSet<String>>>,
}

async fn hooks(State(f): State<Foreign>, Query(q): Query<BTreeMap<String, String>>) -> (StatusCode, Json<Value>) {
    let Some(url) = q.get("url") else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": "the query needs url"})));
    };
    let forwarded = f
        .client
        .post(format!("{}/sandbox/payu/callback-url", f.payu))
        .form(&[("url", url)])
        .send()
        .await;
    match forwarded {
        Ok(r) if r.status().is_success() => (StatusCode::NO_CONTENT, Json(Value::Null)),
        _ => (
            StatusCode::BAD_GATEWAY,
            Json(json!({"error": "the PayU side refused the hook"})),
        ),
    }
}

async fn settle(State(f): State<Foreign>, Json(body): Json<Value>) -> (StatusCode, Json<Value>) {
    let (Some(id), Some(result)) = (body["id"].as_str(), body["result"].as_str()) else {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({"error": "the body needs id and result"})),
        );
    };
    let forwarded = f
        .client
        .post(format!("{}/sandbox/payu/complete", f.payu))
        .form(&[("txnid", id), ("status", result)])
        .send()
        .await;
    match forwarded {
        Ok(r) if r.status().is_success() => {
            if result == "success" {
                f.settled.lock().unwrap().insert(id.to_string());
            }
            (StatusCode::ACCEPTED, Json(json!({"accepted": true})))
        }
        _ => (StatusCode::CONFLICT, Json(json!({"error": "the PayU side refused"}))),
    }
}

async fn payment(State(f): State<Foreign>, Path(id): Path<String>) -> Json<Value> {
    let state = if f.settled.lock().unwrap().contains(&id) {
        "SETTLED"
    } else {
        "OPEN"
    };
    Json(json!({"payment": {"id": id, "state": state}}))
}

/// The mapping of the foreign sandbox, with `patch` lines replacing same-named ones per table.
fn mapping(patch: &[(&str, &str)]) -> String {
    let mut tables: Vec<(&str, Vec<String>)> = vec![
        (
            "sandbox.headers",
            vec![format!("x-control-token = \"${{{TOKEN_VAR}}}\"")],
        ),
        (
            "sandbox.health",
            vec!["path = \"/control/ping\"".into(), "contains = \"ok\"".into()],
        ),
        (
            "sandbox.callback",
            vec![
                "method = \"PUT\"".into(),
                "path = \"/control/hooks\"".into(),
                "param = \"url\"".into(),
                "encoding = \"query\"".into(),
            ],
        ),
        (
            "sandbox.complete",
            vec![
                "path = \"/control/settle\"".into(),
                "encoding = \"json\"".into(),
                "txnid = \"id\"".into(),
                "status = \"result\"".into(),
            ],
        ),
        (
            "sandbox.settled",
            vec![
                "via = \"status_url\"".into(),
                "url = \"/control/payments/{txnid}\"".into(),
                "pointer = \"/payment/state\"".into(),
                "success = \"SETTLED\"".into(),
            ],
        ),
    ];
    for (table, line) in patch {
        let key = line.split('=').next().unwrap().trim();
        if line.is_empty() {
            tables.retain(|(t, _)| t != table);
            continue;
        }
        let lines = &mut tables.iter_mut().find(|(t, _)| t == table).expect("a known table").1;
        lines.retain(|l| l.split('=').next().unwrap().trim() != key);
        lines.push((*line).to_string());
    }
    tables
        .iter()
        .map(|(t, lines)| format!("[{t}]\n{}\n", lines.join("\n")))
        .collect()
}

/// The reference server (the PayU side) and the foreign control API in front of it.
async fn start_foreign() -> (
    upi_reference_server::RunningServer,
    String,
    tokio::task::JoinHandle<std::io::Result<()>>,
) {
    let server = spawn(ServerConfig::test_defaults())
        .await
        .expect("the reference server starts");
    let foreign = Foreign {
        payu: server.base_url(),
        client: reqwest::Client::new(),
        settled: Arc::default(),
    };
    let app = Router::new()
        .route("/control/ping", get(|| async { "ok" }))
        .route("/control/hooks", put(hooks))
        .route("/control/settle", post(settle))
        .route("/control/payments/{id}", get(payment))
        .layer(axum::middleware::from_fn(guard))
        .with_state(foreign);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let sandbox = format!("http://{}", listener.local_addr().unwrap());
    let task = tokio::spawn(async move { axum::serve(listener, app).await });
    (server, sandbox, task)
}

async fn flow_through_foreign_sandbox(config_text: &str) -> CaseResult {
    let (server, sandbox, task) = start_foreign().await;
    let mut config = RunConfig::from_toml(config_text, env).expect("the mapping parses");
    config.targets.base = Some(server.base_url());
    config.targets.sandbox = Some(sandbox);
    config.sandbox.callback_wait_ms = 3_000;
    let options = RunOptions {
        suites: vec!["payu-intent".into()],
        only: vec![FLOW.into()],
        seed: 14,
        jobs: 1,
        ..RunOptions::default()
    };
    let report = run(config, server.base_url(), &options, &Expectations::default())
        .await
        .expect("the run completes");
    task.abort();
    server.shutdown().await.expect("the server stops");
    assert_eq!(report.cases.len(), 1, "only the flow runs");
    report.cases.into_iter().next().unwrap()
}

fn described(case: &CaseResult) -> String {
    let findings: Vec<String> = case
        .findings
        .iter()
        .map(|f| format!("{}: {}", f.rule, f.message))
        .collect();
    format!("{:?}; {}", case.outcome, findings.join(" | "))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_flow_runs_and_passes_through_a_mapped_foreign_sandbox() {
    let case = flow_through_foreign_sandbox(&mapping(&[])).await;
    assert_eq!(case.outcome, Outcome::Pass, "{}", described(&case));
    let urls: Vec<String> = case.exchanges.iter().map(|x| x.request_line.clone()).collect();
    for expected in [
        "PUT ",
        "/control/hooks?url=",
        "POST ",
        "/control/settle",
        "/control/payments/",
    ] {
        assert!(
            urls.iter().any(|u| u.contains(expected)),
            "{expected} not sent: {urls:#?}"
        );
    }
    assert!(
        !urls.iter().any(|u| u.contains("/sandbox/")),
        "the reference server's own control API was used: {urls:#?}"
    );
    // The report shows the header by its variable, never its value.
    let json = serde_json::to_string(&case).unwrap();
    assert!(!json.contains(TOKEN), "the token is in the report");
    let control = case
        .exchanges
        .iter()
        .find(|x| x.request_line.contains("/control/settle"))
        .unwrap();
    assert!(
        control
            .request_headers
            .iter()
            .any(|(k, v)| k == "x-control-token" && v == "${SANDBOX_CONTROL_TOKEN}"),
        "{:?}",
        control.request_headers
    );
}

/// Through the CLI, with the token in the environment: the flow passes, and no output (the JSON
/// report, the HTML and JUnit reports, the verbose text report, stderr) holds the token.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_control_token_reaches_the_sandbox_and_no_output() {
    let (server, sandbox, task) = start_foreign().await;
    let dir = std::env::temp_dir().join(format!("upi-foreign-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let config = dir.join("run.toml");
    let text = format!(
        "[targets]\nbase = \"{}\"\nsandbox = \"{sandbox}\"\n[sandbox]\ncallback_wait_ms = 3000\n{}",
        server.base_url(),
        mapping(&[])
    );
    std::fs::write(&config, text).unwrap();
    let (html, junit) = (dir.join("r.html"), dir.join("r.xml"));
    let cli = |format: &'static str, extra: Vec<String>| {
        let config = config.clone();
        tokio::task::spawn_blocking(move || {
            std::process::Command::new(env!("CARGO_BIN_EXE_upi-conformance"))
                .env(TOKEN_VAR, TOKEN)
                .arg("run")
                .arg("--config")
                .arg(&config)
                .args([
                    "--suite",
                    "payu-intent",
                    "--only",
                    FLOW,
                    "--seed",
                    "14",
                    "--format",
                    format,
                ])
                .args(extra)
                .output()
                .unwrap()
        })
    };
    let reports = vec![
        format!("--report=html={}", html.display()),
        format!("--report=junit={}", junit.display()),
    ];
    let json = cli("json", reports).await.unwrap();
    let text = cli("text", vec!["--verbose".into()]).await.unwrap();
    task.abort();
    server.shutdown().await.expect("the server stops");
    let report: Value = serde_json::from_slice(&json.stdout).expect("a JSON report");
    assert_eq!(
        report["cases"][0]["outcome"]["verdict"],
        "pass",
        "{}",
        String::from_utf8_lossy(&json.stderr)
    );
    let outputs = [
        ("json stdout", String::from_utf8_lossy(&json.stdout).into_owned()),
        ("json stderr", String::from_utf8_lossy(&json.stderr).into_owned()),
        ("text stdout", String::from_utf8_lossy(&text.stdout).into_owned()),
        ("text stderr", String::from_utf8_lossy(&text.stderr).into_owned()),
        ("html", std::fs::read_to_string(&html).unwrap()),
        ("junit", std::fs::read_to_string(&junit).unwrap()),
    ];
    for (what, output) in &outputs {
        assert!(!output.contains(TOKEN), "{what} printed the control token");
    }
    assert!(
        outputs[0].1.contains("${SANDBOX_CONTROL_TOKEN}"),
        "the JSON report names the variable"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Each mis-mapping, the outcome it must give, and the words its reason must contain.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_mis_mapped_sandbox_fails_or_skips_naming_the_mapping() {
    enum Expect {
        Fail,
        Skip,
    }
    let cases: &[(&str, String, Expect, &[&str])] = &[
        (
            "wrong txnid parameter",
            mapping(&[("sandbox.complete", "txnid = \"txn\"")]),
            Expect::Fail,
            &["[sandbox.complete]", "\"txn\"", "HTTP 422"],
        ),
        (
            "wrong callback URL parameter",
            mapping(&[("sandbox.callback", "param = \"hook\"")]),
            Expect::Fail,
            &["[sandbox.callback]", "\"hook\"", "HTTP 400"],
        ),
        (
            "wrong settled pointer",
            mapping(&[("sandbox.settled", "pointer = \"/state\"")]),
            Expect::Fail,
            &["[sandbox.settled]", "/state"],
        ),
        (
            "wrong health path",
            mapping(&[("sandbox.health", "path = \"/sandbox/health\"")]),
            Expect::Skip,
            &["[sandbox.health]", "/sandbox/health", "HTTP 404"],
        ),
        (
            "no control token ([sandbox.headers] left out)",
            mapping(&[("sandbox.headers", "")]),
            Expect::Skip,
            &["[sandbox.health]", "/control/ping", "HTTP 401"],
        ),
        (
            "the default mapping (the reference server's protocol)",
            String::new(),
            Expect::Skip,
            &["[sandbox.health]", "GET /sandbox/health", "--sandbox manual"],
        ),
    ];
    for (what, text, expect, words) in cases {
        let case = flow_through_foreign_sandbox(text).await;
        let reason = match (&case.outcome, expect) {
            (Outcome::Fail, Expect::Fail) => described(&case),
            (Outcome::Skipped { reason }, Expect::Skip) => reason.clone(),
            _ => panic!("{what}: unexpected outcome {}", described(&case)),
        };
        for word in *words {
            assert!(reason.contains(word), "{what}: {word:?} not in {reason}");
        }
    }
}

/// The README's "Driving another sandbox" example is this test's mapping: the flow runs with the
/// block as written (only the base URLs, which name no real host, are pointed here).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_readme_example_drives_the_foreign_sandbox() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("### Driving another sandbox")
        .nth(1)
        .expect("the README section");
    let block = section
        .split("```toml\n")
        .nth(1)
        .and_then(|b| b.split("```").next())
        .expect("its TOML example");
    let case = flow_through_foreign_sandbox(block).await;
    assert_eq!(case.outcome, Outcome::Pass, "{}", described(&case));
}
