//! JSON readers: `.json` documents (one article object, or an array of them) and
//! `.jsonl`/`.ndjson` streams (one article object per line).
//!
//! A `.json` document is parsed whole; if it does not parse, the file is an error. A
//! JSON-lines file is read line by line from a `BufRead` with a bounded line buffer, so
//! memory stays flat however big the file; a broken line is a warning naming its line
//! and the others still go in. Field names and value shapes are handled by `fields`.
//! serde_json's recursion limit (128) turns absurdly nested input into a parse error
//! rather than a stack overflow.

use std::io::{self, BufRead, BufReader, Read};

use encoding_rs::{Decoder, Encoding, UTF_8};
use serde_json::{Map, Value};

use super::decode::{self, FALLBACK_MESSAGE};
use super::fields::{self, Field};
use super::{ArticleSource, ReadError, ReadWarning, Sink};

/// Longest JSON line read; longer lines are skipped with a warning so one runaway line
/// cannot take all memory.
const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// Line-level warnings kept per file; past this, they are only counted, so a file of
/// garbage cannot fill memory with messages.
const MAX_LINE_WARNINGS: usize = 100;

/// Read a whole `.json` document.
pub(crate) fn read_document(
    text: &str,
    source: &ArticleSource,
    sink: &mut Sink,
) -> Result<(), ReadError> {
    let document: Value = serde_json::from_str(text).map_err(ReadError::InvalidJson)?;
    match &document {
        Value::Object(object) => match article_list(object) {
            Some(list) => read_array(list, source, sink),
            None => {
                let result = fields::from_object(
                    object,
                    source.article(source.rel.clone()),
                    &mut sink.report.unknown_fields,
                );
                for problem in result.problems {
                    sink.warn(ReadWarning::new(problem));
                }
                sink.emit(result.article.map_err(ReadError::NoBody)?);
                Ok(())
            }
        },
        Value::Array(items) => read_array(items, source, sink),
        other => Err(ReadError::NotArticles(fields::shape(other))),
    }
}

/// A wrapper object such as `{"status": "ok", "articles": [...]}`: no body field of its
/// own and exactly one member that is a non-empty array of objects.
fn article_list(object: &Map<String, Value>) -> Option<&Vec<Value>> {
    if object
        .keys()
        .any(|key| matches!(fields::field_for_key(key), Some((Field::Body, _))))
    {
        return None;
    }
    let mut lists = object.values().filter_map(|value| match value {
        Value::Array(items) if !items.is_empty() && items.iter().all(Value::is_object) => {
            Some(items)
        }
        _ => None,
    });
    let list = lists.next()?;
    lists.next().is_none().then_some(list)
}

/// Articles from a JSON array; entries are named `#N` (0-based) in ids and warnings
/// when there is more than one. An array with no usable entry gives warnings and no
/// articles rather than an error, so the per-entry reasons reach the user.
fn read_array(items: &[Value], source: &ArticleSource, sink: &mut Sink) -> Result<(), ReadError> {
    if items.is_empty() {
        return Err(ReadError::NoBody("the JSON array is empty".to_string()));
    }
    let numbered = items.len() > 1;
    for (index, item) in items.iter().enumerate() {
        let label = if numbered {
            format!("article #{index}: ")
        } else {
            String::new()
        };
        let Value::Object(object) = item else {
            sink.skip(ReadWarning::new(format!(
                "{label}expected a JSON object, found {}",
                fields::shape(item)
            )));
            continue;
        };
        let id = if numbered {
            format!("{}#{index}", source.rel)
        } else {
            source.rel.clone()
        };
        let result =
            fields::from_object(object, source.article(id), &mut sink.report.unknown_fields);
        for problem in result.problems {
            sink.warn(ReadWarning::new(format!("{label}{problem}")));
        }
        match result.article {
            Ok(article) => sink.emit(article),
            Err(why) => sink.skip(ReadWarning::new(format!("{label}no article body ({why})"))),
        }
    }
    Ok(())
}

