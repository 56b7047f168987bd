//! Article readers: turn one corpus file into [`Article`]s.
//!
//! Takes a path, its path relative to the ingest root (`rel`, used for ids) and the
//! [`Format`] the walker detected from its name; hands each article to a callback as soon
//! as it is read, so a huge `.jsonl` never sits in memory, and returns a [`ReadReport`]
//! (warnings, unknown JSON fields, article count) or a [`ReadError`] for the whole file.
//!
//! One submodule per format (`text`, `json`, `html`, `warc`), plus `decode` (bytes to
//! text) and `fields` (the field-name aliases shared by JSON and front matter). A `.gz`
//! suffix on any format is decompressed transparently here, before the format reader
//! sees a byte. [`read_reader_deferring`] leaves the extraction of a web archive's pages
//! to the caller ([`PendingPage`]), so ingest can spread it over its workers.

mod decode;
mod fields;
mod html;
mod json;
mod jsonld;
mod main_text;
mod text;
mod warc;

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use flate2::bufread::MultiGzDecoder;

use crate::model::Article;
pub use warc::{PageOutcome, PendingPage};

/// Whole-file formats (.json, .html, .txt) are read into memory; past this many
/// (decompressed) bytes we refuse rather than risk exhausting memory on a stray dump or a
/// gzip bomb. Big corpora belong in `.jsonl`, which streams.
pub(crate) const MAX_WHOLE_FILE_BYTES: u64 = 512 * 1024 * 1024;

/// The kind of content a corpus file holds, decided by its extension.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FormatKind {
    /// `.txt` or `.md`: plain text with optional `---` front matter.
    Text,
    /// `.json`: one article object or an array of them.
    Json,
    /// `.jsonl` / `.ndjson`: one article object per line.
    JsonLines,
    /// `.html` / `.htm`: a web page holding one article.
    Html,
    /// `.warc`: a web archive; every HTML page fetched with status 200 is an article.
    Warc,
}

/// How to read a corpus file: its content kind and whether it is gzip-compressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Format {
    pub kind: FormatKind,
    /// The file name ends in `.gz` (e.g. `a.jsonl.gz`): decompress before reading.
    pub gzip: bool,
}

impl Format {
    /// A short stable name for summaries: `txt`, `json`, `jsonl`, `html`, with `.gz`
    /// appended for compressed files.
    pub fn name(self) -> &'static str {
        match (self.kind, self.gzip) {
            (FormatKind::Text, false) => "txt",
            (FormatKind::Text, true) => "txt.gz",
            (FormatKind::Json, false) => "json",
            (FormatKind::Json, true) => "json.gz",
            (FormatKind::JsonLines, false) => "jsonl",
            (FormatKind::JsonLines, true) => "jsonl.gz",
            (FormatKind::Html, false) => "html",
            (FormatKind::Html, true) => "html.gz",
            (FormatKind::Warc, false) => "warc",
            (FormatKind::Warc, true) => "warc.gz",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The format of a file from its name (case-insensitive), or `None` when gazette cannot
/// read it. `.txt`, `.md`, `.json`, `.jsonl`, `.ndjson`, `.html`, `.htm`, `.warc`, each
/// optionally followed by `.gz`.
pub fn detect_format(path: &Path) -> Option<Format> {
    let name = path.file_name()?.to_string_lossy().to_lowercase();
    let (name, gzip) = match name.strip_suffix(".gz") {
        Some(inner) => (inner, true),
        None => (name.as_str(), false),
    };
    let (stem, ext) = name.rsplit_once('.')?;
    if stem.is_empty() {
        // `.txt` alone is a hidden file with no name, not a text article.
        return None;
    }
    let kind = match ext {
        "txt" | "md" => FormatKind::Text,
        "json" => FormatKind::Json,
        "jsonl" | "ndjson" => FormatKind::JsonLines,
        "html" | "htm" => FormatKind::Html,
        "warc" => FormatKind::Warc,
        _ => return None,
    };
    Some(Format { kind, gzip })
}

/// What reading one file produced besides its articles.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReadReport {
    /// Problems that did not stop the file from being read (broken JSON lines, fallback
    /// encodings, fields of the wrong type...), in file order.
    pub warnings: Vec<ReadWarning>,
    /// JSON fields (and front-matter keys) gazette does not use, as spelled in the file.
    pub unknown_fields: BTreeSet<String>,
    /// How many articles were handed to the callback.
    pub articles: usize,
    /// Records in the file that could not be read as articles (a broken JSON line, an
    /// array entry with no body); each also has a warning.
    pub skipped: usize,
    /// Web archive records passed over on purpose, by reason (`request record`,
    /// `non-HTML response`, ...): not articles, so no warning each.
    pub records_passed: BTreeMap<&'static str, u64>,
}

/// A problem in part of a file that did not stop the rest from being read. Serialized
/// between the stages of a staged ingest (`crate::ingest::staged`).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ReadWarning {
    /// 1-based line in the file, when the problem is tied to one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub message: String,
    /// The record the warning is about did not go in (a broken JSON line, an entry with
    /// neither title nor body): an error about that record, though the file goes in.
    #[serde(default)]
    pub lost: bool,
}

