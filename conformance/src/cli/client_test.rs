//! `client-test`: placeholder.
use std::process::ExitCode;
/// Arguments of `client-test`.
#[derive(Debug, clap::Args)]
pub struct ClientTestArgs {}
pub fn run(_args: &ClientTestArgs) -> anyhow::Result<ExitCode> {
    Ok(ExitCode::SUCCESS)
}
