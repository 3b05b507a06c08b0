//! Seed 003, Juspay UPI Merchant Stack `registerIntent`: V3, V2, V1 and Default (no
//! `x-api-version`), each its own request and response message. The request body travels as
//! the payload of a flattened JWS ([`merchant.jws-envelope`](envelope)). The presence matrices
//! below are the whole difference between the versions: one row per field, one column per
//! version (V3, V2, V1, Default); `X` means the version does not have the field.

use crate::format::Format;
use crate::model::{
    Cond, Constraint, Cross, Direction, Echo, EchoFrom, Encoding, Endpoint, Envelope, Field, Item, Message, Obj, field,
    object, rule,
};
use crate::source::{Source, seeds::REGISTER_INTENT};

use super::register_intent_parts::{
    C, M, MERCHANT_REQUEST_ID, MODES, O, PURPOSES, R, REMARKS, RESPONSE_CODES, Version, X, for_version, mutual_funds,
    payer_account_hashes, split_settlement, udf_parameters,
};

const PATH: &str = "/api/{uri}/merchants/transactions/registerIntent";
const REF_URL_NOTE: Source = Source::seed(REGISTER_INTENT, "API Version: V2 > Merchant Register Intent > Note 2");
const DEEPLINK_URL: Source = Source::derived(
    "refUrl becomes the deeplink's url, which NPCI requires to start with http or https (DOMAIN.md); URLs past 2,048 characters are not portable",
);

pub(super) fn messages() -> Vec<Message> {
    let mut out = vec![envelope()];
    for v in Version::ALL {
        out.push(request(v));
        out.push(response(v));
    }
    out
}

fn ids(v: Version) -> (&'static str, &'static str) {
    (v.request().as_str(), v.response().as_str())
}

/// The outer JWS body every version's request travels in.
fn envelope() -> Message {
    let src = Source::seed(REGISTER_INTENT, "API Version: V3 > Code Snippets > Shell Code Snippet");
    let part = |name| field(name).mandatory().format(Format::Base64UrlNoPad).src(src);
    Message {
        id: "merchant.jws-envelope",
        title: "Merchant Stack flattened JWS request body",
        direction: Direction::Request,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 0,
        }),
        source: src,
        headers: Vec::new(),
        body: Obj {
            fields: vec![part("protected"), part("payload"), part("signature")],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: None,
        echoes: Vec::new(),
        notes: &[
            "protected = base64url({\"alg\":\"RS256\",\"kid\":...}); signature over <protected>.<payload> (DOMAIN.md).",
        ],
    }
}

fn headers(v: Version) -> Vec<Field> {
    let src = v.section("headers");
    let api_version = field("x-api-version").src(src);
    let api_version = match v.header() {
        Some(number) => api_version.mandatory().constant(number),
        None => api_version
            .absent()
            .doc("the Default version is selected by sending no x-api-version"),
    };
    vec![
        field("content-type")
            .mandatory()
            .check(Constraint::MediaType("application/json"))
            .src(src),
        field("x-merchant-id").mandatory().min_len(1).src(src),
        field("x-merchant-channel-id").mandatory().min_len(1).src(src),
        field("x-timestamp").mandatory().format(Format::EpochMillis13).src(src),
        field("jpupi-routing-id")
            .mandatory()
            .min_len(1)
            .src(src)
            .doc("same value as merchantRequestId"),
        api_version,
    ]
}