impl ReadWarning {
    pub(crate) fn new(message: impl Into<String>) -> ReadWarning {
        ReadWarning {
            line: None,
            message: message.into(),
            lost: false,
        }
    }

    pub(crate) fn at_line(line: usize, message: impl Into<String>) -> ReadWarning {
        ReadWarning {
            line: Some(line),
            message: message.into(),
            lost: false,
        }
    }

    /// The same warning, about a record that did not go in.
    pub(crate) fn lost(self) -> ReadWarning {
        ReadWarning { lost: true, ..self }
    }
}

impl fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

/// Why a file gave no articles (or stopped early). Messages are written for the user;
/// the caller adds the file name. No variant exposes an error `source()`: each message
/// already includes the underlying error's text, so an `{err:#}` chain does not repeat it.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// Opening or reading the file failed ("permission denied", ...).
    #[error("{}", describe_io(.0))]
    Io(io::Error),
    /// NUL bytes in a file with a text extension.
    #[error("binary file (contains NUL bytes)")]
    Binary,
    /// Nothing but whitespace. Not really an error: the caller should skip with a warning.
    #[error("empty file")]
    Empty,
    /// A `.json` file that does not parse (broken `.jsonl` lines are only warnings).
    #[error("not valid JSON: {0}")]
    InvalidJson(serde_json::Error),
    /// A `.json` file whose top level is neither an object nor an array of objects.
    #[error("expected a JSON object or an array of objects, found {0}")]
    NotArticles(&'static str),
    /// The gzip stream ends early. `articles` were read from it (and handed to the
    /// callback) before the cut; only `.jsonl.gz` can have any.
    #[error("truncated gzip stream{}", kept_note(*.articles))]
    TruncatedGzip { articles: usize },
    /// A web archive cut inside a record. `articles` were read from the complete records
    /// before the cut (and handed to the callback).
    #[error("web archive cut off inside record {record}{}", kept_note(*.articles))]
    TruncatedWarc { record: usize, articles: usize },
    /// A web archive whose next record cannot be found (not a WARC, or a broken header);
    /// `articles` were read before it.
    #[error("not a valid web archive: {message}{}", kept_note(*.articles))]
    BadWarc { message: String, articles: usize },
    /// A `.gz` file that is not gzip data, or whose data is corrupt.
    #[error("not a valid gzip stream: {0}")]
    BadGzip(String),
    /// The file parsed but holds no article text. Like [`ReadError::Empty`], a skip
    /// rather than a failure.
    #[error("no article body: {0}")]
    NoBody(String),
    /// A whole-file format (.json, .html, .txt) over 512 MiB once decompressed.
    #[error("file too large to read whole (over {} MiB); split it or use .jsonl", MAX_WHOLE_FILE_BYTES / (1024 * 1024))]
    TooLarge,
    /// A file read elsewhere (`ingest --staged`): the error reading it gave there, or a
    /// staged folder that does not hold what its file list says.
    #[error("{0}")]
    Staged(String),
}

impl From<io::Error> for ReadError {
    fn from(err: io::Error) -> ReadError {
        ReadError::Io(err)
    }
}

impl ReadError {
    /// True when the file was read correctly but simply holds no article (empty file,
    /// no body text): worth a warning and a skip, not an error.
    pub fn is_skip(&self) -> bool {
        matches!(self, ReadError::Empty | ReadError::NoBody(_))
    }
}

