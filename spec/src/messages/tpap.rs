//! Seed 002, Juspay UPI TPAP SDK process payloads: the `{requestId, service, payload}`
//! envelope, each action's request and response, and the signed `signaturePayload` (a JSON
//! object carried as a string) in its three shapes: session, payment and mandate.

use crate::format::Format;
use crate::model::{
    Cond, Cross, CrossRule, Direction, Echo, EchoFrom, Encoding, Field, Item, Kind, Message, Obj, bool_field, field,
    json_string, map, object, rule,
};
use crate::source::{Source, seeds::TPAP_SDK};

use super::tpap_accounts::{SESSION_ACCOUNT, vpa_account, vpa_accounts};
use super::tpap_mandate::{mandate_response, signature_payload_fields, signature_payload_rules};

const SERVICE: &str = "in.juspay.hyperapi";
const PAY_STATUSES: &[&str] = &[
    "SUCCESS",
    "PENDING",
    "FAILURE",
    "Pay_Failure",
    "BACKPRESS",
    "USER_ABORTED",
];
const TXN_STATUSES: &[&str] = &["SUCCESS", "PENDING", "FAILURE"];
const RESPONSE_PRESENCE: Source = Source::derived(
    "the response tables give types without presence; every sample carries requestId, service, payload.action, payload.status, error and event",
);

/// Which signed payload an action carries.
#[derive(Clone, Copy)]
enum Signed {
    Session,
    Payment,
    Mandate,
}

struct Action {
    id: &'static str,
    request_id: &'static str,
    response_id: &'static str,
    title: &'static str,
    section: &'static str,
    response_section: &'static str,
    action: &'static str,
    signed: Signed,
}

const ACTIONS: [Action; 6] = [
    Action {
        id: "tpap.get-session-token",
        request_id: "tpap.get-session-token.request",
        response_id: "tpap.get-session-token.response",
        title: "TPAP SDK upiGetSessionToken",
        section: "1. Get Session Token > Request Payload",
        response_section: "1. Get Session Token > Response Payload",
        action: "upiGetSessionToken",
        signed: Signed::Session,
    },
    Action {
        id: "tpap.onboarding",
        request_id: "tpap.onboarding.request",
        response_id: "tpap.onboarding.response",
        title: "TPAP SDK onboarding",
        section: "2. UPI Onboarding > Request Payload",
        response_section: "2. UPI Onboarding > Response Payload",
        action: "onboarding",
        signed: Signed::Session,
    },
    Action {
        id: "tpap.onboarding-and-pay",
        request_id: "tpap.onboarding-and-pay.request",
        response_id: "tpap.onboarding-and-pay.response",
        title: "TPAP SDK onboardingAndPay",
        section: "3. UPI Onboarding and Payment > Request Payload",
        response_section: "3. UPI Onboarding and Payment > Response Payload",
        action: "onboardingAndPay",
        signed: Signed::Payment,
    },
    Action {
        id: "tpap.upi-txn",
        request_id: "tpap.upi-txn.request",
        response_id: "tpap.upi-txn.response",
        title: "TPAP SDK upiTxn (P2M payment)",
        section: "4. UPI Payment (P2M) > Request Payload",
        response_section: "4. UPI Payment (P2M) > Response Payload",
        action: "upiTxn",
        signed: Signed::Payment,
    },
    Action {
        id: "tpap.onboarding-and-create-mandate",
        request_id: "tpap.onboarding-and-create-mandate.request",
        response_id: "tpap.onboarding-and-create-mandate.response",
        title: "TPAP SDK onboardingAndPay with shouldCreateMandate",
        section: "5. UPI Onboarding and Mandate Creation > Request Payload",
        response_section: "5. UPI Onboarding and Mandate Creation > Response Payload",
        action: "onboardingAndPay",
        signed: Signed::Mandate,
    },
    Action {
        id: "tpap.create-mandate",
        request_id: "tpap.create-mandate.request",
        response_id: "tpap.create-mandate.response",
        title: "TPAP SDK upiTxn with shouldCreateMandate",
        section: "6. UPI Mandate Creation > Request Payload",
        response_section: "6. UPI Mandate Creation > Response Payload",
        action: "upiTxn",
        signed: Signed::Mandate,
    },
];

