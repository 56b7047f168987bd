//! `gazette serve`: the search page and the JSON API over one index.
//!
//! Every API answer is a subcommand run through [`crate::cmd::answer`] into the response,
//! with the URL parameters parsed as its flags ([`params`]): the server has no search
//! logic of its own, and its JSON is the command line's. Each request opens the index's
//! last commit, so answers follow an ingest running beside the server. Answers run on
//! tokio's blocking threads, at most `--threads` at once; the page is three files
//! compiled into the binary ([`page`]).

mod page;
mod params;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use anyhow::Context;
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::rejection::BytesRejection;
use axum::extract::{DefaultBodyLimit, Path, RawQuery, Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::{Semaphore, mpsc};

use crate::cli::ServeArgs;
use crate::cmd::{self, Input};
use crate::exit::Code;
use params::{BadRequest, ENDPOINTS, Endpoint};

/// The 401's challenge: Basic makes a browser ask for the token (as the password).
const CHALLENGE: &str = "Basic realm=\"gazette\", charset=\"UTF-8\"";

/// Largest request body (`tag`'s text, `batch`'s codebook).
const MAX_BODY: usize = 4 * 1024 * 1024;
/// Bytes of an export gathered before they are sent.
const EXPORT_CHUNK: usize = 64 * 1024;

struct Server {
    index: PathBuf,
    token: Option<String>,
    cors: Option<HeaderValue>,
    /// Answers computed at once.
    permits: Semaphore,
}

pub fn run(args: ServeArgs) -> anyhow::Result<Code> {
    let loopback = args.addr.ip().is_loopback();
    if !loopback && args.token.is_none() {
        anyhow::bail!(
            "refusing to serve on {} without --token (or GAZETTE_TOKEN): it is reachable from \
             other machines; bind to 127.0.0.1, or set a token that every request must send",
            args.addr
        );
    }
    if args.token.as_deref().is_some_and(|t| t.trim().is_empty()) {
        anyhow::bail!("--token is empty");
    }
    let cors = match &args.cors {
        Some(origin) => Some(
            HeaderValue::from_str(origin)
                .ok()
                .filter(|_| origin.starts_with("http://") || origin.starts_with("https://"))
                .with_context(|| {
                    format!("--cors {origin:?} is not an origin (http://host[:port])")
                })?,
        ),
        None => None,
    };
    // The index must open now: a typo in --index should not wait for the first request.
    gazette::index::GazetteIndex::open(&args.index.index)?;
    let threads = crate::cli::threads_or_cores(args.threads).max(1);
    let server = Arc::new(Server {
        index: args.index.index.clone(),
        token: args.token.clone(),
        cors,
        permits: Semaphore::new(threads),
    });
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(threads.min(4))
        .enable_all()
        .build()
        .context("starting the server's runtime")?;
    runtime.block_on(serve(server, args.addr, !loopback))?;
    Ok(Code::Success)
}

async fn serve(server: Arc<Server>, addr: SocketAddr, exposed: bool) -> anyhow::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .with_context(|| format!("listening on {addr}"))?;
    let local = listener.local_addr()?;
    eprintln!(
        "gazette: serving {} on http://{local}/",
        server.index.display()
    );
    if exposed {
        eprintln!(
            "gazette: WARNING: {local} is reachable from other machines; every request must \
             carry `Authorization: Bearer <token>`, and the traffic is not encrypted"
        );
    } else if server.token.is_some() {
        eprintln!("gazette: every request must carry `Authorization: Bearer <token>`");
    }
    let app = router(server);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown())
        .await
        .context("serving")?;
    eprintln!("gazette: stopped");
    Ok(())
}

fn router(server: Arc<Server>) -> Router {
    Router::new()
        .route("/", get(page::index))
        .route("/app.js", get(page::script))
        .route("/app.css", get(page::style))
        .route("/api/v1", get(api_index))
        .route("/api/v1/", get(api_index))
        .route("/api/v1/{endpoint}", get(api).post(api))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(MAX_BODY))
        .layer(middleware::from_fn_with_state(server.clone(), guard))
        .layer(middleware::from_fn(log))
        .with_state(server)
}

