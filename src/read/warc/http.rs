//! The HTTP response inside a WARC `response` record: status, headers, and the page's
//! bytes as the server meant them.
//!
//! Takes a record's block (the HTTP message as it came over the wire) and gives the
//! status code, the `Content-Type` media type and charset, and the entity body with the
//! chunked transfer encoding and a gzip or deflate content encoding undone. Crawlers do
//! not agree on what they store: some keep the raw chunks and compressed bytes, others
//! store them decoded but keep the original headers. So a body that does not parse as
//! chunked, or is not compressed, is taken as already decoded rather than refused.

use std::io::Read;

use flate2::read::{DeflateDecoder, MultiGzDecoder, ZlibDecoder};

/// A decoded page larger than this is not a news page (or a decompression bomb).
const MAX_BODY_BYTES: u64 = 64 * 1024 * 1024;

/// An HTTP response split into its parts; `body` still as stored in the record.
pub(crate) struct Response<'a> {
    pub status: u16,
    headers: Vec<(String, String)>,
    body: &'a [u8],
}

impl<'a> Response<'a> {
    /// Parses the status line and headers of `block`. `None` when it is not an HTTP
    /// response.
    pub(crate) fn parse(block: &'a [u8]) -> Option<Response<'a>> {
        let mut rest = block;
        let mut next_line = || -> Option<&'a [u8]> {
            let end = rest.iter().position(|&b| b == b'\n')?;
            let line = &rest[..end];
            rest = &rest[end + 1..];
            Some(line.strip_suffix(b"\r").unwrap_or(line))
        };
        let status_line = String::from_utf8_lossy(next_line()?).into_owned();
        let mut parts = status_line.split_whitespace();
        if !parts.next()?.starts_with("HTTP/") {
            return None;
        }
        let status = parts.next()?.parse().ok()?;
        let mut headers = Vec::new();
        loop {
            // A message cut before the blank line has headers and no body.
            let Some(line) = next_line() else {
                rest = &[];
                break;
            };
            if line.is_empty() {
                break;
            }
            let line = String::from_utf8_lossy(line);
            if let Some((name, value)) = line.split_once(':') {
                headers.push((name.trim().to_string(), value.trim().to_string()));
            }
        }
        Some(Response {
            status,
            headers,
            body: rest,
        })
    }

    /// The first value of header `name` (case-insensitive).
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// The media type of `Content-Type`, lowercased, without parameters.
    pub(crate) fn media_type(&self) -> Option<String> {
        let value = self.header("Content-Type")?;
        let media = value.split(';').next()?.trim().to_ascii_lowercase();
        (!media.is_empty()).then_some(media)
    }

    /// The `charset` parameter of `Content-Type`, unquoted.
    pub(crate) fn charset(&self) -> Option<&str> {
        let value = self.header("Content-Type")?;
        value.split(';').skip(1).find_map(|param| {
            let (key, label) = param.split_once('=')?;
            key.trim()
                .eq_ignore_ascii_case("charset")
                .then(|| label.trim().trim_matches(['"', '\'']))
        })
    }

    /// The entity body: de-chunked and decompressed as the headers say.
    pub(crate) fn entity(&self) -> Result<Vec<u8>, String> {
        let chunked = self
            .header("Transfer-Encoding")
            .is_some_and(|te| te.to_ascii_lowercase().contains("chunked"));
        let body = match chunked.then(|| dechunk(self.body)).flatten() {
            Some(body) => body,
            None => self.body.to_vec(),
        };
        let encoding = self
            .header("Content-Encoding")
            .map(|e| e.trim().to_ascii_lowercase())
            .unwrap_or_default();
        match encoding.as_str() {
            "" | "identity" | "none" => Ok(body),
            "gzip" | "x-gzip" => {
                if !body.starts_with(&[0x1f, 0x8b]) {
                    return Ok(body); // stored decompressed
                }
                inflate(MultiGzDecoder::new(&body[..])).map_err(|e| format!("bad gzip body: {e}"))
            }
            "deflate" => {
                // Servers send zlib-wrapped or raw deflate under this name.
                if let Ok(text) = inflate(ZlibDecoder::new(&body[..])) {
                    return Ok(text);
                }
                inflate(DeflateDecoder::new(&body[..])).or_else(|e| match looks_like_text(&body) {
                    true => Ok(body),
                    false => Err(format!("bad deflate body: {e}")),
                })
            }
            // An unknown coding, but the bytes are plainly markup: stored decoded.
            _ if looks_like_text(&body) => Ok(body),
            other => Err(format!("content encoding {other:?} is not supported")),
        }
    }
}

/// The body of a chunked message, or `None` when `body` does not start with a chunk
/// size (it was stored de-chunked). A message cut inside a chunk gives what came before.
fn dechunk(body: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(body.len());
    let mut rest = body;
    let mut first = true;
    loop {
        let Some(end) = rest.iter().position(|&b| b == b'\n') else {
            return (!first).then_some(out);
        };
        let line = String::from_utf8_lossy(&rest[..end]);
        let size_text = line.split(';').next().unwrap_or("").trim();
        let Ok(size) = usize::from_str_radix(size_text, 16) else {
            return (!first).then_some(out);
        };
        first = false;
        rest = &rest[end + 1..];
        if size == 0 {
            return Some(out); // trailers, if any, are not content
        }
        let take = size.min(rest.len());
        out.extend_from_slice(&rest[..take]);
        rest = &rest[take..];
        if take < size {
            return Some(out);
        }
        // The chunk's closing line break.
        rest = rest.strip_prefix(b"\r").unwrap_or(rest);
        rest = rest.strip_prefix(b"\n").unwrap_or(rest);
    }
}

