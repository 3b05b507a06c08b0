//! The deeplink rule catalogue: grammar-level rules (`deeplink.syntax.*`), parameter-level rules
//! shared by every parameter (`deeplink.param.*`), the per-parameter rules of [`super::table`],
//! the cross-parameter rules, and the mapping and consistency rules.

use crate::rule::{Rule, RuleDef, SchemaCoverage, Severity};
use crate::source::{Source, seeds};

use super::key::{Key, Kind};
use super::table::{self, param_rule_id};

/// The scope of every deeplink rule.
const SCOPE: &str = "deeplink";

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

/// `deeplink.syntax.uri`
pub const URI: RuleDef = RuleDef {
    id: "deeplink.syntax.uri",
    statement: "the input is a URI `scheme:...` or a bare `name=value&...` query (fatal otherwise)",
    severity: Severity::Must,
    source: SRC_RFC3986,
    scope: SCOPE,
};

/// `deeplink.syntax.scheme`
pub const SCHEME: RuleDef = RuleDef {
    id: "deeplink.syntax.scheme",
    statement: "the part before `?` is, in any letter case, upi://pay, upi://mandate or one of the iOS app forms tez://upi/pay, phonepe://pay, paytmmp://pay, credpay://upi/pay, bhim://pay",
    severity: Severity::Must,
    source: Source::seed(
        seeds::REGISTER_INTENT,
        "API Version: V3 > Sample Deeplink URL and Host URLs for IOS",
    ),
    scope: SCOPE,
};

/// `deeplink.syntax.scheme-case`
pub const SCHEME_CASE: RuleDef = RuleDef {
    id: "deeplink.syntax.scheme-case",
    statement: "the part before `?` is written in lower case, as the seeds print it (UPI://PAY is the same target, but not every app opens it)",
    severity: Severity::Should,
    source: Source::derived(
        "RFC 3986 section 3.1: schemes are case-insensitive (and section 3.2.2: so is the host), so UPI://PAY names the seeds' upi://pay and no seed sentence forbids it; but the canonical form is lower case, and Android matches an intent filter's scheme case-sensitively (its documentation says to write schemes in lower case), so an upper-case link may open no app: a should",
    ),
    scope: SCOPE,
};

/// `deeplink.syntax.bare-query`
pub const BARE_QUERY: RuleDef = RuleDef {
    id: "deeplink.syntax.bare-query",
    statement: "a bare query (PayU's intentURIData) is not a launchable deeplink until prefixed with upi://pay?",
    severity: Severity::Info,
    source: Source::seed(
        seeds::PAYU,
        "Sample respose (get the result.intentURIData and add the prefix upi://pay?)",
    ),
    scope: SCOPE,
};

/// `deeplink.syntax.empty-segment`
pub const EMPTY_SEGMENT: RuleDef = RuleDef {
    id: "deeplink.syntax.empty-segment",
    statement: "no empty parameter between `&` separators, and no leading or trailing `&`",
    severity: Severity::Should,
    source: SRC_RFC3986,
    scope: SCOPE,
};

/// `deeplink.syntax.missing-equals`
pub const MISSING_EQUALS: RuleDef = RuleDef {
    id: "deeplink.syntax.missing-equals",
    statement: "every parameter is `name=value`",
    severity: Severity::Must,
    source: SRC_RFC3986,
    scope: SCOPE,
};

/// `deeplink.syntax.empty-name`
pub const EMPTY_NAME: RuleDef = RuleDef {
    id: "deeplink.syntax.empty-name",
    statement: "a parameter name is not empty",
    severity: Severity::Should,
    source: Source::derived(
        "RFC 3986 and the form name=value (DOMAIN.md) give a parameter a name, but no seed or DOMAIN.md sentence says a name cannot be empty: an empty name names no parameter the link defines, so a should",
    ),
    scope: SCOPE,
};

/// `deeplink.syntax.percent-escape`
pub const PERCENT_ESCAPE: RuleDef = RuleDef {
    id: "deeplink.syntax.percent-escape",
    statement: "the URI is encoded: every `%` is followed by two hexadecimal digits",
    severity: Severity::Must,
    source: SRC_SPACES_001,
    scope: SCOPE,
};

/// `deeplink.syntax.utf8`
pub const UTF8: RuleDef = RuleDef {
    id: "deeplink.syntax.utf8",
    statement: "percent-decoded names and values are valid UTF-8",
    severity: Severity::Should,
    source: Source::derived(
        "RFC 3987 / WHATWG URL: percent-encoded octets of text are UTF-8; anything else cannot be shown to the payer. No seed or DOMAIN.md sentence names the character encoding of a link, so a should",
    ),
    scope: SCOPE,
};

/// `deeplink.syntax.raw-space`
pub const RAW_SPACE: RuleDef = RuleDef {
    id: "deeplink.syntax.raw-space",
    statement: "no raw space in the URI: spaces are written %20",
    severity: Severity::Must,
    source: SRC_SPACES_003,
    scope: SCOPE,
};

/// `deeplink.syntax.plus`
pub const PLUS: RuleDef = RuleDef {
    id: "deeplink.syntax.plus",
    statement: "no raw `+`: spaces are %20 and a literal plus is %2B (seeds 001 and 003 ask for %20); a raw `+` is read as a space, as form encoders (urlencode, URLSearchParams, URLEncoder, http_build_query) mean it, but RFC 3986 readers keep it a plus",
    severity: Severity::Should,
    source: SRC_SPACES_001,
    scope: SCOPE,
};

