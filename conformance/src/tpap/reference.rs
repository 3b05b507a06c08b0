//! The reference shim: a TPAP SDK stand-in written from seed 002, so the TPAP suite runs end to
//! end here. It validates each process payload against its request model, verifies the
//! `signature` over the exact `signaturePayload` bytes with the key `merchantKeyId` names, keeps
//! the accounts it linked, and answers with a response of the action's model that repeats the
//! request's `requestId`, `order_id` and `udfParameters`. Each [`Fault`] breaks one of those
//! behaviours on purpose, so the suite can be shown to detect it.

use std::collections::BTreeSet;
use std::io::{BufRead, Write};
use std::str::FromStr;
use upi_spec::id::MessageId;
use upi_spec::messages::ids;

use rand::{RngCore as _, SeedableRng as _};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use upi_spec::Severity;
use upi_spec::crypto::keys::{KeyRing, public_key_from_pem};
use upi_spec::crypto::signature_payload;
use upi_spec::input::Document;

use super::shim::Reply;
use super::{SERVICE, TEST_KEY_ID, TEST_PUBLIC_PEM, request_model_of, response_model_of};

/// A deliberate deviation of the reference shim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Answers with a fresh `requestId` instead of the request's.
    WrongRequestIdEcho,
    /// Leaves `udfParameters` out of the onboardingAndPay answer.
    DropUdfEcho,
    /// Answers with another `orderId` than the signed `order_id`.
    WrongOrderIdEcho,
    /// Accepts a `signature` that does not verify.
    BadSignature,
    /// Verifies the signature over the re-serialised `signaturePayload`, not its exact bytes.
    ReserialiseBeforeVerify,
    /// Verifies with its default key whatever `merchantKeyId` names.
    AcceptUnknownKeyId,
    /// Ignores missing mandatory fields.
    AcceptMissingMandatory,
    /// Ignores every request rule.
    AcceptInvalid,
    /// Answers `status` with a value outside the action's list.
    StatusOutOfEnum,
    /// Refuses valid upiTxn calls.
    RejectValidUpiTxn,
    /// Prints a line that is not a protocol object before every reply.
    GarbageLine,
    /// Answers onboarding with an account `type` outside SAVINGS/CURRENT/OVERDRAFT.
    WrongAccountType,
    /// Answers onboarding with `sessionTokenResponse.vpaAccounts` under a status other than LINKED.
    SessionAccountsNotLinked,
    /// Answers a mandate creation with a recurring (MONTHLY) mandate that is not payer-revocable.
    RecurringMandateIrrevocable,
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 14] = [
        Fault::WrongRequestIdEcho,
        Fault::DropUdfEcho,
        Fault::WrongOrderIdEcho,
        Fault::BadSignature,
        Fault::ReserialiseBeforeVerify,
        Fault::AcceptUnknownKeyId,
        Fault::AcceptMissingMandatory,
        Fault::AcceptInvalid,
        Fault::StatusOutOfEnum,
        Fault::RejectValidUpiTxn,
        Fault::GarbageLine,
        Fault::WrongAccountType,
        Fault::SessionAccountsNotLinked,
        Fault::RecurringMandateIrrevocable,
    ];

    /// The fault's name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Fault::WrongRequestIdEcho => "wrong-request-id-echo",
            Fault::DropUdfEcho => "drop-udf-echo",
            Fault::WrongOrderIdEcho => "wrong-order-id-echo",
            Fault::BadSignature => "bad-signature",
            Fault::ReserialiseBeforeVerify => "reserialise-before-verify",
            Fault::AcceptUnknownKeyId => "accept-unknown-key-id",
            Fault::AcceptMissingMandatory => "accept-missing-mandatory",
            Fault::AcceptInvalid => "accept-invalid",
            Fault::StatusOutOfEnum => "status-out-of-enum",
            Fault::RejectValidUpiTxn => "reject-valid-upi-txn",
            Fault::GarbageLine => "garbage-line",
            Fault::WrongAccountType => "wrong-account-type",
            Fault::SessionAccountsNotLinked => "session-accounts-not-linked",
            Fault::RecurringMandateIrrevocable => "recurring-mandate-irrevocable",
        }
    }

    /// What the fault does.
    pub fn description(self) -> &'static str {
        match self {
            Fault::WrongRequestIdEcho => "answers with a fresh requestId instead of the request's",
            Fault::DropUdfEcho => "leaves udfParameters out of the onboardingAndPay answer",
            Fault::WrongOrderIdEcho => "answers with another orderId than the signed order_id",
            Fault::BadSignature => "accepts a signature that does not verify",
            Fault::ReserialiseBeforeVerify => {
                "verifies the signature over the re-serialised signaturePayload, not its exact bytes"
            }
            Fault::AcceptUnknownKeyId => "verifies with its default key whatever merchantKeyId names",
            Fault::AcceptMissingMandatory => "ignores missing mandatory fields",
            Fault::AcceptInvalid => "ignores every request rule",
            Fault::StatusOutOfEnum => "answers status with a value outside the action's list",
            Fault::RejectValidUpiTxn => "refuses valid upiTxn calls",
            Fault::GarbageLine => "prints a line that is not a protocol object before every reply",
            Fault::WrongAccountType => "answers onboarding with an account type outside SAVINGS/CURRENT/OVERDRAFT",
            Fault::SessionAccountsNotLinked => {
                "answers onboarding with sessionTokenResponse.vpaAccounts under a status other than LINKED"
            }
            Fault::RecurringMandateIrrevocable => {
                "answers a mandate creation with a MONTHLY mandate whose payerRevocable is false"
            }
        }
    }
}