fn inflate(decoder: impl Read) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    decoder.take(MAX_BODY_BYTES).read_to_end(&mut out)?;
    Ok(out)
}

/// Whether bytes start like markup or text (after whitespace): `<`.
fn looks_like_text(body: &[u8]) -> bool {
    body.iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|&b| b == b'<')
}

/// Whether the payload is an HTML page: by its media type, or by its first bytes when
/// the server sent none.
pub(crate) fn is_html(media_type: Option<&str>, entity: &[u8]) -> bool {
    match media_type {
        Some(media) => media == "text/html" || media == "application/xhtml+xml",
        None => {
            let head: Vec<u8> = entity
                .iter()
                .skip_while(|b| b.is_ascii_whitespace())
                .take(16)
                .map(u8::to_ascii_lowercase)
                .collect();
            head.starts_with(b"<!doctype html") || head.starts_with(b"<html")
        }
    }
}

#[cfg(test)]
mod tests {
    use std::io::Write;

    use super::*;

    fn gzip(bytes: &[u8]) -> Vec<u8> {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        gz.write_all(bytes).unwrap();
        gz.finish().unwrap()
    }

    #[test]
    fn status_headers_and_content_type_parameters() {
        let block = b"HTTP/1.1 200 OK\r\nContent-Type: text/HTML; Charset=\"windows-1252\"\r\nX-A: b\r\n\r\n<p>hi</p>";
        let response = Response::parse(block).unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.media_type().as_deref(), Some("text/html"));
        assert_eq!(response.charset(), Some("windows-1252"));
        assert_eq!(response.header("x-a"), Some("b"));
        assert_eq!(response.entity().unwrap(), b"<p>hi</p>");
        let moved = Response::parse(b"HTTP/1.0 301\nLocation: /x\n\n").unwrap();
        assert_eq!((moved.status, moved.media_type()), (301, None));
        assert!(Response::parse(b"GET / HTTP/1.1\r\n\r\n").is_none());
        assert!(Response::parse(b"HTTP/1.1 OK\r\n\r\n").is_none());
    }

    #[test]
    fn chunked_bodies_are_joined_with_extensions_and_trailers_ignored() {
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;ext=1\r\n<p>He\r\n9\r\nllo world\r\n0\r\nX-Trailer: t\r\n\r\n";
        let entity = Response::parse(block).unwrap().entity().unwrap();
        assert_eq!(entity, b"<p>Hello world");
        // Stored de-chunked under the original header: taken as it is.
        let block = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n<p>Hello</p>";
        assert_eq!(
            Response::parse(block).unwrap().entity().unwrap(),
            b"<p>Hello</p>"
        );
        // Cut inside a chunk: what came before it.
        assert_eq!(dechunk(b"3\r\nabc\r\n10\r\nde").unwrap(), b"abcde");
    }

    #[test]
    fn gzip_and_deflate_are_undone_and_decoded_bodies_kept() {
        let page = b"<html><p>Gzipped page</p></html>";
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(gzip(page));
        assert_eq!(Response::parse(&block).unwrap().entity().unwrap(), page);
        let plain = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n<html><p>x</p>";
        assert_eq!(
            Response::parse(plain).unwrap().entity().unwrap(),
            b"<html><p>x</p>"
        );
        let mut zlib = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::fast());
        zlib.write_all(page).unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: deflate\r\n\r\n".to_vec();
        block.extend(zlib.finish().unwrap());
        assert_eq!(Response::parse(&block).unwrap().entity().unwrap(), page);
        // Chunked and gzipped at once: chunks first, then gzip.
        let gz = gzip(page);
        let mut block =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n"
                .to_vec();
        block.extend(format!("{:x}\r\n", gz.len()).as_bytes());
        block.extend(&gz);
        block.extend(b"\r\n0\r\n\r\n");
        assert_eq!(Response::parse(&block).unwrap().entity().unwrap(), page);
    }

    #[test]
    fn broken_or_unknown_encodings_are_errors() {
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        let mut gz = gzip(b"<html><p>cut</p></html>");
        gz.truncate(gz.len() / 2);
        block.extend(gz);
        let err = Response::parse(&block).unwrap().entity().unwrap_err();
        assert!(err.starts_with("bad gzip body"), "{err}");
        let br = b"HTTP/1.1 200 OK\r\nContent-Encoding: br\r\n\r\n\x1b\x03\x00";
        assert_eq!(
            Response::parse(br).unwrap().entity().unwrap_err(),
            "content encoding \"br\" is not supported"
        );
    }

    #[test]
    fn html_by_media_type_or_by_its_first_bytes() {
        assert!(is_html(Some("text/html"), b""));
        assert!(is_html(Some("application/xhtml+xml"), b""));
        assert!(!is_html(Some("application/pdf"), b"<html>"));
        assert!(!is_html(Some("text/plain"), b"User-agent: *"));
        assert!(is_html(None, b"\n  <!DOCTYPE html><p>"));
        assert!(is_html(None, b"<HTML><p>"));
        assert!(!is_html(None, b"%PDF-1.7"));
    }
}
