//! Seed 004 steps 4 and 5: the S2S callback and the webhook PayU posts (form-urlencoded) to
//! the merchant, authenticated by the reverse hash.

use crate::format::Format;
use crate::model::{Direction, Encoding, Field, Message, Obj, Presence, field};
use crate::source::{Source, seeds::PAYU};

const CALLBACK: Source = Source::seed(
    PAYU,
    "Step 4: PayU sends Server-to-Server callback response > Implementation",
);
const WEBHOOK: Source = Source::seed(PAYU, "Step 5. Verify the payment > Sample Webhook Response");
const TABLE: Source = Source::seed(PAYU, "Step 5. Verify the payment > Callback Response Parameters");

/// The callback parameter list, in the seed's order.
pub const CALLBACK_PARAMETERS: [&str; 49] = [
    "mihpayid",
    "mode",
    "status",
    "key",
    "txnid",
    "amount",
    "productinfo",
    "firstname",
    "lastname",
    "address1",
    "address2",
    "city",
    "state",
    "country",
    "zipcode",
    "email",
    "phone",
    "udf1",
    "udf2",
    "udf3",
    "udf4",
    "udf5",
    "udf6",
    "udf7",
    "udf8",
    "udf9",
    "udf10",
    "card_token",
    "card_no",
    "field0",
    "field1",
    "field2",
    "field3",
    "field4",
    "field5",
    "field6",
    "field7",
    "field8",
    "field9",
    "offer",
    "discount",
    "offer_availed",
    "unmappedstatus",
    "hash",
    "bank_ref_no",
    "surl",
    "curl",
    "furl",
    "card_hash",
];

/// Webhook-only parameters seen in the seed's sample.
const WEBHOOK_EXTRA: [&str; 12] = [
    "addedon",
    "error",
    "payment_source",
    "cardToken",
    "authenticaticationMethod",
    "PG_TYPE",
    "error_Message",
    "offer_key",
    "bank_ref_num",
    "bankcode",
    "psp_name",
    "net_amount_debit",
];

pub(super) fn messages() -> Vec<Message> {
    vec![callback(), webhook()]
}

/// Constraints common to both forms, by parameter name.
fn param(name: &'static str, source: Source) -> Field {
    let f = field(name).src(source);
    match name {
        "status" => f
            .one_of(&["success", "failure", "pending"])
            .doc("success or failure (pending while unsettled)"),
        "hash" => f
            .format(Format::Sha512Hex)
            .doc("reverse hash: SHA-512 of salt|status||||||udf5|...|key"),
        "amount" => f.format(Format::Decimal),
        "txnid" | "mihpayid" | "key" => f.min_len(1),
        _ => f,
    }
}

fn callback() -> Message {
    let fields = CALLBACK_PARAMETERS
        .iter()
        .map(|n| {
            param(n, CALLBACK)
                .with_presence(Presence::Mandatory)
                .presence_from(Source::seed(PAYU, "Step 4 > Implementation: \"In case any parameter is not used, we would send it back to you with an empty string\""))
        })
        .collect();
    Message {
        id: "payu.callback",
        title: "PayU S2S callback to the merchant",
        direction: Direction::Response,
        encoding: Encoding::Form,
        envelope: None,
        endpoint: None,
        source: CALLBACK,
        headers: Vec::new(),
        body: Obj {
            fields,
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.payment.request"),
        echoes: Vec::new(),
        notes: &["Every listed parameter is sent, empty when unused; the seed's sample omits most of them (ERRATA)."],
    }
}

fn webhook() -> Message {
    let mut fields: Vec<Field> = CALLBACK_PARAMETERS
        .iter()
        .map(|n| {
            let f = param(n, WEBHOOK);
            if ["status", "txnid", "mihpayid", "amount", "productinfo", "hash"].contains(n) {
                f.src(TABLE).with_presence(Presence::Mandatory)
            } else {
                f
            }
        })
        .collect();
    fields.extend(WEBHOOK_EXTRA.iter().map(|n| param(n, WEBHOOK)));
    if let Some(phone) = fields.iter_mut().find(|f| f.key.label() == "phone") {
        *phone = param("phone", WEBHOOK).should(
            crate::model::Constraint::Format(Format::Phone10),
            Source::derived(
                "the customer's 10-digit mobile number; the webhook sample masks it as ########## (ERRATA E-075)",
            ),
        );
    }
    Message {
        id: "payu.webhook",
        title: "PayU payment webhook",
        direction: Direction::Response,
        encoding: Encoding::Form,
        envelope: None,
        endpoint: None,
        source: WEBHOOK,
        headers: Vec::new(),
        body: Obj {
            fields,
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.payment.request"),
        echoes: Vec::new(),
        notes: &[
            "The table 'Callback Response Parameters' names the six parameters we require; the rest are optional.",
        ],
    }
}