pub(super) fn messages() -> Vec<Message> {
    let mut out: Vec<Message> = ACTIONS.iter().flat_map(|a| [request(a), response(a)]).collect();
    for (id, title, signed) in [
        (
            "tpap.signature-payload.session",
            "signaturePayload of session and onboarding calls",
            Signed::Session,
        ),
        (
            "tpap.signature-payload.payment",
            "signaturePayload of payment calls",
            Signed::Payment,
        ),
        (
            "tpap.signature-payload.mandate",
            "signaturePayload of mandate-creation calls",
            Signed::Mandate,
        ),
    ] {
        let Kind::Object(body) = signature_payload(signed).kind else {
            unreachable!("signature payloads are objects")
        };
        out.push(Message {
            id,
            title,
            direction: Direction::Request,
            encoding: Encoding::Json,
            envelope: None,
            endpoint: None,
            source: signed_source(signed),
            headers: Vec::new(),
            body,
            rules: Vec::new(),
            request: None,
            echoes: Vec::new(),
            notes: &["Signed byte-for-byte by the merchant's server; see the signaturePayload signature rules."],
        });
    }
    out
}

fn signed_source(signed: Signed) -> Source {
    match signed {
        Signed::Session => Source::seed(
            TPAP_SDK,
            "1. Get Session Token > Request Payload > Payload > SignaturePayload",
        ),
        Signed::Payment => Source::seed(
            TPAP_SDK,
            "4. UPI Payment (P2M) > Request Payload > Payload > SignaturePayload",
        ),
        Signed::Mandate => Source::seed(
            TPAP_SDK,
            "5. UPI Onboarding and Mandate Creation > Request Payload > Payload > SignaturePayload",
        ),
    }
}

/// The content of `signaturePayload` for each kind of call.
fn signature_payload(signed: Signed) -> Item {
    let src = signed_source(signed);
    let mut fields = vec![
        field("merchant_id")
            .mandatory()
            .min_len(1)
            .src(src)
            .seed_name("Merchant_id"),
        field("customer_id")
            .mandatory()
            .min_len(1)
            .src(src)
            .seed_name("Customer_id"),
        field("timestamp")
            .mandatory()
            .format(Format::EpochMillis13)
            .src(src)
            .seed_name("Timestamp"),
    ];
    let mut rules: Vec<CrossRule> = Vec::new();
    if matches!(signed, Signed::Payment | Signed::Mandate) {
        fields.extend([
            field("amount")
                .mandatory()
                .format(Format::Amount2dp)
                .src(src)
                .seed_name("Amount"),
            field("order_id").mandatory().min_len(1).src(src).seed_name("Order_id"),
            field("metadata.<psp>:gateway_reference_id")
                .any_of(
                    "metadata.<psp>:gateway_reference_id",
                    &[
                        "metadata.AXIS_BIZ:gateway_reference_id",
                        "metadata.YES_BIZ:gateway_reference_id",
                    ],
                )
                .conditional()
                .min_len(1)
                .src(src)
                .seed_name("Metadata.<issuing_psp>:gateway_reference_id")
                .doc("needed when the merchant has several VPAs; the PSP is AXIS_BIZ or YES_BIZ"),
        ]);
    }
    if matches!(signed, Signed::Payment | Signed::Mandate) {
        rules.push(rule(
            "psp-key-known",
            "every metadata.<psp>: key names AXIS_BIZ or YES_BIZ",
            Source::seed(
                TPAP_SDK,
                "4. UPI Payment (P2M) > Request Payload > Metadata.<issuing_psp>:gateway_reference_id",
            ),
            Cross::KnownKeys { prefix: "metadata." },
        ));
    }
    if let Signed::Mandate = signed {
        fields.extend(signature_payload_fields());
        rules.extend(signature_payload_rules());
    }
    Item::of(Kind::Object(Obj { fields, rules }))
}

