//! Value sets whose letter case is not part of the value: seed 002 lists the account `Type` as
//! "SAVINGS/CURRENT/OVERDRAFT" but the session table's example is "Savings".

use serde_json::json;
use upi_spec::input::Document;
use upi_spec::messages::ids;
use upi_spec::{generate, validate::validate};

const RULE: &str = "tpap.onboarding.response.payload.linkedAccounts[].account.type.enum";

/// The onboarding response violations on the account-type rule for an account of type `kind`.
fn type_findings(kind: &str) -> Vec<String> {
    let message = ids::TPAP_ONBOARDING_RESPONSE.message();
    let mut body = generate::valid(message, 1).body;
    body["payload"]["linkedAccounts"] = json!([{"vpa": "a@ref", "account": {"type": kind}}]);
    validate(message, &Document::body(body))
        .into_iter()
        .filter(|v| v.rule == RULE)
        .map(|v| v.to_string())
        .collect()
}

#[test]
fn account_types_compare_without_letter_case() {
    for kind in ["SAVINGS", "CURRENT", "OVERDRAFT", "Savings", "overdraft", "cUrReNt"] {
        assert!(
            type_findings(kind).is_empty(),
            "{kind:?} is a listed type: {:?}",
            type_findings(kind)
        );
    }
}

#[test]
fn other_account_types_break_the_must() {
    for kind in ["LOAN", "SAVING", "SAVINGS ", "", "NRE"] {
        assert_eq!(type_findings(kind).len(), 1, "{kind:?} is not a listed type");
    }
}
