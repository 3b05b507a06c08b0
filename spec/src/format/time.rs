//! Times and dates: epoch milliseconds, `YYYY/MM/DD`, ISO timestamps in IST, `DDMMYYYY` and a
//! day of the month.

use rand::{Rng, RngCore};

use super::FormatKind;
use super::lex::{digits, in_range, no_leading_zero};

/// [`super::Format::EpochMillis13`].
pub(super) struct EpochMillis13;

impl FormatKind for EpochMillis13 {
    fn describe(&self) -> &'static str {
        "13-digit Unix epoch milliseconds"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9]{13}$"
    }
    fn check(&self, s: &str) -> bool {
        s.len() == 13 && digits(s.as_bytes())
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        rng.random_range(1_600_000_000_000u64..1_900_000_000_000).to_string()
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &[
            "166838934984",
            "16683893498480",
            "1668389349.848",
            "-668389349848",
            "166838934984a",
        ]
    }
    fn other_side(&self) -> Option<&'static str> {
        Some("16683893498480")
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"13 digit|milliseconds")
    }
}

/// [`super::Format::DateSlashYmd`].
pub(super) struct DateSlashYmd;

impl FormatKind for DateSlashYmd {
    fn describe(&self) -> &'static str {
        "a date YYYY/MM/DD"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9]{4}/(0[1-9]|1[0-2])/(0[1-9]|[12][0-9]|3[01])$"
    }
    fn check(&self, s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 10
            && digits(&b[..4])
            && b[4] == b'/'
            && in_range(&b[5..7], 1, 12)
            && b[7] == b'/'
            && in_range(&b[8..10], 1, 31)
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{}/{:02}/{:02}",
            rng.random_range(2020..2040u32),
            rng.random_range(1..=12u32),
            rng.random_range(1..=28u32)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["2022-01-20", "20/01/2022", "2022/13/01", "2022/1/20", "2022/01/32"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"yyyy/mm/dd")
    }
}

/// [`super::Format::IsoTimestampIst`].
pub(super) struct IsoTimestampIst;

impl FormatKind for IsoTimestampIst {
    fn describe(&self) -> &'static str {
        "an ISO timestamp YYYY-MM-DDTHH:MM:SS+05:30"
    }
    fn pattern(&self) -> &'static str {
        r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]\+05:30$"
    }
    fn check(&self, s: &str) -> bool {
        let b = s.as_bytes();
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
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{}-{:02}-{:02}T{:02}:{:02}:{:02}+05:30",
            rng.random_range(2020..2040u32),
            rng.random_range(1..=12u32),
            rng.random_range(1..=28u32),
            rng.random_range(0..24u32),
            rng.random_range(0..60u32),
            rng.random_range(0..60u32)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &[
            "2021-12-30T14:17:06Z",
            "2021-12-30 14:17:06+05:30",
            "2021-12-30T14:17:06+0530",
            "2021-13-30T14:17:06+05:30",
            "2021-12-30T24:17:06+05:30",
        ]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"yyyy-mm-ddthh:mm:ss\+05:30")
    }
}

/// [`super::Format::DateDdmmyyyy`].
pub(super) struct DateDdmmyyyy;

impl FormatKind for DateDdmmyyyy {
    fn describe(&self) -> &'static str {
        "a date DDMMYYYY"
    }
    fn pattern(&self) -> &'static str {
        r"^(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{4}$"
    }
    fn check(&self, s: &str) -> bool {
        let b = s.as_bytes();
        b.len() == 8 && in_range(&b[..2], 1, 31) && in_range(&b[2..4], 1, 12) && digits(&b[4..])
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        format!(
            "{:02}{:02}{}",
            rng.random_range(1..=28u32),
            rng.random_range(1..=12u32),
            rng.random_range(2020..2040u32)
        )
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["2025-01-31", "31/01/2025", "3101202", "32012025", "31132025"]
    }
    fn seed_words(&self) -> Option<&'static str> {
        Some(r"ddmmyyyy")
    }
}

/// [`super::Format::DayOfMonth`].
pub(super) struct DayOfMonth;

impl FormatKind for DayOfMonth {
    fn describe(&self) -> &'static str {
        "a day of month 1 to 31"
    }
    fn pattern(&self) -> &'static str {
        r"^([1-9]|[12][0-9]|3[01])$"
    }
    fn check(&self, s: &str) -> bool {
        no_leading_zero(s.as_bytes()) && s.len() <= 2 && s.parse::<u8>().is_ok_and(|d| (1..=31).contains(&d))
    }
    fn draw(&self, rng: &mut dyn RngCore) -> String {
        rng.random_range(1..=31u32).to_string()
    }
    fn near_misses(&self) -> &'static [&'static str] {
        &["0", "32", "01", "-1", "1.0"]
    }
    fn other_side(&self) -> Option<&'static str> {
        Some("32")
    }
    fn seed_words(&self) -> Option<&'static str> {
        // Seeds show the recurrence day only by example.
        None
    }
}
