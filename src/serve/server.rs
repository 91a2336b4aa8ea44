//! The preview's connections, on hyper's HTTP/1.1 server: a small fixed tokio runtime (no
//! thread per connection), a cap on the connections served at once, and the limits that keep
//! a misbehaving client from holding the preview: request heads are capped in size (hyper
//! answers 431 and closes), must arrive whole within a timeout (which also closes idle
//! keep-alive connections), and a response the client stops reading is dropped after a while.
//! What each request gets is [`super::http`]'s business.

use super::http;
use super::state::Shared;
use crate::diag::SystemError;
use hyper::rt::{Read, ReadBufCursor, Write};
use hyper::service::service_fn;
use hyper_util::rt::{TokioIo, TokioTimer};
use std::convert::Infallible;
use std::future::Future;
use std::io;
use std::net::{Ipv4Addr, SocketAddr};
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;
use tokio::net::{TcpListener, TcpSocket};
use tokio::runtime::Runtime;
use tokio::sync::Semaphore;
use tokio::time::Sleep;

/// Threads of the runtime: every connection is a task on them. Their name is also the name of
/// anything they would start (the tests count them).
const WORKERS: usize = 2;
pub const THREAD_NAME: &str = "piao-http";

/// Connections waiting to be accepted, kept by the system while every slot is taken.
const BACKLOG: u32 = 1024;

/// hyper's smallest read buffer: a smaller header cap is still applied, after parsing.
const MIN_BUFFER: usize = 8192;

/// How much a client may ask of the preview. The defaults suit a browser on the same machine;
/// the tests shorten the timeouts.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Connections served at once; more wait, unaccepted, for a free slot (every idle one frees
    /// its slot within `header_timeout`).
    pub connections: usize,
    /// Bytes of a request head (request line and headers); a longer one gets 431.
    pub header_bytes: usize,
    /// Time a client has to send a whole request head, and an idle keep-alive connection to
    /// start the next one; then the connection is closed.
    pub header_timeout: Duration,
    /// Time a response may wait for the client to read it; then the connection is closed.
    pub write_timeout: Duration,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            connections: 128,
            header_bytes: 16 * 1024,
            header_timeout: Duration::from_secs(10),
            write_timeout: Duration::from_secs(30),
        }
    }
}

/// The running server; dropping it closes the port and every connection.
pub struct Server {
    runtime: Option<Runtime>,
    address: SocketAddr,
}

impl Server {
    /// Binds `127.0.0.1:port` (0: any free port) and starts accepting.
    pub fn start(port: u16, limits: Limits, shared: Arc<Shared>) -> Result<Server, SystemError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(WORKERS)
            .max_blocking_threads(1)
            .thread_name(THREAD_NAME)
            .enable_io()
            .enable_time()
            .build()
            .map_err(|e| SystemError::new("server dell'anteprima non avviato", e))?;
        let listener = {
            let _context = runtime.enter();
            bind(port).map_err(|e| SystemError::new(format!("porta {port} non disponibile"), e))?
        };
        let address = listener
            .local_addr()
            .map_err(|e| SystemError::new("indirizzo dell'anteprima non disponibile", e))?;
        runtime.spawn(accept(listener, limits, shared, address.port()));
        Ok(Server {
            runtime: Some(runtime),
            address,
        })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }
}

impl Drop for Server {
    /// Ends every connection (event streams included) without waiting for them.
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// The loopback address only, with a backlog long enough for a burst of connections.
fn bind(port: u16) -> io::Result<TcpListener> {
    let socket = TcpSocket::new_v4()?;
    // As `std::net::TcpListener::bind` does: the port is free again at once after a restart.
    socket.set_reuseaddr(true)?;
    socket.bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)))?;
    socket.listen(BACKLOG)
}

