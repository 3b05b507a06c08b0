//! The reference server over real HTTP: each test starts its own server in-process on
//! `127.0.0.1:0` and talks to it with reqwest. Responses are judged with upi-spec's models
//! (the server's self-test; the conformance runner judges independently).

mod support;

mod ec;
mod faults;
mod hostile;
mod payu;
mod readings;
mod register_intent;
mod robustness;
mod sdk;
mod stats;
