//! Seed 004 steps 6 and 7: PayU's `postservice.php?form=2` commands `udf_update` and
//! `opgsp_upload_invoice_awb` (multipart forms authenticated by the command hash), with their
//! responses. `verify_payment` (step 3) is named but not specified by the seed; its request is
//! modelled from PayU's published command form (DOMAIN.md).

use crate::charset::DIGITS;
use crate::format::Format;
use crate::model::{Direction, Encoding, Endpoint, Field, Item, Message, Obj, field, int_or_str, map, object};
use crate::source::{Source, seeds::PAYU};

const UDF: Source = Source::seed(
    PAYU,
    "Step 6: Update Invoice ID [Conditional] > Sample request other then UPI AutoPay",
);
const UDF_OK: Source = Source::seed(
    PAYU,
    "Step 6: Update Invoice ID [Conditional] > Sample response > Success Scenario",
);
const UDF_FAIL: Source = Source::seed(
    PAYU,
    "Step 6: Update Invoice ID [Conditional] > Sample response > Failure Scenarios",
);
const INVOICE: Source = Source::seed(PAYU, "Step 7: Upload the Invoices [Optional] > Sample request");
const INVOICE_RESP: Source = Source::seed(PAYU, "Step 7: Upload the Invoices [Optional] > Sample response");
const VERIFY: Source = Source::derived("PayU's verify_payment command: key, command, var1 = txnid, hash (DOMAIN.md)");
const VERIFY_RESP: Source = Source::derived(
    "PayU's verify_payment answer (not in the seeds): status 1 with transaction_details by txnid, or status 0 with msg, the failure shape seed 004 prints for the other commands",
);
const PATH: &str = "/merchant/postservice.php?form=2";

pub(super) fn messages() -> Vec<Message> {
    vec![
        command(
            "payu.udf-update.request",
            "PayU udf_update (request)",
            "udf_update",
            UDF,
            udf_update_vars(),
        ),
        udf_update_response(),
        udf_update_error(),
        postservice_error(),
        command(
            "payu.invoice-upload.request",
            "PayU opgsp_upload_invoice_awb (request)",
            "opgsp_upload_invoice_awb",
            INVOICE,
            invoice_vars(),
        ),
        invoice_response(),
        command(
            "payu.verify-payment.request",
            "PayU verify_payment (request)",
            "verify_payment",
            VERIFY,
            vec![
                field("var1")
                    .mandatory()
                    .min_len(1)
                    .src(VERIFY)
                    .doc("txnid (several joined by |)"),
            ],
        ),
        verify_payment_response(),
    ]
}

/// `verify_payment`'s answer, minimal: what a status check needs (contract model for the
/// runner and the reference server; the seeds only name the command).
fn verify_payment_response() -> Message {
    let details = object(vec![
        field("mihpayid")
            .mandatory()
            .min_len(1)
            .src(VERIFY_RESP)
            .doc("PayU ID, or Not Found"),
        field("txnid").min_len(1).src(VERIFY_RESP),
        field("amt").format(Format::Decimal).src(VERIFY_RESP),
        field("status")
            .mandatory()
            .one_of(&["success", "failure", "pending", "Not Found"])
            .src(VERIFY_RESP),
        field("unmappedstatus").src(VERIFY_RESP),
    ]);
    Message {
        id: "payu.verify-payment.response",
        title: "PayU verify_payment (response)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 200,
        }),
        source: VERIFY_RESP,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                int_or_str("status")
                    .mandatory()
                    .src(VERIFY_RESP)
                    .doc("1 fetched, 0 refused (a number or a string)"),
                field("msg").mandatory().min_len(1).src(VERIFY_RESP),
                field("transaction_details")
                    .kind(map(Item::of(details)))
                    .src(VERIFY_RESP)
                    .doc("one entry per txnid asked for"),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.verify-payment.request"),
        echoes: Vec::new(),
        notes: &[
            "Not in the seeds: the shape PayU's verify_payment answers with, reduced to what a status check needs.",
        ],
    }
}

fn udf_update_vars() -> Vec<Field> {
    vec![
        field("var1").mandatory().min_len(1).src(UDF).doc("txnid"),
        field("var2").src(UDF).doc("udf1"),
        field("var3").src(UDF).doc("udf2"),
        field("var4").src(UDF).doc("udf3"),
        field("var5").src(UDF).doc("udf4"),
        field("var6").src(UDF).doc("udf5 (the invoice ID)"),
    ]
}

