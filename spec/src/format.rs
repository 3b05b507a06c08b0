//! Value formats the seeds name ("amount with exactly two decimals", "13-digit epoch
//! milliseconds", "UUID v4", "VPA", "IFSC", ...). Each format has one fast checker for the
//! validator and parsers, one anchored regex for the JSON Schemas, a generator of valid values
//! and near misses for breaking rules. A property test keeps checker and regex in agreement.

use base64::Engine as _;
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

    /// Short description used in rule statements.
    pub fn describe(self) -> &'static str {
        match self {
            Format::Amount2dp => "an amount with exactly two decimals (e.g. 1.00)",
            Format::Decimal => "a decimal number with at most two decimals",
            Format::EpochMillis13 => "13-digit Unix epoch milliseconds",
            Format::UuidV4 => "a UUID v4",
            Format::Vpa => "a VPA (local@handle)",
            Format::Ifsc => "an IFSC (4 letters, 0, 6 letters or digits)",
            Format::Mcc => "a 4-digit MCC",
            Format::DateSlashYmd => "a date YYYY/MM/DD",
            Format::IsoTimestampIst => "an ISO timestamp YYYY-MM-DDTHH:MM:SS+05:30",
            Format::Sha256Hex => "a lower-case 64-hex SHA-256",
            Format::Sha512Hex => "a lower-case 128-hex SHA-512",
            Format::BoolString => "the string true or false",
            Format::PositiveInt => "a whole number greater than 0",
            Format::DayOfMonth => "a day of month 1 to 31",
            Format::Mobile12 => "a 12-digit mobile number with country code",
            Format::Phone10 => "a 10-digit mobile number",
            Format::HttpUrl => "an http(s) URL",
            Format::Base64 => "standard padded base64",
            Format::Base64UrlNoPad => "base64url without padding",
            Format::Ipv4 => "an IPv4 address",
            Format::Email => "an e-mail address",
            Format::Pan => "a PAN (5 letters, 4 digits, 1 letter)",
            Format::DateDdmmyyyy => "a date DDMMYYYY",
        }
    }

    /// Anchored regex for JSON Schema `pattern` (ECMA-262 subset shared with Rust `regex`).
    pub fn pattern(self) -> &'static str {
        match self {
            Format::Amount2dp => r"^(0|[1-9][0-9]*)\.[0-9]{2}$",
            Format::Decimal => r"^(0|[1-9][0-9]*)(\.[0-9]{1,2})?$",
            Format::EpochMillis13 => r"^[0-9]{13}$",
            Format::UuidV4 => r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$",
            Format::Vpa => r"^[A-Za-z0-9._\-]{1,200}@[A-Za-z0-9]{2,64}$",
            Format::Ifsc => r"^[A-Z]{4}0[A-Z0-9]{6}$",
            Format::Mcc => r"^[0-9]{4}$",
            Format::DateSlashYmd => r"^[0-9]{4}/(0[1-9]|1[0-2])/(0[1-9]|[12][0-9]|3[01])$",
            Format::IsoTimestampIst => {
                r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\+05:30$"
            }
            Format::Sha256Hex => r"^[0-9a-f]{64}$",
            Format::Sha512Hex => r"^[0-9a-f]{128}$",
            Format::BoolString => r"^(true|false)$",
            Format::PositiveInt => r"^[1-9][0-9]{0,8}$",
            Format::DayOfMonth => r"^([1-9]|[12][0-9]|3[01])$",
            Format::Mobile12 => r"^[0-9]{12}$",
            Format::Phone10 => r"^[0-9]{10}$",
            Format::HttpUrl => r"^https?://[^\s/?#]+[^\s]*$",
            Format::Base64 => r"^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$",
            Format::Base64UrlNoPad => r"^([A-Za-z0-9_\-]{4})*([A-Za-z0-9_\-]{2,3})?$",
            Format::Ipv4 => {
                r"^((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])$"
            }
            Format::Email => r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$",
            Format::Pan => r"^[A-Z]{5}[0-9]{4}[A-Z]$",
            Format::DateDdmmyyyy => r"^(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{4}$",
        }
    }

    /// Whether `s` has this format.
    pub fn check(self, s: &str) -> bool {
        let b = s.as_bytes();
        let digits = |x: &[u8]| !x.is_empty() && x.iter().all(u8::is_ascii_digit);
        let no_leading_zero = |x: &[u8]| digits(x) && (x.len() == 1 || x[0] != b'0');
        let hex_lower = |x: &[u8]| x.iter().all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(c));
        let two = |x: &[u8]| x.len() == 2 && digits(x);
        let in_range = |x: &[u8], lo: u32, hi: u32| {
            two(x) && {
                let v = u32::from(x[0] - b'0') * 10 + u32::from(x[1] - b'0');
                (lo..=hi).contains(&v)
            }
        };
        match self {
            Format::Amount2dp => match s.split_once('.') {
                Some((int, frac)) => no_leading_zero(int.as_bytes()) && two(frac.as_bytes()),
                None => false,
            },
            Format::Decimal => match s.split_once('.') {
                Some((int, frac)) => {
                    no_leading_zero(int.as_bytes()) && (1..=2).contains(&frac.len()) && digits(frac.as_bytes())
                }
                None => no_leading_zero(b),
            },
            Format::EpochMillis13 => b.len() == 13 && digits(b),
            Format::UuidV4 => {
                b.len() == 36
                    && b.iter().enumerate().all(|(i, c)| match i {
                        8 | 13 | 18 | 23 => *c == b'-',
                        14 => *c == b'4',
                        19 => matches!(c, b'8' | b'9' | b'a' | b'b' | b'A' | b'B'),
                        _ => c.is_ascii_hexdigit(),
                    })
            }
            Format::Vpa => match s.split_once('@') {
                Some((local, handle)) => {
                    (1..=200).contains(&local.len())
                        && local
                            .bytes()
                            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'-'))
                        && (2..=64).contains(&handle.len())
                        && handle.bytes().all(|c| c.is_ascii_alphanumeric())
                }
                None => false,
            },
            Format::Ifsc => {
                b.len() == 11
                    && b[..4].iter().all(u8::is_ascii_uppercase)
                    && b[4] == b'0'
                    && b[5..].iter().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            }
            Format::Mcc => b.len() == 4 && digits(b),
            Format::DateSlashYmd => {
                b.len() == 10
                    && digits(&b[..4])
                    && b[4] == b'/'
                    && in_range(&b[5..7], 1, 12)
                    && b[7] == b'/'
                    && in_range(&b[8..10], 1, 31)
            }
            Format::IsoTimestampIst => {
                b.len() == 25
                    && digits(&b[..4])
                    && b[4] == b'-'
                    && in_range(&b[5..7], 1, 12)
                    && b[7] == b'-'
                    && in_range(&b[8..10], 1, 31)
                    && b[10] == b'T'
                    && in_range(&b[11..13], 0, 23)
                    && b[13] == b':'
                    && in_range(&b[14..16], 0, 59)
                    && b[16] == b':'
                    && in_range(&b[17..19], 0, 59)
                    && &b[19..] == b"+05:30"
            }
            Format::Sha256Hex => b.len() == 64 && hex_lower(b),
            Format::Sha512Hex => b.len() == 128 && hex_lower(b),
            Format::BoolString => s == "true" || s == "false",
            Format::PositiveInt => b.len() <= 9 && no_leading_zero(b) && s != "0",
            Format::DayOfMonth => {
                no_leading_zero(b) && b.len() <= 2 && s.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
            }
            Format::Mobile12 => b.len() == 12 && digits(b),
            Format::Phone10 => b.len() == 10 && digits(b),
            Format::HttpUrl => {
                let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"));
                match rest {
                    Some(rest) => {
                        !s.chars().any(char::is_whitespace)
                            && rest.chars().next().is_some_and(|c| !matches!(c, '/' | '?' | '#'))
                    }
                    None => false,
                }
            }
            Format::Base64 => {
                let body = s.trim_end_matches('=');
                let pad = s.len() - body.len();
                s.len() % 4 == 0
                    && pad <= 2
                    && body
                        .bytes()
                        .all(|c| c.is_ascii_alphanumeric() || c == b'+' || c == b'/')
                    && (pad == 0 || body.len() % 4 == 4 - pad)
            }
            Format::Base64UrlNoPad => {
                s.len() % 4 != 1 && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'_')
            }
            Format::Ipv4 => {
                let parts: Vec<&str> = s.split('.').collect();
                parts.len() == 4
                    && parts.iter().all(|p| {
                        no_leading_zero(p.as_bytes()) && p.len() <= 3 && p.parse::<u16>().is_ok_and(|v| v <= 255)
                    })
            }
            Format::Email => match s.split_once('@') {
                Some((local, domain)) => {
                    let bad = |c: char| c == '@' || c.is_whitespace();
                    !local.is_empty()
                        && !local.chars().any(bad)
                        && !domain.chars().any(bad)
                        && domain.split('.').count() >= 2
                        && domain.split('.').all(|l| !l.is_empty())
                }
                None => false,
            },
            Format::Pan => {
                b.len() == 10
                    && b[..5].iter().all(u8::is_ascii_uppercase)
                    && b[5..9].iter().all(u8::is_ascii_digit)
                    && b[9].is_ascii_uppercase()
            }
            Format::DateDdmmyyyy => {
                b.len() == 8 && in_range(&b[..2], 1, 31) && in_range(&b[2..4], 1, 12) && digits(&b[4..])
            }
        }
    }

    /// A random valid value.
    pub fn example(self, rng: &mut impl Rng) -> String {
        let digits = |rng: &mut dyn rand::RngCore, n: usize| -> String {
            (0..n).map(|_| char::from(b'0' + rng.random_range(0..10u8))).collect()
        };
        let upper = |rng: &mut dyn rand::RngCore, n: usize| -> String {
            (0..n).map(|_| char::from(b'A' + rng.random_range(0..26u8))).collect()
        };
        let hex = |rng: &mut dyn rand::RngCore, n: usize| -> String {
            (0..n)
                .map(|_| char::from(b"0123456789abcdef"[rng.random_range(0..16usize)]))
                .collect()
        };
        match self {
            Format::Amount2dp => format!("{}.{:02}", rng.random_range(1..100_000u32), rng.random_range(0..100u32)),
            Format::Decimal => match rng.random_range(0..3) {
                0 => rng.random_range(1..10_000u32).to_string(),
                1 => format!("{}.{}", rng.random_range(0..10_000u32), rng.random_range(0..10u32)),
                _ => format!("{}.{:02}", rng.random_range(0..10_000u32), rng.random_range(0..100u32)),
            },
            Format::EpochMillis13 => rng.random_range(1_600_000_000_000u64..1_900_000_000_000).to_string(),
            Format::UuidV4 => format!(
                "{}-{}-4{}-{}{}-{}",
                hex(rng, 8),
                hex(rng, 4),
                hex(rng, 3),
                ['8', '9', 'a', 'b'][rng.random_range(0..4usize)],
                hex(rng, 3),
                hex(rng, 12)
            ),
            Format::Vpa => {
                let handles = ["axisbank", "ybl", "okhdfcbank", "paytm", "ypay", "yesg"];
                let local_digits = rng.random_range(3..10);
                let handle = handles[rng.random_range(0..handles.len())];
                format!("{}{}@{handle}", upper(rng, 1).to_lowercase(), digits(rng, local_digits))
            }
            Format::Ifsc => format!("{}0{}", upper(rng, 4), digits(rng, 6)),
            Format::Mcc => digits(rng, 4),
            Format::DateSlashYmd => format!(
                "{}/{:02}/{:02}",
                rng.random_range(2020..2040u32),
                rng.random_range(1..=12u32),
                rng.random_range(1..=28u32)
            ),
            Format::IsoTimestampIst => format!(
                "{}-{:02}-{:02}T{:02}:{:02}:{:02}+05:30",
                rng.random_range(2020..2040u32),
                rng.random_range(1..=12u32),
                rng.random_range(1..=28u32),
                rng.random_range(0..24u32),
                rng.random_range(0..60u32),
                rng.random_range(0..60u32)
            ),
            Format::Sha256Hex => hex(rng, 64),
            Format::Sha512Hex => hex(rng, 128),
            Format::BoolString => (if rng.random_bool(0.5) { "true" } else { "false" }).to_string(),
            Format::PositiveInt => rng.random_range(1..1_000u32).to_string(),
            Format::DayOfMonth => rng.random_range(1..=31u32).to_string(),
            Format::Mobile12 => format!("91{}{}", rng.random_range(6..10u8), digits(rng, 9)),
            Format::Phone10 => format!("{}{}", rng.random_range(6..10u8), digits(rng, 9)),
            Format::HttpUrl => format!("https://merchant{}.example.com/ref/{}", digits(rng, 2), digits(rng, 4)),
            Format::Base64 => {
                let bytes: Vec<u8> = (0..rng.random_range(0..40)).map(|_| rng.random()).collect();
                base64::engine::general_purpose::STANDARD.encode(&bytes)
            }
            Format::Base64UrlNoPad => {
                let bytes: Vec<u8> = (0..rng.random_range(1..40)).map(|_| rng.random()).collect();
                base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes)
            }
            Format::Ipv4 => format!(
                "{}.{}.{}.{}",
                rng.random_range(1..=223u8),
                rng.random::<u8>(),
                rng.random::<u8>(),
                rng.random_range(1..=254u8)
            ),
            Format::Email => format!("user{}@example.com", digits(rng, 4)),
            Format::Pan => format!("{}{}{}", upper(rng, 5), digits(rng, 4), upper(rng, 1)),
            Format::DateDdmmyyyy => format!(
                "{:02}{:02}{}",
                rng.random_range(1..=28u32),
                rng.random_range(1..=12u32),
                rng.random_range(2020..2040u32)
            ),
        }
    }

    /// For a format bounded by a length or a precision, the near miss on the other side of the
    /// bound from the first of [`Format::near_misses`] (one decimal there, three here; one digit
    /// short there, one too many here), so rejection cases cover the bound from both sides.
    pub fn other_side(self) -> Option<&'static str> {
        match self {
            Format::Amount2dp => Some("1.000"),
            Format::EpochMillis13 => Some("16683893498480"),
            Format::Mcc => Some("12345"),
            Format::Sha256Hex => Some("ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674ffffff00"),
            Format::Mobile12 => Some("9876543210123"),
            Format::Phone10 => Some("98765432101"),
            Format::DayOfMonth => Some("32"),
            _ => None,
        }
    }

    /// Values that miss the format narrowly (each is invalid; the first is the most typical).
    pub fn near_misses(self) -> &'static [&'static str] {
        match self {
            Format::Amount2dp => &["1.0", "1", "1.000", "-1.00", "1e3", "01.00", "1,00", " 1.00"],
            Format::Decimal => &["1.000", "-1", "1e3", "01", "1.", ".5", "abc"],
            Format::EpochMillis13 => &[
                "166838934984",
                "16683893498480",
                "1668389349.848",
                "-668389349848",
                "166838934984a",
            ],
            Format::UuidV4 => &[
                "f7443c1d-9acb-1b3d-9ae5-0e3c33dfcf5b",
                "abcd-12345-abcd-12345",
                "f7443c1d9acb4b3d9ae50e3c33dfcf5b",
                "f7443c1d-9acb-4b3d-7ae5-0e3c33dfcf5b",
                "g7443c1d-9acb-4b3d-9ae5-0e3c33dfcf5b",
            ],
            Format::Vpa => &[
                "merchant",
                "merchant@",
                "@axisbank",
                "mer chant@axisbank",
                "a@b@c",
                "merchant@axis.bank",
            ],
            Format::Ifsc => &[
                "ABCD1000345",
                "abcd0000345",
                "ABC00000345",
                "ABCD000034",
                "ABCD00003456",
            ],
            Format::Mcc => &["123", "12345", "12a4", " 123"],
            Format::DateSlashYmd => &["2022-01-20", "20/01/2022", "2022/13/01", "2022/1/20", "2022/01/32"],
            Format::IsoTimestampIst => &[
                "2021-12-30T14:17:06Z",
                "2021-12-30 14:17:06+05:30",
                "2021-12-30T14:17:06+0530",
                "2021-13-30T14:17:06+05:30",
                "2021-12-30T24:17:06+05:30",
            ],
            Format::Sha256Hex => &[
                "ef907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674",
                "EF907B670F92BA102DAEADB0A9EA347C44BDE9F4340E9330DD2FF3A674FFFFFF",
                "zz907b670f92ba102daeadb0a9ea347c44bde9f4340e9330dd2ff3a674ffffff",
            ],
            Format::Sha512Hex => &["abc", "YOUR_CALCULATED_HASH", "{{hash}}"],
            Format::BoolString => &["TRUE", "True", "1", "yes", ""],
            Format::PositiveInt => &["0", "-1", "010", "1.5", "ten", "1234567890"],
            Format::DayOfMonth => &["0", "32", "01", "-1", "1.0"],
            Format::Mobile12 => &["98765432101", "9876543210123", "+919876543210", "91987654321a"],
            Format::Phone10 => &["987654321", "98765432101", "##########", "98765 4321"],
            Format::HttpUrl => &[
                "www.xyz.com",
                "ftp://xyz.com",
                "https://",
                "https://xyz.com/a b",
                "http//xyz.com",
            ],
            Format::Base64 => &["abc", "ab=c", "a!bc", "abcde==="],
            Format::Base64UrlNoPad => &["abc=", "a+bc", "a/bc", "abcde"],
            Format::Ipv4 => &["10.200.12", "10.200.12.256", "10.200.012.12", "a.b.c.d", "::1"],
            Format::Email => &["user", "user@", "@example.com", "user@example", "us er@example.com"],
            Format::Pan => &["ABCDE1234", "abcde1234f", "ABCD12345F", "ABCDE12345"],
            Format::DateDdmmyyyy => &["2025-01-31", "31/01/2025", "3101202", "32012025", "31132025"],
        }
    }
}
