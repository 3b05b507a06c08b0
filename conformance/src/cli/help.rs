//! The examples and exit codes every subcommand's `--help` ends with (clap `after_help`), and
//! the augmented [`clap::Command`] that parsing, completions and the man page share. A nested
//! subcommand without its own entry (`tpap run`) shows its parent's.

use clap::CommandFactory as _;

use super::Cli;

/// Exit codes of the commands that judge something.
const JUDGE: &str = "0 no failure or valid input; 1 a `must` rule is broken; 2 usage error or unreadable input";
/// Exit codes of the commands that talk to a target.
const NETWORK: &str = "0 no failure; 1 failures; 2 usage or configuration error; 3 target unreachable";
/// Exit codes of the commands that only print or write.
const WRITE: &str = "0 written; 1 `--check` found a difference; 2 usage error or unwritable output";

/// `(subcommand path, examples, exit codes)`.
const HELP: &[(&str, &[&str], &str)] = &[
    (
        "messages",
        &["upi-conformance messages", "upi-conformance messages --format json"],
        "0 listed; 2 usage error",
    ),
    (
        "rules",
        &[
            "upi-conformance rules",
            "upi-conformance rules --format json | jq length",
        ],
        "0 listed; 2 usage error",
    ),
    (
        "validate",
        &[
            "upi-conformance validate --message ec.txns.request golden/seeds/corrected/ec.txns.request.old-upi-intent.curl",
            "upi-conformance validate --message merchant.register-intent.v3.request - < body.json",
        ],
        JUDGE,
    ),
    (
        "schemas",
        &[
            "upi-conformance schemas --output schemas",
            "upi-conformance schemas --check",
        ],
        WRITE,
    ),
    (
        "openapi",
        &[
            "upi-conformance openapi --output schemas/openapi.json",
            "upi-conformance openapi --check",
        ],
        WRITE,
    ),
    (
        "hash",
        &["upi-conformance hash tpv --field account_number=0000123456789 --field ifsc=ABCD0000345"],
        "0 computed or matches; 1 `--check` differs; 2 usage error",
    ),
    (
        "sign",
        &["upi-conformance sign jws --key golden/keys/merchant_signing.pem --kid merchant-key-1 < request.json"],
        "0 signed; 2 usage error or unreadable key",
    ),
    (
        "verify",
        &["upi-conformance verify jws --key merchant-key-1=golden/keys/merchant_signing.pub.pem < body.json"],
        "0 verifies; 1 does not verify; 2 usage error or unreadable key",
    ),
    (
        "deeplink",
        &[
            "upi-conformance deeplink check 'upi://pay?pa=juspay@axisbank&pn=Merchant&am=1.00&cu=INR&tr=1'",
            "upi-conformance deeplink build --from-response golden/seeds/corrected/payu.payment.response.s2s.json --message payu.payment.response",
        ],
        "0 no `must` rule broken; 1 a `must` rule is broken; 2 not a URI or unreadable input",
    ),
    (
        "serve",
        &[
            "upi-conformance serve --addr 127.0.0.1:18080",
            "upi-conformance serve --list-faults",
        ],
        "0 stopped; 2 usage error, unknown fault or address in use",
    ),
    (
        "run",
        &[
            "upi-conformance run",
            "upi-conformance run --target http://127.0.0.1:18080 --suite ec-txns --report junit=report.xml",
            "upi-conformance run --suite merchant-register-intent.v3 --only 'reject.*'",
            "upi-conformance run --config run.toml --write-expect expect.toml   # then fill in each reason",
            "upi-conformance run --fault drop-payee-vpa --quiet",
        ],
        "0 no failure; 1 failures, an unexpected pass or a stale expectation; 2 usage or configuration \
         error (unknown suite, a glob or selection matching nothing, --fault with a live target, an \
         API without a base URL, an unfilled expectation reason); 3 target unreachable; 130 \
         interrupted (Ctrl-C: the partial reports are written first, marked interrupted)",
    ),
    (
        "fuzz",
        &[
            "upi-conformance fuzz --duration 60s --output findings/",
            "upi-conformance fuzz --target http://127.0.0.1:18080 --suite payu-intent --cases 1000 --seed 1",
        ],
        "0 nothing found; 1 findings; 2 usage or configuration error; 3 target unreachable; 130 \
         interrupted (Ctrl-C: the findings so far are printed and written first)",
    ),
    (
        "fuzz-merge",
        &[
            "upi-conformance fuzz-merge findings-0 findings-1 --output findings",
            "upi-conformance fuzz-merge shard-*/ --format json",
        ],
        "0 no findings in any directory; 1 findings; 2 unreadable directory or a file that is not a reproducer",
    ),
    (
        "replay",
        &[
            "upi-conformance replay findings/finding-000.json --target http://127.0.0.1:18080",
            "upi-conformance replay findings/finding-000.json --format json",
        ],
        "0 not reproduced; 1 reproduced; 2 usage error or unreadable reproducer; 3 target unreachable",
    ),
    (
        "audit",
        &[
            "upi-conformance audit golden/audit/ec-txns.har",
            "upi-conformance audit golden/audit/tpap.jsonl --format junit --output audit.xml",
        ],
        "0 no findings; 1 findings; 2 unreadable or malformed capture",
    ),
    (
        "completions",
        &[
            "upi-conformance completions bash > /etc/bash_completion.d/upi-conformance",
            "upi-conformance completions zsh > \"${fpath[1]}/_upi-conformance\"",
            "upi-conformance completions fish > ~/.config/fish/completions/upi-conformance.fish",
        ],
        "0 written; 2 usage error",
    ),
    (
        "man",
        &[
            "upi-conformance man > upi-conformance.1 && man ./upi-conformance.1",
            "upi-conformance man --output /usr/local/share/man/man1   # one page per subcommand too",
        ],
        "0 written; 2 usage error or unwritable directory",
    ),
    (
        "tpap",
        &[
            "upi-conformance tpap run --shim 'upi-conformance tpap-shim'",
            "upi-conformance tpap faults",
        ],
        NETWORK,
    ),
    (
        "tpap-shim",
        &[
            "upi-conformance tpap-shim",
            "upi-conformance tpap-shim --fault drop-udf-echo",
        ],
        "0 input ended; 2 usage error",
    ),
    (
        "client-test",
        &[
            "upi-conformance client-test --callback-url URL --order-status-url 'URL/{txnid}' --key KEY --salt SALT --order TXNID",
            "upi-conformance client-test --callback-url URL --payment-trigger-url URL/pay --order-status-url 'URL/{txnid}' ...",
            "upi-conformance client-test --merchant-stack-url http://127.0.0.1:3000/create-intent",
            "upi-conformance client-test --merchant-stack-cmd 'python3 register_intent.py'",
        ],
        NETWORK,
    ),
];

