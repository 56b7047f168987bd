//! WARC records (ISO 28500, WARC/1.0 and 1.1) from a byte stream, one at a time.
//!
//! Takes the decompressed bytes of a `.warc` (a `.warc.gz` is a series of gzip members,
//! one per record, which `MultiGzDecoder` turns into the same bytes) and gives each
//! record's header, then its block read or skipped at the caller's choice, so a video
//! or PDF record is never held in memory. A record is a version line (`WARC/1.1`), named
//! fields up to a blank line, `Content-Length` bytes of block, and two line breaks.
//!
//! Written here rather than taken from the `warc` crate (see README, Dependencies): that
//! crate reads a block line by line and needs its end to fall on a line break, requires
//! CRLF header lines, and parses none of the HTTP message, which is most of the work.

use std::io::{self, BufRead, Read};

/// A WARC header section larger than this is not a header: the stream is not a WARC, or
/// lost its place. Real headers are well under 4 KiB.
const MAX_HEADER_BYTES: usize = 256 * 1024;

/// The named fields of one record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RecordHeader {
    /// The version line, e.g. `WARC/1.1`.
    pub version: String,
    /// Fields in file order, names as written.
    fields: Vec<(String, String)>,
    /// Bytes of the block that follows the header.
    pub content_length: u64,
}

impl RecordHeader {
    /// The first value of the field `name` (case-insensitive, as the standard says).
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }
}

/// Why the stream of records stopped.
#[derive(Debug)]
pub(crate) enum RecordError {
    /// The stream ends inside a record: the file was cut (an unfinished download, a
    /// crawler killed while writing).
    Truncated,
    /// Bytes that are not a WARC record where one should start, or a header without a
    /// usable `Content-Length`: the next record cannot be found.
    Malformed(String),
    /// Reading failed (including corrupt gzip data).
    Io(io::Error),
}

impl From<io::Error> for RecordError {
    fn from(err: io::Error) -> RecordError {
        // flate2 reports a gzip member cut short as UnexpectedEof.
        if err.kind() == io::ErrorKind::UnexpectedEof {
            RecordError::Truncated
        } else {
            RecordError::Io(err)
        }
    }
}

/// Reads records one after another from `inner`.
pub(crate) struct RecordReader<R> {
    inner: R,
    /// Records whose header was read so far.
    pub records: usize,
}

impl<R: BufRead> RecordReader<R> {
    pub(crate) fn new(inner: R) -> RecordReader<R> {
        RecordReader { inner, records: 0 }
    }

    /// The next record's header, or `None` at a clean end of the stream. The caller
    /// must then call [`RecordReader::read_block`] or [`RecordReader::skip_block`].
    pub(crate) fn next_header(&mut self) -> Result<Option<RecordHeader>, RecordError> {
        // The two line breaks that end a record, and any stray blank lines between
        // records, are passed over here, so a record missing them still reads.
        if !self.skip_line_breaks()? {
            return Ok(None);
        }
        let mut line = Vec::new();
        let mut header_bytes = 0;
        let first = self.line(&mut line, &mut header_bytes)?;
        // Bytes that cannot begin a version line, even cut short, are not a record.
        let text = first
            .clone()
            .unwrap_or_else(|| String::from_utf8_lossy(&line).into_owned());
        let version = match first {
            Some(text) if text.starts_with("WARC/") => text,
            None if b"WARC/".starts_with(&text.as_bytes()[..text.len().min(5)]) => {
                return Err(RecordError::Truncated);
            }
            _ => {
                let shown: String = text.chars().take(40).collect();
                let message = match self.records {
                    0 => format!("not a WARC file (it starts with {shown:?})"),
                    n => format!("record {} does not start with a WARC version line", n + 1),
                };
                return Err(RecordError::Malformed(message));
            }
        };
        self.records += 1;
        let mut fields: Vec<(String, String)> = Vec::new();
        loop {
            let Some(text) = self.line(&mut line, &mut header_bytes)? else {
                return Err(RecordError::Truncated);
            };
            if text.is_empty() {
                break;
            }
            if text.starts_with([' ', '\t']) {
                // A folded line continues the previous field's value.
                if let Some((_, value)) = fields.last_mut() {
                    value.push(' ');
                    value.push_str(text.trim());
                }
                continue;
            }
            let Some((name, value)) = text.split_once(':') else {
                return Err(self.malformed(&format!("header line without a colon: {text:?}")));
            };
            fields.push((name.trim().to_string(), value.trim().to_string()));
        }
        let header = RecordHeader {
            version,
            fields,
            content_length: 0,
        };
        let content_length = header
            .get("Content-Length")
            .ok_or_else(|| self.malformed("no Content-Length"))?
            .parse::<u64>()
            .map_err(|_| self.malformed("Content-Length is not a number"))?;
        Ok(Some(RecordHeader {
            content_length,
            ..header
        }))
    }