/// Accepts a connection whenever a slot is free and serves it as a task.
async fn accept(listener: TcpListener, limits: Limits, shared: Arc<Shared>, port: u16) {
    let slots = Arc::new(Semaphore::new(limits.connections.max(1)));
    let mut http1 = hyper::server::conn::http1::Builder::new();
    http1
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .max_header_size(limits.header_bytes)
        .max_buf_size(limits.header_bytes.max(MIN_BUFFER));
    loop {
        let Ok(slot) = Arc::clone(&slots).acquire_owned().await else {
            return;
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // Out of descriptors, or a connection reset before it was accepted: try again
            // shortly rather than spin.
            Err(_) => {
                tokio::time::sleep(Duration::from_millis(50)).await;
                continue;
            }
        };
        let shared = Arc::clone(&shared);
        let service = service_fn(move |request| {
            let response = http::respond(request, &shared, port);
            async move { Ok::<_, Infallible>(response) }
        });
        let connection = http1.serve_connection(
            Stall::new(TokioIo::new(stream), limits.write_timeout),
            service,
        );
        tokio::spawn(async move {
            // Errors are the client's (reset, timeout, malformed request): hyper has already
            // answered what could be answered.
            let _ = connection.await;
            drop(slot);
        });
    }
}

/// A connection whose writes fail once they have waited `limit` for the client to read.
struct Stall<T> {
    io: T,
    limit: Duration,
    waiting: Option<Pin<Box<Sleep>>>,
}

impl<T> Stall<T> {
    fn new(io: T, limit: Duration) -> Self {
        Stall {
            io,
            limit,
            waiting: None,
        }
    }

    /// Called with a write's result: `Pending` starts (or keeps) the clock, anything else
    /// stops it; past the limit the write fails.
    fn watch<R>(
        &mut self,
        cx: &mut Context<'_>,
        result: Poll<io::Result<R>>,
    ) -> Poll<io::Result<R>> {
        if result.is_ready() {
            self.waiting = None;
            return result;
        }
        let limit = self.limit;
        let waiting = self
            .waiting
            .get_or_insert_with(|| Box::pin(tokio::time::sleep(limit)));
        match waiting.as_mut().poll(cx) {
            Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                io::ErrorKind::TimedOut,
                "il client non legge la risposta",
            ))),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl<T: Read + Unpin> Read for Stall<T> {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: ReadBufCursor<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.io).poll_read(cx, buf)
    }
}

impl<T: Write + Unpin> Write for Stall<T> {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write(cx, buf);
        self.watch(cx, result)
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let result = Pin::new(&mut self.io).poll_write_vectored(cx, bufs);
        self.watch(cx, result)
    }

    fn is_write_vectored(&self) -> bool {
        self.io.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.io).poll_flush(cx);
        self.watch(cx, result)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let result = Pin::new(&mut self.io).poll_shutdown(cx);
        self.watch(cx, result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A client that never reads: every write waits.
    struct Full;

    impl Write for Full {
        fn poll_write(
            self: Pin<&mut Self>,
            _: &mut Context<'_>,
            _: &[u8],
        ) -> Poll<io::Result<usize>> {
            Poll::Pending
        }
        fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Pending
        }
        fn poll_shutdown(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<io::Result<()>> {
            Poll::Pending
        }
    }

    /// Writes once, then waits forever.
    async fn write(io: &mut Stall<Full>) -> io::Result<usize> {
        std::future::poll_fn(|cx| Pin::new(&mut *io).poll_write(cx, b"x")).await
    }

    #[test]
    fn a_write_the_client_never_takes_fails_after_the_limit() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap();
        runtime.block_on(async {
            let mut io = Stall::new(Full, Duration::from_millis(100));
            let start = std::time::Instant::now();
            let error = write(&mut io).await.unwrap_err();
            assert_eq!(error.kind(), io::ErrorKind::TimedOut);
            assert!(start.elapsed() >= Duration::from_millis(100));
            // Still waiting, but well within the limit: not yet an error.
            let mut io = Stall::new(Full, Duration::from_secs(60));
            let early = tokio::time::timeout(Duration::from_millis(100), write(&mut io)).await;
            assert!(early.is_err());
        });
    }
}