/// `deeplink.syntax.control`
pub const CONTROL: RuleDef = RuleDef {
    id: "deeplink.syntax.control",
    statement: "no decoded name or value contains a control character (C0, DEL, C1) or a bidirectional override (U+202A-U+202E, U+2066-U+2069): they are not text a payer can be shown, and they rewrite terminals and screens",
    severity: Severity::Should,
    source: Source::derived(
        "the grammar's text rule (spec/deeplink.abnf: %x20-7E / %x80-10FFFF) for names and notes shown to the payer; hostile links such as pn=a%00b%1b[31m (issue 13). No seed or DOMAIN.md sentence forbids an encoded control character, so a should",
    ),
    scope: SCOPE,
};

/// `deeplink.syntax.char`
pub const CHAR: RuleDef = RuleDef {
    id: "deeplink.syntax.char",
    statement: "the URI is encoded: only characters RFC 3986 allows raw in a query appear unescaped (no controls, non-ASCII, `\"`, `#`, `<`, `>`, `[`, `\\`, `]`, `^`, backquote, `{`, `|`, `}`)",
    severity: Severity::Must,
    source: SRC_SPACES_001,
    scope: SCOPE,
};

/// `deeplink.param.duplicate`
pub const DUPLICATE: RuleDef = RuleDef {
    id: "deeplink.param.duplicate",
    statement: "a parameter appears at most once (the first occurrence is kept)",
    severity: Severity::Should,
    source: Source::derived("apps disagree on which of two values wins; a payment link must be unambiguous"),
    scope: SCOPE,
};

/// `deeplink.param.empty`
pub const EMPTY_VALUE: RuleDef = RuleDef {
    id: "deeplink.param.empty",
    statement: "a parameter, when present, has a non-empty value",
    severity: Severity::Should,
    source: Source::derived("seed 001 note 2 says to leave out a parameter that is absent (tid), not to send it empty"),
    scope: SCOPE,
};

/// `deeplink.param.null`
pub const NULL_VALUE: RuleDef = RuleDef {
    id: "deeplink.param.null",
    statement: "no value is the literal string `null`",
    severity: Severity::Must,
    source: Source::derived(
        "NPCI linking specification as quoted in DOMAIN.md: the literal string null is never a value",
    ),
    scope: SCOPE,
};

/// `deeplink.param.unknown`
pub const UNKNOWN: RuleDef = RuleDef {
    id: "deeplink.param.unknown",
    statement: "a parameter the link's kind does not define is kept and reported",
    severity: Severity::Info,
    source: Source::derived("apps ignore unknown parameters; reported so that typos (e.g. `PA`) are visible"),
    scope: SCOPE,
};

/// `deeplink.pay.url.category-pair`
pub const URL_CATEGORY: RuleDef = RuleDef {
    id: "deeplink.pay.url.category-pair",
    statement: "url and category are both present or both absent (seed 003 states it for the registerIntent request's refUrl and refCategory; NPCI links carry url alone, so a should)",
    severity: Severity::Should,
    source: Source::seed(
        seeds::REGISTER_INTENT,
        "API Version: V2 > Note 2 (If refUrl is passed in request, refCategory becomes essential ... either both as combination or none)",
    ),
    scope: SCOPE,
};

/// `deeplink.pay.mam.not-above-am`
pub const MAM_NOT_ABOVE_AM: RuleDef = RuleDef {
    id: "deeplink.pay.mam.not-above-am",
    statement: "when both are present, mam is not greater than am",
    severity: Severity::Should,
    source: Source::derived("mam is the minimum amount the payer may pay (NPCI linking specification, DOMAIN.md)"),
    scope: SCOPE,
};

/// `deeplink.mandate.validityend.not-before-start`
pub const VALIDITY_ORDER: RuleDef = RuleDef {
    id: "deeplink.mandate.validityend.not-before-start",
    statement: "validityend is not before validitystart",
    severity: Severity::Should,
    source: Source::derived("a mandate cannot end before it starts"),
    scope: SCOPE,
};

/// `deeplink.mapping.missing-field`
pub const MAPPING_MISSING: RuleDef = RuleDef {
    id: "deeplink.mapping.missing-field",
    statement: "every response field the mapping table marks Mandatory is present and a string",
    severity: Severity::Must,
    source: table::SRC_MAPPING_TABLE,
    scope: SCOPE,
};

/// Every fixed rule (grammar, shared parameter, cross-parameter and mapping rules), in catalogue
/// order.
pub const FIXED: &[RuleDef] = &[
    URI,
    SCHEME,
    SCHEME_CASE,
    BARE_QUERY,
    EMPTY_SEGMENT,
    MISSING_EQUALS,
    EMPTY_NAME,
    PERCENT_ESCAPE,
    UTF8,
    RAW_SPACE,
    PLUS,
    CONTROL,
    CHAR,
    DUPLICATE,
    EMPTY_VALUE,
    NULL_VALUE,
    UNKNOWN,
    URL_CATEGORY,
    MAM_NOT_ABOVE_AM,
    VALIDITY_ORDER,
    MAPPING_MISSING,
];

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
        scope: SCOPE.to_string(),
        schema: NOT_SCHEMA,
    };
    out.extend(FIXED.iter().map(|f| f.rule(NOT_SCHEMA)));
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
