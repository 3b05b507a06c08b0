//! Each format's fast checker and its JSON Schema regex agree, on generated values, on the
//! format's own near misses and on arbitrary strings.

use proptest::prelude::*;
use rand::SeedableRng;
use upi_spec::format::Format;

fn agree(format: Format, s: &str) {
    let re = regex::Regex::new(format.pattern()).unwrap();
    assert_eq!(format.check(s), re.is_match(s), "{format:?} disagrees on {s:?}");
}

#[test]
fn near_misses_are_invalid_and_agree() {
    for format in Format::ALL {
        for miss in format.near_misses() {
            assert!(!format.check(miss), "{format:?} accepts its near miss {miss:?}");
            agree(format, miss);
        }
    }
}

proptest! {
    #[test]
    fn examples_are_valid(seed: u64) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        for format in Format::ALL {
            let value = format.example(&mut rng);
            prop_assert!(format.check(&value), "{:?} rejects its own example {:?}", format, value);
            agree(format, &value);
        }
    }

    #[test]
    fn checker_and_pattern_agree_on_any_string(s in "[0-9a-zA-Z@._/:+=#\\- ]{0,40}") {
        for format in Format::ALL {
            agree(format, &s);
        }
    }

    #[test]
    fn checker_and_pattern_agree_on_mutated_examples(seed: u64, pos: usize, byte in 32u8..127) {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed);
        for format in Format::ALL {
            let mut value = format.example(&mut rng).into_bytes();
            if !value.is_empty() {
                let i = pos % value.len();
                value[i] = byte;
            }
            agree(format, &String::from_utf8(value).unwrap());
        }
    }
}
