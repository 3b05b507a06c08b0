//! Value formats the seeds name ("amount with exactly two decimals", "13-digit epoch
//! milliseconds", "UUID v4", "VPA", "IFSC", ...). Each format is one [`FormatKind`]
//! implementation in a module of its family: one fast checker for the validator and parsers, one
//! anchored regex for the JSON Schemas, a generator of valid values and near misses for breaking
//! rules. [`Format`] is the name messages use; [`Format::kind`] dispatches to the implementation.
//! Adding a format: a variant here, an arm in [`Format::kind`], an entry in [`Format::ALL`] and
//! its `impl FormatKind`. The laws every format keeps are tested in `spec/tests/format_laws.rs`.

mod address;
mod amount;
mod code;
mod digest;
pub(crate) mod encoding;
mod kind;
mod lex;
mod net;
mod phone;
mod scalar;
mod time;

pub use kind::FormatKind;
use rand::Rng;

/// A named string format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Decimal amount with exactly two decimals, no sign, no leading zeros: `1.00`, `2000.00`.
    Amount2dp,
    /// Decimal number with at most two decimals: `40`, `40.5`, `40.00`.
    Decimal,
    /// Unix epoch time in milliseconds, exactly 13 digits.
    EpochMillis13,
    /// UUID version 4 in its 8-4-4-4-12 hex form (either case).
    UuidV4,
    /// UPI virtual payment address `local@handle`.
    Vpa,
    /// Indian Financial System Code: 4 letters, `0`, 6 letters or digits.
    Ifsc,
    /// Merchant category code: exactly 4 digits.
    Mcc,
    /// Calendar date `YYYY/MM/DD`.
    DateSlashYmd,
    /// ISO 8601 timestamp in Indian Standard Time, `YYYY-MM-DDTHH:MM:SS+05:30`.
    IsoTimestampIst,
    /// Lower-case hex SHA-256 digest (64 characters).
    Sha256Hex,
    /// Lower-case hex SHA-512 digest (128 characters).
    Sha512Hex,
    /// The strings `true` or `false`.
    BoolString,
    /// A positive whole number without sign or leading zeros (at most 9 digits).
    PositiveInt,
    /// A day of the month, `1` to `31`, without leading zeros.
    DayOfMonth,
    /// A 12-digit mobile number with country code (`91XXXXXXXXXX`).
    Mobile12,
    /// A 10-digit Indian mobile number.
    Phone10,
    /// An absolute `http` or `https` URL without spaces.
    HttpUrl,
    /// Standard base64 with padding.
    Base64,
    /// base64url without padding (JWS segments).
    Base64UrlNoPad,
    /// An IPv4 address in dotted-quad form.
    Ipv4,
    /// An e-mail address `local@domain.tld`.
    Email,
    /// An Indian Permanent Account Number: 5 letters, 4 digits, 1 letter.
    Pan,
    /// Calendar date `DDMMYYYY` without separators (UPI mandate validity dates).
    DateDdmmyyyy,
}

impl Format {
    /// Every format, for tests and documentation.
    pub const ALL: [Format; 23] = [
        Format::Amount2dp,
        Format::Decimal,
        Format::EpochMillis13,
        Format::UuidV4,
        Format::Vpa,
        Format::Ifsc,
        Format::Mcc,
        Format::DateSlashYmd,
        Format::IsoTimestampIst,
        Format::Sha256Hex,
        Format::Sha512Hex,
        Format::BoolString,
        Format::PositiveInt,
        Format::DayOfMonth,
        Format::Mobile12,
        Format::Phone10,
        Format::HttpUrl,
        Format::Base64,
        Format::Base64UrlNoPad,
        Format::Ipv4,
        Format::Email,
        Format::Pan,
        Format::DateDdmmyyyy,
    ];

    /// This format's implementation: the one place a [`Format`] is matched to its kind.
    pub fn kind(self) -> &'static dyn FormatKind {
        match self {
            Format::Amount2dp => &amount::Amount2dp,
            Format::Decimal => &amount::Decimal,
            Format::EpochMillis13 => &time::EpochMillis13,
            Format::UuidV4 => &code::UuidV4,
            Format::Vpa => &address::Vpa,
            Format::Ifsc => &code::Ifsc,
            Format::Mcc => &code::Mcc,
            Format::DateSlashYmd => &time::DateSlashYmd,
            Format::IsoTimestampIst => &time::IsoTimestampIst,
            Format::Sha256Hex => &digest::SHA256_HEX,
            Format::Sha512Hex => &digest::SHA512_HEX,
            Format::BoolString => &scalar::BoolString,
            Format::PositiveInt => &scalar::PositiveInt,
            Format::DayOfMonth => &time::DayOfMonth,
            Format::Mobile12 => &phone::MOBILE12,
            Format::Phone10 => &phone::PHONE10,
            Format::HttpUrl => &net::HttpUrl,
            Format::Base64 => &encoding::Base64,
            Format::Base64UrlNoPad => &encoding::Base64UrlNoPad,
            Format::Ipv4 => &net::Ipv4,
            Format::Email => &address::Email,
            Format::Pan => &code::Pan,
            Format::DateDdmmyyyy => &time::DateDdmmyyyy,
        }
    }

    /// Short description used in rule statements ([`FormatKind::describe`]).
    pub fn describe(self) -> &'static str {
        self.kind().describe()
    }

    /// Anchored regex for JSON Schema `pattern` (ECMA-262 subset shared with Rust `regex`;
    /// [`FormatKind::pattern`]).
    pub fn pattern(self) -> &'static str {
        self.kind().pattern()
    }

    /// Whether `s` has this format ([`FormatKind::check`]).
    pub fn check(self, s: &str) -> bool {
        self.kind().check(s)
    }

    /// A random valid value ([`FormatKind::draw`]).
    pub fn example(self, rng: &mut impl Rng) -> String {
        self.kind().draw(rng)
    }

    /// For a format bounded by a length or a precision, the near miss on the other side of the
    /// bound from the first of [`Format::near_misses`] (one decimal there, three here; one digit
    /// short there, one too many here), so rejection cases cover the bound from both sides.
    pub fn other_side(self) -> Option<&'static str> {
        self.kind().other_side()
    }

    /// Values that miss the format narrowly (each is invalid; the first is the most typical).
    pub fn near_misses(self) -> &'static [&'static str] {
        self.kind().near_misses()
    }

    /// The words a seed uses to state this format, as a case-insensitive regex
    /// ([`FormatKind::seed_words`]).
    pub fn seed_words(self) -> Option<&'static str> {
        self.kind().seed_words()
    }
}
