//! Hostile clients: idle connections with partial headers, a body sent one byte per second, and
//! a flood of unique IDs. Each limit is configured low so the tests are quick; every loop is
//! bounded, and every wait has a deadline that fails the test instead of hanging it.

use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;
use upi_reference_server::ServerConfig;

use crate::support::*;

/// A raw HTTP/1.1 request over a fresh connection; the status line and body of the answer.
async fn raw_get(server: &Server, path: &str) -> (u16, String) {
    let mut stream = TcpStream::connect(server.running.addr()).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n");
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    tokio::time::timeout(Duration::from_secs(10), stream.read_to_end(&mut answer))
        .await
        .expect("an answer within 10 s")
        .expect("read");
    let text = String::from_utf8_lossy(&answer).into_owned();
    let status = text
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("no status line in {text:?}"));
    (status, text)
}

#[tokio::test]
async fn idle_connections_with_partial_headers_do_not_stop_the_server() {
    const CAP: usize = 40;
    let mut config = ServerConfig::test_defaults();
    config.limits.max_connections = CAP;
    config.limits.header_read_timeout = Duration::from_secs(1);
    let server = start_with(config).await;
    // More idle connections than the cap, each with half a request head.
    let mut idle = Vec::new();
    for _ in 0..CAP + 20 {
        let mut stream = TcpStream::connect(server.running.addr()).await.expect("connect");
        stream
            .write_all(b"POST /orders HTTP/1.1\r\nhost: x\r\ncontent-")
            .await
            .expect("write");
        idle.push(stream);
    }
    // Another client is answered at once: with a refusal that names the limit while the cap
    // is held ...
    let (status, text) = raw_get(&server, "/sandbox/health").await;
    assert_eq!(status, 503, "{text}");
    assert!(text.contains(&format!("at most {CAP} connections")), "{text}");
    // ... and, once the header read timeout has closed the idle ones, normally.
    let mut healthy = false;
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        if raw_get(&server, "/sandbox/health").await.0 == 200 {
            healthy = true;
            break;
        }
    }
    assert!(healthy, "the server never answered 200 again");
    // Every idle connection has been closed by the server (the refused ones too).
    for mut stream in idle {
        let mut scratch = [0u8; 1024];
        let outcome = tokio::time::timeout(Duration::from_secs(5), async {
            loop {
                match stream.read(&mut scratch).await {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {}
                }
            }
        })
        .await;
        assert!(
            outcome.is_ok(),
            "an idle connection was still open 5 s after the header timeout"
        );
    }
}

#[tokio::test]
async fn a_body_sent_one_byte_per_second_is_cut_off() {
    let mut config = ServerConfig::test_defaults();
    config.limits.body_read_timeout = Duration::from_secs(1);
    let server = start_with(config).await;
    let mut stream = TcpStream::connect(server.running.addr()).await.expect("connect");
    // 100 bytes announced; at one byte a second the body would take 100 s.
    stream
        .write_all(b"POST /_payment HTTP/1.1\r\nhost: x\r\ncontent-type: application/x-www-form-urlencoded\r\ncontent-length: 100\r\n\r\n")
        .await
        .expect("write head");
    let mut answer = Vec::new();
    let mut sent = 0;
    for _ in 0..10 {
        if stream.write_all(b"k").await.is_err() {
            break;
        }
        sent += 1;
        let mut scratch = [0u8; 4096];
        match tokio::time::timeout(Duration::from_secs(1), stream.read(&mut scratch)).await {
            Ok(Ok(0)) | Ok(Err(_)) => break,
            Ok(Ok(n)) => {
                answer.extend_from_slice(&scratch[..n]);
                break;
            }
            Err(_) => {}
        }
    }
    let text = String::from_utf8_lossy(&answer);
    assert!(
        sent < 10,
        "the server still read the body after {sent} bytes at 1 byte/s"
    );
    assert!(text.starts_with("HTTP/1.1 408"), "{text:?}");
    assert!(text.contains("body read timeout of 1000 ms"), "{text:?}");
}

#[tokio::test]
async fn state_stays_bounded_under_many_unique_ids() {
    const CAP: usize = 20;
    let mut config = ServerConfig::test_defaults();
    config.limits.state_capacity = CAP;
    let server = start_with(config).await;
    let ids: Vec<String> = (0..CAP * 3).map(|_| unique("flood")).collect();
    for id in &ids {
        assert_eq!(create_order(&server, id, "1.00").await.status, 200);
    }
    // The oldest orders were evicted to make room; the newest are still payable.
    let oldest = pay_order(&server, &txns_form(&ids[0])).await;
    assert_eq!(oldest.status, 400);
    assert_eq!(oldest.json["error_message"], "Order not found", "{:#}", oldest.json);
    let newest = pay_order(&server, &txns_form(ids.last().unwrap())).await;
    assert_eq!(newest.status, 200, "{:#}", newest.json);
}
