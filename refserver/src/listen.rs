//! The accept loop: every connection is served by hyper's HTTP/1 connection with a header read
//! timeout (hyper starts it whenever it waits for a request head, so idle keep-alive connections
//! and partial headers both end), every request body is read within a total deadline, and at
//! most [`Limits::max_connections`] connections are served at once: one more gets a fixed
//! `503 Service Unavailable` naming the limit and is closed. What a hostile client holds is
//! thereby bounded in time and number.

use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::ConnectInfo;
use axum::http::{HeaderValue, Request, Response, StatusCode, header};
use hyper::body::{Frame, Incoming, SizeHint};
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::{GracefulShutdown, Watcher};
use serde_json::json;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};
use tokio::runtime::Handle;
use tokio::sync::Semaphore;
use tokio::time::{Instant, Sleep};
use tower::ServiceExt as _;

use crate::config::Limits;
use crate::connection::{Abort, AbortableStream};
use crate::reply;

/// How many refusals are written at once; past that a connection over the limit is closed
/// without an answer (a flood of refusals must not become the resource it protects).
const REFUSALS_AT_ONCE: usize = 64;
/// How long a refusal waits for the request it answers (so closing does not reset it) and for
/// its write.
const REFUSAL_WAIT: Duration = Duration::from_millis(200);
/// How long shutdown waits for connections in flight.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(10);

/// Serves `router` on `listener` until `stop` completes, then lets connections in flight finish
/// (at most [`SHUTDOWN_GRACE`]). Accepted connections are served on the runtime this runs on
/// and on the runtimes of `spread`, in turn (each moved there whole: its socket registered with
/// that runtime's reactor, its timers on that runtime's clock), so that one connection's
/// requests never cross threads.
pub async fn serve_until(
    listener: TcpListener,
    router: Router,
    limits: &Limits,
    spread: &[Handle],
    stop: impl Future<Output = ()>,
) -> io::Result<()> {
    let permits = Arc::new(Semaphore::new(limits.max_connections));
    let refusals = Arc::new(Semaphore::new(REFUSALS_AT_ONCE));
    let graceful = GracefulShutdown::new();
    let mut stop = std::pin::pin!(stop);
    let mut turn = 0usize;
    loop {
        let accepted = tokio::select! {
            () = &mut stop => break,
            accepted = listener.accept() => accepted,
        };
        let stream = match accepted {
            Ok((stream, _)) => stream,
            // Out of descriptors or a connection reset before it was accepted: back off a
            // little (like axum's own loop) instead of spinning.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(20)).await;
                continue;
            }
        };
        // Small answers go out at once.
        let _ = stream.set_nodelay(true);
        match permits.clone().try_acquire_owned() {
            Ok(permit) => {
                let connection = Connection {
                    router: router.clone(),
                    header_timeout: limits.header_read_timeout,
                    body_timeout: limits.body_read_timeout,
                    watcher: graceful.watcher(),
                };
                turn = (turn + 1) % (spread.len() + 1);
                match turn.checked_sub(1).and_then(|i| spread.get(i)) {
                    None => {
                        tokio::spawn(async move {
                            connection.serve(stream).await;
                            drop(permit);
                        });
                    }
                    Some(runtime) => {
                        // Out of this runtime's reactor, into the other's.
                        let Ok(stream) = stream.into_std() else { continue };
                        runtime.spawn(async move {
                            if let Ok(stream) = TcpStream::from_std(stream) {
                                connection.serve(stream).await;
                            }
                            drop(permit);
                        });
                    }
                }
            }
            Err(_) => {
                if let Ok(permit) = refusals.clone().try_acquire_owned() {
                    let cap = limits.max_connections;
                    tokio::spawn(async move {
                        refuse(stream, cap).await;
                        drop(permit);
                    });
                }
            }
        }
    }
    drop(listener);
    let _ = tokio::time::timeout(SHUTDOWN_GRACE, graceful.shutdown()).await;
    Ok(())
}

/// What serving one accepted connection takes.
struct Connection {
    router: Router,
    header_timeout: Duration,
    body_timeout: Duration,
    watcher: Watcher,
}

impl Connection {
    /// Serves `stream` with hyper's HTTP/1 until it closes; a connection's failure (timeout,
    /// reset, bad request) is its own end.
    async fn serve(self, stream: TcpStream) {
        let abort = Abort::default();
        let io = TokioIo::new(AbortableStream::new(stream, abort.clone()));
        let (router, body_timeout) = (self.router, self.body_timeout);
        let service =
            hyper::service::service_fn(move |request| handle(router.clone(), abort.clone(), body_timeout, request));
        let mut builder = http1::Builder::new();
        builder
            .timer(TokioTimer::new())
            .header_read_timeout(self.header_timeout)
            .keep_alive(true);
        let _ = self.watcher.watch(builder.serve_connection(io, service)).await;
    }
}

