//! Hostile input gets a clean 4xx, never a panic or a 5xx.

use reqwest::Method;

use crate::support::*;

const ENDPOINTS: [&str; 5] = [
    "/orders",
    "/txns",
    "/api/upi/merchants/transactions/registerIntent",
    "/_payment",
    "/merchant/postservice.php?form=2",
];

async fn post_raw(server: &Server, path: &str, content_type: &str, body: Vec<u8>) -> u16 {
    server
        .http
        .post(server.url(path))
        .basic_auth("test_api_key", Some(""))
        .header("content-type", content_type)
        .header("x-api-version", "3")
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test]
async fn garbage_gets_a_4xx_everywhere() {
    let server = start().await;
    let bodies: Vec<(&str, Vec<u8>)> = vec![
        ("application/x-www-form-urlencoded", b"\xff\xfe\x00garbage".to_vec()),
        ("application/x-www-form-urlencoded", b"a=%zz&b".to_vec()),
        ("application/x-www-form-urlencoded", b"a=1&a=2".to_vec()),
        ("application/json", b"{\"protected\":".to_vec()),
        ("application/json", b"[1,2,3]".to_vec()),
        ("application/json", "{\"x\":\"\u{0}\"}".as_bytes().to_vec()),
        ("multipart/form-data; boundary=zzz", b"--zzz\r\nbroken".to_vec()),
        ("multipart/form-data", b"no boundary".to_vec()),
        ("text/plain", Vec::new()),
    ];
    for path in ENDPOINTS {
        for (content_type, body) in &bodies {
            let status = post_raw(&server, path, content_type, body.clone()).await;
            assert!((400..500).contains(&status), "{path} {content_type} {body:?}: {status}");
        }
    }
}

#[tokio::test]
async fn huge_bodies_are_413() {
    let server = start().await;
    let huge = vec![b'a'; (1 << 20) + 1];
    for path in ENDPOINTS {
        let status = post_raw(&server, path, "application/x-www-form-urlencoded", huge.clone()).await;
        assert_eq!(status, 413, "{path}");
    }
}

#[tokio::test]
async fn unknown_paths_and_wrong_methods() {
    let server = start().await;
    let missing = server.http.get(server.url("/no/such/path")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    for path in ENDPOINTS {
        let wrong = server.http.request(Method::GET, server.url(path)).send().await.unwrap();
        assert_eq!(wrong.status(), 405, "{path}");
    }
    let wrong = server.http.post(server.url("/sandbox/health")).send().await.unwrap();
    assert_eq!(wrong.status(), 405);
}

#[tokio::test]
async fn postservice_needs_form_2_and_a_known_command() {
    let server = start().await;
    let no_form = post_raw(
        &server,
        "/merchant/postservice.php",
        "application/x-www-form-urlencoded",
        b"command=verify_payment".to_vec(),
    )
    .await;
    assert_eq!(no_form, 400);
    let unknown = post_raw(
        &server,
        "/merchant/postservice.php?form=2",
        "application/x-www-form-urlencoded",
        b"command=drop_tables".to_vec(),
    )
    .await;
    assert_eq!(unknown, 400);
}

#[tokio::test]
async fn the_server_shuts_down() {
    let server = start().await;
    let url = server.url("/sandbox/health");
    server.running.shutdown().await.unwrap();
    assert!(reqwest::get(url).await.is_err());
}
