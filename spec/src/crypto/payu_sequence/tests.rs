//! Tests of the sequences and of the chooser's field table.
use super::*;

fn fields(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
}

#[test]
fn field_indices_name_the_documented_fields() {
    let names = |ids: &[F]| ids.iter().map(|f| f.name()).collect::<Vec<_>>();
    assert_eq!(names(&AFTER_SALT_IDS), REQUEST_AFTER_SALT);
    assert_eq!(names(&UDF_6_TO_10_IDS), UDF_6_TO_10);
    assert_eq!(names(&RESPONSE_TAIL_IDS), RESPONSE_TAIL);
    assert_eq!(names(&HEAD_IDS[..6]), REQUEST_HEAD);
    assert_eq!(names(&HEAD_IDS[6..]), UDF_1_TO_5);
    for name in NAMES {
        assert_eq!(field_id(name).map(F::name), Some(*name));
    }
}

/// A name one byte away from a hashed one (same length, so often the same hash slot) is not
/// read as it: every byte position of every name, the compare's words included.
#[test]
fn a_name_one_byte_off_is_not_the_field() {
    for (name, id) in NAMES.iter().zip(IDS) {
        for at in 0..name.len() {
            let mut near = name.as_bytes().to_vec();
            near[at] ^= 0x20;
            let near = String::from_utf8(near).unwrap();
            assert_ne!(field_id(&near), Some(*id), "{near:?} read as {name:?}");
        }
    }
}

#[test]
fn default_request_has_eleven_pipes_between_email_and_salt() {
    let seq = choose(
        HashFamily::Request,
        &fields(&[("key", "k"), ("txnid", "t"), ("amount", "1")]),
    )
    .unwrap();
    let email = seq.slots.iter().position(|s| *s == Slot::Field("email")).unwrap();
    let salt = seq.slots.iter().position(|s| *s == Slot::Salt).unwrap();
    assert_eq!(salt - email, 11);
}

#[test]
fn the_version_1_reading_of_api_version_7_drops_udf6_to_10() {
    let posted = fields(&[
        ("key", "k"),
        ("txnid", "t"),
        ("amount", "1"),
        ("api_version", "7"),
        ("udf6", "six"),
        ("udf_params", "{}"),
    ]);
    let v7 = choose(HashFamily::Request, &posted).unwrap();
    let v1 = choose(HashFamily::Request, &as_version_1(&posted)).unwrap();
    assert!(v7.slots.contains(&Slot::Field("udf6")));
    assert!(!v1.slots.contains(&Slot::Field("udf6")));
    assert_eq!(v1.slots.iter().filter(|s| **s == Slot::Reserved).count(), 5);
    assert_eq!(v1.slots.last(), Some(&Slot::Field("udf_params")));
    assert_eq!(v7.slots.len(), v1.slots.len(), "same number of pipes, other values");
}

#[test]
fn after_salt_order_is_the_documented_one_not_the_posted_one() {
    let seq = choose(
        HashFamily::Request,
        &fields(&[
            ("key", "k"),
            ("txnid", "t"),
            ("amount", "1"),
            ("buyer_type_business", "1"),
            ("additional_charges", "2"),
        ]),
    )
    .unwrap();
    assert_eq!(
        &seq.slots[seq.slots.len() - 3..],
        &[
            Slot::Salt,
            Slot::Field("additional_charges"),
            Slot::Field("buyer_type_business")
        ]
    );
}
