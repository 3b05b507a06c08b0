//! `api::touched_by` reads the sites `upi_spec::sites::sites_of` keeps per registered model (one
//! walk each): its answer for every rule of every model equals the one worked out afresh from a
//! copy of the model (a copy is not registered, so its sites are walked each time), asked twice
//! so the second answer comes from the kept walk.

use upi_conformance::runner::api::touched_by;
use upi_spec::{catalogue, messages};

#[test]
fn remembered_answers_equal_fresh_ones_for_every_rule() {
    let mut asked = 0;
    let mut reading_something = 0;
    for message in messages::all() {
        let copy = message.clone();
        for rule in catalogue::rules_of(message) {
            let fresh = touched_by(&copy, &rule.id);
            for _ in 0..2 {
                assert_eq!(touched_by(message, &rule.id), fresh, "{}", rule.id);
            }
            asked += 1;
            reading_something += usize::from(!fresh.fields.is_empty() || !fresh.headers.is_empty());
        }
        assert_eq!(touched_by(message, "no.such.rule"), Default::default());
    }
    assert!(
        asked > 500 && reading_something > 400,
        "{asked} rules, {reading_something} reading fields"
    );
}
