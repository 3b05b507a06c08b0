//! Ambiguity as data: where a seed sentence allows more than one defensible reading, the erratum
//! that records it (`spec/ERRATA.md`, its `**Readings:**` line) lists the readings with IDs, and
//! this module holds the same list for the runner and the reference server. The first reading of
//! each erratum is the default (what the models check); a response matching another listed
//! reading is `acceptable`: reported, never failing. `spec/tests/readings.rs` checks this list
//! against ERRATA.md and the rule catalogue.

/// One defensible reading of an ambiguous seed sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Reading {
    /// The erratum that records the ambiguity, e.g. `E-046`.
    pub erratum: &'static str,
    /// The reading's ID, `<erratum>/<name>`, e.g. `E-046/range`.
    pub id: &'static str,
    /// Whether the models check this reading (exactly one per erratum).
    pub default: bool,
    /// What an implementation does under this reading.
    pub statement: &'static str,
    /// The catalogue rules whose verdict depends on the reading (empty where the affected check
    /// is not a catalogue rule yet, e.g. a runner expectation).
    pub rules: &'static [&'static str],
}

const UDF_CHARSET: &[&str] = &[
    "merchant.register-intent.v3.request.udfParameters.*.charset",
    "merchant.register-intent.v2.request.udfParameters.*.charset",
    "merchant.register-intent.v1.request.udfParameters.*.charset",
    "merchant.register-intent.default.request.udfParameters.*.charset",
];

const AMOUNT_RULE: &[&str] =
    &["tpap.onboarding-and-create-mandate.request.payload.signaturePayload.mandate.amount_rule.required"];

/// The invoice upload's field rules whose refusal shape E-093 leaves open (every required
/// field but `command`: without it the request is not an invoice upload at all).
const INVOICE_MISSING: &[&str] = &[
    "payu.invoice-upload.request.file.required",
    "payu.invoice-upload.request.hash.required",
    "payu.invoice-upload.request.key.required",
    "payu.invoice-upload.request.var1.required",
    "payu.invoice-upload.request.var2.required",
    "payu.invoice-upload.request.var3.required",
];

const SESSION_ACCOUNTS: &[&str] =
    &["tpap.onboarding.response.payload.sessionTokenResponse.rule.vpa-accounts-only-when-linked"];

const FIRSTNAME_EMAIL: &[&str] = &[
    "payu.payment.request.firstname.required",
    "payu.payment.request.email.required",
];

static READINGS: &[Reading] = &[
    Reading {
        erratum: "E-046",
        id: "E-046/literal",
        default: true,
        statement: "the class forbids exactly the characters it lists: / # - ( ) * ! % ~ and the backquote",
        rules: UDF_CHARSET,
    },
    Reading {
        erratum: "E-046",
        id: "E-046/range",
        default: false,
        statement: "the class is a regex as written: #-( is the range # $ % & ' (, so $ & ' are forbidden and - is allowed",
        rules: UDF_CHARSET,
    },
    Reading {
        erratum: "E-061",
        id: "E-061/not-a-field",
        default: true,
        statement: "TxnInitiationMode is no V3 response field; the deeplink's mode comes from elsewhere (00 in the sample)",
        rules: &[],
    },
    Reading {
        erratum: "E-061",
        id: "E-061/response-field",
        default: false,
        statement: "the V3 response carries TxnInitiationMode, as the deeplink mapping table needs",
        rules: &[],
    },
    Reading {
        erratum: "E-089",
        id: "E-089/mandatory",
        default: true,
        statement: "mandate.amount_rule is Mandatory (the tag): a request without it is refused",
        rules: AMOUNT_RULE,
    },
    Reading {
        erratum: "E-089",
        id: "E-089/defaulted",
        default: false,
        statement: "an absent mandate.amount_rule means VARIABLE (the description): the request is accepted",
        rules: AMOUNT_RULE,
    },
    Reading {
        erratum: "E-096",
        id: "E-096/key-status",
        default: true,
        statement: "status=LINKED is sessionTokenResponse's own status: the key carries vpaAccounts only when that status is LINKED",
        rules: SESSION_ACCOUNTS,
    },
    Reading {
        erratum: "E-096",
        id: "E-096/payload-status",
        default: false,
        statement: "status=LINKED is the onboarding payload's own status, which is only SUCCESS or FAILURE: the sentence never applies and says nothing of the key's vpaAccounts",
        rules: SESSION_ACCOUNTS,
    },
    Reading {
        erratum: "E-091",
        id: "E-091/4xx",
        default: true,
        statement: "_payment refuses a broken request with an HTTP 4xx status",
        rules: &[],
    },
    Reading {
        erratum: "E-091",
        id: "E-091/200-failed",
        default: false,
        statement: "_payment refuses with HTTP 200 and metaData.txnStatus = failed (the S2S response model)",
        rules: &[],
    },
    Reading {
        erratum: "E-092",
        id: "E-092/empty",
        default: true,
        statement: "firstname and email are posted, empty where the customer gave none (sample 2: firstname= and email=)",
        rules: FIRSTNAME_EMAIL,
    },
    Reading {
        erratum: "E-092",
        id: "E-092/absent",
        default: false,
        statement: "firstname and email are left out when empty; the hash takes them as empty either way",
        rules: FIRSTNAME_EMAIL,
    },
    Reading {
        erratum: "E-093",
        id: "E-093/code-109",
        default: true,
        statement: "an invoice upload missing a field is answered {responseCode: 109, responseMsg}",
        rules: INVOICE_MISSING,
    },
    Reading {
        erratum: "E-093",
        id: "E-093/status-0",
        default: false,
        statement: "an invoice upload missing a field is answered with postservice's {status: 0, msg} error",
        rules: INVOICE_MISSING,
    },
    Reading {
        erratum: "E-094",
        id: "E-094/json-array",
        default: true,
        statement: "offers (array of Strings) is posted as one form value holding a JSON array",
        rules: &["ec.txns.request.offers.json"],
    },
    Reading {
        erratum: "E-094",
        id: "E-094/repeated-key",
        default: false,
        statement: "offers is posted as the key repeated once per offer ID",
        rules: &["ec.txns.request.offers.json"],
    },
    Reading {
        erratum: "C-02",
        id: "C-02/case4-udf6-10",
        default: true,
        statement: "api_version=7 hashes with Case 4's second printed sequence: udf1..udf10 before the salt (udf6..udf10 in the five reserved slots), then posted optional fields",
        rules: &["payu.hash.request.mismatch"],
    },
    Reading {
        erratum: "C-02",
        id: "C-02/domain",
        default: false,
        statement: "api_version=7 changes nothing in the hash (Case 4's first printed sequence, DOMAIN.md's): udf1..udf5, five empty slots, the salt, then posted optional fields; udf6..udf10 are not hashed",
        rules: &["payu.hash.request.mismatch"],
    },
];

/// Every listed reading, in ERRATA order.
pub fn all() -> &'static [Reading] {
    READINGS
}

/// The reading with this ID.
pub fn find(id: &str) -> Option<&'static Reading> {
    READINGS.iter().find(|r| r.id == id)
}

/// The readings of one erratum.
pub fn of(erratum: &str) -> impl Iterator<Item = &'static Reading> + '_ {
    READINGS.iter().filter(move |r| r.erratum == erratum)
}
