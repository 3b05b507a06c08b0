//! The HTTP server: the route table (the vendor routes from the API facts, `routes`), the layers every route shares (body limit, the
//! client report, and one layer for the `slow-response` and `drop-connection-on-large-body`
//! faults, the request counter of `/sandbox/stats` and the Merchant Stack answer tamper), and the ways to run it (`serve` on a listener, or `spawn` in-process on an
//! ephemeral loopback port with a shutdown handle).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::{ConnectInfo, DefaultBodyLimit, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::Response;
use axum::routing::{get, post};
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use crate::app::{App, AppState};
use crate::config::ServerConfig;
use crate::connection::Abort;
use crate::fault::{Fault, LARGE_BODY_BYTES};
use crate::store::Store;
use crate::{client_report, listen, reply, routes, sandbox, sandbox_tamper, stats};

/// The router of a reference server configured by `config`. Served through [`serve`] or
/// [`spawn`], its connections can be dropped; the router alone has none to drop, and the
/// `drop-connection-on-large-body` fault then answers HTTP 500 instead.
pub fn router(config: ServerConfig) -> Router {
    let callbacks = reqwest::Client::builder()
        .timeout(config.limits.callback_timeout)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .ok();
    let max_body = config.limits.max_body_bytes;
    let store = Store::new(&config.limits);
    let report = Arc::new(client_report::ClientReport::new(&config));
    let tamper = Arc::new(sandbox_tamper::Tamper::default());
    let app: AppState = Arc::new(App {
        config,
        store,
        callbacks,
    });
    let counts = Arc::new(stats::Stats::default());
    routes::vendor(Router::new())
        .route(sandbox::HEALTH_PATH, get(sandbox::health))
        .route(sandbox::CALLBACK_URL_PATH, post(sandbox::set_callback_url))
        .route(sandbox::COMPLETE_PATH, post(sandbox::complete))
        .route(stats::PATH, get(stats::report).with_state(counts.clone()))
        .route(client_report::PATH, get(client_report::live).with_state(report.clone()))
        .route(
            sandbox_tamper::PATH,
            get(sandbox_tamper::status)
                .post(sandbox_tamper::arm)
                .with_state(tamper.clone()),
        )
        .fallback(reply::not_found)
        .layer(middleware::from_fn_with_state(report, client_report::record))
        .layer(DefaultBodyLimit::max(max_body))
        .layer(middleware::from_fn_with_state(
            Arc::new(Shared {
                app: app.clone(),
                counts,
                tamper,
            }),
            every_request,
        ))
        .with_state(app)
}

/// What [`every_request`] needs.
struct Shared {
    app: AppState,
    counts: Arc<stats::Stats>,
    tamper: Arc<sandbox_tamper::Tamper>,
}

/// The layer every request passes first, one layer for four jobs (each a layer of its own
/// costs an allocation or three per request): the `drop-connection-on-large-body` fault
/// (outside the counter: a dropped request is not an answered one), the request counter of
/// `/sandbox/stats`, the `slow-response` fault (every answer waits first), and the Merchant
/// Stack answer tamper (`sandbox_tamper`).
async fn every_request(State(shared): State<Arc<Shared>>, request: Request, next: Next) -> Response {
    let config = &shared.app.config;
    let request = if config.has(Fault::DropConnectionOnLargeBody) {
        match drop_connection_on_large_body(config, request).await {
            Ok(request) => request,
            Err(dropped) => return dropped,
        }
    } else {
        request
    };
    let counted = request.uri().path() != stats::PATH;
    let signed = routes::signs_response(request.uri().path());
    if config.has(Fault::SlowResponse) {
        tokio::time::sleep(config.limits.slow_response_delay).await;
    }
    let mut response = next.run(request).await;
    if signed {
        response = shared.tamper.apply(response).await;
    }
    if counted {
        shared.counts.record(response.status());
    }
    response
}

/// The `drop-connection-on-large-body` fault: the body is read, and one above
/// [`LARGE_BODY_BYTES`] (or one that cannot be read within the body limit) drops the
/// connection instead of being answered (`Err`: the answer to give when there is no
/// connection to drop).
async fn drop_connection_on_large_body(config: &ServerConfig, request: Request) -> Result<Request, Response> {
    let abort = request.extensions().get::<ConnectInfo<Abort>>().map(|c| c.0.clone());
    let (parts, body) = request.into_parts();
    match axum::body::to_bytes(body, config.limits.max_body_bytes).await {
        Ok(bytes) if bytes.len() <= LARGE_BODY_BYTES => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => {
            // Served with a connection, this answer is never written: the connection fails
            // first. Through the router alone there is no connection to drop.
            if let Some(abort) = abort {
                abort.abort();
            }
            Err(reply::json(
                StatusCode::INTERNAL_SERVER_ERROR,
                &json!({"error": "drop-connection-on-large-body: no connection to drop"}),
            ))
        }
    }
}

/// Serves `config` on `listener` until the process ends.
pub async fn serve(listener: TcpListener, config: ServerConfig) -> std::io::Result<()> {
    let limits = config.limits.clone();
    listen::serve_until(listener, router(config), &limits, &[], std::future::pending()).await
}

/// Serves `config` on `listener` until the process ends, on the runtime this runs on and on
/// `threads - 1` more threads, each running a single-threaded tokio runtime of its own.
/// Connections are dealt to the runtimes in turn and each is served where it was dealt, so
/// none of its requests wakes another thread (a multi-threaded runtime's workers park and wake
/// each other around every request). Run on a single-threaded runtime, `threads` is the number
/// of threads serving.
pub async fn serve_on_threads(
    listener: TcpListener,
    config: ServerConfig,
    threads: std::num::NonZeroUsize,
) -> std::io::Result<()> {
    let mut spread = Vec::new();
    for n in 1..threads.get() {
        let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
        spread.push(runtime.handle().clone());
        std::thread::Builder::new()
            .name(format!("upi-serve-{n}"))
            .spawn(move || runtime.block_on(std::future::pending::<()>()))?;
    }
    let limits = config.limits.clone();
    listen::serve_until(listener, router(config), &limits, &spread, std::future::pending()).await
}

/// A server running in-process, stopped by [`RunningServer::shutdown`] (or when dropped).
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
}

impl RunningServer {
    /// The bound address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets requests in flight finish, and waits for the end.
    pub async fn shutdown(mut self) -> std::io::Result<()> {
        if let Some(stop) = self.stop.take() {
            // The server may have ended already; then there is nobody to tell.
            let _ = stop.send(());
        }
        match (&mut self.task).await {
            Ok(outcome) => outcome,
            Err(join) => Err(std::io::Error::other(join)),
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Binds `127.0.0.1:0` and serves `config` there in a tokio task.
pub async fn spawn(config: ServerConfig) -> std::io::Result<RunningServer> {
    let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
    spawn_on(listener, config)
}

/// Serves `config` on an already bound `listener` in a tokio task.
pub fn spawn_on(listener: TcpListener, config: ServerConfig) -> std::io::Result<RunningServer> {
    let addr = listener.local_addr()?;
    let (stop, stopped) = oneshot::channel::<()>();
    let limits = config.limits.clone();
    let app = router(config);
    let task = tokio::spawn(async move {
        let stop = async {
            // A dropped sender stops the server just like a sent signal.
            let _ = stopped.await;
        };
        listen::serve_until(listener, app, &limits, &[], stop).await
    });
    Ok(RunningServer {
        addr,
        stop: Some(stop),
        task,
    })
}