/// Read a JSON-lines stream. Ids default to `rel:LINE` (1-based).
pub(crate) fn read_lines(
    reader: &mut dyn BufRead,
    source: &ArticleSource,
    sink: &mut Sink,
) -> Result<(), ReadError> {
    let head = reader.fill_buf()?;
    match Encoding::for_bom(head) {
        Some((encoding, bom_len)) if encoding != UTF_8 => {
            reader.consume(bom_len);
            let utf8 = Utf8Transcoder::new(reader, encoding.new_decoder_without_bom_handling());
            read_utf8_lines(&mut BufReader::new(utf8), source, sink, MAX_LINE_BYTES)
        }
        bom => {
            if head.contains(&0) {
                return Err(ReadError::Binary);
            }
            if let Some((_, bom_len)) = bom {
                reader.consume(bom_len);
            }
            read_utf8_lines(reader, source, sink, MAX_LINE_BYTES)
        }
    }
}

fn read_utf8_lines(
    reader: &mut dyn BufRead,
    source: &ArticleSource,
    sink: &mut Sink,
    max_line: usize,
) -> Result<(), ReadError> {
    let mut buf = Vec::new();
    let mut line_no = 0;
    let mut saw_content = false;
    let mut warned_encoding = false;
    let mut warnings = 0;
    // Warnings past the cap, and how many of them were about lost records.
    let (mut suppressed, mut suppressed_lost) = (0, 0);
    let mut warn = |sink: &mut Sink, warning: ReadWarning| {
        if warnings < MAX_LINE_WARNINGS {
            warnings += 1;
            sink.warn(warning);
        } else {
            suppressed += 1;
            suppressed_lost += usize::from(warning.lost);
        }
    };
    loop {
        buf.clear();
        let line = read_capped_line(reader, &mut buf, max_line)?;
        if line == Line::End {
            break;
        }
        line_no += 1;
        if line == Line::TooLong {
            saw_content = true;
            let message = if max_line >= 1024 * 1024 {
                format!("line longer than {} MiB; skipped", max_line / (1024 * 1024))
            } else {
                format!("line longer than {max_line} bytes; skipped")
            };
            sink.report.skipped += 1;
            warn(sink, ReadWarning::at_line(line_no, message).lost());
            continue;
        }
        let (text, fallback) = decode::decode_line(&buf);
        // Only the end is trimmed (`\r`, spaces) so error columns match the file.
        let text = text.trim_end();
        if text.trim_start().is_empty() {
            continue;
        }
        saw_content = true;
        if fallback && !warned_encoding {
            warned_encoding = true;
            let message = format!("{FALLBACK_MESSAGE} (and any later such lines)");
            warn(sink, ReadWarning::at_line(line_no, message));
        }
        let object = match serde_json::from_str::<Value>(text) {
            Ok(Value::Object(object)) => object,
            Ok(other) => {
                let message = format!("expected a JSON object, found {}", fields::shape(&other));
                sink.report.skipped += 1;
                warn(sink, ReadWarning::at_line(line_no, message).lost());
                continue;
            }
            Err(err) => {
                sink.report.skipped += 1;
                warn(sink, ReadWarning::at_line(line_no, line_error(&err)).lost());
                continue;
            }
        };
        let id = format!("{}:{line_no}", source.rel);
        let result =
            fields::from_object(&object, source.article(id), &mut sink.report.unknown_fields);
        for problem in result.problems {
            warn(sink, ReadWarning::at_line(line_no, problem));
        }
        match result.article {
            Ok(article) => sink.emit(article),
            Err(why) => {
                let message = format!("no article body ({why})");
                sink.report.skipped += 1;
                warn(sink, ReadWarning::at_line(line_no, message).lost());
            }
        }
    }
    if suppressed > 0 {
        let mut warning = ReadWarning::new(format!("{suppressed} more line warnings not shown"));
        // Said among the errors when some of the lines not shown did not go in.
        warning.lost = suppressed_lost > 0;
        sink.warn(warning);
    }
    if saw_content {
        Ok(())
    } else {
        Err(ReadError::Empty)
    }
}