fn invoice_vars() -> Vec<Field> {
    vec![
        field("var1")
            .mandatory()
            .min_len(1)
            .charset(DIGITS)
            .src(INVOICE)
            .doc("PayU ID (mihpayid)"),
        field("var2").mandatory().min_len(1).src(INVOICE).doc("invoice ID"),
        field("var3")
            .mandatory()
            .one_of(&["Invoice", "AWB"])
            .src(INVOICE)
            .doc("type of upload"),
        field("file")
            .mandatory()
            .min_len(1)
            .src(INVOICE)
            .doc("the document (a file part)"),
    ]
}

fn command(id: &'static str, title: &'static str, command: &'static str, source: Source, vars: Vec<Field>) -> Message {
    let mut fields = vec![
        field("key").mandatory().min_len(1).src(source),
        field("command").mandatory().constant(command).src(source),
    ];
    fields.extend(vars);
    fields.push(
        field("hash")
            .mandatory()
            .format(Format::Sha512Hex)
            .src(source)
            .doc("sha512(key|command|var1|salt)"),
    );
    let encoding = if command == "verify_payment" {
        Encoding::Form
    } else {
        Encoding::Multipart
    };
    Message {
        id,
        title,
        direction: Direction::Request,
        encoding,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 0,
        }),
        source,
        headers: Vec::new(),
        body: Obj {
            fields,
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: None,
        echoes: Vec::new(),
        notes: &["The command hash is checked by the PayU command-hash rule, not by this model."],
    }
}

fn udf_update_response() -> Message {
    Message {
        id: "payu.udf-update.response",
        title: "PayU udf_update (success)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 200,
        }),
        source: UDF_OK,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("status").mandatory().constant("UDF values updated").src(UDF_OK),
                field("transaction_id").mandatory().min_len(1).src(UDF_OK),
                field("udf1").src(UDF_OK),
                field("udf2").src(UDF_OK),
                field("udf3").src(UDF_OK),
                field("udf4").src(UDF_OK),
                field("udf5").src(UDF_OK),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.udf-update.request"),
        echoes: vec![crate::model::Echo {
            response: &["transaction_id"],
            from: crate::model::EchoFrom::Body(&["var1"]),
            source: Source::derived("the success answer names the transaction whose udfs were updated (var1)"),
        }],
        notes: &["The sample answers var1=my_order_642 with transaction_id my_order_64240 (ERRATA)."],
    }
}

fn udf_update_error() -> Message {
    Message {
        id: "payu.udf-update.error",
        title: "PayU udf_update (failure)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 200,
        }),
        source: UDF_FAIL,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                int_or_str("status")
                    .mandatory()
                    .constant("0")
                    .src(UDF_FAIL)
                    .doc("0, sent as a number or a string"),
                field("msg").mandatory().min_len(1).src(UDF_FAIL),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.udf-update.request"),
        echoes: Vec::new(),
        notes: &["Two failures are printed in PHP print_r form; we model the JSON form the others show."],
    }
}

/// The answer to a command that cannot be routed (no `command`, an unknown one, or a body that
/// cannot be read): the seed's udf_update failures that name no command-specific condition
/// ("Parameter missing", "Merchant is not authorized to use PayU API") have this shape.
fn postservice_error() -> Message {
    let src = Source::seed(
        PAYU,
        "Step 6: Update Invoice ID [Conditional] > Sample response > Failure Scenarios",
    );
    Message {
        id: "payu.postservice.error",
        title: "PayU postservice.php error for a request no command can take",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 400,
        }),
        source: src,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                int_or_str("status")
                    .mandatory()
                    .constant("0")
                    .src(src)
                    .doc("0, sent as a number or a string"),
                field("msg").mandatory().min_len(1).src(src),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: None,
        echoes: Vec::new(),
        notes: &["Derived: the command-independent failures of the seed's udf_update section."],
    }
}

fn invoice_response() -> Message {
    Message {
        id: "payu.invoice-upload.response",
        title: "PayU opgsp_upload_invoice_awb (response)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 200,
        }),
        source: INVOICE_RESP,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("responseCode")
                    .mandatory()
                    .one_of(&["00", "103", "105", "107", "109"])
                    .src(INVOICE_RESP),
                field("responseMsg").mandatory().min_len(1).src(INVOICE_RESP),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.invoice-upload.request"),
        echoes: Vec::new(),
        notes: &[
            "Codes: 00 uploaded, 103 upload failed, 105 not a PACB merchant, 107 invalid PayU ID, 109 field missing.",
        ],
    }
}
