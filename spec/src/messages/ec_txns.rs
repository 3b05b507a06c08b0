//! Seed 001, Juspay EC API "UPI Intent Payment": `POST /txns` (form-urlencoded), its 200 JSON
//! response with `payment.sdk_params`, and the 400 error shape.

use crate::format::Format;
use crate::model::{
    Constraint, Direction, Echo, EchoFrom, Encoding, Endpoint, Item, Message, Obj, array, field, json_string, object,
};
use crate::source::{Source, seeds::EC_TXNS};

const BODY: Source = Source::seed(EC_TXNS, "Body Parameters > Parameters");
const OK: Source = Source::seed(EC_TXNS, "API Responses > 200");
const ERR: Source = Source::seed(EC_TXNS, "API Responses > 400");
const URI: Source = Source::seed(
    EC_TXNS,
    "Construction of UPI Pay String code through the string mentioned",
);

pub(super) fn messages() -> Vec<Message> {
    vec![request(), response(), error()]
}

fn request() -> Message {
    Message {
        id: "ec.txns.request",
        title: "Juspay EC POST /txns, UPI intent (request)",
        direction: Direction::Request,
        encoding: Encoding::Form,
        envelope: None,
        endpoint: Some(Endpoint { method: "POST", path: "/txns", status: 0 }),
        source: Source::seed(EC_TXNS, "UPI Intent Payment"),
        headers: vec![
            field("content-type")
                .mandatory()
                .check(Constraint::MediaType("application/x-www-form-urlencoded"))
                .src(Source::seed(EC_TXNS, "Headers > Content-Type"))
                .seed_name("Content-Type"),
            field("x-routing-id")
                .mandatory()
                .min_len(1)
                .src(Source::seed(EC_TXNS, "Headers > x-routing-id"))
                .doc("customer_id, or an order/cart ID for guests; the same for all calls of a customer"),
        ],
        body: Obj {
            fields: vec![
                field("order_id").mandatory().min_len(1).src(BODY).doc("the order being paid"),
                field("merchant_id").mandatory().min_len(1).src(BODY).doc("the merchant account ID"),
                field("payment_method_type").mandatory().constant("UPI").src(BODY),
                field("payment_method").mandatory().min_len(1).src(BODY).doc("as returned by the Payment Method API"),
                field("txn_type")
                    .constant("UPI_PAY")
                    .src(BODY)
                    .doc("UPI_PAY for the old intent request; tagged Mandatory but obsolete for the new one, so optional (ERRATA E-006)"),
                field("redirect_after_payment").mandatory().format(Format::BoolString).src(BODY),
                field("format")
                    .mandatory()
                    .should(
                        Constraint::Const("json"),
                        Source::derived("an S2S integration needs the JSON 200 response; any other value answers 302"),
                    )
                    .src(BODY),
                field("sdk_params").should(Constraint::Const("true"), BODY).src(BODY).doc("\"Should be passed as true\""),
                field("upi_app").min_len(1).src(BODY).doc("package name of the chosen UPI app"),
                field("offers")
                    .kind(json_string(Item::of(array(Item::of(crate::model::Kind::Str)))))
                    .src(Source::derived(
                        "the seed types offers as an array of strings in a form body without saying how; we read it as a JSON array in the form value",
                    ))
                    .doc("offer IDs from /v1/offers/list"),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: None,
        echoes: Vec::new(),
        notes: &[
            "The seed's 'New UPI Intent Request' sample is an error body, not a request; only the old request is modelled.",
            "The seed gives no length or charset for order_id, merchant_id or x-routing-id.",
        ],
    }
}

fn response() -> Message {
    let sdk_params = vec![
        field("tr")
            .mandatory()
            .min_len(1)
            .src(OK)
            .seed_name("Sdk_params.tr")
            .doc("transaction reference, the URI's tr"),
        field("tid")
            .min_len(1)
            .src(URI)
            .seed_name("Sdk_params.tid")
            .doc("optional: \"tid is not a mandatory parameter\""),
        field("merchant_vpa")
            .mandatory()
            .format(Format::Vpa)
            .src(OK)
            .seed_name("Sdk_params.merchant_vpa"),
        field("merchant_name")
            .mandatory()
            .min_len(1)
            .src(OK)
            .seed_name("Sdk_params.merchant_name"),
        field("mcc")
            .mandatory()
            .format(Format::Mcc)
            .src(OK)
            .seed_name("Sdk_params.mcc"),
        field("amount")
            .mandatory()
            .format(Format::Decimal)
            .src(OK)
            .seed_name("Sdk_params.amount"),
    ];
    let authentication = vec![
        field("url")
            .mandatory()
            .format(Format::HttpUrl)
            .src(OK)
            .seed_name("Authentication.url"),
        field("method")
            .mandatory()
            .one_of(&["GET", "POST"])
            .src(OK)
            .seed_name("Authentication.method"),
    ];
    Message {
        id: "ec.txns.response",
        title: "Juspay EC POST /txns, UPI intent (200 response)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint { method: "POST", path: "/txns", status: 200 }),
        source: OK,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("txn_uuid").mandatory().min_len(1).src(OK),
                field("txn_id").mandatory().min_len(1).src(OK),
                field("status").mandatory().min_len(1).src(OK).doc("e.g. PENDING_VBV"),
                field("payment")
                    .mandatory()
                    .kind(object(vec![
                        field("sdk_params").mandatory().kind(object(sdk_params)).src(OK).seed_name("Sdk_params"),
                        field("authentication").mandatory().kind(object(authentication)).src(OK).seed_name("Authentication"),
                    ]))
                    .src(OK),
                field("order_id").mandatory().min_len(1).src(OK),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("ec.txns.request"),
        echoes: vec![Echo { response: &["order_id"], from: EchoFrom::Body(&["order_id"]), source: OK }],
        notes: &[
            "The 200 table gives no presence; we require what the sample shows and the URI needs (derived), tid stays optional as the seed says.",
            "sdk_params.amount is \"1\" in the sample while the URI sample prints am=1.00: we accept any decimal here and format the URI amount with two decimals.",
        ],
    }
    .with_presence_source(Source::derived(
        "the 200 table lists every field without presence; the URI construction needs tr, merchant_vpa, merchant_name, mcc and amount",
    ))
}

fn error() -> Message {
    Message {
        id: "ec.txns.error",
        title: "Juspay EC POST /txns (400 error)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: "/txns",
            status: 400,
        }),
        source: ERR,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("status").mandatory().constant("error").src(ERR),
                field("error_message")
                    .mandatory()
                    .min_len(1)
                    .src(ERR)
                    .doc("e.g. Order timed out"),
                field("error_code")
                    .mandatory()
                    .min_len(1)
                    .src(ERR)
                    .doc("e.g. invalid_request"),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("ec.txns.request"),
        echoes: Vec::new(),
        notes: &[
            "Juspay's SDKs also send status_id, user_message and error_info (DOMAIN.md); they are allowed, not required.",
        ],
    }
}
