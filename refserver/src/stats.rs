//! A neutral, server-side request counter for benchmarks: every request the router answers is
//! counted by the class of its status, and `GET /sandbox/stats` reports the counts. Two tools
//! sending requests to the same server can then be compared by the same count over their wall
//! time, whatever each of them reports about itself. Reading `/sandbox/stats` is not counted
//! (the server's first layer counts, `crate::server`).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde_json::json;

use crate::reply;

/// The path of the report; requests to it are not counted.
pub const PATH: &str = "/sandbox/stats";

/// Answered requests by status class, `1xx` to `5xx` (relaxed atomics: the counts are only
/// read between runs, never used to order anything).
#[derive(Debug, Default)]
pub struct Stats {
    by_class: [AtomicU64; 5],
}

impl Stats {
    /// Counts one answered request.
    pub fn record(&self, status: StatusCode) {
        let class = usize::from(status.as_u16() / 100).clamp(1, 5) - 1;
        self.by_class[class].fetch_add(1, Ordering::Relaxed);
    }

    fn counts(&self) -> [u64; 5] {
        std::array::from_fn(|i| self.by_class[i].load(Ordering::Relaxed))
    }
}

/// `GET /sandbox/stats`: `{"requests":N,"by_status":{"1xx":…,"2xx":…,"3xx":…,"4xx":…,"5xx":…}}`,
/// counted since the server started.
pub async fn report(State(stats): State<Arc<Stats>>) -> Response {
    let [c1, c2, c3, c4, c5] = stats.counts();
    reply::json(
        StatusCode::OK,
        &json!({
            "requests": c1 + c2 + c3 + c4 + c5,
            "by_status": {"1xx": c1, "2xx": c2, "3xx": c3, "4xx": c4, "5xx": c5},
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_fall_into_their_class() {
        let stats = Stats::default();
        for code in [200, 201, 400, 401, 404, 413, 500, 503, 302] {
            stats.record(StatusCode::from_u16(code).unwrap());
        }
        assert_eq!(stats.counts(), [0, 2, 1, 4, 2]);
    }
}
