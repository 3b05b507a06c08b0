//! Seed 004, PayU "UPI Intent with S2S": the `_payment` request (form fields, including every
//! optional field the hash sequence names) and the S2S JSON response carrying `intentURIData`.

use crate::charset::ALNUM;
use crate::format::Format;
use crate::model::{
    Constraint, Direction, Echo, EchoFrom, Encoding, Endpoint, Field, Item, Kind, Message, Obj, field, json_string,
    map, object,
};
use crate::source::{Source, seeds::PAYU};

const PARAMS: Source = Source::seed(PAYU, "Step 1: Initiate payment > Request parameters");
const HASHING: Source = Source::seed(PAYU, "Step 1: Initiate payment > Hashing Logic");
const SAMPLE: Source = Source::seed(PAYU, "Step 1: Initiate payment > Sample Request");
const RESPONSE: Source = Source::seed(PAYU, "Step 2: Invoke UPI Intent > Sample respose");
const HASH_FIELDS: Source = Source::derived(
    "PayU's request hash covers key, txnid, amount, productinfo, firstname and email (DOMAIN.md); they must be posted, possibly empty",
);

pub(super) fn messages() -> Vec<Message> {
    vec![request(), response(), error()]
}

/// A rejected `_payment`: the seed shows no error answer; we model the S2S response's own
/// shape with a failed status and no result (PayU's S2S APIs answer errors that way).
fn error() -> Message {
    let why = Source::derived(
        "the seed prints no _payment error; a rejection keeps the S2S response's metaData with txnStatus failed, a message saying why, and no result",
    );
    let meta = vec![
        field("message")
            .mandatory()
            .min_len(1)
            .src(why)
            .doc("why the payment was refused"),
        field("referenceId").nullable().src(why),
        field("statusCode").nullable().src(why),
        field("txnId").nullable().src(why),
        field("txnStatus").mandatory().constant("failed").src(why),
        field("unmappedStatus").mandatory().constant("failed").src(why),
    ];
    Message {
        id: "payu.payment.error",
        title: "PayU _payment S2S rejection",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: "/_payment",
            status: 400,
        }),
        source: why,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("metaData").mandatory().kind(object(meta)).src(why),
                field("result").nullable().kind(object(Vec::new())).src(why).doc("null"),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.payment.request"),
        echoes: Vec::new(),
        notes: &["Derived: the seed has no _payment error sample."],
    }
}

fn udf(name: &'static str) -> Field {
    field(name).max_len(255).src(PARAMS).presence_from(Source::derived(
        "PayU documents udf1-udf10 as free text of at most 255 characters",
    ))
}

/// udf6-udf10 exist only in hash sequence version 7 (seed 004, Hashing Logic, Case 4): posted
/// without `api_version` 7 they would not be hashed, and PayU could not authenticate them.
fn udf6_to_10_need_api_version_7() -> Vec<crate::model::CrossRule> {
    let rules = [
        ("udf6", "udf6-needs-api-version-7"),
        ("udf7", "udf7-needs-api-version-7"),
        ("udf8", "udf8-needs-api-version-7"),
        ("udf9", "udf9-needs-api-version-7"),
        ("udf10", "udf10-needs-api-version-7"),
    ];
    rules
        .into_iter()
        .map(|(udf, name)| {
            crate::model::rule(
                name,
                "udf6-udf10 are posted only with api_version 7, whose hash sequence carries them",
                HASHING,
                crate::model::Cross::AbsentUnless {
                    field: udf,
                    when: crate::model::Cond::Eq("api_version", "7"),
                },
            )
        })
        .collect()
}

