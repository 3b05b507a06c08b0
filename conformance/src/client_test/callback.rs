//! The S2S callbacks the client test posts: every parameter of the `payu.callback` model (seed
//! 004 step 4), unused ones empty, form-encoded, with the reverse hash of DOMAIN.md
//! (`SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key`).

use std::collections::BTreeMap;

use upi_spec::crypto::payu_hash::{self, PayuHashError, Salt};
use upi_spec::crypto::payu_sequence::HashFamily;

/// One callback's parameters, in the model's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// Name/value pairs as posted.
    pub params: Vec<(String, String)>,
}

/// What a callback says.
#[derive(Debug, Clone)]
pub struct Facts<'a> {
    /// The merchant key.
    pub key: &'a str,
    /// The merchant's transaction ID.
    pub txnid: &'a str,
    /// The amount.
    pub amount: &'a str,
    /// `success` or `failure`.
    pub status: &'a str,
    /// PayU's payment ID.
    pub mihpayid: &'a str,
}

impl Callback {
    /// A callback stating `facts`, its reverse hash computed with `salt`.
    pub fn new(facts: &Facts<'_>, salt: &Salt) -> Result<Callback, PayuHashError> {
        let success = facts.status == "success";
        let names: Vec<&str> = Some(upi_spec::messages::ids::PAYU_CALLBACK.message())
            .map(|m| m.body.fields.iter().map(|f| f.key.label()).collect())
            .unwrap_or_default();
        let mut params: Vec<(String, String)> = names
            .iter()
            .map(|&name| {
                let value = match name {
                    "mihpayid" => facts.mihpayid,
                    "mode" => "UPI",
                    "status" => facts.status,
                    "unmappedstatus" if success => "captured",
                    "unmappedstatus" => "failed",
                    "key" => facts.key,
                    "txnid" => facts.txnid,
                    "amount" => facts.amount,
                    "productinfo" => "upi-conformance client test",
                    "firstname" => "Test",
                    "email" => "test@example.com",
                    "phone" => "9999999999",
                    "bank_ref_no" => "793887773815",
                    "field9" if success => "Transaction Completed Successfully",
                    "field9" => "Transaction Failed",
                    _ => "",
                };
                (name.to_owned(), value.to_owned())
            })
            .collect();
        let hashed: BTreeMap<String, String> = params.iter().cloned().collect();
        let hash = payu_hash::compute(HashFamily::Response, &hashed, salt)?;
        set(&mut params, "hash", &hash);
        Ok(Callback { params })
    }

    /// A callback stating `facts` that repeats the hashed fields the merchant's own `_payment`
    /// request carried (`productinfo`, `firstname`, `email`, `udf1`–`udf5`), as PayU does, its
    /// reverse hash computed over them with `salt`.
    pub fn echoing(
        facts: &Facts<'_>,
        request: &BTreeMap<String, String>,
        salt: &Salt,
    ) -> Result<Callback, PayuHashError> {
        let mut callback = Callback::new(facts, salt)?;
        for name in [
            "productinfo",
            "firstname",
            "email",
            "udf1",
            "udf2",
            "udf3",
            "udf4",
            "udf5",
        ] {
            if let Some(value) = request.get(name) {
                set(&mut callback.params, name, value);
            }
        }
        let hashed: BTreeMap<String, String> = callback.params.iter().cloned().collect();
        let hash = payu_hash::compute(HashFamily::Response, &hashed, salt)?;
        set(&mut callback.params, "hash", &hash);
        Ok(callback)
    }

    /// The value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// This callback with `name` set to `value` and the hash left as it was.
    pub fn with(mut self, name: &str, value: &str) -> Callback {
        set(&mut self.params, name, value);
        self
    }

    /// The form-urlencoded body.
    pub fn body(&self) -> String {
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(self.params.iter())
            .finish()
    }
}

fn set(params: &mut Vec<(String, String)>, name: &str, value: &str) {
    match params.iter_mut().find(|(k, _)| k == name) {
        Some((_, v)) => *v = value.to_owned(),
        None => params.push((name.to_owned(), value.to_owned())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_reverse_hash_matches_an_independent_sha512_of_the_domain_sequence() {
        use sha2::{Digest as _, Sha512};
        let facts = Facts {
            key: "K1",
            txnid: "T1",
            amount: "10.00",
            status: "success",
            mihpayid: "1",
        };
        let cb = Callback::new(&facts, &Salt::new("S1")).expect("hashes");
        // DOMAIN.md: SALT|status||||||udf5|udf4|udf3|udf2|udf1|email|firstname|productinfo|amount|txnid|key
        let preimage = "S1|success|||||||||||test@example.com|Test|upi-conformance client test|10.00|T1|K1";
        let expected: String = Sha512::digest(preimage.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(cb.get("hash"), Some(expected.as_str()));
        assert_eq!(
            cb.clone().with("status", "failure").get("hash"),
            Some(expected.as_str())
        );
        // Echoing the request's hashed fields rehashes over them.
        let request = BTreeMap::from([
            ("productinfo".to_owned(), "Shoes".to_owned()),
            ("udf1".to_owned(), "u1".to_owned()),
        ]);
        let echoed = Callback::echoing(&facts, &request, &Salt::new("S1")).expect("hashes");
        let preimage = "S1|success||||||||||u1|test@example.com|Test|Shoes|10.00|T1|K1";
        let expected: String = Sha512::digest(preimage.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(echoed.get("productinfo"), Some("Shoes"));
        assert_eq!(echoed.get("hash"), Some(expected.as_str()));
    }
}