/// Ctrl-C or SIGTERM: stop taking connections, finish the answers under way.
async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term =
            tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
        let term = async {
            match term.as_mut() {
                Some(s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        tokio::select! {
            _ = ctrl_c => {},
            _ = term => {},
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    eprintln!("gazette: shutting down");
}

/// One line per request on stderr: method, path, status, time.
async fn log(request: Request, next: Next) -> Response {
    let method = request.method().clone();
    let uri = request.uri().clone();
    let started = Instant::now();
    let response = next.run(request).await;
    eprintln!(
        "{method} {uri} {} {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1e3
    );
    response
}

/// The token rule and CORS: a preflight from the allowed origin is answered without a
/// token (browsers send none on it); everything else needs the token when one is set.
async fn guard(State(server): State<Arc<Server>>, request: Request, next: Next) -> Response {
    let origin_allowed = match (&server.cors, request.headers().get(header::ORIGIN)) {
        (Some(allowed), Some(origin)) => allowed == origin,
        _ => false,
    };
    if request.method() == Method::OPTIONS {
        if !origin_allowed {
            return error(
                StatusCode::FORBIDDEN,
                "cross-origin requests are not allowed",
            );
        }
        let mut response = StatusCode::NO_CONTENT.into_response();
        cors_headers(response.headers_mut(), &server);
        return response;
    }
    if let Some(token) = &server.token
        && !authorized(request.headers(), token)
    {
        let mut response = error(
            StatusCode::UNAUTHORIZED,
            "this server needs `Authorization: Bearer <token>` (in a browser: the token as the password)",
        );
        response.headers_mut().insert(
            header::WWW_AUTHENTICATE,
            HeaderValue::from_static(CHALLENGE),
        );
        return response;
    }
    let mut response = next.run(request).await;
    if origin_allowed {
        cors_headers(response.headers_mut(), &server);
    }
    response
}

fn cors_headers(headers: &mut HeaderMap, server: &Server) {
    if let Some(origin) = &server.cors {
        headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin.clone());
        headers.insert(header::VARY, HeaderValue::from_static("Origin"));
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_METHODS,
            HeaderValue::from_static("GET, POST"),
        );
        headers.insert(
            header::ACCESS_CONTROL_ALLOW_HEADERS,
            HeaderValue::from_static("Authorization, Content-Type"),
        );
    }
}

/// Whether the request carries the token, compared in constant time: as a bearer token
/// (scripts), or as the password of HTTP Basic authentication with any user name (a
/// browser asks for it once at the page and sends it with every request after).
fn authorized(headers: &HeaderMap, token: &str) -> bool {
    let Some(value) = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let given = if let Some(bearer) = value.strip_prefix("Bearer ") {
        bearer.trim().as_bytes().to_vec()
    } else if let Some(basic) = value.strip_prefix("Basic ") {
        use base64::Engine;
        let Ok(pair) = base64::engine::general_purpose::STANDARD.decode(basic.trim()) else {
            return false;
        };
        match pair.iter().position(|&b| b == b':') {
            Some(colon) => pair[colon + 1..].to_vec(),
            None => return false,
        }
    } else {
        return false;
    };
    let expected = token.as_bytes();
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// A JSON error answer: `{"error": message}`.
fn error(status: StatusCode, message: &str) -> Response {
    let body = serde_json::json!({ "error": message }).to_string();
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body + "\n",
    )
        .into_response()
}

async fn not_found(request: Request) -> Response {
    error(
        StatusCode::NOT_FOUND,
        &format!("no such page: {}", request.uri().path()),
    )
}

/// `/api/v1/`: the endpoints.
async fn api_index() -> Response {
    let names: Vec<&str> = ENDPOINTS.iter().map(|e| e.name).collect();
    let body = serde_json::json!({ "api": "v1", "endpoints": names }).to_string();
    ([(header::CONTENT_TYPE, "application/json")], body + "\n").into_response()
}

/// One API call: the endpoint's subcommand with the request's parameters, answered by
/// the same code as the command line.
async fn api(
    State(server): State<Arc<Server>>,
    Path(name): Path<String>,
    method: Method,
    RawQuery(query): RawQuery,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let Some(endpoint) = ENDPOINTS.iter().find(|e| e.name == name) else {
        return error(
            StatusCode::NOT_FOUND,
            &format!("no endpoint /api/v1/{name}"),
        );
    };
    let body = match body {
        Ok(body) => body,
        Err(rejection) => return error(rejection.status(), &rejection.body_text()),
    };
    if endpoint.body && method != Method::POST {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("/api/v1/{name} takes POST, with the input as the body"),
        );
    }
    if !endpoint.body && method != Method::GET {
        return error(
            StatusCode::METHOD_NOT_ALLOWED,
            &format!("/api/v1/{name} takes GET"),
        );
    }
    let params: Vec<(String, String)> =
        form_urlencoded::parse(query.as_deref().unwrap_or("").as_bytes())
            .into_owned()
            .collect();
    let parsed = match params::parse(endpoint, &params, &server.index) {
        Ok(parsed) => parsed,
        Err(BadRequest(message)) => return error(StatusCode::BAD_REQUEST, &message),
    };
    let Ok(_permit) = server.permits.acquire().await else {
        return error(StatusCode::SERVICE_UNAVAILABLE, "shutting down");
    };
    if parsed.download.is_some() {
        return stream(parsed).await;
    }
    let content_type = parsed.content_type;
    let answer = tokio::task::spawn_blocking(move || {
        let mut out = Vec::new();
        let result = cmd::answer(&parsed.command, Input::Body(&body), &mut out);
        (result, out)
    })
    .await;
    match answer {
        Ok((Ok(code), out)) => {
            if out.is_empty() && code == Code::Partial {
                return error(StatusCode::NOT_FOUND, &not_there(endpoint, &params));
            }
            let content_type = if endpoint.name == "tag" && !is_jsonl_input(&params) {
                "application/json"
            } else {
                content_type
            };
            ([(header::CONTENT_TYPE, content_type)], out).into_response()
        }
        Ok((Err(err), _)) => failure(&err),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the answer failed (a bug: please report it with the request)",
        ),
    }
}

