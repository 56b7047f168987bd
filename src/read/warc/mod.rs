//! Web archives (`.warc`, `.warc.gz`): every HTML page a crawler fetched with status 200
//! is an article.
//!
//! Takes the decompressed record stream (see [`record`]) and gives one article per
//! `response` record whose HTTP status is 200 and whose payload is HTML: the payload is
//! de-chunked, decompressed and decoded (see [`http`], `decode::decode_http`), then read
//! by the same extractor as `.html` files, so title, body and publication date come from
//! the page. The record adds what the page cannot say about itself: `url` is the
//! `WARC-Target-URI` and `crawled` the `WARC-Date`, when the crawler fetched it (never
//! the publication date); `source` is the page's site name, else the URL's host.
//!
//! Everything else a crawl holds (warcinfo, request, metadata and revisit records,
//! redirects and errors, robots.txt, PDFs, images, a second copy of the same payload,
//! index pages without article text) is passed over and counted by reason in
//! [`ReadReport::records_passed`], without a warning each: a crawl is mostly such
//! records. A page that should have been an article but could not be decoded is a lost
//! record, with a warning. A file cut inside a record keeps the articles of the complete
//! records before the cut and fails as [`ReadError::TruncatedWarc`].
//!
//! Article ids are the URL, stable across re-ingests; a URL met again in the same file
//! with another payload (a page crawled twice) is named by its `WARC-Record-ID` instead.
//!
//! Extraction is most of the cost of reading an archive, so a sink that asks for it gets
//! each page as a [`PendingPage`] (decoded, named, not extracted) for its caller to
//! extract on any thread; pages without article text are then counted by that caller.

mod http;
mod record;

use std::collections::HashSet;
use std::io::BufRead;

use chrono::{DateTime, Utc};

use super::{ArticleSource, ReadError, ReadWarning, Sink, decode, html};
use crate::model::Article;
use record::{RecordError, RecordHeader, RecordReader};

/// A response record larger than this is not a news page (a video, an ISO image): passed
/// over without reading it into memory.
const MAX_PAGE_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// Why a record is not an article, as the summary counts them.
pub(crate) mod passed {
    pub const WARCINFO: &str = "warcinfo record";
    pub const REQUEST: &str = "request record";
    pub const METADATA: &str = "metadata record";
    pub const REVISIT: &str = "revisit record";
    /// `resource`, `conversion`, `continuation`, or a type the standard does not name.
    pub const OTHER_TYPE: &str = "other record type";
    /// A response to a `dns:` or other non-HTTP request.
    pub const NOT_HTTP: &str = "non-HTTP response";
    pub const NOT_200: &str = "non-200 response";
    pub const NOT_HTML: &str = "non-HTML response";
    pub const DUPLICATE: &str = "duplicate payload";
    /// An HTML page in which the extractor finds no article text (an index page, a
    /// login form): in a crawl, most pages are not articles.
    pub const NO_TEXT: &str = "HTML page without article text";
    pub const TOO_LARGE: &str = "response over 64 MiB";
}

/// Reads every record of a web archive, handing each page's article to `sink`.
pub(crate) fn read(
    reader: impl BufRead,
    source: &ArticleSource,
    sink: &mut Sink,
) -> Result<(), ReadError> {
    let mut records = RecordReader::new(reader);
    let mut pages = Pages::default();
    loop {
        let header = match records.next_header() {
            Ok(Some(header)) => header,
            Ok(None) => break,
            Err(err) => return Err(stream_error(err, records.records, sink)),
        };
        let record = records.records;
        let result = match read_record(&mut records, &header, record, &mut pages, source, sink) {
            Ok(result) => result,
            Err(err) => return Err(stream_error(err, record, sink)),
        };
        match result {
            Prepared::Page(page) => match sink.defers_pages() {
                true => sink.defer(*page),
                false => {
                    let (outcome, warnings) = page.extract();
                    warnings.into_iter().for_each(|w| sink.warn(w));
                    match outcome {
                        PageOutcome::Article(article) => sink.emit(*article),
                        PageOutcome::Passed(reason) => sink.pass(reason),
                        PageOutcome::Lost(warning) => sink.skip(warning),
                    }
                }
            },
            Prepared::Passed(reason) => sink.pass(reason),
            Prepared::Lost(message) => {
                let uri = target_uri(&header).unwrap_or("no URI");
                sink.skip(ReadWarning::new(format!(
                    "record {record} ({uri}): {message}"
                )));
            }
        }
    }
    if records.records == 0 {
        return Err(ReadError::Empty);
    }
    Ok(())
}

