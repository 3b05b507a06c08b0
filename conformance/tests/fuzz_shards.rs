//! Sharded live fuzzing: 4 shards with one seed and one `--cases` budget run the case numbers one
//! process runs, none twice, and on a faulty reference server their merged findings are the
//! single process's findings (by the fuzzer's dedup key), found first by the same case numbers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::fuzz::{FuzzOptions, FuzzReport, Reproducer, fuzz, read_reproducer};
use upi_conformance::runner::shard::{Shard, dedup_key, merge};
use upi_reference_server::{Fault, ServerConfig, spawn};

const SEED: u64 = 7;
const CASES: u64 = 1_200;
const SHARDS: u64 = 4;

/// One fuzzing run (one worker, so the first finding of each key is its lowest case number)
/// against a fresh embedded server with `fault`.
async fn run(fault: &Fault, shard: Shard, out: &Path) -> FuzzReport {
    let server = spawn(ServerConfig::test_defaults().with_fault(Some(fault.clone())))
        .await
        .unwrap();
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    let options = FuzzOptions {
        suites: vec!["merchant-register-intent".into()],
        seed: SEED,
        cases: Some(CASES),
        duration: Some(Duration::from_secs(300)),
        workers: 1,
        in_flight: 1,
        out: Some(out.to_path_buf()),
        progress: false,
        shard,
        interrupt: None,
    };
    let report = fuzz(config, server.base_url(), &options).await.unwrap();
    server.shutdown().await.unwrap();
    report
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("upi-fuzz-shards-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// Each finding's key with the case number that found it.
fn cases_by_key(findings: &[Reproducer]) -> BTreeMap<(String, String, String), u64> {
    let mut by_key = BTreeMap::new();
    for r in findings {
        let case = by_key.entry(dedup_key(r)).or_insert(r.case);
        *case = (*case).min(r.case);
    }
    by_key
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn four_shards_cover_one_process_and_merge_to_its_findings() {
    let fault = Fault::Http500OnNonAsciiRemarks;
    let single_dir = scratch("single");
    let single = run(&fault, Shard::WHOLE, &single_dir).await;
    assert_eq!(single.cases, CASES);
    assert!(
        single
            .findings
            .iter()
            .any(|r| r.findings[0].rule == "transport.no-server-error"),
        "the single run does not find the fault within {CASES} cases: {:#?}",
        single.findings
    );
    assert!(single.findings.iter().all(|r| r.shard.is_none()));

    let mut dirs = Vec::new();
    let mut sharded = Vec::new();
    let mut cases = 0;
    for index in 0..SHARDS {
        let shard = Shard::new(index, SHARDS).unwrap();
        let dir = scratch(&format!("shard-{index}"));
        let report = run(&fault, shard, &dir).await;
        cases += report.cases;
        for r in &report.findings {
            assert_eq!(r.shard, Some(shard), "a finding does not carry its shard");
            assert!(shard.owns(r.case), "shard {shard} ran case {}", r.case);
        }
        // What was written is what was reported, shard included.
        for path in &report.written {
            assert_eq!(read_reproducer(Path::new(path)).unwrap().shard, Some(shard));
        }
        sharded.extend(report.findings);
        dirs.push(dir);
    }
    assert_eq!(cases, CASES, "the shards together run the campaign's budget");

    // The same cases were run: every finding is first found by the same case number.
    assert_eq!(cases_by_key(&sharded), cases_by_key(&single.findings));

    let merged = merge(&dirs).unwrap();
    let merged_keys: Vec<_> = merged.iter().map(dedup_key).collect();
    let single_keys: Vec<_> = cases_by_key(&single.findings).into_keys().collect();
    assert_eq!(merged_keys, single_keys);

    // Merging is idempotent and order-free: the single run's directory adds nothing new.
    dirs.reverse();
    dirs.push(single_dir.clone());
    let again: Vec<_> = merge(&dirs).unwrap().iter().map(dedup_key).collect();
    assert_eq!(again, single_keys);

    for dir in dirs {
        let _ = std::fs::remove_dir_all(dir);
    }
}

#[test]
fn merge_rejects_a_file_that_is_no_reproducer() {
    let dir = scratch("bad");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("finding-000-x.json"), "{\"not\": \"a reproducer\"}").unwrap();
    let err = merge(std::slice::from_ref(&dir)).unwrap_err().to_string();
    assert!(err.contains("is not a reproducer"), "{err}");
    assert!(merge(&[dir.join("missing")]).is_err());
    let _ = std::fs::remove_dir_all(dir);
}