fn request(v: Version) -> Message {
    let src = v.section("body");
    let remarks = match v {
        Version::V3 => field("remarks").min_len(1).max_len(50).charset(REMARKS),
        _ => field("remarks"),
    };
    let rows = vec![
        //   V3 V2 V1 Default
        (
            [M, M, M, M],
            field("merchantRequestId")
                .max_len(35)
                .min_len(1)
                .charset(MERCHANT_REQUEST_ID),
        ),
        (
            [X, O, O, X],
            field("upiRequestId")
                .max_len(35)
                .charset(crate::charset::ALNUM)
                .doc("sent to the UPI switch"),
        ),
        ([M, M, M, R], field("amount").format(Format::Amount2dp)),
        (
            [R, O, O, R],
            field("intentRequestExpiryMinutes").format(Format::PositiveInt),
        ),
        ([M, M, X, R], field("flow").one_of(&["TRANSACTION", "MANDATE"])),
        ([O, O, O, O], remarks),
        (
            [O, O, O, O],
            field("refUrl")
                .max_len(2048)
                .check_from(Constraint::Format(Format::HttpUrl), DEEPLINK_URL),
        ),
        (
            [O, O, O, O],
            field("refCategory")
                .one_of(&["01", "02"])
                .doc("01 advertisement, 02 invoice"),
        ),
        ([X, O, O, X], field("merchantCustomerId").min_len(1)),
        (
            [M, X, X, M],
            field("iat")
                .format(Format::EpochMillis13)
                .doc("current time, 13-digit epoch milliseconds"),
        ),
        ([O, O, O, O], udf_parameters()),
        ([O, O, O, O], mutual_funds(v, src)),
        ([C, C, O, C], payer_account_hashes()),
        ([O, X, X, X], split_settlement(src)),
    ];
    let (id, _) = ids(v);
    Message {
        id,
        title: "Merchant Stack registerIntent (request)",
        direction: Direction::Request,
        encoding: Encoding::Json,
        envelope: Some(Envelope::FlattenedJws),
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 0,
        }),
        source: src,
        headers: headers(v),
        body: Obj {
            fields: for_version(v, src, rows),
            rules: vec![rule(
                "ref-url-needs-category",
                "refUrl and refCategory are sent together or not at all",
                REF_URL_NOTE,
                Cross::Together(&["refUrl", "refCategory"]),
            )],
        },
        rules: vec![rule(
            "routing-id-equals-merchant-request-id",
            "the jpupi-routing-id header carries the body's merchantRequestId",
            Source::seed(REGISTER_INTENT, "Headers > jpupi-routing-id"),
            Cross::HeaderEqualsField {
                header: "jpupi-routing-id",
                field: "merchantRequestId",
            },
        )],
        request: None,
        echoes: Vec::new(),
        notes: &[
            "The body is the JWS payload; validate accepts either the decoded JSON or the envelope.",
            "payerAccountHashes is 'conditional' without a condition in V3, V2 and Default: required for TPV merchants.",
        ],
    }
}

