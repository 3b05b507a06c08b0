//! The readings a reference server serves: where a seed sentence allows more than one
//! defensible reading (`upi_spec::readings`, recorded in `spec/ERRATA.md`), the server follows
//! the default one unless `serve --reading ERRATUM=READING` picks another. The handlers consult
//! [`Readings`] at the few points where the readings differ: the `_payment` refusal status
//! (E-091) and request hash sequence for `api_version` 7 (C-02), `txnInitiationMode` in V3
//! answers (E-061), the invoice missing-field answer (E-093),
//! the rules a reading relaxes (E-092 firstname/email, E-094 offers, E-089 amount_rule) and the
//! `udfParameters` character class (E-046).

use std::collections::BTreeMap;

use upi_spec::readings::{self, Reading};

/// Why a `--reading` could not be taken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadingError {
    /// Not of the form `ERRATUM=READING`.
    #[error("--reading takes ERRATUM=READING (e.g. E-091=200-failed), not {0:?}")]
    Syntax(String),
    /// No erratum with readings has this ID.
    #[error("no erratum {erratum:?} lists readings; errata with readings: {valid}")]
    UnknownErratum {
        /// What was asked for.
        erratum: String,
        /// The errata that list readings.
        valid: String,
    },
    /// The erratum lists no such reading.
    #[error("{erratum} has no reading {reading:?}; its readings: {valid}")]
    UnknownReading {
        /// The erratum.
        erratum: String,
        /// What was asked for.
        reading: String,
        /// The erratum's reading IDs.
        valid: String,
    },
    /// A listed reading this server cannot serve yet (see [`NOT_SERVED`]).
    #[error("the reference server does not serve {id}: {why}")]
    NotServed {
        /// The reading.
        id: &'static str,
        /// Why.
        why: &'static str,
    },
}

/// Listed readings the reference server does not serve, and why: asking for one is an error,
/// never a flag that changes nothing.
pub const NOT_SERVED: &[(&str, &str)] = &[
    (
        "E-089/defaulted",
        "mandate.amount_rule is a field of seed 002's TPAP SDK process payloads (onboardingAndCreateMandate, createMandate), handed to the in-app Android SDK, not sent over HTTP; this server has no TPAP endpoint to serve it on, and the TPAP suite (`tpap run`, its reference shim) checks E-089/mandatory only",
    ),
    (
        "E-096/payload-status",
        "sessionTokenResponse is part of seed 002's TPAP SDK onboarding answer, given by the in-app Android SDK, not sent over HTTP; this server has no TPAP endpoint to serve it on, and the TPAP suite judges the key's vpaAccounts by its should rule (E-096/key-status), a warning only",
    ),
];

/// The reading chosen for each erratum (the default where none was chosen).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Readings {
    chosen: BTreeMap<&'static str, &'static Reading>,
}

/// The characters the `udfParameters` class `^[^/#-()*!%~`]+$` forbids under E-046/range: the
/// class as a regex, where `#-(` is the range `# $ % & ' (`.
const UDF_RANGE_FORBIDDEN: &[char] = &['/', '#', '$', '%', '&', '\'', '(', ')', '*', '!', '~', '`'];

impl Readings {
    /// Chooses the reading `spec` names: `ERRATUM=READING`, where READING is the name after
    /// the slash (`E-091=200-failed`) or the whole ID (`E-091=E-091/200-failed`).
    pub fn choose(&mut self, spec: &str) -> Result<&'static Reading, ReadingError> {
        let (erratum, name) = spec
            .split_once('=')
            .map(|(e, r)| (e.trim(), r.trim()))
            .filter(|(e, r)| !e.is_empty() && !r.is_empty())
            .ok_or_else(|| ReadingError::Syntax(spec.to_string()))?;
        if readings::of(erratum).next().is_none() {
            return Err(ReadingError::UnknownErratum {
                erratum: erratum.to_string(),
                valid: errata().join(", "),
            });
        }
        let id = if name.contains('/') {
            name.to_string()
        } else {
            format!("{erratum}/{name}")
        };
        let reading = readings::of(erratum)
            .find(|r| r.id == id)
            .ok_or_else(|| ReadingError::UnknownReading {
                erratum: erratum.to_string(),
                reading: name.to_string(),
                valid: readings::of(erratum).map(|r| r.id).collect::<Vec<_>>().join(", "),
            })?;
        if let Some((id, why)) = NOT_SERVED.iter().find(|(id, _)| *id == reading.id) {
            return Err(ReadingError::NotServed { id, why });
        }
        self.chosen.insert(reading.erratum, reading);
        Ok(reading)
    }

    /// Every reading chosen with `specs` (see [`Readings::choose`]).
    pub fn parse<'a>(specs: impl IntoIterator<Item = &'a str>) -> Result<Readings, ReadingError> {
        let mut out = Readings::default();
        for spec in specs {
            out.choose(spec)?;
        }
        Ok(out)
    }

    /// The reading with this ID chosen (a known, served ID; others are ignored).
    pub fn with(mut self, id: &str) -> Readings {
        if let Some(r) = readings::find(id).filter(|r| served(r.id)) {
            self.chosen.insert(r.erratum, r);
        }
        self
    }

    /// Whether the server follows the reading `id` (chosen, or the default of its erratum when
    /// none of it was chosen).
    pub fn follows(&self, id: &str) -> bool {
        let Some(reading) = readings::find(id) else {
            return false;
        };
        match self.chosen.get(reading.erratum) {
            Some(chosen) => chosen.id == id,
            None => reading.default,
        }
    }

    /// The non-default readings chosen, in erratum order.
    pub fn non_default(&self) -> Vec<&'static str> {
        self.chosen.values().filter(|r| !r.default).map(|r| r.id).collect()
    }

    /// Whether a chosen reading relaxes `rule`: the server then does not refuse it (E-092
    /// absent firstname/email, E-094 offers not a JSON array, E-089 absent amount_rule, E-046
    /// the literal character class, replaced by [`Readings::udf_range_refusal`]).
    pub fn waives(&self, rule: &str) -> bool {
        ["E-046/range", "E-089/defaulted", "E-092/absent", "E-094/repeated-key"]
            .into_iter()
            .filter(|id| self.follows(id))
            .filter_map(readings::find)
            .any(|r| r.rules.contains(&rule))
    }

    /// Under E-046/range: the first `udfParameters` value of a registerIntent request holding
    /// a character the class read as a regex forbids, as `(key, value)`.
    pub fn udf_range_refusal(&self, request: &serde_json::Value) -> Option<(String, String)> {
        if !self.follows("E-046/range") {
            return None;
        }
        let udf = match request.get("udfParameters")? {
            serde_json::Value::String(s) => serde_json::from_str(s).ok()?,
            other => other.clone(),
        };
        udf.as_object()?.iter().find_map(|(k, v)| {
            let text = v.as_str()?;
            text.contains(UDF_RANGE_FORBIDDEN)
                .then(|| (k.clone(), text.to_string()))
        })
    }
}

