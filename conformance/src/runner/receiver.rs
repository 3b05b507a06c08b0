//! A loopback HTTP receiver for PayU's S2S callbacks: the runner stands in for the merchant's
//! callback URL and records every form it is sent.

use std::net::SocketAddr;

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;
use tokio::sync::mpsc;

/// A running receiver.
pub struct Receiver {
    /// Where it listens.
    pub addr: SocketAddr,
    bodies: mpsc::UnboundedReceiver<Vec<u8>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Receiver {
    /// Starts a receiver on `127.0.0.1:0`.
    pub async fn start() -> std::io::Result<Receiver> {
        Receiver::bind(SocketAddr::from(([127, 0, 0, 1], 0))).await
    }

    /// Starts a receiver on `addr` (a fixed one when the sandbox's callback URL is set by hand).
    pub async fn bind(addr: SocketAddr) -> std::io::Result<Receiver> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = mpsc::unbounded_channel();
        let app = Router::new().route(
            "/callback",
            post(move |body: Bytes| {
                let tx = tx.clone();
                async move {
                    let _ = tx.send(body.to_vec());
                    "OK"
                }
            }),
        );
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Receiver {
            addr,
            bodies: rx,
            _task: task,
        })
    }

    /// The callback URL to give the target.
    pub fn url(&self) -> String {
        format!("http://{}/callback", self.addr)
    }

    /// The next callback body, if one arrives within `wait`.
    pub async fn next(&mut self, wait: std::time::Duration) -> Option<Vec<u8>> {
        tokio::time::timeout(wait, self.bodies.recv()).await.ok().flatten()
    }
}
