//! The flows as declared paths through the model ([`super::Model`]): data, walked by the
//! runner's one driver.

use super::{Check, Path, Step, Target, Transition, step};
use crate::model::api::Flow;

/// The udfs the persistence flow posts in `var2`..`var6`: seed 004's non-autopay sample, with a
/// `var3` the sample leaves out, so every udf changes.
const UDF_VALUES: &[(&str, &str)] = &[
    ("var2", "AAAPZ1234C"),
    ("var3", "Buyer2"),
    ("var4", "22/08/1972"),
    ("var5", "SellerName"),
    ("var6", "INV000000005"),
];

/// The invoice number seed 004's samples update and upload.
const INVOICE: &[(&str, &str)] = &[("var6", "INV000000005")];

/// `_payment` with `api_version` 7 and udf6..udf10 (ERRATA C-02).
const API_VERSION_7: &[(&str, &str)] = &[
    ("api_version", "7"),
    ("udf6", "UDF6"),
    ("udf7", "UDF7"),
    ("udf8", "UDF8"),
    ("udf9", "UDF9"),
    ("udf10", "UDF10"),
];

/// The path of a flow.
pub fn path(flow: Flow) -> Path {
    use Target::{Fresh, Step as At, Unknown};
    use Transition::*;
    let (documents, steps): (u64, &'static [Step]) = match flow {
        Flow::OrderTxnsDeeplink => (
            1_000,
            const {
                &[
                    Step {
                        checks: &[Check::OrderAnswer],
                        ..step(CreateOrder, Fresh)
                    },
                    Step {
                        checks: &[Check::Acceptance, Check::DeeplinkAmount],
                        ..step(PayOrder, At(0))
                    },
                ]
            },
        ),
        Flow::UnknownOrderRejected => (2_000, const { &[step(PayOrder, Unknown)] }),
        Flow::FormatRedirect => (
            9_000,
            const {
                &[
                    step(CreateOrder, Fresh),
                    Step {
                        // Seed 001 names no `format` but `json`.
                        with: &[("format", "html")],
                        checks: &[Check::FormatRedirect],
                        ..step(PayOrder, At(0))
                    },
                ]
            },
        ),
        Flow::DuplicateRejected => (3_000, const { &[step(Register, Fresh), step(Register, At(0))] }),
        Flow::DuplicateTxnidRejected => (5_000, const { &[step(Pay, Fresh), step(Pay, At(0))] }),
        Flow::CallbackVerifyUdf => (
            8_000,
            const {
                &[
                    step(Pay, Fresh),
                    Step {
                        checks: &[Check::VerifyStatus],
                        ..step(Verify, At(0))
                    },
                    Step {
                        checks: &[Check::Callback],
                        ..step(Complete, At(0))
                    },
                    step(Settle, At(0)),
                    Step {
                        checks: &[Check::VerifyStatus],
                        ..step(Verify, At(0))
                    },
                    Step {
                        with: INVOICE,
                        checks: &[Check::UdfEcho],
                        ..step(UdfUpdate, At(0))
                    },
                ]
            },
        ),
        Flow::UdfUpdatePersisted => (
            10_000,
            const {
                &[
                    step(Pay, Fresh),
                    Step {
                        with: UDF_VALUES,
                        checks: &[Check::UdfEcho],
                        ..step(UdfUpdate, At(0))
                    },
                    Step {
                        checks: &[Check::UdfsPersisted(1)],
                        ..step(Verify, At(0))
                    },
                ]
            },
        ),
        Flow::ApiVersion7Hash => (
            11_000,
            const {
                &[Step {
                    with: API_VERSION_7,
                    checks: &[Check::ApiVersion7Readings],
                    ..step(Pay, Fresh)
                }]
            },
        ),
        Flow::IntentTidUnique => (
            12_000,
            const {
                &[
                    step(Pay, Fresh),
                    Step {
                        checks: &[Check::TidDistinct(0)],
                        ..step(Pay, Fresh)
                    },
                ]
            },
        ),
        Flow::UdfUpdateUnknownTxnid => (
            0,
            const {
                &[Step {
                    with: INVOICE,
                    ..step(UdfUpdate, Unknown)
                }]
            },
        ),
        Flow::InvoiceUnknownPayuid => (
            0,
            const {
                &[Step {
                    with: &[("var2", "INV000000005"), ("var3", "Invoice"), ("file", "@invoice.pdf")],
                    checks: &[Check::RefusalCode("107")],
                    ..step(InvoiceUpload, Unknown)
                }]
            },
        ),
    };
    Path { documents, steps }
}