/// An unknown fault name.
#[derive(Debug, thiserror::Error)]
#[error("unknown shim fault {0:?}; `upi-conformance tpap faults` lists them")]
pub struct UnknownFault(String);

impl FromStr for Fault {
    type Err = UnknownFault;

    fn from_str(s: &str) -> Result<Fault, UnknownFault> {
        Fault::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| UnknownFault(s.to_owned()))
    }
}

/// The reference shim's state: registered keys and linked accounts.
pub struct ReferenceShim {
    fault: Option<Fault>,
    keys: KeyRing,
    accounts: BTreeSet<String>,
    rng: ChaCha8Rng,
}

impl ReferenceShim {
    /// A reference shim that trusts the compiled-in test key, with an optional fault.
    pub fn new(fault: Option<Fault>) -> ReferenceShim {
        let mut keys = KeyRing::new();
        if let Ok(key) = public_key_from_pem(TEST_PUBLIC_PEM) {
            keys.insert(TEST_KEY_ID, key);
        }
        ReferenceShim {
            fault,
            keys,
            accounts: BTreeSet::new(),
            rng: ChaCha8Rng::seed_from_u64(2),
        }
    }

    fn has(&self, fault: Fault) -> bool {
        self.fault == Some(fault)
    }

    /// Registers the key of a `hello` call.
    pub fn hello(&mut self, hello: &Value) -> Reply {
        let (Some(id), Some(pem)) = (
            hello.get("merchantKeyId").and_then(Value::as_str),
            hello.get("merchantPublicKeyPem").and_then(Value::as_str),
        ) else {
            return Reply::Error("hello needs merchantKeyId and merchantPublicKeyPem".into());
        };
        match public_key_from_pem(pem) {
            Ok(key) => {
                self.keys.insert(id, key);
                Reply::Response(json!({"shim": "upi-conformance reference shim", "fault": self.fault.map(Fault::name)}))
            }
            Err(e) => Reply::Error(format!("merchantPublicKeyPem: {e}")),
        }
    }

