//! `client-test`: plays PayU toward a merchant's S2S callback endpoint and judges the merchant's
//! order state (`--order-status-url`), or, without it, the callback's HTTP status (weaker
//! evidence). Exit codes: 0 no failures, 1 failures, 2 usage.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use anyhow::{Context, Result};
use clap::Args;
use upi_conformance::client_test::command;
use upi_conformance::client_test::merchant_stack::{self, Driver, MerchantStackConfig};
use upi_conformance::client_test::oracle::Oracle;
use upi_conformance::client_test::{self as ct, Config, Order};
use upi_spec::crypto::payu_hash::Salt;

use super::tpap::{ReportFormat, emit};

/// Arguments of `client-test`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("merchant_stack").args(["merchant_stack_url", "merchant_stack_cmd"])))]
pub struct ClientTestArgs {
    /// The merchant's S2S callback endpoint (PayU posts the callback form here).
    #[arg(long, required_unless_present = "merchant_stack", conflicts_with = "merchant_stack")]
    callback_url: Option<String>,
    /// Merchant Stack mode: the merchant's registerIntent client trigger URL (one POST per case,
    /// contract in docs/MERCHANT_STACK_CLIENT.md); the tool runs the sandbox itself.
    #[arg(long)]
    merchant_stack_url: Option<String>,
    /// Merchant Stack mode, driven by a command: run once per case with the trigger JSON on
    /// standard input; exit status 0 means the client accepted the answer. Split like a shell
    /// splits words (quotes work), but no shell runs it.
    #[arg(long)]
    merchant_stack_cmd: Option<String>,
    /// Merchant Stack mode: where the sandbox listens (default: an ephemeral loopback port).
    #[arg(long, requires = "merchant_stack")]
    sandbox_addr: Option<std::net::SocketAddr>,
    /// The merchant's payment trigger: one POST (JSON `payment_url`, `sandbox_url`, `amount`)
    /// makes the merchant start a payment at the tool's payment sandbox, which posts the success
    /// callback before it answers; without it that case is skipped.
    #[arg(long, conflicts_with = "merchant_stack")]
    payment_trigger_url: Option<String>,
    /// URL template with `{txnid}` answering the merchant's order state (JSON or text).
    #[arg(long)]
    order_status_url: Option<String>,
    /// Dotted path of the status in a JSON order-state answer.
    #[arg(long, default_value = "status")]
    status_field: String,
    /// Status values that mean paid (case-insensitive).
    #[arg(long, value_delimiter = ',', default_value = "paid,success,captured")]
    paid_values: Vec<String>,
    /// Dotted path of a fulfilment (credit) count in the order state, to observe replays.
    #[arg(long)]
    credit_field: Option<String>,
    /// The merchant's PayU key (test credentials).
    #[arg(long, required_unless_present = "merchant_stack")]
    key: Option<String>,
    /// The merchant's PayU salt (test credentials).
    #[arg(long, required_unless_present = "merchant_stack")]
    salt: Option<String>,
    /// A pending order of the merchant, `TXNID=AMOUNT` (four needed; repeatable).
    #[arg(long = "order", required_unless_present = "merchant_stack")]
    orders: Vec<String>,
    /// Per-request timeout in milliseconds.
    #[arg(long, default_value_t = 10_000)]
    timeout_ms: u64,
    /// Report format.
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    format: ReportFormat,
    /// Write the report here instead of standard output.
    #[arg(long)]
    output: Option<PathBuf>,
    /// List every non-passing case in the text report, not only failures.
    #[arg(long)]
    verbose: bool,
}

/// Runs `client-test`.
pub fn run(args: &ClientTestArgs) -> Result<ExitCode> {
    let driver = match (&args.merchant_stack_url, &args.merchant_stack_cmd) {
        (Some(url), _) => Some(Driver::Url(url.clone())),
        (None, Some(cmd)) => Some(Driver::Command(
            command::split(cmd).map_err(|e| anyhow::anyhow!("--merchant-stack-cmd {e}"))?,
        )),
        (None, None) => None,
    };
    if let Some(driver) = driver {
        let config = MerchantStackConfig {
            driver,
            sandbox_addr: args.sandbox_addr,
            timeout: Duration::from_millis(args.timeout_ms),
        };
        let runtime = super::async_runtime()?;
        let report = runtime.block_on(merchant_stack::run(&config))?;
        return emit(&report, args.format, args.output.as_ref(), args.verbose);
    }
    let (Some(callback_url), Some(key), Some(salt)) = (&args.callback_url, &args.key, &args.salt) else {
        anyhow::bail!("--callback-url, --key and --salt are needed (or --merchant-stack-url / --merchant-stack-cmd)");
    };
    let orders = args
        .orders
        .iter()
        .map(|o| {
            let (txnid, amount) = o
                .split_once('=')
                .with_context(|| format!("--order takes TXNID=AMOUNT, not {o:?}"))?;
            Ok(Order {
                txnid: txnid.to_owned(),
                amount: amount.to_owned(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    if let Some(t) = &args.order_status_url {
        anyhow::ensure!(t.contains("{txnid}"), "--order-status-url needs {{txnid}} in it: {t:?}");
    }
    let config = Config {
        callback_url: callback_url.clone(),
        oracle: args.order_status_url.as_ref().map(|template| Oracle {
            template: template.clone(),
            status_field: args.status_field.clone(),
            paid_values: args.paid_values.clone(),
            credit_field: args.credit_field.clone(),
        }),
        key: key.clone(),
        salt: Salt::new(salt.clone()),
        orders,
        timeout: Duration::from_millis(args.timeout_ms),
        payment_trigger: args.payment_trigger_url.clone(),
    };
    if config.oracle.is_none() {
        eprintln!("upi-conformance: no --order-status-url: the callback's HTTP status is the only evidence (weaker)");
    }
    let runtime = super::async_runtime()?;
    let report = runtime.block_on(ct::run(&config))?;
    emit(&report, args.format, args.output.as_ref(), args.verbose)
}