fn is_jsonl_input(params: &[(String, String)]) -> bool {
    params.iter().any(|(k, v)| k == "input" && v == "jsonl")
}

/// The message of a 404 for an answer about nothing (an article id not in the index).
fn not_there(endpoint: &Endpoint, params: &[(String, String)]) -> String {
    let id = params
        .iter()
        .find(|(k, _)| endpoint.positional.contains(&k.as_str()))
        .map(|(_, v)| v.as_str());
    match (endpoint.name, id) {
        ("copies", None) => "no article in the index has copies".into(),
        (_, Some(id)) => format!("no article {id:?} in the index"),
        (_, None) => "nothing found".into(),
    }
}

/// An error of the command as an HTTP answer: the command line's message.
fn failure(err: &anyhow::Error) -> Response {
    error(status_of(err), &format!("{err:#}"))
}

/// 400 for the request's mistakes, 503 while there is no index yet, 500 only for what is
/// no fault of the request (the index unreadable, a bug).
fn status_of(err: &anyhow::Error) -> StatusCode {
    use gazette::index::IndexError;
    use gazette::search::SearchError;
    let mut status = StatusCode::BAD_REQUEST;
    for e in err.chain() {
        if matches!(e.downcast_ref::<IndexError>(), Some(IndexError::Missing(_))) {
            return StatusCode::SERVICE_UNAVAILABLE;
        }
        if e.is::<std::io::Error>()
            || e.is::<tantivy::TantivyError>()
            || matches!(
                e.downcast_ref::<IndexError>(),
                Some(IndexError::Io { .. } | IndexError::Tantivy { .. })
            )
            || matches!(e.downcast_ref::<SearchError>(), Some(SearchError::Index(_)))
        {
            status = StatusCode::INTERNAL_SERVER_ERROR;
        }
    }
    status
}

/// `export`: every hit, streamed as the command writes it. An error before the first
/// byte is an ordinary error answer; after it, the connection is cut short (the status is
/// gone by then), so a client never takes a partial export for a whole one.
async fn stream(parsed: params::Parsed) -> Response {
    let (tx, mut rx) = mpsc::channel::<Result<Bytes, (StatusCode, String)>>(4);
    let command = parsed.command;
    tokio::task::spawn_blocking(move || {
        let mut out = ChannelWriter {
            tx: tx.clone(),
            buf: Vec::with_capacity(EXPORT_CHUNK),
        };
        let result = cmd::answer(&command, Input::Body(&[]), &mut out);
        let result = result.and_then(|code| {
            std::io::Write::flush(&mut out)?;
            Ok(code)
        });
        if let Err(err) = result {
            // The client may be gone; then nobody is told.
            let _ = tx.blocking_send(Err((status_of(&err), format!("{err:#}"))));
        }
    });
    let first = rx.recv().await;
    let first = match first {
        None => Bytes::new(),
        Some(Ok(bytes)) => bytes,
        Some(Err((status, message))) => return error(status, &message),
    };
    let rest = futures_util::stream::unfold(rx, |mut rx| async move {
        match rx.recv().await {
            Some(Ok(bytes)) => Some((Ok(bytes), rx)),
            Some(Err((_, message))) => Some((Err(std::io::Error::other(message)), rx)),
            None => None,
        }
    });
    let body = futures_util::StreamExt::chain(
        futures_util::stream::once(async move { Ok::<_, std::io::Error>(first) }),
        rest,
    );
    let mut response = Response::new(Body::from_stream(body));
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(parsed.content_type),
    );
    if let Some(name) = parsed.download
        && let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
    {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    response
}

/// A writer that sends what it is given to the response in chunks; a closed
/// connection turns into a write error, which stops the search.
struct ChannelWriter {
    tx: mpsc::Sender<Result<Bytes, (StatusCode, String)>>,
    buf: Vec<u8>,
}

impl std::io::Write for ChannelWriter {
    fn write(&mut self, data: &[u8]) -> std::io::Result<usize> {
        self.buf.extend_from_slice(data);
        if self.buf.len() >= EXPORT_CHUNK {
            self.flush()?;
        }
        Ok(data.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buf,
            Vec::with_capacity(EXPORT_CHUNK),
        ));
        self.tx.blocking_send(Ok(chunk)).map_err(|_| {
            std::io::Error::new(std::io::ErrorKind::BrokenPipe, "the client went away")
        })
    }
}
