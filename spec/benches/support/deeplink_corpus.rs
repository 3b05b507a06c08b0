//! The deeplink corpus shared by `benches/deeplink_parse.rs` and `examples/deeplink_rate.rs`:
//! 10,000 deterministic, varied links.

use std::hint::black_box;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use upi_spec::deeplink::{self, Deeplink, Key, Target};
use upi_spec::format::Format;

/// Links in the corpus.
pub const CORPUS: usize = 10_000;

/// A deterministic corpus: canonical links of every target, with names that need `%20`,
/// optional parameters, unknown parameters, and one in eight with a defect (raw space, `+`,
/// one-decimal amount, bad escape, duplicate).
pub fn corpus() -> Vec<String> {
    let mut rng = ChaCha8Rng::seed_from_u64(0x5550_4944);
    let targets = [
        Target::UpiPay,
        Target::UpiPay,
        Target::UpiPay,
        Target::UpiMandate,
        Target::Gpay,
        Target::PhonePe,
        Target::Paytm,
        Target::Cred,
        Target::Bhim,
    ];
    let names = ["Swiggy", "Merchant Inc", "John Doe", "Kumar & Sons", "Café Noir"];
    let notes = ["Pay for Intent", "Payment for order", "UPIIntent", "Order #42"];
    (0..CORPUS)
        .map(|i| {
            let target = targets[rng.random_range(0..targets.len())].clone();
            let mut link = Deeplink::new(target);
            link.set(Key::Pa, Format::Vpa.example(&mut rng));
            link.set(Key::Pn, names[rng.random_range(0..names.len())]);
            link.set(Key::Mc, Format::Mcc.example(&mut rng));
            link.set(Key::Tid, format!("YJP{:029}", rng.random::<u64>()));
            link.set(Key::Tr, format!("ord{}", rng.random::<u32>()));
            link.set(Key::Am, Format::Amount2dp.example(&mut rng));
            link.set(Key::Cu, "INR");
            if rng.random_bool(0.6) {
                link.set(Key::Tn, notes[rng.random_range(0..notes.len())]);
            }
            if link.target == Target::UpiMandate {
                link.set(Key::Amrule, "MAX");
                link.set(Key::Validitystart, "01012026");
                link.set(Key::Validityend, "31122026");
                link.set(Key::Recur, "MONTHLY");
                link.set(Key::Mn, "Subscription");
                link.set(Key::Purpose, "14");
                link.set(Key::Mode, "04");
                link.set(Key::TxnType, "CREATE");
            } else if rng.random_bool(0.3) {
                link.set(Key::Mode, "04");
                link.set(Key::Purpose, "00");
            }
            if rng.random_bool(0.1) {
                link.set(Key::Url, Format::HttpUrl.example(&mut rng));
                link.set(Key::Category, "02");
            }
            if rng.random_bool(0.1) {
                link.push_unknown("mid", "M1234");
            }
            let mut text = deeplink::build(&link);
            if i % 8 == 7 {
                match rng.random_range(0..5) {
                    0 => text = text.replacen("%20", " ", 1),
                    1 => text = text.replacen("%20", "+", 1),
                    2 => text.push_str("&am=1.0"),
                    3 => text.push_str("&tn=100%"),
                    _ => text.push_str("&pa=x@y"),
                }
            }
            text
        })
        .collect()
}

/// The measured work: `deeplink::parse` with full validation of one link; returns the number
/// of violations (so nothing is optimised away).
#[inline]
pub fn parse_ours(link: &str) -> usize {
    let parsed = deeplink::parse(black_box(link)).expect("corpus links are URIs");
    black_box(&parsed.deeplink);
    parsed.violations.len()
}

/// The baseline: `url::Url::parse` plus `query_pairs()` collected into owned strings; returns
/// the number of pairs.
#[inline]
pub fn parse_url(link: &str) -> usize {
    let url = url::Url::parse(black_box(link)).expect("corpus links are URLs");
    let owned: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    black_box(&owned);
    owned.len()
}