fn section(examples: &[&str], exit: &str) -> String {
    let mut text = String::from("Examples:\n");
    for e in examples {
        text.push_str("  ");
        text.push_str(e);
        text.push('\n');
    }
    text.push_str("\nExit codes:\n  ");
    text.push_str(exit);
    text
}

fn augment(command: clap::Command, path: &str, inherited: Option<&str>) -> clap::Command {
    let own = HELP.iter().find(|(p, _, _)| *p == path).map(|(_, e, x)| section(e, x));
    let text = own.or_else(|| inherited.map(str::to_string));
    let names: Vec<String> = command.get_subcommands().map(|c| c.get_name().to_string()).collect();
    let mut command = match &text {
        Some(t) => command.after_help(t.clone()),
        None => command,
    };
    for name in names {
        let child = if path.is_empty() {
            name.clone()
        } else {
            format!("{path} {name}")
        };
        let inherit = text.clone();
        command = command.mut_subcommand(&name, |c| augment(c, &child, inherit.as_deref()));
    }
    command
}

/// The CLI's [`clap::Command`] with every subcommand's examples and exit codes.
pub fn command() -> clap::Command {
    let top = section(
        &[
            "upi-conformance run",
            "upi-conformance run --target URL --report junit=report.xml",
            "upi-conformance SUBCOMMAND --help",
        ],
        "0 success; 1 failures or violations; 2 usage or configuration error, unreadable input; 3 target unreachable",
    );
    augment(Cli::command(), "", None).after_help(top)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_top_level_subcommand_has_its_own_entry() {
        let command = super::command();
        for sub in command.get_subcommands().filter(|c| c.get_name() != "help") {
            assert!(
                super::HELP.iter().any(|(p, _, _)| *p == sub.get_name()),
                "no examples for {}",
                sub.get_name()
            );
        }
    }
}
