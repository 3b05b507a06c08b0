//! The deeplink rule catalogue: grammar-level rules (`deeplink.syntax.*`), parameter-level rules
//! shared by every parameter (`deeplink.param.*`), the per-parameter rules of [`super::table`],
//! the cross-parameter rules, and the mapping and consistency rules.

use crate::rule::{Rule, SchemaCoverage, Severity};
use crate::source::{Source, seeds};

use super::key::{Key, Kind};
use super::table::{self, param_rule_id};

/// A grammar or cross-parameter rule with a fixed ID.
#[derive(Debug, Clone, Copy)]
pub struct FixedRule {
    /// The rule ID.
    pub id: &'static str,
    /// How strongly it binds.
    pub severity: Severity,
    /// What it requires.
    pub statement: &'static str,
    /// Where it comes from.
    pub source: Source,
}

const SRC_SPACES_001: Source = Source::seed(
    seeds::EC_TXNS,
    "UPI Intent Payment > Note 1 (In the URI spaces are replaced by \"%20\". The URI is encoded.)",
);
const SRC_SPACES_003: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Note (no spaces in the URI; any spaces should be encoded as %20)",
);
const SRC_RFC3986: Source =
    Source::derived("RFC 3986 section 2.1 and 3.4: a query is pchar / '/' / '?', a '%' starts exactly two hex digits");

macro_rules! fixed {
    ($($name:ident = $id:literal, $sev:ident, $stmt:literal, $src:expr;)*) => {
        $(
            #[doc = concat!("`", $id, "`: ", $stmt)]
            pub const $name: FixedRule = FixedRule {
                id: $id,
                severity: Severity::$sev,
                statement: $stmt,
                source: $src,
            };
        )*
        /// Every fixed rule, in catalogue order.
        pub const FIXED: &[FixedRule] = &[$($name,)*];
    };
}