/// What the file has given so far, to name and deduplicate its pages.
#[derive(Default)]
struct Pages {
    urls: HashSet<String>,
    payloads: HashSet<String>,
}

/// A record read up to the page's extraction.
enum Prepared {
    Page(Box<PendingPage>),
    Passed(&'static str),
    /// A page that should have been an article but could not be read.
    Lost(String),
}

/// An HTML page of a web archive, decoded, whose article is yet to be extracted. Ingest
/// hands these to whichever worker is free, as it does articles, so the pages of one
/// large archive are extracted on every core, not only by the worker reading the file.
pub struct PendingPage {
    text: String,
    /// The article id, the path of the archive, the record's number, URI and date.
    id: String,
    path: String,
    record: usize,
    uri: String,
    crawled: Option<DateTime<Utc>>,
}

/// What a [`PendingPage`] came to.
pub enum PageOutcome {
    Article(Box<Article>),
    /// Not an article, counted by this reason (a page without article text).
    Passed(&'static str),
    /// A page that should have been an article but could not be read, warned about.
    Lost(ReadWarning),
}

impl PendingPage {
    /// The page's article, through the same extractor as `.html` files, with the
    /// record's URL, crawl date and, failing a site name, host; and warnings about the
    /// page that did not stop it (each naming the record).
    pub fn extract(self) -> (PageOutcome, Vec<ReadWarning>) {
        let page_source = ArticleSource {
            path: self.path,
            rel: self.id,
        };
        let mut found = None;
        let mut keep = |article| found = Some(article);
        let mut page_sink = Sink::new(&mut keep);
        let result = html::read(&self.text, &page_source, &mut page_sink);
        let (record, uri) = (self.record, self.uri);
        let name = |message: &str| format!("record {record} ({uri}): {message}");
        let warnings = std::mem::take(&mut page_sink.report.warnings)
            .into_iter()
            .map(|w| ReadWarning::new(name(&w.message)))
            .collect();
        let outcome = match result {
            Ok(()) => match found {
                Some(mut article) => {
                    if article.source.is_none() {
                        article.source = host(&uri);
                    }
                    article.url = Some(uri.clone());
                    article.crawled = self.crawled;
                    PageOutcome::Article(Box::new(article))
                }
                None => PageOutcome::Passed(passed::NO_TEXT),
            },
            Err(ReadError::NoBody(_) | ReadError::Empty) => PageOutcome::Passed(passed::NO_TEXT),
            Err(err) => PageOutcome::Lost(ReadWarning::new(name(&err.to_string())).lost()),
        };
        (outcome, warnings)
    }
}

fn stream_error(err: RecordError, record: usize, sink: &Sink) -> ReadError {
    let articles = sink.report.articles;
    match err {
        RecordError::Truncated => ReadError::TruncatedWarc {
            record: record.max(1),
            articles,
        },
        RecordError::Malformed(message) => ReadError::BadWarc { message, articles },
        RecordError::Io(io) => ReadError::Io(io),
    }
}

/// Reads (or skips) the block of the record whose header was just read.
fn read_record(
    records: &mut RecordReader<impl BufRead>,
    header: &RecordHeader,
    record: usize,
    pages: &mut Pages,
    source: &ArticleSource,
    sink: &mut Sink,
) -> Result<Prepared, RecordError> {
    let kind = header.get("WARC-Type").unwrap_or("").to_ascii_lowercase();
    let passed = match kind.as_str() {
        "response" => None,
        "warcinfo" => Some(passed::WARCINFO),
        "request" => Some(passed::REQUEST),
        "metadata" => Some(passed::METADATA),
        "revisit" => Some(passed::REVISIT),
        _ => Some(passed::OTHER_TYPE),
    };
    let uri = target_uri(header).unwrap_or("");
    let http_record = header
        .get("Content-Type")
        .is_none_or(|t| t.to_ascii_lowercase().starts_with("application/http"));
    let http_uri = uri.starts_with("http://") || uri.starts_with("https://");
    let passed = passed
        .or((!http_record || !http_uri).then_some(passed::NOT_HTTP))
        .or((header.content_length > MAX_PAGE_RECORD_BYTES).then_some(passed::TOO_LARGE));
    if let Some(reason) = passed {
        records.skip_block(header)?;
        return Ok(Prepared::Passed(reason));
    }
    let block = records.read_block(header)?;
    Ok(page(&block, header, record, pages, source, sink))
}

/// The page of one HTTP response, decoded, or why there is none.
fn page(
    block: &[u8],
    header: &RecordHeader,
    record: usize,
    pages: &mut Pages,
    source: &ArticleSource,
    sink: &mut Sink,
) -> Prepared {
    let Some(response) = http::Response::parse(block) else {
        return Prepared::Lost("the record holds no HTTP response".into());
    };
    if response.status != 200 {
        return Prepared::Passed(passed::NOT_200);
    }
    let media_type = response.media_type();
    if media_type
        .as_deref()
        .is_some_and(|media| !http::is_html(Some(media), b""))
    {
        return Prepared::Passed(passed::NOT_HTML);
    }
    let entity = match response.entity() {
        Ok(entity) => entity,
        Err(message) => return Prepared::Lost(message),
    };
    if !http::is_html(media_type.as_deref(), &entity) {
        return Prepared::Passed(passed::NOT_HTML);
    }
    let digest = match header.get("WARC-Payload-Digest") {
        Some(digest) => digest.to_string(),
        None => format!("blake3:{}", blake3::hash(&entity).to_hex()),
    };
    if !pages.payloads.insert(digest) {
        return Prepared::Passed(passed::DUPLICATE);
    }
    let decoded = match decode::decode_http(entity, response.charset()) {
        Ok(decoded) => decoded,
        Err(err) => return Prepared::Lost(err.to_string()),
    };
    let uri = target_uri(header).unwrap_or("").to_string();
    if let Some(warning) = decoded.warning {
        let message = format!("record {record} ({uri}): {}", warning.message);
        sink.warn(ReadWarning::new(message));
    }
    // The URL names the article the first time; a second, different copy of the page in
    // the same file goes by its record id, so neither replaces the other.
    let id = match pages.urls.insert(uri.clone()) {
        true => uri.clone(),
        false => match header.get("WARC-Record-ID") {
            Some(record_id) => record_id.trim_matches(['<', '>']).to_string(),
            None => format!("{uri}#record-{record}"),
        },
    };
    Prepared::Page(Box::new(PendingPage {
        text: decoded.text,
        id,
        path: source.path.clone(),
        record,
        uri,
        crawled: header.get("WARC-Date").and_then(crawl_date),
    }))
}

/// The record's `WARC-Target-URI`, without the angle brackets some writers put round it.
fn target_uri(header: &RecordHeader) -> Option<&str> {
    header
        .get("WARC-Target-URI")
        .map(|uri| uri.trim_start_matches('<').trim_end_matches('>'))
}

/// A `WARC-Date` (`2025-10-15T08:30:00Z`, fractions of a second allowed by WARC/1.1).
fn crawl_date(value: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(value.trim())
        .ok()
        .map(|at| at.with_timezone(&Utc))
}

/// The host of an http(s) URL, lowercased, without port, credentials or a leading
/// `www.`: the name a reader knows the site by.
fn host(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let authority = rest.split(['/', '?', '#']).next()?;
    let host = authority.rsplit('@').next()?;
    let host = match host.strip_prefix('[') {
        Some(ipv6) => ipv6.split(']').next()?,
        None => host.split(':').next()?,
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_prefix("www.").unwrap_or(&host);
    (!host.is_empty()).then(|| host.to_string())
}

#[cfg(test)]
mod tests;
