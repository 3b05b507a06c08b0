//! What a `_payment` response hands the merchant to open the payer's UPI app: `intentURIData`
//! (the query of a `upi://pay` link, built with `upi_spec::deeplink`) and `acsTemplate` (a
//! base64 HTML form that posts the payment on, like PayU's).

use base64::Engine as _;
use upi_spec::deeplink::{self, Deeplink, Key, Target};

use crate::config::PayuCredentials;
use crate::fault::Fault;

/// The transaction note of every intent.
pub const NOTE: &str = "UPI Intent";

/// The deeplink query: `pa`, `pn`, `tr` (the PayU ID), `tid`, `am`, `cu`, `tn`, every space
/// written `%20` (unless the `raw-space-in-intent-uri` fault is on).
pub fn uri_data(payu: &PayuCredentials, payment_id: &str, tid: &str, amount: &str, fault: Option<&Fault>) -> String {
    let mut link = Deeplink::new(Target::Bare);
    link.set(Key::Pa, payu.merchant_vpa.as_str());
    link.set(Key::Pn, payu.merchant_name.as_str());
    link.set(Key::Tr, payment_id);
    link.set(Key::Tid, tid);
    link.set(Key::Am, amount);
    link.set(Key::Cu, "INR");
    link.set(Key::Tn, NOTE);
    let text = deeplink::build(&link);
    if fault == Some(&Fault::RawSpaceInIntentUri) {
        text.replace("%20", " ")
    } else {
        text
    }
}

/// The base64 HTML page that posts the payment to `post_url`.
pub fn acs_template(post_url: &str, payment_id: &str, amount: &str, payu: &PayuCredentials) -> String {
    let html = format!(
        concat!(
            "<html><body><form name=\"payment_post\" id=\"payment_post\" action=\"{url}\" method=\"post\">",
            "<input type=\"hidden\" name=\"mihpayid\" value=\"{id}\">",
            "<input type=\"hidden\" name=\"amount\" value=\"{amount}\">",
            "<input type=\"hidden\" name=\"payeeVpa\" value=\"{vpa}\">",
            "</form><script type='text/javascript'>window.onload=function(){{",
            "document.forms['payment_post'].submit();}}</script></body></html>"
        ),
        url = post_url,
        id = payment_id,
        amount = amount,
        vpa = payu.merchant_vpa,
    );
    base64::engine::general_purpose::STANDARD.encode(html)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::ServerConfig;

    #[test]
    fn spaces_are_escaped_unless_the_fault_is_on() {
        let payu = ServerConfig::test_defaults().payu;
        let clean = uri_data(&payu, "123", "PPPL123", "1.00", None);
        assert_eq!(
            clean,
            "pa=merchant@testbank&pn=Test%20Merchant&tid=PPPL123&tr=123&am=1.00&cu=INR&tn=UPI%20Intent"
        );
        let faulty = uri_data(&payu, "123", "PPPL123", "1.00", Some(&Fault::RawSpaceInIntentUri));
        assert!(faulty.contains("tn=UPI Intent"));
    }
}
