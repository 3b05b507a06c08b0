//! What the tests running the suite in-process against the reference server share
//! (`readings`, `detection_matrix`, `seed_independence`): start the server, point the run
//! configuration at it, run, stop the server.

use upi_conformance::runner::config::RunConfig;
use upi_conformance::runner::expect::Expectations;
use upi_conformance::runner::{Report, RunOptions, run};
use upi_reference_server::{ServerConfig, spawn};

/// Runs the suite with `options` against a reference server started from `server`: the
/// default run configuration with every base URL on that server, then adjusted by `tune`.
pub async fn in_process(server: ServerConfig, tune: impl FnOnce(&mut RunConfig), options: &RunOptions) -> Report {
    let server = spawn(server).await.expect("the reference server starts");
    let mut config = RunConfig::default();
    config.targets.base = Some(server.base_url());
    config.targets.sandbox = Some(server.base_url());
    tune(&mut config);
    let report = run(config, server.base_url(), options, &Expectations::default())
        .await
        .expect("the run completes");
    server.shutdown().await.expect("the server stops");
    report
}