/// One request: the connection's [`Abort`] reaches handlers as `ConnectInfo<Abort>`, and the
/// body is read within `body_timeout` of the request head.
async fn handle(
    router: Router,
    abort: Abort,
    body_timeout: Duration,
    request: Request<Incoming>,
) -> Result<Response<Body>, Infallible> {
    let expired = Arc::new(AtomicBool::new(false));
    let (mut parts, body) = request.into_parts();
    parts.extensions.insert(ConnectInfo(abort));
    let body = Body::new(DeadlineBody {
        inner: body,
        deadline: Deadline::At(Instant::now() + body_timeout),
        expired: expired.clone(),
        timeout: body_timeout,
    });
    let response = router.oneshot(Request::from_parts(parts, body)).await?;
    if expired.load(Ordering::SeqCst) {
        return Ok(body_timed_out(body_timeout));
    }
    Ok(response)
}

/// `408 Request Timeout` for a body not received in time; the connection is closed after it.
fn body_timed_out(timeout: Duration) -> Response<Body> {
    let mut response = reply::json(
        StatusCode::REQUEST_TIMEOUT,
        &json!({
            "error": format!(
                "request body not received within the body read timeout of {} ms",
                timeout.as_millis()
            )
        }),
    );
    response
        .headers_mut()
        .insert(header::CONNECTION, HeaderValue::from_static("close"));
    response
}

/// Writes the connection-limit refusal and closes the connection.
async fn refuse(mut stream: TcpStream, cap: usize) {
    // Read what the client already sent: closing a socket with unread data resets it, and the
    // client would see a reset instead of the answer.
    let mut scratch = [0u8; 4096];
    let _ = tokio::time::timeout(REFUSAL_WAIT, stream.read(&mut scratch)).await;
    let body = json!({
        "error": format!("connection limit reached: this server serves at most {cap} connections at once; retry later")
    })
    .to_string();
    let answer = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n{body}",
        body.len()
    );
    let _ = tokio::time::timeout(REFUSAL_WAIT, stream.write_all(answer.as_bytes())).await;
    let _ = tokio::time::timeout(REFUSAL_WAIT, stream.shutdown()).await;
}

/// Why a request body ended early.
#[derive(Debug, thiserror::Error)]
#[error("request body not received within {} ms", .0.as_millis())]
struct BodyTimeout(Duration);

/// A request body that fails once its total deadline passes (tower-http's `TimeoutBody` resets
/// its timer at every frame, so a body sent one byte at a time would never end).
struct DeadlineBody {
    inner: Incoming,
    deadline: Deadline,
    expired: Arc<AtomicBool>,
    timeout: Duration,
}

/// When a body's time is up: an instant, until the body first has to be waited for; then a
/// timer set for that instant. Most bodies arrive with their request head and are read
/// without waiting, so most requests set no timer.
enum Deadline {
    /// No timer yet.
    At(Instant),
    /// The timer, set at the first wait.
    Timer(Pin<Box<Sleep>>),
}

impl Deadline {
    /// Whether the time is up, the timer (set now if it was not) waking `cx` when it is.
    fn poll_expired(&mut self, cx: &mut Context<'_>) -> bool {
        if let Deadline::At(at) = *self {
            *self = Deadline::Timer(Box::pin(tokio::time::sleep_until(at)));
        }
        match self {
            Deadline::Timer(timer) => timer.as_mut().poll(cx).is_ready(),
            Deadline::At(_) => false,
        }
    }
}

impl http_body::Body for DeadlineBody {
    type Data = Bytes;
    type Error = Box<dyn std::error::Error + Send + Sync>;

    fn poll_frame(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
        let this = self.get_mut();
        if let Poll::Ready(frame) = Pin::new(&mut this.inner).poll_frame(cx) {
            return Poll::Ready(frame.map(|f| f.map_err(Into::into)));
        }
        if this.deadline.poll_expired(cx) {
            this.expired.store(true, Ordering::SeqCst);
            return Poll::Ready(Some(Err(BodyTimeout(this.timeout).into())));
        }
        Poll::Pending
    }

    fn is_end_stream(&self) -> bool {
        self.inner.is_end_stream()
    }

    fn size_hint(&self) -> SizeHint {
        self.inner.size_hint()
    }
}
