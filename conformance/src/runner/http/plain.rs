//! Plain-HTTP requests straight to hyper's pooled client, without reqwest's layers.
//!
//! reqwest runs every request through a redirect layer (even with `Policy::none()`) that turns
//! the request's `Uri` back into a `Url` twice (`url::Url::parse` of the string, 3 % of the
//! fuzzer's EC and PayU CPU), a retry layer, a total-timeout timer the runner's own timeout
//! already covers, and a `Response` wrapper. A request the runner sends to an `http://` URL
//! when no proxy is configured in the environment goes here instead,
//! with what reqwest would have put on the wire: the same URL normalisation (the `Url` the
//! runner parsed, as reqwest turns it into a `Uri`), the headers in order plus reqwest's default
//! `accept: */*`, the body with its length (multipart parts rendered as reqwest's form streams
//! them: [`super::multipart`]); connections as reqwest keeps them (no Nagle, TCP keep-alive
//! 15 s, up to 16 idle per host for 90 s). HTTPS, proxies and anything this path cannot build
//! (a header reqwest would refuse) stay with reqwest, whose
//! errors the runner has always reported. Errors read as reqwest words them. One difference: a
//! request that gets no answer in time is always reported by the runner's own timer (reqwest's
//! total timer has the same length and raced it, so its "operation timed out" came now and then).
//! The test below sends each request both ways to a loopback server and compares the bytes that
//! arrive (a multipart boundary, random on both paths, read as one placeholder) and what the
//! runner records.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper_util::client::legacy::Client;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::{TokioExecutor, TokioTimer};

use super::{Body, Exchange, Request, describe, multipart};

/// The pooled plain-HTTP client.
pub(super) struct Plain {
    client: Client<HttpConnector, Full<Bytes>>,
}

/// Environment variables through which reqwest would route requests via a proxy.
const PROXY_VARIABLES: [&str; 4] = ["http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"];

impl Plain {
    /// The client, or none when a proxy variable is set (reqwest honours those; this does not).
    pub(super) fn new(connect_timeout: Duration) -> Option<Plain> {
        Plain::unless_proxied(connect_timeout, |name| std::env::var_os(name).is_some())
    }

    /// The client, or none when `is_set` says one of [`PROXY_VARIABLES`] is set.
    fn unless_proxied(connect_timeout: Duration, is_set: impl Fn(&str) -> bool) -> Option<Plain> {
        if PROXY_VARIABLES.iter().any(|v| is_set(v)) {
            return None;
        }
        let mut connector = HttpConnector::new();
        // reqwest's defaults (`ClientBuilder::new`).
        connector.set_nodelay(true);
        connector.set_connect_timeout(Some(connect_timeout));
        connector.set_keepalive(Some(Duration::from_secs(15)));
        connector.set_keepalive_interval(Some(Duration::from_secs(15)));
        connector.set_keepalive_retries(Some(3));
        let client = Client::builder(TokioExecutor::new())
            .pool_idle_timeout(Duration::from_secs(90))
            .pool_max_idle_per_host(16)
            .pool_timer(TokioTimer::new())
            .build(connector);
        Some(Plain { client })
    }

    /// The request hyper would be given for `request` sent to `url`, or none when this path
    /// does not take it.
    pub(super) fn build(url: &reqwest::Url, request: &Request) -> Option<http::Request<Full<Bytes>>> {
        if url.scheme() != "http" {
            return None;
        }
        let (body, boundary) = match &request.body {
            Body::Empty => (Bytes::new(), None),
            Body::Bytes(b) => (Bytes::copy_from_slice(b), None),
            Body::Multipart(parts) => {
                let boundary = multipart::boundary();
                (Bytes::from(multipart::render(parts, &boundary)), Some(boundary))
            }
        };
        let method = reqwest::Method::from_bytes(request.method.as_bytes()).unwrap_or(reqwest::Method::POST);
        // As reqwest: the URL's serialisation as the `Uri`.
        let uri: http::Uri = url.as_str().parse().ok()?;
        let mut built = http::Request::builder().method(method).uri(uri);
        let headers = built.headers_mut()?;
        for (k, v) in &request.headers {
            let name = http::HeaderName::from_bytes(k.as_bytes()).ok()?;
            let value = http::HeaderValue::from_str(v).ok()?;
            headers.append(name, value);
        }
        if let Some(boundary) = boundary {
            // As reqwest's `RequestBuilder::multipart`: the type, then the length, after the
            // caller's headers.
            headers.append(
                http::header::CONTENT_TYPE,
                http::HeaderValue::from_str(&multipart::content_type(&boundary)).ok()?,
            );
            headers.append(http::header::CONTENT_LENGTH, http::HeaderValue::from(body.len()));
        }
        if !headers.contains_key(http::header::ACCEPT) {
            headers.insert(http::header::ACCEPT, http::HeaderValue::from_static("*/*"));
        }
        built.body(Full::new(body)).ok()
    }

