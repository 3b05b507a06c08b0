//! `GET /sandbox/stats`: the server-side request counter moves by exactly the requests sent,
//! by status class, and reading it is not counted.

use serde_json::{Value, json};

use crate::support::*;

async fn stats(server: &Server) -> Value {
    let a = answer(server.http.get(server.url("/sandbox/stats")).send().await.unwrap()).await;
    assert_eq!(a.status, 200);
    a.json
}

#[tokio::test]
async fn counts_every_answered_request_by_status_class() {
    let server = start().await;
    let zero = json!({"requests": 0, "by_status": {"1xx": 0, "2xx": 0, "3xx": 0, "4xx": 0, "5xx": 0}});
    assert_eq!(stats(&server).await, zero);
    assert_eq!(stats(&server).await, zero, "reading the counter is not counted");

    for _ in 0..3 {
        let health = server.http.get(server.url("/sandbox/health")).send().await.unwrap();
        assert_eq!(health.status(), 200);
    }
    assert_eq!(create_order(&server, &unique("stats"), "10").await.status, 200);
    let unauthenticated = server.http.post(server.url("/orders")).send().await.unwrap();
    assert_eq!(unauthenticated.status(), 401);
    let missing = server.http.get(server.url("/no/such/path")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let wrong_method = server.http.get(server.url("/_payment")).send().await.unwrap();
    assert_eq!(wrong_method.status(), 405);
    let huge = server
        .http
        .post(server.url("/_payment"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(vec![b'a'; (1 << 20) + 1])
        .send()
        .await
        .unwrap();
    assert_eq!(huge.status(), 413);

    assert_eq!(
        stats(&server).await,
        json!({"requests": 8, "by_status": {"1xx": 0, "2xx": 4, "3xx": 0, "4xx": 4, "5xx": 0}})
    );
}