fn request() -> Message {
    let mut fields = vec![
        field("key").mandatory().min_len(1).charset(ALNUM).src(PARAMS).doc("merchant key"),
        field("txnid").mandatory().min_len(1).max_len(100).src(PARAMS).doc("merchant transaction ID, unique per payment"),
        field("amount").mandatory().format(Format::Decimal).src(PARAMS).doc("hashed exactly as sent"),
        field("productinfo").mandatory().min_len(1).src(PARAMS).presence_from(HASH_FIELDS),
        field("firstname").mandatory().src(PARAMS).presence_from(HASH_FIELDS),
        field("email")
            .mandatory()
            .should(Constraint::Format(Format::Email), Source::derived("PayU uses it for the payment receipt"))
            .src(PARAMS)
            .presence_from(HASH_FIELDS),
        field("phone")
            .should(Constraint::Format(Format::Phone10), Source::derived("an Indian mobile number"))
            .src(PARAMS),
        field("lastname").src(PARAMS),
        field("pg").mandatory().constant("UPI").src(PARAMS).doc("payment method: UPI"),
        field("bankcode")
            .mandatory()
            .should(Constraint::Const("INTENT"), Source::seed(PAYU, "Step 1: Initiate payment > bankcode"))
            .src(PARAMS)
            .doc("INTENT for the generic intent; app-specific intents use other codes"),
        field("surl").mandatory().format(Format::HttpUrl).src(PARAMS).doc("success URL"),
        field("furl").mandatory().format(Format::HttpUrl).src(PARAMS).doc("failure URL"),
        field("address1").src(PARAMS),
        field("address2").src(PARAMS),
        field("city").src(PARAMS),
        field("state").max_len(50).src(PARAMS).doc("\"max 50 characters\""),
        field("country").src(PARAMS),
        field("zipcode").src(PARAMS),
        udf("udf1"),
        udf("udf2"),
        udf("udf3"),
        udf("udf4"),
        udf("udf5"),
        field("txn_s2s_flow").mandatory().constant("4").src(PARAMS).doc("4: UPI intent server-to-server"),
        field("s2s_client_ip").mandatory().format(Format::Ipv4).src(PARAMS).presence_from(Source::derived(
            "PayU's S2S flow requires the customer's IP and device; the seed lists both in the request",
        )),
        field("s2s_device_info").mandatory().min_len(1).src(PARAMS).presence_from(Source::derived(
            "PayU's S2S flow requires the customer's IP and device; the seed lists both in the request",
        )),
        field("upiAppName")
            .should(
                Constraint::Enum(&["gpay", "phonepe", "paytm", "qr", "amazonpay"]),
                Source::derived("the seed's enum table is cut after phonepe; its sample lists gpay/phonepe/paytm/qr/amazonpay as the choices"),
            )
            .src(PARAMS)
            .doc("specific intent: the app chosen, e.g. phonepe"),
        field("hash").mandatory().format(Format::Sha512Hex).src(PARAMS).doc("SHA-512 over the hash sequence"),
        field("api_version").one_of(&["1", "7"]).src(HASHING).doc("absent or 1: hash sequence version 1; 7 puts udf6-udf10 in the hash"),
        field("si_details").kind(json_string(Item::of(map(Item::of(Kind::Str))))).src(HASHING).doc("standing instruction details"),
    ];
    for name in ["udf6", "udf7", "udf8", "udf9", "udf10"] {
        fields.push(udf(name).src(HASHING));
    }
    // The fields the hash sequence appends after the salt (one list, in the crypto module).
    for name in crate::crypto::payu_sequence::REQUEST_AFTER_SALT {
        let f = match name {
            "udf_params" => field(name)
                .kind(json_string(Item::of(map(Item::of(Kind::Str)))))
                .doc("JSON of udf6-udf10, e.g. {\"udf7\":\"...\"}"),
            "buyer_type_business" => field(name).one_of(&["0", "1"]).doc("1 when the buyer is a business"),
            "additional_charges" | "subvention_amount" | "tcs_amount" => field(name).format(Format::Decimal),
            _ => field(name),
        };
        fields.push(f.src(HASHING));
    }
    Message {
        id: "payu.payment.request",
        title: "PayU _payment, UPI intent S2S (request)",
        direction: Direction::Request,
        encoding: Encoding::Form,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: "/_payment",
            status: 0,
        }),
        source: SAMPLE,
        headers: vec![
            field("content-type")
                .mandatory()
                .check(Constraint::MediaType("application/x-www-form-urlencoded"))
                .src(SAMPLE),
        ],
        body: Obj {
            fields,
            rules: udf6_to_10_need_api_version_7(),
        },
        rules: Vec::new(),
        request: None,
        echoes: Vec::new(),
        notes: &[
            "The seed's parameter table lost most descriptions; presence follows the hash sequence and the S2S flow (derived).",
            "The request hash itself is checked by the PayU hash rules, not by this model.",
        ],
    }
}

fn response() -> Message {
    let meta = vec![
        field("message").nullable().src(RESPONSE),
        field("referenceId").mandatory().min_len(1).src(RESPONSE),
        field("statusCode").nullable().src(RESPONSE),
        field("txnId").mandatory().min_len(1).src(RESPONSE),
        field("txnStatus").mandatory().min_len(1).src(RESPONSE),
        field("unmappedStatus")
            .mandatory()
            .min_len(1)
            .src(RESPONSE)
            .doc("pending: intentURIData is usable"),
    ];
    let result = vec![
        field("paymentId")
            .mandatory()
            .charset(crate::charset::DIGITS)
            .src(RESPONSE)
            .doc("PayU ID (mihpayid)"),
        field("merchantName").mandatory().min_len(1).src(RESPONSE),
        field("merchantVpa").mandatory().format(Format::Vpa).src(RESPONSE),
        field("amount").mandatory().format(Format::Amount2dp).src(RESPONSE),
        field("intentURIData")
            .mandatory()
            .min_len(1)
            .src(RESPONSE)
            .doc("the deeplink's query; prefix upi://pay? (checked by the deeplink grammar)"),
        field("acsTemplate")
            .format(Format::Base64)
            .src(RESPONSE)
            .doc("base64 HTML auto-submit form"),
        field("otpPostUrl").format(Format::HttpUrl).src(RESPONSE),
    ];
    Message {
        id: "payu.payment.response",
        title: "PayU _payment S2S response",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint { method: "POST", path: "/_payment", status: 200 }),
        source: RESPONSE,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("metaData").mandatory().kind(object(meta)).src(RESPONSE),
                field("result").mandatory().kind(object(result)).src(RESPONSE),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("payu.payment.request"),
        echoes: vec![Echo { response: &["metaData", "txnId"], from: EchoFrom::Body(&["txnid"]), source: RESPONSE }],
        notes: &[
            "The seed describes the response only through its sample; presence is derived from the sample and the deeplink construction.",
        ],
    }
    .with_presence_source(Source::derived(
        "the response is only shown as a sample: what the deeplink needs and what identifies the payment is required",
    ))
}
