//! Adding an API edits one file: this test declares a toy API whole (a request and a response
//! model built with the spec's model builder, and its API facts), serves it from a tiny axum
//! server on loopback, and runs it through the public runner entry (`runner::run` with
//! `RunOptions::apis`), with no runner edit. The clean toy server passes every case; a toy server
//! with one defect fails exactly the case that names the rule it breaks.
//!
//! A toy rule has no seed sentence, so the grounding law reports its `must` as `should`
//! (`grounding::settle`): an accepted breach is a warning naming the rule, and the run is
//! failed by it under `--strict` (`RunOptions::strict`), which is how these runs are made.

use std::sync::LazyLock;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use serde_json::{Value, json};
use upi_conformance::runner::case::Outcome;
use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::expect::Expectations;
use upi_conformance::runner::{Report, RunOptions, run};
use upi_spec::Source;
use upi_spec::id::MessageId;
use upi_spec::model::api::{Api, Operation, Refusal, Service};
use upi_spec::model::{Direction, Encoding, Endpoint, Field, Message, Obj, field};

// ---- The toy API: its two messages and its facts (everything a new API declares). ----

const TOY: Source = Source::derived("the toy API of this test");
const PATH: &str = "/toy/greet";
const NAME_MAX: usize = 12;
const LANGS: &[&str] = &["en", "hi"];

/// A JSON message of the toy endpoint (`status` 0 for the request) with these body fields.
fn toy_message(id: &'static str, direction: Direction, status: u16, fields: Vec<Field>) -> Message {
    Message {
        id,
        title: id,
        direction,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status,
        }),
        source: TOY,
        headers: Vec::new(),
        body: Obj {
            fields,
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: (direction == Direction::Response).then_some("toy.greet.request"),
        echoes: Vec::new(),
        notes: &[],
    }
}

/// `POST /toy/greet {name, lang?}`.
static REQUEST: LazyLock<Message> = LazyLock::new(|| {
    toy_message(
        "toy.greet.request",
        Direction::Request,
        0,
        vec![
            field("name").mandatory().min_len(1).max_len(NAME_MAX).src(TOY),
            field("lang").one_of(LANGS).src(TOY),
        ],
    )
});

/// The answer, accepting (`OK` with a greeting) or refusing (`REFUSED`).
static RESPONSE: LazyLock<Message> = LazyLock::new(|| {
    toy_message(
        "toy.greet.response",
        Direction::Response,
        200,
        vec![
            field("status").mandatory().one_of(&["OK", "REFUSED"]).src(TOY),
            field("greeting").min_len(1).src(TOY),
        ],
    )
});

/// The toy API's facts: one operation, refused with any 4xx in the response's shape, no
/// context, no flows, no security cases.
static APIS: LazyLock<Vec<Api>> = LazyLock::new(|| {
    let response = MessageId::register(&RESPONSE);
    vec![Api {
        suite: "toy-greet",
        service: Service::new("toy"),
        operations: vec![Operation {
            variant: "",
            request: MessageId::register(&REQUEST),
            success: response,
            error: response,
            unroutable_error: None,
            refusal: Refusal::CLIENT_ERROR,
            reason_code: None,
            context: Vec::new(),
            deeplink: None,
            signed_response: false,
            security_cases: false,
            refusal_never: None,
            missing_field_refusal: None,
        }],
        creates_payment: false,
        setup: Vec::new(),
        versioned: false,
        flows: &[],
        answer_relations: &[],
    }]
});

// ---- A tiny implementation of it, with the defects the runner must find. ----

/// What the toy server gets wrong.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Defect {
    /// Accepts a request without `name`.
    AcceptsMissingName,
    /// Accepts a `name` longer than its limit.
    AcceptsLongName,
    /// Answers `greeting` as a number.
    GreetingNotAString,
}