    /// The block of the record whose header was just read.
    pub(crate) fn read_block(&mut self, header: &RecordHeader) -> Result<Vec<u8>, RecordError> {
        let mut block = Vec::with_capacity(header.content_length.min(1 << 24) as usize);
        (&mut self.inner)
            .take(header.content_length)
            .read_to_end(&mut block)?;
        if (block.len() as u64) < header.content_length {
            return Err(RecordError::Truncated);
        }
        Ok(block)
    }

    /// Passes over the block of the record whose header was just read.
    pub(crate) fn skip_block(&mut self, header: &RecordHeader) -> Result<(), RecordError> {
        let copied = io::copy(
            &mut (&mut self.inner).take(header.content_length),
            &mut io::sink(),
        )?;
        if copied < header.content_length {
            return Err(RecordError::Truncated);
        }
        Ok(())
    }

    fn malformed(&self, what: &str) -> RecordError {
        RecordError::Malformed(format!("record {}: {what}", self.records))
    }

    /// Consumes CR and LF bytes; false when the stream ends first.
    fn skip_line_breaks(&mut self) -> Result<bool, RecordError> {
        loop {
            let buf = self.inner.fill_buf()?;
            if buf.is_empty() {
                return Ok(false);
            }
            let breaks = buf
                .iter()
                .take_while(|&&b| b == b'\r' || b == b'\n')
                .count();
            let more = breaks < buf.len();
            self.inner.consume(breaks);
            if more {
                return Ok(true);
            }
        }
    }