fn request(a: &Action) -> Message {
    let src = Source::seed(TPAP_SDK, a.section);
    let mut payload = vec![
        field("action")
            .mandatory()
            .constant(a.action)
            .src(src)
            .seed_name("Action"),
        field("merchantKeyId")
            .mandatory()
            .min_len(1)
            .src(src)
            .seed_name("MerchantKeyId"),
        field("signature")
            .mandatory()
            .min_len(1)
            .src(src)
            .seed_name("Signature"),
        field("signaturePayload")
            .mandatory()
            .kind(json_string(signature_payload(a.signed)))
            .src(src)
            .seed_name("SignaturePayload"),
    ];
    match a.id {
        "tpap.onboarding-and-pay" => payload.extend([
            field("customerMobileNumber")
                .conditional()
                .format(Format::Mobile12)
                .src(src)
                .seed_name("CustomerMobileNumber")
                .doc("device binding uses this number when passed"),
            bool_field("showStatusScreen")
                .src(src)
                .seed_name("ShowStatusScreen")
                .doc("Boolean as the table says; the sample sends the string \"true\" (ERRATA)"),
            field("accountRefId").min_len(1).src(src).seed_name("AccountRefId"),
            field("udfParameters")
                .kind(json_string(Item::of(map(Item::of(Kind::Str)))))
                .src(src)
                .seed_name("UdfParameters"),
        ]),
        "tpap.upi-txn" | "tpap.create-mandate" => {
            payload.push(
                field("accountRefId")
                    .mandatory()
                    .min_len(1)
                    .src(src)
                    .seed_name("AccountRefId"),
            );
        }
        _ => {}
    }
    if let Signed::Mandate = a.signed {
        payload.push(
            bool_field("shouldCreateMandate")
                .mandatory()
                .src(src)
                .seed_name("ShouldCreateMandate"),
        );
    }
    if a.id == "tpap.onboarding-and-create-mandate" {
        let sample = Source::seed(TPAP_SDK, "5. UPI Onboarding and Mandate Creation > Code Snippets");
        payload.extend([
            field("initiationMode")
                .one_of(super::register_intent_parts::MODES)
                .src(sample)
                .doc("only in the sample; NPCI initiation mode"),
            field("purpose")
                .one_of(super::register_intent_parts::PURPOSES)
                .src(sample)
                .doc("only in the sample; NPCI purpose code"),
            field("payType").src(sample).doc("only in the sample, e.g. P2M_PAY"),
            field("bankCodes")
                .kind(json_string(Item::of(Kind::Array(Box::new(Item::of(Kind::Str))))))
                .src(sample)
                .doc("only in case of TPV"),
            field("transactionReference").src(sample).doc("only in the sample"),
        ]);
    }
    envelope(a, Direction::Request, payload, Vec::new())
}

fn response(a: &Action) -> Message {
    let src = Source::seed(TPAP_SDK, a.response_section);
    let statuses: &'static [&'static str] = match a.id {
        "tpap.get-session-token" => &["NOPERMISSION", "FRESH", "BOUND", "LINKED", "FAILURE"],
        "tpap.onboarding" => &["SUCCESS", "FAILURE"],
        "tpap.onboarding-and-pay" | "tpap.onboarding-and-create-mandate" => PAY_STATUSES,
        _ => TXN_STATUSES,
    };
    let mut payload = vec![
        field("action")
            .mandatory()
            .presence_from(RESPONSE_PRESENCE)
            .constant(a.action)
            .src(src)
            .seed_name("Action"),
        field("status")
            .mandatory()
            .presence_from(RESPONSE_PRESENCE)
            .one_of(statuses)
            .src(src)
            .seed_name("Status"),
    ];
    let mut rules = Vec::new();
    match a.id {
        "tpap.get-session-token" => {
            payload.extend(session_token_fields(src));
            rules.push(rule(
                "vpa-accounts-only-when-linked",
                "vpaAccounts is present only when status is LINKED",
                src,
                Cross::AbsentUnless {
                    field: "vpaAccounts",
                    when: Cond::Eq("status", "LINKED"),
                },
            ));
        }
        "tpap.onboarding" => payload.extend([
            vpa_accounts("linkedAccounts", "LinkedAccounts", src),
            field("selectedAccount")
                .kind(vpa_account(src))
                .src(src)
                .seed_name("SelectedAccount"),
            field("sessionTokenResponse")
                .item(
                    Item::of(object(
                        std::iter::once(
                            field("status")
                                .one_of(&["NOPERMISSION", "FRESH", "BOUND", "LINKED", "FAILURE"])
                                .src(src)
                                .seed_name("Status"),
                        )
                        .chain(session_token_fields(src))
                        .collect(),
                    ))
                    .rules(vec![session_accounts_only_when_linked()]),
                )
                .src(src)
                .seed_name("SessionTokenResponse")
                .doc("the get-session-token payload, when status is LINKED"),
        ]),
        "tpap.onboarding-and-pay" | "tpap.upi-txn" => payload.extend([
            field("selectedAccount")
                .kind(vpa_account(src))
                .src(src)
                .seed_name("SelectedAccount"),
            field("orderId")
                .src(src)
                .seed_name(if a.id == "tpap.upi-txn" { "Order_id" } else { "OrderId" }),
            field("txnUuid").min_len(1).src(src).seed_name("TxnUuid"),
            field("accountRefId").src(src).seed_name("AccountRefId"),
            field("udfParameters")
                .src(src)
                .seed_name("UdfParameters")
                .doc("as passed in the request"),
        ]),
        _ => payload.push(mandate_response()),
    }
    envelope(a, Direction::Response, payload, rules)
}