fixed! {
    URI = "deeplink.syntax.uri", Must,
        "the input is a URI `scheme:...` or a bare `name=value&...` query (fatal otherwise)", SRC_RFC3986;
    SCHEME = "deeplink.syntax.scheme", Must,
        "the part before `?` is, in any letter case, upi://pay, upi://mandate or one of the iOS app forms tez://upi/pay, phonepe://pay, paytmmp://pay, credpay://upi/pay, bhim://pay",
        Source::seed(seeds::REGISTER_INTENT, "API Version: V3 > Sample Deeplink URL and Host URLs for IOS");
    SCHEME_CASE = "deeplink.syntax.scheme-case", Should,
        "the part before `?` is written in lower case, as the seeds print it (UPI://PAY is the same target, but not every app opens it)",
        Source::derived("RFC 3986 section 3.1: schemes are case-insensitive (and section 3.2.2: so is the host), so UPI://PAY names the seeds' upi://pay and no seed sentence forbids it; but the canonical form is lower case, and Android matches an intent filter's scheme case-sensitively (its documentation says to write schemes in lower case), so an upper-case link may open no app: a should");
    BARE_QUERY = "deeplink.syntax.bare-query", Info,
        "a bare query (PayU's intentURIData) is not a launchable deeplink until prefixed with upi://pay?",
        Source::seed(seeds::PAYU, "Sample respose (get the result.intentURIData and add the prefix upi://pay?)");
    EMPTY_SEGMENT = "deeplink.syntax.empty-segment", Should,
        "no empty parameter between `&` separators, and no leading or trailing `&`", SRC_RFC3986;
    MISSING_EQUALS = "deeplink.syntax.missing-equals", Must,
        "every parameter is `name=value`", SRC_RFC3986;
    EMPTY_NAME = "deeplink.syntax.empty-name", Should,
        "a parameter name is not empty",
        Source::derived("RFC 3986 and the form name=value (DOMAIN.md) give a parameter a name, but no seed or DOMAIN.md sentence says a name cannot be empty: an empty name names no parameter the link defines, so a should");
    PERCENT_ESCAPE = "deeplink.syntax.percent-escape", Must,
        "the URI is encoded: every `%` is followed by two hexadecimal digits", SRC_SPACES_001;
    UTF8 = "deeplink.syntax.utf8", Should,
        "percent-decoded names and values are valid UTF-8",
        Source::derived("RFC 3987 / WHATWG URL: percent-encoded octets of text are UTF-8; anything else cannot be shown to the payer. No seed or DOMAIN.md sentence names the character encoding of a link, so a should");
    RAW_SPACE = "deeplink.syntax.raw-space", Must,
        "no raw space in the URI: spaces are written %20", SRC_SPACES_003;
    PLUS = "deeplink.syntax.plus", Should,
        "no raw `+`: spaces are %20 and a literal plus is %2B (seeds 001 and 003 ask for %20); a raw `+` is read as a space, as form encoders (urlencode, URLSearchParams, URLEncoder, http_build_query) mean it, but RFC 3986 readers keep it a plus",
        SRC_SPACES_001;
    CONTROL = "deeplink.syntax.control", Should,
        "no decoded name or value contains a control character (C0, DEL, C1) or a bidirectional override (U+202A-U+202E, U+2066-U+2069): they are not text a payer can be shown, and they rewrite terminals and screens",
        Source::derived("the grammar's text rule (spec/deeplink.abnf: %x20-7E / %x80-10FFFF) for names and notes shown to the payer; hostile links such as pn=a%00b%1b[31m (issue 13). No seed or DOMAIN.md sentence forbids an encoded control character, so a should");
    CHAR = "deeplink.syntax.char", Must,
        "the URI is encoded: only characters RFC 3986 allows raw in a query appear unescaped (no controls, non-ASCII, `\"`, `#`, `<`, `>`, `[`, `\\`, `]`, `^`, backquote, `{`, `|`, `}`)",
        SRC_SPACES_001;
    DUPLICATE = "deeplink.param.duplicate", Should,
        "a parameter appears at most once (the first occurrence is kept)",
        Source::derived("apps disagree on which of two values wins; a payment link must be unambiguous");
    EMPTY_VALUE = "deeplink.param.empty", Should,
        "a parameter, when present, has a non-empty value",
        Source::derived("seed 001 note 2 says to leave out a parameter that is absent (tid), not to send it empty");
    NULL_VALUE = "deeplink.param.null", Must,
        "no value is the literal string `null`",
        Source::derived("NPCI linking specification as quoted in DOMAIN.md: the literal string null is never a value");
    UNKNOWN = "deeplink.param.unknown", Info,
        "a parameter the link's kind does not define is kept and reported",
        Source::derived("apps ignore unknown parameters; reported so that typos (e.g. `PA`) are visible");
    URL_CATEGORY = "deeplink.pay.url.category-pair", Should,
        "url and category are both present or both absent (seed 003 states it for the registerIntent request's refUrl and refCategory; NPCI links carry url alone, so a should)",
        Source::seed(seeds::REGISTER_INTENT, "API Version: V2 > Note 2 (If refUrl is passed in request, refCategory becomes essential ... either both as combination or none)");
    MAM_NOT_ABOVE_AM = "deeplink.pay.mam.not-above-am", Should,
        "when both are present, mam is not greater than am",
        Source::derived("mam is the minimum amount the payer may pay (NPCI linking specification, DOMAIN.md)");
    VALIDITY_ORDER = "deeplink.mandate.validityend.not-before-start", Should,
        "validityend is not before validitystart",
        Source::derived("a mandate cannot end before it starts");
    MAPPING_MISSING = "deeplink.mapping.missing-field", Must,
        "every response field the mapping table marks Mandatory is present and a string",
        table::SRC_MAPPING_TABLE;
}

/// A consistency rule: the deeplink's parameter agrees with the response field it maps from.
#[derive(Debug, Clone, Copy)]
pub struct ConsistencyRule {
    /// The rule ID, `deeplink.consistency.<param>` (PayU cross-checks: `deeplink.consistency.payu.<param>`).
    pub id: &'static str,
    /// How strongly it binds.
    pub severity: Severity,
    /// Where it comes from.
    pub source: Source,
}

/// Seed 003's mapping table and the sentence after it ("The URI must be generated dynamically
/// based on the parameters received in the response."), which the rules' quotes cite: the source
/// names the same section, so `rules show` gives one origin, not a derived one beside a stated one.
const SRC_CONSISTENCY: Source = Source::seed(
    seeds::REGISTER_INTENT,
    "API Version: V3 > Merchant Register Intent (response to deeplink mapping table; the URI must be generated dynamically based on the parameters received in the response)",
);

macro_rules! consistency {
    ($($name:ident = $id:literal, $sev:ident, $src:expr;)*) => {
        $(
            #[doc = concat!("`", $id, "`")]
            pub const $name: ConsistencyRule = ConsistencyRule { id: $id, severity: Severity::$sev, source: $src };
        )*
        /// Every consistency rule.
        pub const CONSISTENCY: &[ConsistencyRule] = &[$($name,)*];
    };
}