    /// Handles one process payload.
    pub fn process(&mut self, request: &Value) -> Reply {
        let Some(model) = request_model_of(request) else {
            return Reply::Error("unknown or missing payload.action".into());
        };
        let Some(response_model) = response_model_of(model.id) else {
            return Reply::Error(format!("no response model for {}", model.id));
        };
        let request_id = match request.get("requestId").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => self.uuid(),
        };
        let action = model_action(request);
        let violations: Vec<_> = upi_spec::validate::validate(model, &Document::body(request.clone()))
            .into_iter()
            .filter(|v| v.severity == Severity::Must)
            .filter(|_| !self.has(Fault::AcceptInvalid))
            .filter(|v| !(self.has(Fault::AcceptMissingMandatory) && v.rule.ends_with(".required")))
            .collect();
        if let Some(first) = violations.first() {
            return Reply::Response(self.failure(&request_id, &action, "INVALID_REQUEST", &first.to_string()));
        }
        if let Err(reason) = self.check_signature(request) {
            return Reply::Response(self.failure(&request_id, &action, "SIGNATURE_INVALID", &reason));
        }
        if self.has(Fault::RejectValidUpiTxn) && ids::TPAP_UPI_TXN_REQUEST == model.id {
            return Reply::Response(self.failure(&request_id, &action, "DECLINED", "upiTxn refused (fault)"));
        }
        let payload = request.get("payload").cloned().unwrap_or(Value::Null);
        let signed: Value = payload
            .get("signaturePayload")
            .and_then(Value::as_str)
            .and_then(|s| serde_json::from_str(s).ok())
            .unwrap_or(Value::Null);
        let account_ref = payload.get("accountRefId").and_then(Value::as_str).map(str::to_owned);
        let needs_account =
            [ids::TPAP_UPI_TXN_REQUEST, ids::TPAP_CREATE_MANDATE_REQUEST].contains(&MessageId::of(model));
        if needs_account && !account_ref.as_ref().is_some_and(|a| self.accounts.contains(a)) {
            return Reply::Response(self.failure(
                &request_id,
                &action,
                "ACCOUNT_NOT_FOUND",
                "accountRefId names no account linked by upiGetSessionToken or onboarding",
            ));
        }
        let mut body = match MessageId::of(model) {
            ids::TPAP_GET_SESSION_TOKEN_REQUEST => {
                json!({"status": "LINKED", "isDeviceBound": "true", "isDeviceActivated": "true", "prefix": "UCT", "vpaAccounts": [self.link_account()]})
            }
            ids::TPAP_ONBOARDING_REQUEST => {
                let mut account = self.link_account();
                if self.has(Fault::WrongAccountType) {
                    account["account"]["type"] = json!("LOAN");
                }
                // The key as the seed's sample prints it: the session token answer, LINKED.
                let session_status = if self.has(Fault::SessionAccountsNotLinked) {
                    "BOUND"
                } else {
                    "LINKED"
                };
                let session = json!({"status": session_status, "isDeviceBound": "true", "isDeviceActivated": "true", "prefix": "UCT", "vpaAccounts": [account.clone()]});
                json!({"status": "SUCCESS", "linkedAccounts": [account.clone()], "selectedAccount": account, "sessionTokenResponse": session})
            }
            ids::TPAP_ONBOARDING_AND_PAY_REQUEST => {
                let account = self.link_account();
                let reference = account["account"]["referenceId"].clone();
                let mut out = json!({"status": "SUCCESS", "selectedAccount": account, "orderId": signed.get("order_id").cloned().unwrap_or(Value::Null), "txnUuid": self.txn_uuid(), "accountRefId": reference});
                if let (Some(udf), false) = (payload.get("udfParameters"), self.has(Fault::DropUdfEcho)) {
                    out["udfParameters"] = udf.clone();
                }
                out
            }
            ids::TPAP_UPI_TXN_REQUEST => {
                let account = account_json(account_ref.as_deref().unwrap_or_default());
                json!({"status": "SUCCESS", "orderId": signed.get("order_id").cloned().unwrap_or(Value::Null), "txnUuid": self.txn_uuid(), "selectedAccount": account})
            }
            _ => {
                let mut mandate = upi_spec::generate::valid(response_model, self.rng.next_u64())
                    .body
                    .pointer("/payload/mandate")
                    .cloned()
                    .unwrap_or_else(|| json!({}));
                if let Some(amount) = signed.get("amount") {
                    mandate["amount"] = amount.clone();
                }
                if self.has(Fault::RecurringMandateIrrevocable) {
                    mandate["recurrencePattern"] = json!("MONTHLY");
                    mandate["payerRevocable"] = json!("false");
                }
                json!({"status": "SUCCESS", "mandate": mandate})
            }
        };
        if body.get("orderId").is_some_and(Value::is_null) {
            body.as_object_mut().map(|o| o.remove("orderId"));
        }
        if self.has(Fault::WrongOrderIdEcho) && body.get("orderId").is_some() {
            body["orderId"] = json!("ORDER-NOT-SENT");
        }
        if self.has(Fault::StatusOutOfEnum) {
            body["status"] = json!("DONE");
        }
        let answered_id = if self.has(Fault::WrongRequestIdEcho) {
            self.uuid()
        } else {
            request_id
        };
        Reply::Response(envelope(&answered_id, &action, body, false, None))
    }

    /// Verifies `signature` over the exact `signaturePayload` bytes with the key `merchantKeyId`
    /// names (or, under a fault, less strictly).
    fn check_signature(&self, request: &Value) -> Result<(), String> {
        if self.has(Fault::BadSignature) {
            return Ok(());
        }
        let field = |name: &str| request.pointer(&format!("/payload/{name}")).and_then(Value::as_str);
        let (Some(key_id), Some(signature), Some(signed)) =
            (field("merchantKeyId"), field("signature"), field("signaturePayload"))
        else {
            return Err("merchantKeyId, signature and signaturePayload must be strings".into());
        };
        let key_id = if self.has(Fault::AcceptUnknownKeyId) && self.keys.get(key_id).is_none() {
            TEST_KEY_ID
        } else {
            key_id
        };
        let bytes = if self.has(Fault::ReserialiseBeforeVerify) {
            serde_json::from_str::<Value>(signed).map_or_else(|_| signed.to_owned(), |v| v.to_string())
        } else {
            signed.to_owned()
        };
        signature_payload::verify_with_ring(&self.keys, key_id, &bytes, signature).map_err(|e| e.to_string())
    }

    fn failure(&self, request_id: &str, action: &str, code: &str, message: &str) -> Value {
        envelope(
            request_id,
            action,
            json!({"status": "FAILURE"}),
            true,
            Some((code, message)),
        )
    }

    fn link_account(&mut self) -> Value {
        let reference = format!("REF{:08X}", self.rng.next_u32());
        self.accounts.insert(reference.clone());
        account_json(&reference)
    }

    fn txn_uuid(&mut self) -> String {
        format!("txn{:016x}", self.rng.next_u64())
    }

    fn uuid(&mut self) -> String {
        let mut b = [0u8; 16];
        self.rng.fill_bytes(&mut b);
        b[6] = (b[6] & 0x0f) | 0x40;
        b[8] = (b[8] & 0x3f) | 0x80;
        let h = hex(&b);
        format!(
            "{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        )
    }

    /// Serves the line protocol on `input`/`output` until `input` ends.
    pub fn serve_lines(&mut self, input: impl BufRead, mut output: impl Write) -> std::io::Result<()> {
        for line in input.lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let reply = self.answer_line(&line);
            if self.has(Fault::GarbageLine) {
                writeln!(output, "this is not a protocol object")?;
            }
            writeln!(output, "{reply}")?;
            output.flush()?;
        }
        Ok(())
    }

    /// The reply object (as JSON) to one protocol object.
    pub fn answer_line(&mut self, line: &str) -> Value {
        let Ok(message) = serde_json::from_str::<Value>(line) else {
            return json!({"id": Value::Null, "error": "not a JSON object"});
        };
        let id = message.get("id").cloned().unwrap_or(Value::Null);
        let reply = if let Some(hello) = message.get("hello") {
            self.hello(hello)
        } else if let Some(request) = message.get("request") {
            self.process(request)
        } else {
            Reply::Error("needs \"request\" or \"hello\"".into())
        };
        match reply {
            Reply::Response(r) => json!({"id": id, "response": r}),
            Reply::Error(e) => json!({"id": id, "error": e}),
        }
    }
}

fn model_action(request: &Value) -> String {
    request
        .pointer("/payload/action")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

fn envelope(request_id: &str, action: &str, mut payload: Value, error: bool, code: Option<(&str, &str)>) -> Value {
    payload["action"] = json!(action);
    let (code, message) = code.unwrap_or(("", ""));
    json!({
        "requestId": request_id,
        "service": SERVICE,
        "payload": payload,
        "error": error,
        "errorMessage": message,
        "errorCode": code,
        "event": "process_result",
    })
}

fn account_json(reference: &str) -> Value {
    json!({
        "vpa": "conformance@ref",
        "account": {
            "bankCode": "111111",
            "bankName": "Reference Bank",
            "maskedAccountNumber": "XXXXXX1234",
            "mpinLength": "6",
            "mpinSet": "true",
            "referenceId": reference,
            "otpLength": "6",
            "atmPinLength": "4",
            "isPrimary": "true",
            "type": "SAVINGS",
            "ifsc": "ABCD0123456",
            "name": "Conformance"
        }
    })
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}
