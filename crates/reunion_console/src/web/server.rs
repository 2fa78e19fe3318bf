//! The HTTP server: `tiny_http` on its own threads, one per request, beside the app.
//! It reads a request, asks [`protocol::route`] what it means, and either answers,
//! waits for the state to change (long polling), or puts an action in the inbox the
//! app drains each frame. It never touches the app's world.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use super::access::AccessCode;
use super::protocol::{self, CODE_HEADER, MAX_BODY, Routed, SeenIds, WebRequest, WebResponse};
use super::snapshot::Catalog;
use crate::dispatch::ConsoleAction;

/// Requests handled at once; more get "busy" at once.
const MAX_IN_FLIGHT: usize = 48;
/// Long polls waiting at once; more are answered at once, so a crowd of pages can
/// never take the threads an action (stop now) needs.
const MAX_WAITING: usize = 16;

/// What the app and the server threads share.
pub(crate) struct Shared {
    pub(crate) code: AccessCode,
    state: Mutex<Published>,
    changed: Condvar,
    inbox: Mutex<Inbox>,
    /// Whether a page has read the state with the right code.
    pub(crate) connected: AtomicBool,
    in_flight: AtomicUsize,
    waiting: AtomicUsize,
    font: Option<Vec<u8>>,
}

#[derive(Default)]
struct Published {
    version: u64,
    json: Arc<String>,
    catalog: Option<Arc<Catalog>>,
}

#[derive(Default)]
struct Inbox {
    actions: Vec<ConsoleAction>,
    seen: SeenIds,
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // A thread that panicked holding the lock left plain data behind; keep serving.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Shared {
    /// Publishes a new state (its JSON carries `version`) and wakes the long polls.
    pub(crate) fn publish(&self, version: u64, json: String, catalog: Option<Arc<Catalog>>) {
        let mut state = lock(&self.state);
        state.version = version;
        state.json = Arc::new(json);
        state.catalog = catalog;
        drop(state);
        self.changed.notify_all();
    }

    /// The actions asked for since the last call, in order.
    pub(crate) fn take_actions(&self) -> Vec<ConsoleAction> {
        std::mem::take(&mut lock(&self.inbox).actions)
    }
}

/// A running web console server.
#[derive(Clone)]
pub struct WebConsoleServer {
    pub(crate) shared: Arc<Shared>,
    addr: SocketAddr,
}

impl WebConsoleServer {
    /// Starts serving on `addr` (port 0: any free one) with a fresh access code.
    /// `font` is a Hangul font file served to pages on devices without one.
    pub fn start(addr: SocketAddr, font: Option<Vec<u8>>) -> Result<Self, String> {
        let code = AccessCode::generate()?;
        Self::start_with(addr, code, font)
    }

    /// As [`start`](Self::start) with a given code (tests).
    pub fn start_with(
        addr: SocketAddr,
        code: AccessCode,
        font: Option<Vec<u8>>,
    ) -> Result<Self, String> {
        let server = tiny_http::Server::http(addr)
            .map_err(|e| format!("cannot serve the web console on {addr}: {e}"))?;
        let addr = server
            .server_addr()
            .to_ip()
            .ok_or("the web console's server has no IP address")?;
        let shared = Arc::new(Shared {
            code,
            state: Mutex::new(Published::default()),
            changed: Condvar::new(),
            inbox: Mutex::new(Inbox::default()),
            connected: AtomicBool::new(false),
            in_flight: AtomicUsize::new(0),
            waiting: AtomicUsize::new(0),
            font,
        });
        let for_thread = Arc::clone(&shared);
        std::thread::Builder::new()
            .name("web console".into())
            .spawn(move || accept(&server, &for_thread))
            .map_err(|e| format!("cannot start the web console's thread: {e}"))?;
        Ok(Self { shared, addr })
    }

    /// The address it listens on (the port chosen if 0 was asked).
    pub fn local_addr(&self) -> SocketAddr {
        self.addr
    }

    /// The access code.
    pub fn code(&self) -> &AccessCode {
        &self.shared.code
    }

    /// The address a tablet opens, code included: on this machine's address in the
    /// local network when listening on all of them.
    pub fn page_url(&self) -> String {
        let ip = if self.addr.ip().is_unspecified() {
            local_network_ip().unwrap_or(std::net::IpAddr::from([127, 0, 0, 1]))
        } else {
            self.addr.ip()
        };
        let base = format!("http://{}", SocketAddr::new(ip, self.addr.port()));
        super::access::page_url(&base, &self.shared.code)
    }
}