consistency! {
    C_PA = "deeplink.consistency.pa", Must, SRC_CONSISTENCY;
    C_PN = "deeplink.consistency.pn", Must, SRC_CONSISTENCY;
    C_MC = "deeplink.consistency.mc", Must, SRC_CONSISTENCY;
    C_TID = "deeplink.consistency.tid", Must, SRC_CONSISTENCY;
    C_TR = "deeplink.consistency.tr", Must, SRC_CONSISTENCY;
    C_AM = "deeplink.consistency.am", Must, SRC_CONSISTENCY;
    C_CU = "deeplink.consistency.cu", Must, SRC_CONSISTENCY;
    C_TN = "deeplink.consistency.tn", Must, SRC_CONSISTENCY;
    C_URL = "deeplink.consistency.url", Must, SRC_CONSISTENCY;
    C_MODE = "deeplink.consistency.mode", Must, SRC_CONSISTENCY;
    C_PURPOSE = "deeplink.consistency.purpose", Must, SRC_CONSISTENCY;
    C_CATEGORY = "deeplink.consistency.category", Must, SRC_CONSISTENCY;
    C_PAYU_PA = "deeplink.consistency.payu.pa", Must,
        Source::seed(seeds::PAYU, "Step 2: Invoke UPI Intent (merchantVpa: as received in JSON response)");
    C_PAYU_AM = "deeplink.consistency.payu.am", Should,
        Source::derived("seed 004 Step 2 builds the link with \"&am=\" + amount, where amount \"must be the same as the amount passed to the initiatePayment API\" (the posted amount: payu.payment.intent.amount-as-passed, a must); unlike merchantVpa and merchantName it is not described \"As received in JSON response\", so that am also equals the answer's result.amount is our reading, a should");
    C_PAYU_PN = "deeplink.consistency.payu.pn", Should,
        Source::derived("seed 004 Step 2 says merchantName is as received in the response, but its own sample differs (Sudhanshu vs pn=Kumar), so a should");
    C_PAYU_TR = "deeplink.consistency.payu.tr", Should,
        Source::derived("seed 004: 'The tr value ... is a payU_id'; its sample's tr equals result.paymentId");
}

/// The consistency rule for a parameter of a Juspay mapping.
pub fn consistency_rule(key: Key) -> Option<ConsistencyRule> {
    Some(match key {
        Key::Pa => C_PA,
        Key::Pn => C_PN,
        Key::Mc => C_MC,
        Key::Tid => C_TID,
        Key::Tr => C_TR,
        Key::Am => C_AM,
        Key::Cu => C_CU,
        Key::Tn => C_TN,
        Key::Url => C_URL,
        Key::Mode => C_MODE,
        Key::Purpose => C_PURPOSE,
        Key::Category => C_CATEGORY,
        _ => return None,
    })
}

const NOT_SCHEMA: SchemaCoverage = SchemaCoverage::NotExpressible {
    why: "deeplinks are URI strings, not JSON documents; the deeplink parser enforces the rule",
};

/// Every deeplink rule: grammar, shared parameter rules, per-parameter rules for each kind,
/// cross-parameter, mapping and consistency rules.
pub fn rules() -> Vec<Rule> {
    let mut out = Vec::new();
    let rule = |id: String, statement: String, severity, source: crate::source::Source| Rule {
        grounding: crate::grounding::of(&id, &source),
        id,
        statement,
        severity,
        source,
        scope: "deeplink".to_string(),
        schema: NOT_SCHEMA,
    };
    for f in FIXED {
        out.push(rule(f.id.to_string(), f.statement.to_string(), f.severity, f.source));
    }
    for kind in [Kind::Pay, Kind::Mandate] {
        for r in table::required(kind) {
            out.push(rule(
                param_rule_id(kind, r.key, "required"),
                format!("`{}` is present in a {} link", r.key.wire(), kind.scope()),
                r.severity,
                r.source,
            ));
        }
        for key in Key::ALL.iter().filter(|k| k.applies_to(kind)) {
            for r in table::value_rules(*key, kind) {
                out.push(rule(
                    param_rule_id(kind, *key, r.suffix),
                    format!("`{}` {}", key.wire(), r.check.describe()),
                    r.severity,
                    r.source,
                ));
            }
        }
    }
    for c in CONSISTENCY {
        let param = c.id.rsplit('.').next().unwrap_or_default();
        out.push(rule(
            c.id.to_string(),
            format!("the deeplink's `{param}` equals the response field it maps from"),
            c.severity,
            c.source,
        ));
    }
    out
}
