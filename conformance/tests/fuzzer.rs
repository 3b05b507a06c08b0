//! The live fuzzer against the embedded reference server: clean, a few hundred cases find
//! nothing; with the 500-on-non-ASCII fault it finds the defect, writes a shrunk reproducer,
//! and `replay` confirms it with the fault and not without.

use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::fuzz::{FuzzOptions, fuzz, read_reproducer, replay};
use upi_reference_server::{Fault, ServerConfig, spawn};

async fn fuzz_against(
    fault: Option<Fault>,
    cases: u64,
    out: Option<std::path::PathBuf>,
) -> upi_conformance::runner::fuzz::FuzzReport {
    let server = spawn(ServerConfig::test_defaults().with_fault(fault)).await.unwrap();
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    let options = FuzzOptions {
        suites: vec!["merchant-register-intent".into()],
        seed: 7,
        cases: Some(cases),
        duration: None,
        workers: 2,
        out,
        progress: false,
    };
    let report = fuzz(config, server.base_url(), &options).await.unwrap();
    server.shutdown().await.unwrap();
    report
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn clean_server_gives_no_findings_and_a_faulty_one_is_caught_and_replayed() {
    let clean = fuzz_against(None, 400, None).await;
    assert_eq!(clean.cases, 400);
    assert!(clean.requests >= 400);
    assert!(
        clean.findings.is_empty(),
        "{:#?}",
        clean.findings.iter().map(|f| &f.findings).collect::<Vec<_>>()
    );

    let out = std::env::temp_dir().join(format!("upi-fuzz-test-{}", std::process::id()));
    let faulty = fuzz_against(Some(Fault::Http500OnNonAsciiRemarks), 1_500, Some(out.clone())).await;
    let finding = faulty
        .findings
        .iter()
        .find(|f| f.findings.iter().any(|x| x.rule == "transport.no-server-error"))
        .expect("the fault is found");
    assert!(
        finding
            .body
            .get("remarks")
            .and_then(|r| r.as_str())
            .is_some_and(|r| !r.is_ascii())
    );
    assert!(!faulty.written.is_empty());
    let written = faulty
        .written
        .iter()
        .find(|p| p.contains("no-server-error"))
        .expect("a reproducer file");
    let reproducer = read_reproducer(std::path::Path::new(written)).unwrap();

    for (fault, reproduced) in [(Some(Fault::Http500OnNonAsciiRemarks), true), (None, false)] {
        let server = spawn(ServerConfig::test_defaults().with_fault(fault)).await.unwrap();
        let mut config = RunConfig::default();
        config.targets.base = Some(server.base_url());
        let (findings, _) = replay(config, &reproducer).await.unwrap();
        assert_eq!(
            findings.iter().any(|f| f.rule == "transport.no-server-error"),
            reproduced,
            "{fault:?}: {findings:?}"
        );
        server.shutdown().await.unwrap();
    }
    let _ = std::fs::remove_dir_all(out);
}
