//! PayU `_payment` request hash against raw SHA-512 of the same preimage, side by side in one
//! run (issue 15 goal 3: hash ≤ 1.2× raw). The form is a realistic S2S UPI intent request:
//! hashed fields plus the ones PayU posts but does not hash. Also measured: `compute` (the same
//! hash as an owned `String`) and the explaining path (`Preimage::new` + `hash`), which is what
//! every call did before.
//!
//! Run: `cargo bench -p upi-spec --bench payu_hash -- --warm-up-time 1 --measurement-time 3`

// criterion_group! and criterion_main! generate undocumented items.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use sha2::{Digest as _, Sha512};
use upi_spec::crypto::payu_hash::{Preimage, Salt, compute, compute_hex};
use upi_spec::crypto::payu_sequence::HashFamily;

#[path = "support/payu_form.rs"]
mod payu_form;
use payu_form::{SALT, form, preimage};

fn bench(c: &mut Criterion) {
    let fields = form();
    let salt = Salt::new(SALT);
    // The exact string hashed, with the real salt (what the baseline digests).
    let raw = preimage(&fields);
    assert_eq!(
        hex::encode(Sha512::digest(raw.as_bytes())),
        compute(HashFamily::Request, &fields, &salt).unwrap()
    );
    eprintln!("preimage: {} bytes", raw.len());
    let mut group = c.benchmark_group("payu_hash");
    group.bench_function("request_hash_compute_hex", |b| {
        b.iter(|| compute_hex(HashFamily::Request, black_box(&fields), &salt).unwrap())
    });
    group.bench_function("baseline_raw_sha512_same_preimage", |b| {
        b.iter(|| Sha512::digest(black_box(raw.as_bytes())))
    });
    group.bench_function("request_hash_compute_string", |b| {
        b.iter(|| compute(HashFamily::Request, black_box(&fields), &salt).unwrap())
    });
    group.bench_function("explain_path_preimage_new_and_hash", |b| {
        b.iter(|| {
            Preimage::new(HashFamily::Request, black_box(&fields))
                .unwrap()
                .hash(&salt)
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
