//! Juspay EC order creation, `POST /orders`: not in the seeds, but seed 001's `/txns` pays an
//! existing order ("order_id pertaining to the order for which the payment is started"), so
//! a conformance run has to create one. Modelled minimally from Juspay's public EC API
//! (DOMAIN.md: every EC API but `/txns` uses HTTP Basic auth with the API key as user name).

use crate::format::Format;
use crate::model::{Constraint, Direction, Echo, EchoFrom, Encoding, Endpoint, Message, Obj, field};
use crate::source::Source;

const ORDERS: Source = Source::derived(
    "Juspay's order API, which seed 001 presupposes: an order with an amount exists before /txns pays it (DOMAIN.md, Juspay EC API)",
);
const AUTH: Source =
    Source::derived("DOMAIN.md: every EC API but /txns uses HTTP Basic auth with the API key as user name");

pub(super) fn messages() -> Vec<Message> {
    vec![request(), response()]
}

fn request() -> Message {
    Message {
        id: "ec.orders.request",
        title: "Juspay EC POST /orders (request)",
        direction: Direction::Request,
        encoding: Encoding::Form,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: "/orders",
            status: 0,
        }),
        source: ORDERS,
        headers: vec![
            field("authorization")
                .mandatory()
                .min_len(7)
                .src(AUTH)
                .doc("Basic base64(api_key:)"),
            field("content-type")
                .mandatory()
                .check(Constraint::MediaType("application/x-www-form-urlencoded"))
                .src(ORDERS),
        ],
        body: Obj {
            fields: vec![
                field("order_id")
                    .mandatory()
                    .min_len(1)
                    .max_len(21)
                    .charset(crate::charset::ALNUM.with("letters, digits, '-' and '_'", b"-_"))
                    .src(ORDERS),
                field("amount").mandatory().format(Format::Decimal).src(ORDERS),
                field("currency").constant("INR").src(ORDERS),
                field("customer_id").min_len(1).src(ORDERS),
                field("return_url").format(Format::HttpUrl).src(ORDERS),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: None,
        echoes: Vec::new(),
        notes: &["Only what a /txns payment needs; Juspay's order API has many more optional fields."],
    }
}

fn response() -> Message {
    Message {
        id: "ec.orders.response",
        title: "Juspay EC POST /orders (200 response)",
        direction: Direction::Response,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: Some(Endpoint {
            method: "POST",
            path: "/orders",
            status: 200,
        }),
        source: ORDERS,
        headers: Vec::new(),
        body: Obj {
            fields: vec![
                field("order_id").mandatory().min_len(1).src(ORDERS),
                field("id")
                    .mandatory()
                    .min_len(1)
                    .src(ORDERS)
                    .doc("Juspay's own order ID"),
                field("status").mandatory().one_of(&["CREATED", "NEW"]).src(ORDERS),
                field("amount").format(Format::Decimal).src(ORDERS),
            ],
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request: Some("ec.orders.request"),
        echoes: vec![Echo {
            response: &["order_id"],
            from: EchoFrom::Body(&["order_id"]),
            source: ORDERS,
        }],
        notes: &[],
    }
}