    /// Sends `request` (built by [`Plain::build`] for `url`) and records the answer in
    /// `exchange`, reading at most `max_body` bytes of its body; failures are described as
    /// reqwest described them.
    pub(super) async fn send(
        &self,
        url: &reqwest::Url,
        request: http::Request<Full<Bytes>>,
        max_body: usize,
        exchange: &mut Exchange,
    ) {
        let response = match self.client.request(request).await {
            Ok(response) => response,
            Err(e) => {
                exchange.timed_out = timed_out(&e);
                exchange.error = Some(format!("error sending request for url ({url}): {}", describe(&e)));
                return;
            }
        };
        exchange.record_head(response.status(), response.headers());
        let mut body = response.into_body();
        while let Some(frame) = body.frame().await {
            match frame {
                Ok(frame) => {
                    let Ok(chunk) = frame.into_data() else { continue };
                    if exchange.take_chunk(&chunk, max_body) {
                        break;
                    }
                }
                Err(e) => {
                    exchange.timed_out = timed_out(&e);
                    exchange.error = Some(format!(
                        "error decoding response body: request or response body error: {}",
                        describe(&e)
                    ));
                    break;
                }
            }
        }
    }
}

/// Whether `e` or one of its sources is a timeout, as `reqwest::Error::is_timeout` reads one (an
/// I/O timeout such as the connect timeout's, or hyper's own).
fn timed_out(e: &(dyn std::error::Error + 'static)) -> bool {
    let mut at = Some(e);
    while let Some(err) = at {
        if err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::TimedOut)
            || err.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_timeout)
        {
            return true;
        }
        at = err.source();
    }
    false
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use super::super::{Body, Client, Request, Secret};
    use super::*;

    /// What a loopback server received: each request's bytes (head and body) in order.
    type Received = Arc<Mutex<Vec<Vec<u8>>>>;

    /// The answer the loopback server gives a request for `path` (none: it closes or stalls).
    fn answer(path: &str) -> &'static [u8] {
        match path {
            "/big" => b"HTTP/1.1 200 OK\r\ncontent-length: 64\r\n\r\n0123456789012345678901234567890123456789012345678901234567890123",
            "/redirect" => b"HTTP/1.1 302 Found\r\nlocation: /ok\r\ncontent-length: 0\r\n\r\n",
            "/cut" => b"HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\nonly ten b",
            "/gzip" => b"HTTP/1.1 200 OK\r\ncontent-encoding: gzip\r\ncontent-length: 2\r\n\r\nxx",
            _ => b"HTTP/1.1 201 Created\r\ncontent-type: application/json\r\nx-dup: a\r\nx-dup: b\r\ncontent-length: 11\r\n\r\n{\"ok\":true}",
        }
    }

    /// Serves one connection: records each request, answers it by its path; `/cut` closes after
    /// a short body, `/slow` never answers.
    async fn connection(mut stream: TcpStream, received: Received) {
        let mut buf = Vec::new();
        loop {
            let head_end = loop {
                if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    break i + 4;
                }
                let mut chunk = [0u8; 4096];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            };
            let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
            let length: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < head_end + length {
                let mut chunk = [0u8; 4096];
                match stream.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
            let request: Vec<u8> = buf.drain(..head_end + length).collect();
            let path = head
                .split(' ')
                .nth(1)
                .unwrap_or("/")
                .split('?')
                .next()
                .unwrap_or("/")
                .to_string();
            received.lock().unwrap().push(request);
            if path == "/slow" {
                tokio::time::sleep(Duration::from_secs(5)).await;
                return;
            }
            if stream.write_all(answer(&path)).await.is_err() || path == "/cut" {
                return;
            }
        }
    }

    /// A loopback server recording what arrives; its base URL.
    async fn server(received: Received) -> String {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(connection(stream, received.clone()));
            }
        });
        base
    }

    fn request(method: &str, url: String, headers: &[(&str, &str)], body: Body) -> Request {
        Request {
            method: method.to_string(),
            url,
            headers: headers.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect(),
            body,
        }
    }

    /// The requests both paths send: methods with and without bodies, repeated and mixed-case
    /// headers, a caller's own `Accept` and `Host`, a URL `Url` normalises, and answers that
    /// are cut at the cap, redirect, end early, carry an encoding or never come.
    fn requests(base: &str, closed: &str) -> Vec<Request> {
        let json = Body::Bytes(br#"{"amount":"10.00","upi":"a@b"}"#.to_vec());
        vec![
            request("GET", format!("{base}/ok"), &[], Body::Empty),
            request(
                "POST",
                format!("{base}/ok?x=1&y=a b"),
                &[("Content-Type", "application/json")],
                json.clone(),
            ),
            request("POST", format!("{base}/ok"), &[], Body::Empty),
            request(
                "PUT",
                format!("{base}/ok"),
                &[("X-Dup", "1"), ("x-dup", "2"), ("Accept", "application/json")],
                json.clone(),
            ),
            request(
                "DELETE",
                format!("{base}/./a/../ok#frag"),
                &[("Host", "merchant.example"), ("X-Empty", "")],
                Body::Empty,
            ),
            request(
                "PATCH",
                format!("{base}/ok"),
                &[("content-length", "5")],
                Body::Bytes(b"abcde".to_vec()),
            ),
            request("BREW", format!("{base}/ok"), &[], Body::Bytes(Vec::new())),
            request("GET", format!("{base}/big"), &[], Body::Empty),
            request("GET", format!("{base}/redirect"), &[], Body::Empty),
            request("GET", format!("{base}/gzip"), &[], Body::Empty),
            request("GET", format!("{base}/cut"), &[], Body::Empty),
            request("GET", format!("{base}/slow"), &[], Body::Empty),
            request("GET", format!("{closed}/ok"), &[], Body::Empty),
            request(
                "POST",
                format!("{base}/ok"),
                &[("X-Case", "udf")],
                Body::Multipart(vec![
                    ("key".into(), "JPM7Fg".into()),
                    ("var1".into(), "line\r\nbreak ₹".into()),
                    ("a/b c".into(), String::new()),
                ]),
            ),
            request(
                "POST",
                format!("{base}/ok"),
                &[],
                Body::Multipart(vec![
                    ("file".into(), "@/path/to/file".into()),
                    ("key".into(), "k".into()),
                ]),
            ),
            request("POST", format!("{base}/ok"), &[], Body::Multipart(Vec::new())),
            request("GET", format!("{base}/ok"), &[("bad header", "x")], Body::Empty),
            request("GET", format!("{base}/ok"), &[("X-Bad", "line\nbreak")], Body::Empty),
        ]
    }

    /// The requests as text, each multipart boundary (random per request) read as `BOUNDARY`.
    fn on_the_wire(sent: &[Vec<u8>]) -> Vec<String> {
        sent.iter()
            .map(|s| {
                let text = String::from_utf8_lossy(s).into_owned();
                let boundary = text
                    .lines()
                    .find_map(|l| l.split_once("multipart/form-data; boundary="))
                    .map(|(_, b)| b.trim().to_string());
                match boundary {
                    Some(b) => {
                        assert_eq!(b.len(), 67, "a boundary of reqwest's shape: {text}");
                        text.replace(&b, "BOUNDARY")
                    }
                    None => text,
                }
            })
            .collect()
    }

    /// What the runner keeps of an exchange (the response side; the request side is rendered
    /// from the request, not the wire).
    fn kept(e: &Exchange) -> String {
        format!(
            "status {:?} headers {:?} body {:?} truncated {} error {:?} timed out {} encoding {:?}",
            e.status, e.response_headers, e.response_bytes, e.truncated, e.error, e.timed_out, e.content_encoding
        )
    }

    /// The plain path puts on the wire exactly what reqwest puts there (byte for byte, request
    /// by request) and reports the same answers, errors and timeouts: each request goes once
    /// through a client with the plain path and once through one without it, to the same
    /// loopback server, which records the bytes it receives.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn plain_requests_are_the_ones_reqwest_sends() {
        let closed = {
            let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            format!("http://{}", listener.local_addr().unwrap())
        };
        let received: Received = Arc::default();
        let base = server(received.clone()).await;
        let client = |plain: bool| {
            let mut c = Client::new(Duration::from_millis(400), 16, 0, vec![Secret::from("a@b".to_string())]).unwrap();
            if !plain {
                c.plain = None;
            }
            c
        };
        let (with_plain, without) = (client(true), client(false));
        assert!(
            with_plain.plain.is_some(),
            "the plain path is on without proxy variables"
        );
        for r in requests(&base, &closed) {
            let went_plain = with_plain
                .parsed(&r.url)
                .and_then(|url| Plain::build(&url, &r))
                .is_some();
            let before = received.lock().unwrap().len();
            let a = with_plain.send_unrendered(&r).await;
            let sent_a: Vec<Vec<u8>> = received.lock().unwrap()[before..].to_vec();
            let b = without.send_unrendered(&r).await;
            let sent_b: Vec<Vec<u8>> = received.lock().unwrap()[before + sent_a.len()..].to_vec();
            let what = format!("{} {} {:?}", r.method, r.url, r.headers);
            assert_eq!(on_the_wire(&sent_a), on_the_wire(&sent_b), "on the wire: {what}");
            if a.timed_out && b.timed_out {
                // reqwest's own total timer has the runner's duration and starts a little
                // later: which of the two fires first (and so the error's words) is a race on the
                // reqwest path; the plain path has only the runner's.
                assert!(
                    a.error
                        .as_deref()
                        .is_some_and(|e| e.starts_with("no complete answer within 400 ms")),
                    "{}",
                    kept(&a)
                );
                let (mut a, mut b) = (a.clone(), b.clone());
                (a.error, b.error) = (None, None);
                assert_eq!(kept(&a), kept(&b), "as recorded: {what}");
            } else {
                assert_eq!(kept(&a), kept(&b), "as recorded: {what}");
            }
            let valid = !r.headers.iter().any(|(k, v)| k.contains(' ') || v.contains('\n'));
            assert_eq!(went_plain, valid, "which path took {what}");
            if r.url.starts_with(&closed) {
                assert!(
                    a.error.as_deref().is_some_and(|e| e.contains("Connection refused")),
                    "{}",
                    kept(&a)
                );
            }
        }
    }

    /// HTTPS and a configured proxy stay with reqwest; multipart bodies go plain.
    #[test]
    fn https_and_proxies_stay_with_reqwest() {
        let https = reqwest::Url::parse("https://127.0.0.1/ok").unwrap();
        let http = reqwest::Url::parse("http://127.0.0.1/ok").unwrap();
        let get = request("GET", http.to_string(), &[], Body::Empty);
        assert!(Plain::build(&http, &get).is_some());
        assert!(Plain::build(&https, &get).is_none());
        let form = request(
            "POST",
            http.to_string(),
            &[],
            Body::Multipart(vec![("a".into(), "b".into())]),
        );
        let built = Plain::build(&http, &form).expect("multipart goes plain");
        let content_type = built.headers()[http::header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .to_string();
        let boundary = content_type.strip_prefix("multipart/form-data; boundary=").unwrap();
        let body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nb\r\n--{boundary}--\r\n");
        assert_eq!(
            built.headers()[http::header::CONTENT_LENGTH],
            body.len().to_string().as_str()
        );
        assert!(Plain::build(&https, &form).is_none());
        let timeout = Duration::from_secs(1);
        assert!(Plain::unless_proxied(timeout, |_| false).is_some());
        for proxy in PROXY_VARIABLES {
            assert!(Plain::unless_proxied(timeout, |v| v == proxy).is_none(), "{proxy} set");
        }
    }
}