/// Whether the server can follow the reading `id`.
pub fn served(id: &str) -> bool {
    !NOT_SERVED.iter().any(|(n, _)| *n == id)
}

/// The errata that list readings, in order.
pub fn errata() -> Vec<&'static str> {
    let mut out: Vec<&'static str> = Vec::new();
    for r in readings::all() {
        if !out.contains(&r.erratum) {
            out.push(r.erratum);
        }
    }
    out
}

/// The table `serve --list-readings` prints: one line per reading, `ERRATUM  ID  [default]
/// statement`.
pub fn table() -> String {
    let width = readings::all().iter().map(|r| r.id.len()).max().unwrap_or(0);
    let mut out = String::new();
    for r in readings::all() {
        let mark = if r.default { "default" } else { "       " };
        let note = NOT_SERVED
            .iter()
            .find(|(id, _)| *id == r.id)
            .map(|(_, why)| format!(" (not served: {why})"))
            .unwrap_or_default();
        out.push_str(&format!(
            "{:<6} {:<width$}  {mark}  {}{note}\n",
            r.erratum, r.id, r.statement
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reading_is_chosen_by_name_or_id_and_unknown_ones_name_the_valid_ones() {
        let r = Readings::parse(["E-091=200-failed", "E-093=E-093/status-0"]).unwrap();
        assert!(r.follows("E-091/200-failed") && !r.follows("E-091/4xx"));
        assert!(r.follows("E-093/status-0"));
        assert!(r.follows("E-046/literal"), "an erratum not chosen follows its default");
        assert_eq!(r.non_default(), ["E-091/200-failed", "E-093/status-0"]);
        let e = Readings::parse(["E-089=defaulted"]).unwrap_err();
        assert!(matches!(e, ReadingError::NotServed { .. }), "{e}");
        let c02 = Readings::parse(["C-02=domain"]).unwrap();
        assert!(c02.follows("C-02/domain") && !c02.follows("C-02/case4-udf6-10"));
        let e = Readings::parse(["E-999=x"]).unwrap_err().to_string();
        assert!(e.contains("E-046") && e.contains("C-02"), "{e}");
        let e = Readings::parse(["E-091=maybe"]).unwrap_err().to_string();
        assert!(e.contains("E-091/4xx") && e.contains("E-091/200-failed"), "{e}");
        assert!(matches!(Readings::parse(["E-091"]), Err(ReadingError::Syntax(_))));
    }

    #[test]
    fn only_a_chosen_relaxing_reading_waives_its_rules() {
        let rule = "payu.payment.request.firstname.required";
        assert!(!Readings::default().waives(rule));
        assert!(Readings::default().with("E-092/absent").waives(rule));
        assert!(!Readings::default().with("E-092/empty").waives(rule));
    }

    #[test]
    fn the_range_reading_forbids_dollar_and_allows_the_hyphen() {
        let range = Readings::default().with("E-046/range");
        let req = |v: &str| serde_json::json!({"udfParameters": {"udf1": v}});
        assert!(range.udf_range_refusal(&req("a$b")).is_some());
        assert!(range.udf_range_refusal(&req("a-b")).is_none());
        assert!(Readings::default().udf_range_refusal(&req("a$b")).is_none());
        let text = serde_json::json!({"udfParameters": "{\"udf1\":\"it's\"}"});
        assert!(range.udf_range_refusal(&text).is_some());
    }

    #[test]
    fn the_table_lists_every_reading_and_marks_one_default_per_erratum() {
        let t = table();
        assert_eq!(t.lines().count(), readings::all().len());
        assert_eq!(t.lines().filter(|l| l.contains(" default ")).count(), errata().len());
    }
}
