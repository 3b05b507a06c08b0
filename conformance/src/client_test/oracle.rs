//! The oracle of the client test: the merchant's order state, read through a URL template with
//! `{txnid}` that answers JSON (a configurable, dotted status field) or plain text (the whole
//! body is the status).

use serde_json::Value;

/// How to read an order's state.
#[derive(Debug, Clone)]
pub struct Oracle {
    /// URL template with `{txnid}`.
    pub template: String,
    /// Dotted path of the status in a JSON answer (e.g. `status` or `order.state`).
    pub status_field: String,
    /// Status values meaning paid, compared case-insensitively.
    pub paid_values: Vec<String>,
    /// Dotted path of a number counting fulfilments (credits) of the order, if the merchant
    /// exposes one: it shows double fulfilment on duplicates and replays.
    pub credit_field: Option<String>,
}

/// An order's state as read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderState {
    /// HTTP status of the read.
    pub http_status: u16,
    /// The status value, if one was found.
    pub status: Option<String>,
    /// Whether the status is one of the paid values.
    pub paid: bool,
    /// The credit count, if configured and found.
    pub credits: Option<u64>,
}

impl Oracle {
    /// The URL for `txnid` (percent-encoded into the template).
    pub fn url(&self, txnid: &str) -> String {
        let encoded: String = form_urlencoded::byte_serialize(txnid.as_bytes()).collect();
        self.template.replace("{txnid}", &encoded)
    }

    /// Reads the state of `txnid`.
    pub async fn read(&self, client: &reqwest::Client, txnid: &str) -> Result<OrderState, String> {
        let url = self.url(txnid);
        let response = client.get(&url).send().await.map_err(|e| format!("GET {url}: {e}"))?;
        let http_status = response.status().as_u16();
        let text = response.text().await.map_err(|e| format!("GET {url}: {e}"))?;
        Ok(self.judge(http_status, &text))
    }

    /// The state in an answer: a 404 is an order the merchant does not have (not paid).
    pub fn judge(&self, http_status: u16, text: &str) -> OrderState {
        let json: Option<Value> = serde_json::from_str(text).ok();
        let at = |path: &str| -> Option<Value> {
            let json = json.as_ref()?;
            path.split('.').try_fold(json, |v, k| v.get(k)).cloned()
        };
        let status = match &json {
            Some(_) => at(&self.status_field).map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned)),
            None => Some(text.trim().to_owned()).filter(|s| !s.is_empty()),
        };
        let ok = (200..300).contains(&http_status);
        let paid = ok
            && status
                .as_ref()
                .is_some_and(|s| self.paid_values.iter().any(|p| p.eq_ignore_ascii_case(s)));
        let credits = self
            .credit_field
            .as_ref()
            .and_then(|f| at(f))
            .and_then(|v| v.as_u64().or_else(|| v.as_str().and_then(|s| s.parse().ok())));
        OrderState {
            http_status,
            status,
            paid,
            credits,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn oracle() -> Oracle {
        Oracle {
            template: "http://m/orders/{txnid}".into(),
            status_field: "order.state".into(),
            paid_values: vec!["paid".into(), "success".into()],
            credit_field: Some("order.credits".into()),
        }
    }

    #[test]
    fn json_text_and_missing_orders_are_read() {
        let o = oracle();
        assert_eq!(o.url("a b"), "http://m/orders/a+b");
        let s = o.judge(200, r#"{"order":{"state":"PAID","credits":"2"}}"#);
        assert!(s.paid);
        assert_eq!(s.credits, Some(2));
        assert!(!o.judge(200, r#"{"order":{"state":"pending"}}"#).paid);
        assert!(o.judge(200, "success\n").paid);
        assert!(!o.judge(404, "success").paid, "a 404 is no order");
    }
}
