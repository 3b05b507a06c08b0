//! Throughput of the deeplink parser (full validation) against a baseline of
//! `url::Url::parse` plus `query_pairs()` collected into owned strings, on the same
//! deterministic corpus of 10,000 varied deeplinks. Results: `spec/DEEPLINK.md`.
//!
//! Run: `cargo bench -p upi-spec --bench deeplink_parse -- --warm-up-time 1 --measurement-time 3`

// criterion_group! and criterion_main! generate undocumented items.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use upi_spec::deeplink::{self, Deeplink, Key, Target};
use upi_spec::format::Format;

const CORPUS: usize = 10_000;

/// A deterministic corpus: canonical links of every target, with names that need `%20`,
/// optional parameters, unknown parameters, and one in eight with a defect (raw space, `+`,
/// one-decimal amount, bad escape, duplicate).
fn corpus() -> Vec<String> {
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

fn bench(c: &mut Criterion) {
    let corpus = corpus();
    let bytes: usize = corpus.iter().map(String::len).sum();
    let mut group = c.benchmark_group("deeplink_parse");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("upi_spec_parse_full_validation", |b| {
        b.iter(|| {
            let mut findings = 0usize;
            for link in &corpus {
                let parsed = deeplink::parse(black_box(link)).expect("corpus links are URIs");
                findings += parsed.violations.len();
                black_box(&parsed.deeplink);
            }
            findings
        })
    });
    group.bench_function("baseline_url_parse_query_pairs_owned", |b| {
        b.iter(|| {
            let mut pairs = 0usize;
            for link in &corpus {
                let url = url::Url::parse(black_box(link)).expect("corpus links are URLs");
                let owned: Vec<(String, String)> = url
                    .query_pairs()
                    .map(|(k, v)| (k.into_owned(), v.into_owned()))
                    .collect();
                pairs += owned.len();
                black_box(&owned);
            }
            pairs
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
