//! The live fuzzer: sends generated requests to a target and judges every response. Cases come
//! from the models: valid messages, messages breaking exactly one rule, and structure-aware
//! mutations of valid messages (non-ASCII and control characters, huge strings, numeric edge
//! cases, wrong JSON types, missing and extra fields, duplicated keys, broken encodings, wrong
//! hashes and signatures, stale timestamps). The oracle: no 5xx, no dropped connection, an
//! answer within the timeout, every response well formed per its model, a message our validator
//! finds broken is rejected, a valid one is accepted, no secret reflected. Each finding is
//! shrunk and written as a [`Reproducer`] that `replay` re-sends and re-judges.

mod driver;
mod mutation;
mod oracle;
mod reproducer;
mod setup;
mod shrink;

pub use driver::{FuzzOptions, FuzzReport, fuzz, has_base};
pub use mutation::Mutation;
pub use reproducer::{Reproducer, file_name, read_reproducer, replay};