fn response(v: Version) -> Message {
    let src = v.section("response");
    let rows = vec![
        //   V3 V2 V1 Default
        ([M, M, M, M], field("merchantId").min_len(1).seed_name("MerchantId")),
        (
            [M, M, M, M],
            field("merchantChannelId").min_len(1).seed_name("MerchantChannelId"),
        ),
        (
            [M, M, M, M],
            field("merchantRequestId")
                .max_len(35)
                .charset(MERCHANT_REQUEST_ID)
                .seed_name("MerchantRequestId"),
        ),
        (
            [M, M, M, M],
            field("gatewayTransactionId")
                .min_len(1)
                .seed_name("GatewayTransactionId"),
        ),
        ([M, M, M, M], field("orderId").min_len(1).seed_name("OrderId")),
        (
            [M, O, O, O],
            field("payeeVpa").format(Format::Vpa).seed_name("PayeeVpa"),
        ),
        ([M, M, M, M], field("payeeName").min_len(1).seed_name("PayeeName")),
        (
            [O, O, O, O],
            field("payeeMcc").format(Format::Mcc).seed_name("PayeeMcc"),
        ),
        (
            [M, M, M, O],
            field("amount").format(Format::Amount2dp).seed_name("Amount"),
        ),
        ([O, O, O, O], field("currency").constant("INR").seed_name("Currency")),
        ([O, O, O, O], field("remarks").seed_name("Remarks")),
        (
            [O, M, X, X],
            field("flow").one_of(&["TRANSACTION", "MANDATE"]).seed_name("Flow"),
        ),
        ([O, O, O, O], mutual_funds(v, src).seed_name("MutualFundDetails")),
        ([C, C, C, C], payer_account_hashes().seed_name("PayerAccountHashes")),
        ([O, X, X, X], split_settlement(src).seed_name("SplitSettlementDetails")),
        ([O, O, O, O], field("refUrl").seed_name("RefUrl")),
        (
            [O, O, O, O],
            field("refCategory").one_of(&["01", "02"]).seed_name("RefCategory"),
        ),
        (
            [O, O, O, O],
            field("merchantCustomerId").seed_name("MerchantCustomerId"),
        ),
        (
            [O, X, X, X],
            field("purpose")
                .one_of(PURPOSES)
                .src(Source::seed(
                    REGISTER_INTENT,
                    "API Version: V3 > Merchant Register Intent > mapping table",
                ))
                .doc("deeplink purpose; conditional"),
        ),
        (
            [O, X, X, X],
            field("txnInitiationMode")
                .one_of(MODES)
                .src(Source::seed(
                    REGISTER_INTENT,
                    "API Version: V3 > Merchant Register Intent > mapping table",
                ))
                .seed_name("TxnInitiationMode")
                .doc("deeplink mode; the mapping table capitalises it, the wire name follows the API's camelCase"),
        ),
    ];
    let payload = Item::of(object(for_version(v, src, rows)));
    let (request_id, id) = ids(v);
    let mut echoes = vec![
        echo(&["payload", "merchantId"], EchoFrom::Header("x-merchant-id"), src),
        echo(
            &["payload", "merchantChannelId"],
            EchoFrom::Header("x-merchant-channel-id"),
            src,
        ),
        echo(
            &["payload", "merchantRequestId"],
            EchoFrom::Body(&["merchantRequestId"]),
            src,
        ),
        echo(
            &["payload", "amount"],
            EchoFrom::Body(&["amount"]),
            Source::derived("the intent is registered for the requested amount"),
        ),
        echo(
            &["payload", "mutualFundDetails"],
            EchoFrom::Body(&["mutualFundDetails"]),
            src,
        ),
        echo(
            &["payload", "payerAccountHashes"],
            EchoFrom::Body(&["payerAccountHashes"]),
            src,
        ),
        echo(&["payload", "refUrl"], EchoFrom::Body(&["refUrl"]), src),
        echo(&["payload", "refCategory"], EchoFrom::Body(&["refCategory"]), src),
        echo(&["udfParameters"], EchoFrom::Body(&["udfParameters"]), src),
    ];
    if v == Version::V3 {
        echoes.push(echo(
            &["payload", "splitSettlementDetails"],
            EchoFrom::Body(&["splitSettlementDetails"]),
            src,
        ));
    }
    Message {
        id,
        title: "Merchant Stack registerIntent (200 response)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: PATH,
            status: 200,
        }),
        source: src,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("status").mandatory().one_of(&["SUCCESS", "FAILURE"]).src(src),
                field("responseCode")
                    .mandatory()
                    .should(
                        Constraint::Enum(RESPONSE_CODES),
                        Source::derived("the codes Juspay's integrations use (DOMAIN.md)"),
                    )
                    .src(src),
                field("responseMessage").mandatory().min_len(1).src(src),
                field("payload").conditional().item(payload).src(src),
                udf_parameters().src(src),
            ],
            rules: vec![
                rule(
                    "payload-on-success",
                    "payload is present when status is SUCCESS",
                    Source::derived("the 200 table marks payload mandatory; a FAILURE answer has nothing to register"),
                    Cross::RequiredWhen {
                        field: "payload",
                        when: Cond::Eq("status", "SUCCESS"),
                    },
                ),
                rule(
                    "success-code-only-on-success",
                    "responseCode is SUCCESS only when status is SUCCESS",
                    Source::derived("a FAILURE status with a SUCCESS code would contradict itself"),
                    Cross::ValueOnlyWhen {
                        field: "responseCode",
                        value: "SUCCESS",
                        when: Cond::Eq("status", "SUCCESS"),
                    },
                ),
            ],
        },
        rules: Vec::new(),
        request: Some(request_id),
        echoes,
        notes: &["Responses with HTTP 200 carry an x-response-signature header (see the signature rules)."],
    }
}

fn echo(response: &'static [&'static str], from: EchoFrom, source: Source) -> Echo {
    Echo { response, from, source }
}