/// "invalid JSON: expected value at column 1": the line is already in the warning, so
/// serde_json's "at line 1" is dropped.
fn line_error(err: &serde_json::Error) -> String {
    let text = err.to_string();
    let position = format!(" at line {} column {}", err.line(), err.column());
    match text.strip_suffix(&position) {
        Some(message) => format!("invalid JSON: {message} at column {}", err.column()),
        None => format!("invalid JSON: {text}"),
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Line {
    /// A line (with its `\n`, if any) is in the buffer.
    Read,
    /// The line was longer than the cap; it has been consumed and dropped.
    TooLong,
    End,
}

/// Read one line into `buf` without letting it grow past `max` bytes.
fn read_capped_line(reader: &mut dyn BufRead, buf: &mut Vec<u8>, max: usize) -> io::Result<Line> {
    let read = reader.take(max as u64 + 1).read_until(b'\n', buf)?;
    if read == 0 {
        return Ok(Line::End);
    }
    if buf.len() <= max || buf.ends_with(b"\n") {
        return Ok(Line::Read);
    }
    loop {
        let available = reader.fill_buf()?;
        if available.is_empty() {
            break;
        }
        match available.iter().position(|&b| b == b'\n') {
            Some(end) => {
                reader.consume(end + 1);
                break;
            }
            None => {
                let len = available.len();
                reader.consume(len);
            }
        }
    }
    Ok(Line::TooLong)
}

/// Streams UTF-16 (or any non-UTF-8 encoding) as UTF-8, chunk by chunk, so a UTF-16
/// JSON-lines file streams like any other.
struct Utf8Transcoder<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    output: Vec<u8>,
    position: usize,
    finished: bool,
}

impl<R: Read> Utf8Transcoder<R> {
    fn new(inner: R, decoder: Decoder) -> Self {
        Utf8Transcoder {
            inner,
            decoder,
            input: vec![0; 16 * 1024],
            output: Vec::new(),
            position: 0,
            finished: false,
        }
    }
}

impl<R: Read> Read for Utf8Transcoder<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        while self.position == self.output.len() {
            if self.finished {
                return Ok(0);
            }
            let read = self.inner.read(&mut self.input)?;
            let last = read == 0;
            self.finished = last;
            let room = self
                .decoder
                .max_utf8_buffer_length(read)
                .unwrap_or(4 * read + 16);
            self.output.resize(room, 0);
            let (_, _, written, _) =
                self.decoder
                    .decode_to_utf8(&self.input[..read], &mut self.output, last);
            self.output.truncate(written);
            self.position = 0;
        }
        let n = out.len().min(self.output.len() - self.position);
        out[..n].copy_from_slice(&self.output[self.position..self.position + n]);
        self.position += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::super::{FormatKind, ReadReport, read_sample};
    use super::*;
    use crate::model::Article;

    fn lines(text: &str) -> (Vec<Article>, ReadReport) {
        let (articles, result) =
            read_sample(text.as_bytes(), "feeds/wire.jsonl", FormatKind::JsonLines);
        (articles, result.unwrap())
    }

    fn document(text: &str) -> (Vec<Article>, Result<ReadReport, ReadError>) {
        read_sample(text.as_bytes(), "one.json", FormatKind::Json)
    }

    fn messages(report: &ReadReport) -> Vec<String> {
        report.warnings.iter().map(ToString::to_string).collect()
    }

    #[test]
    fn broken_line_is_a_warning_and_the_rest_goes_in() {
        let (articles, report) = lines(concat!(
            "{\"headline\": \"A\", \"text\": \"Oil prices fell.\", \"guid\": \"w-1\"}\n",
            "\n",
            "{\"title\": \"B\", \"content\": \"Second.\"}\r\n",
            "{\"title\": \"C\", \"body\": \"cut off\n",
            "not json at all\n",
            "[1, 2]\n",
            "{\"source\": \"D\"}\n",
            "{\"Title\": \"E\", \"Body\": \"Last.\", \"extra\": 1}",
        ));
        let ids: Vec<_> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["w-1", "feeds/wire.jsonl:3", "feeds/wire.jsonl:8"]);
        assert_eq!(report.articles, 3);
        assert_eq!(
            messages(&report),
            [
                "line 4: invalid JSON: EOF while parsing a string at column 31",
                "line 5: invalid JSON: expected ident at column 2",
                "line 6: expected a JSON object, found an array",
                "line 7: no article body (no body, text, content, article, maintext field)",
            ]
        );
        assert_eq!(report.unknown_fields.iter().collect::<Vec<_>>(), ["extra"]);
    }

    #[test]
    fn invalid_utf8_line_is_decoded_with_one_warning() {
        let bytes = b"{\"body\":\"caf\xE9\"}\n{\"body\":\"na\xEFve\"}\n";
        let (articles, result) = read_sample(bytes, "x.jsonl", FormatKind::JsonLines);
        let report = result.unwrap();
        assert_eq!(articles[0].body, "café");
        assert_eq!(articles[1].body, "naïve");
        assert_eq!(
            messages(&report),
            ["line 1: not valid UTF-8; decoded as Windows-1252 (and any later such lines)"]
        );
    }

    #[test]
    fn overlong_line_is_skipped_without_holding_it() {
        let text = format!(
            "{{\"body\":\"{}\"}}\n{{\"body\":\"short\"}}\n",
            "x".repeat(5000)
        );
        let mut articles = Vec::new();
        let mut on_article = |article| articles.push(article);
        let mut sink = Sink::new(&mut on_article);
        let source = ArticleSource {
            path: "p".into(),
            rel: "p".into(),
        };
        read_utf8_lines(&mut text.as_bytes(), &source, &mut sink, 1000).unwrap();
        let report = sink.report;
        assert_eq!(
            messages(&report),
            ["line 1: line longer than 1000 bytes; skipped"]
        );
        assert_eq!(articles.len(), 1);
        assert_eq!(articles[0].id, "p:2");
    }

    #[test]
    fn lost_records_are_counted() {
        let text = "{\"title\": \"a\", \"body\": \"Text.\"}\n{broken\n[1]\n{\"url\": \"no body\"}\n{\"title\": \"B\"}\n";
        let (articles, report) = lines(text);
        // The headline-only record is an article; the three others are lost, and say so.
        assert_eq!(articles.len(), 2);
        assert_eq!(report.skipped, 3, "{:?}", report.warnings);
        assert!(
            report.warnings.iter().all(|w| w.lost),
            "{:?}",
            report.warnings
        );
    }

    #[test]
    fn warnings_are_capped_per_file() {
        let text = "oops\n".repeat(MAX_LINE_WARNINGS + 5);
        let (articles, report) = lines(&text);
        assert!(articles.is_empty());
        assert_eq!(report.warnings.len(), MAX_LINE_WARNINGS + 1);
        assert_eq!(
            report.warnings.last().unwrap().to_string(),
            "5 more line warnings not shown"
        );
    }

    #[test]
    fn single_object_uses_rel_as_id_and_array_numbers_entries() {
        let (articles, result) =
            document(r#"{"title": "Rates up", "body": "The bank raised interest rates."}"#);
        assert_eq!(result.unwrap().articles, 1);
        assert_eq!(articles[0].id, "one.json");

        let (articles, result) = document(r#"[{"body": "only"}]"#);
        assert_eq!(
            (articles[0].id.as_str(), result.unwrap().articles),
            ("one.json", 1)
        );

        let (articles, result) =
            document(r#"[{"body": "a"}, "stray", {"url": "no body"}, {"id": 7, "body": "d"}]"#);
        let report = result.unwrap();
        let ids: Vec<_> = articles.iter().map(|a| a.id.as_str()).collect();
        assert_eq!(ids, ["one.json#0", "7"]);
        assert_eq!(
            messages(&report),
            [
                "article #1: expected a JSON object, found a string",
                "article #2: no article body (no body, text, content, article, maintext field)",
            ]
        );
    }

    #[test]
    fn wrapper_object_with_an_article_list_is_unwrapped() {
        let (articles, result) = document(
            r#"{"status": "ok", "totalResults": 2, "articles": [
                {"title": "A", "content": "x", "source": {"id": null, "name": "Wire"}},
                {"title": "B", "content": "y"}]}"#,
        );
        assert_eq!(result.unwrap().articles, 2);
        assert_eq!(articles[0].source.as_deref(), Some("Wire"));
        assert_eq!(articles[1].id, "one.json#1");
    }

    #[test]
    fn single_object_problems() {
        let (_, result) = document(r#"{"title": "T", "body": {"x": 1}}"#);
        assert_eq!(
            result.unwrap_err().to_string(),
            "no article body: field \"body\" is an object"
        );
        let (_, result) = document("[]");
        assert_eq!(
            result.unwrap_err().to_string(),
            "no article body: the JSON array is empty"
        );
        let (articles, result) = document(r#"{"body": "ok", "author": {"role": "x"}}"#);
        assert_eq!(articles.len(), 1);
        assert_eq!(
            messages(&result.unwrap()),
            ["field \"author\" is an object without a name; ignored"]
        );
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(200_000);
        let err = document(&deep).1.unwrap_err();
        assert!(
            err.to_string()
                .starts_with("not valid JSON: recursion limit exceeded"),
            "{err}"
        );
        let line = format!("{}\n{{\"body\":\"fine\"}}\n", "{\"a\":".repeat(100_000));
        let (articles, report) = lines(&line);
        assert_eq!(articles.len(), 1);
        assert!(messages(&report)[0].starts_with("line 1: invalid JSON: recursion limit exceeded"));
    }
}