fn kept_note(articles: usize) -> String {
    match articles {
        0 => String::new(),
        1 => "; kept the 1 article read before it".to_string(),
        n => format!("; kept the {n} articles read before it"),
    }
}

/// An io error as a user reads it: "permission denied", not "Os { code: 13, .. }".
pub(crate) fn describe_io(err: &io::Error) -> String {
    match err.kind() {
        io::ErrorKind::NotFound => "no such file or directory".to_string(),
        io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        io::ErrorKind::IsADirectory => "is a directory".to_string(),
        _ => {
            // Drop the "(os error N)" tail std appends; it means nothing to a reader.
            let text = err.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_string(),
                None => text,
            }
        }
    }
}

/// Read one corpus file, calling `on_article` for each article as soon as it is read.
///
/// `rel` is the file's path relative to its ingest root (with `/`); it becomes the id of
/// articles that carry none. Articles already handed over stay handed over when an error
/// cuts a `.jsonl` short (a truncated `.jsonl.gz` keeps every complete line before the
/// cut and reports how many in [`ReadError::TruncatedGzip`]).
pub fn read_file(
    path: &Path,
    rel: &str,
    format: Format,
    on_article: &mut dyn FnMut(Article),
) -> Result<ReadReport, ReadError> {
    read_reader(File::open(path)?, path, rel, format, on_article)
}

/// [`read_file`] on an already opened file (or any byte stream), `path` naming it in the
/// articles. Ingest hashes the bytes on their way through.
pub fn read_reader(
    input: impl std::io::Read,
    path: &Path,
    rel: &str,
    format: Format,
    on_article: &mut dyn FnMut(Article),
) -> Result<ReadReport, ReadError> {
    let source = ArticleSource {
        path: path.display().to_string(),
        rel: rel.to_string(),
    };
    read_from(input, &source, format, on_article, None)
}

/// [`read_reader`], except that the HTML pages of a web archive are handed to `on_page`
/// before their article is extracted, for the caller to extract ([`PendingPage::extract`])
/// where it likes: on other threads, so one large archive is not extracted on one core.
/// The report then counts those pages among its `articles`.
pub fn read_reader_deferring(
    input: impl std::io::Read,
    path: &Path,
    rel: &str,
    format: Format,
    on_article: &mut dyn FnMut(Article),
    on_page: &mut dyn FnMut(PendingPage),
) -> Result<ReadReport, ReadError> {
    let source = ArticleSource {
        path: path.display().to_string(),
        rel: rel.to_string(),
    };
    read_from(input, &source, format, on_article, Some(on_page))
}

/// [`read_file`] on bytes already in memory (what the fuzz targets and `gazette tag`-like
/// callers use); `rel` is both the id base and the path articles carry.
pub fn read_bytes(
    bytes: &[u8],
    rel: &str,
    format: Format,
    on_article: &mut dyn FnMut(Article),
) -> Result<ReadReport, ReadError> {
    let source = ArticleSource {
        path: rel.to_string(),
        rel: rel.to_string(),
    };
    read_from(bytes, &source, format, on_article, None)
}

fn read_from<'a>(
    input: impl std::io::Read,
    source: &ArticleSource,
    format: Format,
    on_article: &'a mut dyn FnMut(Article),
    on_page: Option<&'a mut dyn FnMut(PendingPage)>,
) -> Result<ReadReport, ReadError> {
    let raw = BufReader::with_capacity(64 * 1024, input);
    let mut sink = Sink::new(on_article);
    sink.on_page = on_page;
    if format.gzip {
        let gz = BufReader::with_capacity(64 * 1024, MultiGzDecoder::new(raw));
        read_stream(gz, source, format.kind, sink, true)
    } else {
        read_stream(raw, source, format.kind, sink, false)
    }
}

/// Where the articles of one file come from: what they need for `path` and `id`.
pub(crate) struct ArticleSource {
    pub path: String,
    pub rel: String,
}

impl ArticleSource {
    /// A fresh article carrying this file's path, with `id` as given.
    pub(crate) fn article(&self, id: String) -> Article {
        Article {
            id,
            path: self.path.clone(),
            ..Article::default()
        }
    }
}

/// Where a format reader puts what it finds: articles go straight to the caller's
/// callback (counted), warnings and unknown fields into the report.
pub(crate) struct Sink<'a> {
    pub report: ReadReport,
    on_article: &'a mut dyn FnMut(Article),
    /// Where web pages go to have their article extracted elsewhere, if anywhere.
    on_page: Option<&'a mut dyn FnMut(PendingPage)>,
}