async fn greet(State(defect): State<Option<Defect>>, body: Bytes) -> (StatusCode, axum::Json<Value>) {
    let refused = (StatusCode::BAD_REQUEST, axum::Json(json!({"status": "REFUSED"})));
    let Ok(Value::Object(request)) = serde_json::from_slice::<Value>(&body) else {
        return refused;
    };
    let name = match request.get("name") {
        Some(Value::String(n)) if !n.is_empty() => n.clone(),
        None if defect == Some(Defect::AcceptsMissingName) => "you".to_string(),
        _ => return refused,
    };
    if name.chars().count() > NAME_MAX && defect != Some(Defect::AcceptsLongName) {
        return refused;
    }
    match request.get("lang") {
        None => {}
        Some(Value::String(l)) if LANGS.contains(&l.as_str()) => {}
        Some(_) => return refused,
    }
    let greeting = if defect == Some(Defect::GreetingNotAString) {
        json!(42)
    } else {
        json!(format!("hello {name}"))
    };
    (
        StatusCode::OK,
        axum::Json(json!({"status": "OK", "greeting": greeting})),
    )
}

/// Serves the toy API (with `defect`) on loopback and runs the suite against it, strict.
async fn run_toy(defect: Option<Defect>) -> Report {
    let app = Router::new().route(PATH, post(greet)).with_state(defect);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a loopback port");
    let base = format!("http://{}", listener.local_addr().expect("bound"));
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let mut config = RunConfig::default();
    config.targets.base = Some(base.clone());
    config.limits.generated_per_message = 3;
    let options = RunOptions {
        apis: &APIS,
        strict: true,
        ..RunOptions::default()
    };
    let report = run(config, base, &options, &Expectations::default())
        .await
        .expect("the run completes");
    server.abort();
    report
}

/// The (case, rules of its findings) of every case that fails the run.
fn failing(report: &Report) -> Vec<(String, Vec<String>)> {
    report
        .cases
        .iter()
        .filter(|c| report.fails_run(&c.outcome))
        .map(|c| (c.id.clone(), c.findings.iter().map(|f| f.rule.clone()).collect()))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clean_toy_server_passes_accept_and_reject_cases() {
    let report = run_toy(None).await;
    let ids: Vec<&str> = report.cases.iter().map(|c| c.id.as_str()).collect();
    for expected in [
        "accept.toy-greet.generated.0",
        "accept.toy-greet.unicode-text",
        "reject.toy.greet.request.json",
        "reject.toy.greet.request.type",
        "reject.toy.greet.request.name.required",
        "reject.toy.greet.request.name.max-length",
        "reject.toy.greet.request.lang.enum",
    ] {
        assert!(ids.contains(&expected), "{expected} not planned: {ids:?}");
    }
    assert!(
        report.cases.iter().all(|c| c.suite == "toy-greet"),
        "only the toy API runs"
    );
    assert_eq!(failing(&report), Vec::<(String, Vec<String>)>::new());
    assert!(
        report.cases.iter().all(|c| c.outcome == Outcome::Pass),
        "{:?}",
        report.totals
    );
    assert!(!report.failed());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_toy_defect_fails_the_case_naming_its_rule() {
    // (defect, the one case that fails, the rule it names).
    let table = [
        (
            Defect::AcceptsMissingName,
            "reject.toy.greet.request.name.required",
            "toy.greet.request.name.required",
        ),
        (
            Defect::AcceptsLongName,
            "reject.toy.greet.request.name.max-length",
            "toy.greet.request.name.max-length",
        ),
    ];
    for (defect, case, rule) in table {
        let report = run_toy(Some(defect)).await;
        assert_eq!(
            failing(&report),
            vec![(case.to_string(), vec![rule.to_string()])],
            "{defect:?}"
        );
        assert!(report.failed(), "{defect:?} must fail the run");
        // A should rule (no seed states a toy rule): a warning, which --strict makes fail.
        let outcome = report.cases.iter().find(|c| c.id == case).map(|c| &c.outcome);
        assert_eq!(outcome, Some(&Outcome::Warning), "{defect:?}");
    }
    // A wrong type in the answer fails every acceptance case on the response's type rule.
    let report = run_toy(Some(Defect::GreetingNotAString)).await;
    let failed = failing(&report);
    assert!(!failed.is_empty());
    for (case, rules) in &failed {
        assert!(case.starts_with("accept.toy-greet."), "{case}");
        assert_eq!(rules, &["toy.greet.response.greeting.type"], "{case}");
    }
}
