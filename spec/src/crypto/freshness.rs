//! The freshness window for request timestamps (`iat` in the signed payload, the `x-timestamp`
//! header): 13-digit epoch milliseconds, not older than `max_age_millis` and not further in the
//! future than `max_skew_millis`, judged against a `now_millis` the caller supplies (the crate
//! reads no clock).

use crate::format::Format;

/// How far from `now` a timestamp may be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FreshnessWindow {
    /// How old a timestamp may be, in milliseconds.
    pub max_age_millis: u64,
    /// How far in the future a timestamp may be (clock skew), in milliseconds.
    pub max_skew_millis: u64,
}

impl Default for FreshnessWindow {
    /// Five minutes old, one minute ahead. The seeds give no window; this is our default and
    /// every caller can change it.
    fn default() -> Self {
        FreshnessWindow {
            max_age_millis: 5 * 60 * 1000,
            max_skew_millis: 60 * 1000,
        }
    }
}

/// Why a timestamp is not fresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Staleness {
    /// Not 13 ASCII digits.
    Malformed,
    /// Older than the window allows, by this many milliseconds.
    TooOld(u64),
    /// Further in the future than the window allows, by this many milliseconds.
    TooNew(u64),
}

impl FreshnessWindow {
    /// Judges a timestamp string against `now_millis`.
    pub fn check(&self, timestamp: &str, now_millis: u64) -> Result<u64, Staleness> {
        if !Format::EpochMillis13.check(timestamp) {
            return Err(Staleness::Malformed);
        }
        let millis: u64 = timestamp.parse().map_err(|_| Staleness::Malformed)?;
        if millis < now_millis {
            let age = now_millis - millis;
            if age > self.max_age_millis {
                return Err(Staleness::TooOld(age - self.max_age_millis));
            }
        } else {
            let ahead = millis - now_millis;
            if ahead > self.max_skew_millis {
                return Err(Staleness::TooNew(ahead - self.max_skew_millis));
            }
        }
        Ok(millis)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn window_edges_are_inclusive() {
        let w = FreshnessWindow::default();
        let now = 1_700_158_230_380;
        assert_eq!(w.check("1700157930380", now), Ok(1_700_157_930_380));
        assert_eq!(w.check("1700157930379", now), Err(Staleness::TooOld(1)));
        assert_eq!(w.check("1700158290380", now), Ok(1_700_158_290_380));
        assert_eq!(w.check("1700158290381", now), Err(Staleness::TooNew(1)));
        assert_eq!(w.check("170015823038", now), Err(Staleness::Malformed));
    }
}