/// `sessionTokenResponse.rule.vpa-accounts-only-when-linked`: seed 002's "In case status=LINKED,
/// this key will contain all the required user information." read about the key's own `status`
/// (ERRATA E-096, reading `E-096/key-status`): a `should`, the sentence naming no object.
fn session_accounts_only_when_linked() -> CrossRule {
    CrossRule {
        severity: crate::rule::Severity::Should,
        ..rule(
            "vpa-accounts-only-when-linked",
            "vpaAccounts inside sessionTokenResponse is present only when the key's own status is LINKED",
            Source::derived(
                "seed 002 onboarding response, SessionTokenResponse: \"In case status=LINKED, this key will contain all the required user information.\" The onboarding payload's own Status lists only SUCCESS and FAILURE, so read about it the sentence never applies and would keep the key away, which the seed's own sample (sessionTokenResponse.status LINKED, with vpaAccounts) contradicts; read about the key's own status (ERRATA E-096, reading E-096/key-status) it is the get-session-token rule \"Accounts will be available only in case status is LINKED\" inside the key. The sentence names no object, so a should",
            ),
            Cross::AbsentUnless {
                field: "vpaAccounts",
                when: Cond::Eq("status", "LINKED"),
            },
        )
    }
}

fn session_token_fields(src: Source) -> Vec<Field> {
    vec![
        field("isDeviceBound")
            .format(Format::BoolString)
            .src(src)
            .seed_name("IsDeviceBound"),
        field("isDeviceActivated")
            .format(Format::BoolString)
            .src(src)
            .seed_name("IsDeviceActivated"),
        field("prefix").src(src).seed_name("Prefix"),
        vpa_accounts("vpaAccounts", "VpaAccounts", SESSION_ACCOUNT),
        field("customerMobileNumber")
            .src(src)
            .seed_name("CustomerMobileNumber")
            .doc("masked"),
        field("deviceFingerPrint").src(src).seed_name("DeviceFingerPrint"),
        field("otherInfo").src(src).seed_name("OtherInfo"),
    ]
}

fn envelope(a: &Action, direction: Direction, payload: Vec<Field>, payload_rules: Vec<CrossRule>) -> Message {
    let section = match direction {
        Direction::Request => a.section,
        Direction::Response => a.response_section,
    };
    let src = Source::seed(TPAP_SDK, section);
    let mut payload_field = field("payload")
        .mandatory()
        .item(Item::of(object(payload)).rules(payload_rules))
        .src(src)
        .seed_name("Payload");
    let mut fields = vec![
        field("requestId")
            .mandatory()
            .format(Format::UuidV4)
            .src(src)
            .seed_name("RequestId"),
        field("service")
            .mandatory()
            .constant(SERVICE)
            .src(src)
            .seed_name("Service"),
    ];
    if direction == Direction::Response {
        payload_field = payload_field.presence_from(RESPONSE_PRESENCE);
        fields = fields.into_iter().map(|f| f.presence_from(RESPONSE_PRESENCE)).collect();
    }
    fields.push(payload_field);
    if direction == Direction::Response {
        fields.extend([
            bool_field("error")
                .mandatory()
                .presence_from(RESPONSE_PRESENCE)
                .src(src)
                .seed_name("Error"),
            field("errorMessage").src(src).seed_name("ErrorMessage"),
            field("errorCode").src(src).seed_name("ErrorCode"),
            field("event")
                .mandatory()
                .presence_from(RESPONSE_PRESENCE)
                .constant("process_result")
                .src(src)
                .seed_name("Event"),
        ]);
    }
    let (id, request, echoes) = match direction {
        Direction::Request => (a.request_id, None, Vec::new()),
        Direction::Response => (
            a.response_id,
            Some(a.request_id),
            vec![Echo {
                response: &["requestId"],
                from: EchoFrom::Body(&["requestId"]),
                source: Source::derived(
                    "a process result answers the request with the same requestId (every sample but onboarding's shows it)",
                ),
            }],
        ),
    };
    Message {
        id,
        title: a.title,
        direction,
        encoding: Encoding::Json,
        envelope: None,
        endpoint: None,
        source: src,
        headers: Vec::new(),
        body: Obj {
            fields,
            rules: Vec::new(),
        },
        rules: Vec::new(),
        request,
        echoes,
        notes: &["An SDK process payload: it has no HTTP API; `audit` reads captured payloads as JSON lines."],
    }
}