/// This machine's address on the local network: the one a UDP socket would send from
/// (connecting a UDP socket sends nothing).
fn local_network_ip() -> Option<std::net::IpAddr> {
    let socket = std::net::UdpSocket::bind(("0.0.0.0", 0)).ok()?;
    socket.connect(("192.168.0.1", 9)).ok()?;
    let ip = socket.local_addr().ok()?.ip();
    (!ip.is_unspecified()).then_some(ip)
}

fn accept(server: &tiny_http::Server, shared: &Arc<Shared>) {
    for request in server.incoming_requests() {
        if shared.in_flight.fetch_add(1, Ordering::SeqCst) >= MAX_IN_FLIGHT {
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
            let _ = respond(request, WebResponse::error(503, "busy, try again"));
            continue;
        }
        let for_thread = Arc::clone(shared);
        let spawned = std::thread::Builder::new()
            .name("web console request".into())
            .spawn(move || {
                handle(request, &for_thread);
                for_thread.in_flight.fetch_sub(1, Ordering::SeqCst);
            });
        if spawned.is_err() {
            // The request went with the closure: its connection closes unanswered.
            shared.in_flight.fetch_sub(1, Ordering::SeqCst);
        }
    }
}

fn handle(mut request: tiny_http::Request, shared: &Shared) {
    let method = request.method().as_str().to_owned();
    let url = request.url().to_owned();
    let code = request
        .headers()
        .iter()
        .find(|h| h.field.equiv(CODE_HEADER))
        .map(|h| h.value.as_str().to_owned());
    // Read at most one byte past the limit: a huge body is never read whole.
    let declared_too_large = request.body_length().is_some_and(|n| n > MAX_BODY);
    let mut body = Vec::new();
    if !declared_too_large {
        let _ = request
            .as_reader()
            .take(MAX_BODY as u64 + 1)
            .read_to_end(&mut body);
    }
    let body_too_large = declared_too_large || body.len() > MAX_BODY;
    let catalog = lock(&shared.state).catalog.clone();
    let routed = protocol::route(
        &WebRequest {
            method: &method,
            url: &url,
            code: code.as_deref(),
            body: if body_too_large { &[] } else { &body },
            body_too_large,
        },
        &shared.code,
        catalog.as_deref(),
    );
    let response = match routed {
        Routed::Respond(r) => r,
        Routed::Font => match &shared.font {
            Some(bytes) => WebResponse {
                status: 200,
                content_type: "font/ttf",
                body: std::borrow::Cow::Owned(bytes.clone()),
            },
            None => WebResponse::error(404, "no Hangul font on this machine"),
        },
        Routed::State { since } => {
            shared.connected.store(true, Ordering::SeqCst);
            WebResponse::json(200, state_after(shared, since).to_string())
        }
        Routed::Act { id, action } => {
            let mut inbox = lock(&shared.inbox);
            let fresh = inbox.seen.first_time(&id);
            if fresh {
                inbox.actions.push(action);
            }
            drop(inbox);
            WebResponse::json(
                200,
                serde_json::json!({ "ok": true, "duplicate": !fresh }).to_string(),
            )
        }
    };
    let _ = respond(request, response);
}

/// The state's JSON once its version passes `since`, or as it is after the long
/// poll's time (or at once with too many waiting).
fn state_after(shared: &Shared, since: Option<u64>) -> Arc<String> {
    let state = lock(&shared.state);
    let Some(since) = since else {
        return Arc::clone(&state.json);
    };
    if state.version > since {
        return Arc::clone(&state.json);
    }
    if shared.waiting.fetch_add(1, Ordering::SeqCst) >= MAX_WAITING {
        shared.waiting.fetch_sub(1, Ordering::SeqCst);
        return Arc::clone(&state.json);
    }
    let deadline = Instant::now() + Duration::from_secs(protocol::LONG_POLL_SECONDS);
    let mut state = state;
    while state.version <= since {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        state = shared
            .changed
            .wait_timeout(state, left)
            .unwrap_or_else(PoisonError::into_inner)
            .0;
    }
    shared.waiting.fetch_sub(1, Ordering::SeqCst);
    Arc::clone(&state.json)
}

fn respond(request: tiny_http::Request, response: WebResponse) -> std::io::Result<()> {
    let header = |name: &str, value: &str| {
        tiny_http::Header::from_bytes(name.as_bytes(), value.as_bytes())
            .unwrap_or_else(|()| unreachable!("constant header {name}"))
    };
    let mut r = tiny_http::Response::from_data(response.body.into_owned())
        .with_status_code(response.status)
        .with_header(header("Content-Type", response.content_type))
        .with_header(header("Cache-Control", "no-store"))
        .with_header(header("X-Content-Type-Options", "nosniff"))
        .with_header(header("Referrer-Policy", "no-referrer"))
        .with_header(header("X-Frame-Options", "DENY"));
    r.add_header(header(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    ));
    request.respond(r)
}
