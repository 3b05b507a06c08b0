//! Connections a request can drop. The accept loop (`listen`) wraps every accepted TCP stream with
//! an [`Abort`] switch that reaches the request as `ConnectInfo<Abort>`; once a handler flips
//! it, every read and write of that connection fails, so hyper gives up on the connection
//! without writing a byte of the answer and closes the socket. The client sees a connection
//! closed before any response: a transport error, not an HTTP status. Only the
//! `drop-connection-on-large-body` fault flips the switch.

use std::io;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;

/// The switch that drops one connection.
#[derive(Debug, Clone, Default)]
pub struct Abort(Arc<AtomicBool>);

impl Abort {
    /// Drops the connection: from now on its reads and writes fail.
    pub fn abort(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    fn aborted(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// An accepted TCP stream that fails every read and write once its [`Abort`] is flipped.
#[derive(Debug)]
pub struct AbortableStream {
    stream: TcpStream,
    abort: Abort,
}

impl AbortableStream {
    /// Wraps an accepted stream with its switch.
    pub fn new(stream: TcpStream, abort: Abort) -> AbortableStream {
        AbortableStream { stream, abort }
    }
}

fn dropped() -> io::Error {
    io::Error::new(
        io::ErrorKind::ConnectionAborted,
        "connection dropped by a deliberate fault",
    )
}

impl AsyncRead for AbortableStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.abort.aborted() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut this.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for AbortableStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.abort.aborted() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut this.stream).poll_write(cx, buf)
    }

    fn poll_write_vectored(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.abort.aborted() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut this.stream).poll_write_vectored(cx, bufs)
    }

    fn is_write_vectored(&self) -> bool {
        self.stream.is_write_vectored()
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if this.abort.aborted() {
            return Poll::Ready(Err(dropped()));
        }
        Pin::new(&mut this.stream).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().stream).poll_shutdown(cx)
    }
}