impl<'a> Sink<'a> {
    pub(crate) fn new(on_article: &'a mut dyn FnMut(Article)) -> Sink<'a> {
        Sink {
            report: ReadReport::default(),
            on_article,
            on_page: None,
        }
    }

    pub(crate) fn emit(&mut self, article: Article) {
        self.report.articles += 1;
        (self.on_article)(article);
    }

    /// Whether web pages are to be handed on unextracted ([`Sink::defer`]).
    pub(crate) fn defers_pages(&self) -> bool {
        self.on_page.is_some()
    }

    /// Hands a web page on for its article to be extracted elsewhere; counted as an
    /// article (extraction may still find none).
    pub(crate) fn defer(&mut self, page: PendingPage) {
        if let Some(on_page) = self.on_page.as_mut() {
            self.report.articles += 1;
            on_page(page);
        }
    }

    /// A web archive record that is not an article, counted by `reason`.
    pub(crate) fn pass(&mut self, reason: &'static str) {
        *self.report.records_passed.entry(reason).or_default() += 1;
    }

    pub(crate) fn warn(&mut self, warning: ReadWarning) {
        self.report.warnings.push(warning);
    }

    /// A record of the file is lost: counts it and says why.
    pub(crate) fn skip(&mut self, warning: ReadWarning) {
        self.report.skipped += 1;
        self.warn(warning.lost());
    }
}

fn read_stream<R: BufRead>(
    mut reader: R,
    source: &ArticleSource,
    kind: FormatKind,
    mut sink: Sink,
    gzip: bool,
) -> Result<ReadReport, ReadError> {
    let result = match kind {
        FormatKind::JsonLines => json::read_lines(&mut reader, source, &mut sink),
        FormatKind::Warc => warc::read(&mut reader, source, &mut sink),
        _ => read_whole(&mut reader).and_then(|bytes| {
            let decoded = decode::decode(bytes, kind == FormatKind::Html)?;
            sink.report.warnings.extend(decoded.warning);
            if decoded.text.trim().is_empty() {
                return Err(ReadError::Empty);
            }
            match kind {
                FormatKind::Text => text::read(&decoded.text, source, &mut sink),
                FormatKind::Json => json::read_document(&decoded.text, source, &mut sink),
                FormatKind::Html => html::read(&decoded.text, source, &mut sink),
                FormatKind::JsonLines | FormatKind::Warc => unreachable!("streamed above"),
            }
        }),
    };
    match result {
        Ok(()) => Ok(sink.report),
        Err(err) if gzip => Err(gzip_error(err, sink.report.articles)),
        Err(err) => Err(err),
    }
}

/// Give gzip decoding failures their own message: flate2 reports a cut stream as
/// `UnexpectedEof` and corrupt data as `InvalidInput`/`InvalidData`.
fn gzip_error(err: ReadError, articles: usize) -> ReadError {
    match err {
        ReadError::Io(io) => match io.kind() {
            io::ErrorKind::UnexpectedEof => ReadError::TruncatedGzip { articles },
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData => {
                ReadError::BadGzip(io.to_string())
            }
            _ => ReadError::Io(io),
        },
        other => other,
    }
}

/// All bytes of a whole-file format, refusing past [`MAX_WHOLE_FILE_BYTES`].
fn read_whole<R: Read>(reader: R) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    reader
        .take(MAX_WHOLE_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_WHOLE_FILE_BYTES {
        return Err(ReadError::TooLarge);
    }
    Ok(bytes)
}

/// Read in-memory bytes as a file of `kind` would be read: the readers' tests go through
/// the same decoding and empty-file checks as real files, without touching the disk.
#[cfg(test)]
pub(crate) fn read_sample(
    bytes: &[u8],
    rel: &str,
    kind: FormatKind,
) -> (Vec<Article>, Result<ReadReport, ReadError>) {
    let mut articles = Vec::new();
    let source = ArticleSource {
        path: format!("corpus/{rel}"),
        rel: rel.to_string(),
    };
    let mut on_article = |article| articles.push(article);
    let result = read_stream(bytes, &source, kind, Sink::new(&mut on_article), false);
    (articles, result)
}

#[cfg(test)]
mod tests;