    /// One header line without its line break (CRLF or a bare LF), or `None` when the
    /// stream ends before a line break.
    fn line(
        &mut self,
        line: &mut Vec<u8>,
        header_bytes: &mut usize,
    ) -> Result<Option<String>, RecordError> {
        line.clear();
        let limit = (MAX_HEADER_BYTES - *header_bytes) as u64 + 1;
        (&mut self.inner).take(limit).read_until(b'\n', line)?;
        *header_bytes += line.len();
        if *header_bytes > MAX_HEADER_BYTES {
            return Err(self.malformed("header over 256 KiB"));
        }
        if line.last() != Some(&b'\n') {
            return Ok(None);
        }
        line.pop();
        if line.last() == Some(&b'\r') {
            line.pop();
        }
        Ok(Some(String::from_utf8_lossy(line).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: &str, block: &str) -> String {
        format!(
            "WARC/1.1\r\nWARC-Type: {kind}\r\nContent-Length: {}\r\n\r\n{block}\r\n\r\n",
            block.len()
        )
    }

    /// Every record of `bytes`: (type, block), or the error that stopped the reading.
    fn all(bytes: &[u8]) -> (Vec<(String, Vec<u8>)>, Option<RecordError>) {
        let mut reader = RecordReader::new(bytes);
        let mut out = Vec::new();
        loop {
            let header = match reader.next_header() {
                Ok(Some(h)) => h,
                Ok(None) => return (out, None),
                Err(e) => return (out, Some(e)),
            };
            match reader.read_block(&header) {
                Ok(block) => out.push((header.get("warc-type").unwrap().to_string(), block)),
                Err(e) => return (out, Some(e)),
            }
        }
    }

    #[test]
    fn records_follow_each_other_whatever_their_blocks_end_with() {
        // Blocks that end without a line break, with one, and with binary bytes: the
        // length, not the line structure, says where a block ends.
        let text = [
            record("warcinfo", "software: test"),
            record("request", "GET / HTTP/1.1\r\n\r\n"),
            record("resource", "\u{0}\u{1}\r\n\r\nWARC/1.0\r\n"),
        ]
        .concat();
        let (records, error) = all(text.as_bytes());
        assert!(error.is_none(), "{error:?}");
        let kinds: Vec<&str> = records.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(kinds, ["warcinfo", "request", "resource"]);
        assert_eq!(records[2].1, b"\0\x01\r\n\r\nWARC/1.0\r\n");
    }

    #[test]
    fn bare_line_feeds_folded_fields_and_case_insensitive_names_are_read() {
        let text = "WARC/1.0\nwarc-type: response\nWARC-Target-URI: https://a.example/\n  x\ncontent-length: 2\n\nhi\n\nWARC/1.0\r\nWARC-Type: metadata\r\nContent-Length: 0\r\n\r\n";
        let mut reader = RecordReader::new(text.as_bytes());
        let header = reader.next_header().unwrap().unwrap();
        assert_eq!(header.version, "WARC/1.0");
        assert_eq!(header.get("WARC-Type"), Some("response"));
        assert_eq!(header.get("warc-target-uri"), Some("https://a.example/ x"));
        assert_eq!(reader.read_block(&header).unwrap(), b"hi");
        let header = reader.next_header().unwrap().unwrap();
        assert_eq!(header.get("WARC-Type"), Some("metadata"));
        reader.skip_block(&header).unwrap();
        assert!(reader.next_header().unwrap().is_none());
        assert_eq!(reader.records, 2);
    }

    #[test]
    fn a_cut_anywhere_inside_a_record_is_truncation_and_records_before_it_stand() {
        let first = record("warcinfo", "software: test");
        let second = record("response", "HTTP/1.1 200 OK\r\n\r\n<p>x</p>");
        let whole = format!("{first}{second}");
        // Cut inside the second record's version line, header, and block.
        for cut in [first.len() + 3, first.len() + 20, whole.len() - 8] {
            let (records, error) = all(&whole.as_bytes()[..cut]);
            assert_eq!(records.len(), 1, "cut at {cut}");
            assert!(
                matches!(error, Some(RecordError::Truncated)),
                "cut at {cut}"
            );
        }
        // A block complete but for the two closing line breaks loses nothing.
        let (records, error) = all(&whole.as_bytes()[..whole.len() - 4]);
        assert_eq!((records.len(), error.is_none()), (2, true));
        // Cut between records: nothing to tell it from a complete file.
        let (records, error) = all(first.as_bytes());
        assert_eq!((records.len(), error.is_none()), (1, true));
    }

    #[test]
    fn skipping_a_cut_block_is_truncation_too() {
        let text = record("resource", "0123456789");
        let mut reader = RecordReader::new(&text.as_bytes()[..text.len() - 9]);
        let header = reader.next_header().unwrap().unwrap();
        assert!(matches!(
            reader.skip_block(&header),
            Err(RecordError::Truncated)
        ));
    }

    #[test]
    fn what_is_not_a_record_is_named() {
        let message = |bytes: &[u8]| match all(bytes).1 {
            Some(RecordError::Malformed(m)) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            message(b"<html><p>a page</p></html>\n"),
            "not a WARC file (it starts with \"<html><p>a page</p></html>\")"
        );
        let two = format!("{}GARBAGE\r\n", record("warcinfo", "x"));
        assert_eq!(
            message(two.as_bytes()),
            "record 2 does not start with a WARC version line"
        );
        assert_eq!(
            message(b"WARC/1.1\r\nWARC-Type: response\r\n\r\n"),
            "record 1: no Content-Length"
        );
        assert_eq!(
            message(b"WARC/1.1\r\nContent-Length: many\r\n\r\n"),
            "record 1: Content-Length is not a number"
        );
        // Cut inside its first line, with a character of several bytes in it.
        assert_eq!(
            message("WAR€x".as_bytes()),
            "not a WARC file (it starts with \"WAR€x\")"
        );
        assert!(matches!(all(b"WAR").1, Some(RecordError::Truncated)));
        let huge = format!("WARC/1.1\r\nX: {}\r\n", "a".repeat(MAX_HEADER_BYTES));
        assert_eq!(message(huge.as_bytes()), "record 1: header over 256 KiB");
    }

    #[test]
    fn an_empty_stream_has_no_records() {
        assert!(RecordReader::new(&b""[..]).next_header().unwrap().is_none());
        assert!(
            RecordReader::new(&b"\r\n\r\n"[..])
                .next_header()
                .unwrap()
                .is_none()
        );
    }
}
