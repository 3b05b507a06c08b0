//! UPI payment deeplinks: the grammar of `spec/deeplink.abnf` as a zero-copy parser into a typed
//! [`Deeplink`], a canonical [`build`]er, the three response-to-deeplink [`mapping`]s of the
//! seeds and a [`consistency`] check between a response and a link. Every finding is a
//! [`crate::Violation`] naming a rule of [`rules()`] and a byte offset; inputs that are not a
//! URI at all are a [`DeeplinkError`] instead. `spec/DEEPLINK.md` explains the design.
//!
//! ```
//! use upi_spec::deeplink::{self, Key};
//!
//! let p = deeplink::parse("upi://pay?pa=juspay@axisbank&pn=Merchant+Inc&am=1.005&tr=1").unwrap();
//! assert_eq!(p.deeplink.get(Key::Pn), Some("Merchant Inc"));
//! assert_eq!(p.violations[0].rule, "deeplink.syntax.plus"); // a should: `+` reads as a space
//! assert_eq!(p.violations[1].rule, "deeplink.pay.am.decimals");
//! assert_eq!(p.violations[1].at, "byte 48");
//! assert!(p.is_conformant());
//! ```

mod build;
pub mod consistency;
mod error;
mod hot;
mod key;
mod link;
pub mod mapping;
mod parse;
pub mod rules;
mod scan;
pub mod table;

#[doc(hidden)]
pub mod fuzzing;

pub use build::{ESCAPED, build, encode};
pub use error::DeeplinkError;
pub use key::{Key, Kind};
pub use link::{Deeplink, Target};
pub use mapping::{Mapped, MappingError, MessageId, map_response};
pub use parse::{Parsed, parse, parse_intent_uri_data, parse_owned};
pub use rules::rules;
