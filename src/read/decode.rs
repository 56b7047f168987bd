//! Bytes to text for the readers.
//!
//! Takes the raw (already decompressed) bytes of a file, or of one JSON line, and gives a
//! `String`: UTF-8 when it is valid, UTF-16 when a byte-order mark says so, the charset an
//! HTML page declares, and otherwise Windows-1252, with a warning, because a news archive
//! that is not UTF-8 is almost always Windows-1252 or Latin-1 (which 1252 extends), and
//! 1252 maps every byte so nothing is lost.

use std::borrow::Cow;
use std::sync::LazyLock;

use encoding_rs::{Encoding, UTF_8, UTF_16BE, UTF_16LE, WINDOWS_1252};
use regex::bytes::Regex;

use super::{ReadError, ReadWarning};

/// The text of a file and, when it was not clean UTF-8, a warning saying how it was read.
pub(crate) struct Decoded {
    pub text: String,
    pub warning: Option<ReadWarning>,
}

/// The message shared by whole files and JSON lines that fall back to Windows-1252.
pub(crate) const FALLBACK_MESSAGE: &str = "not valid UTF-8; decoded as Windows-1252";

/// Decode a whole file. `html` lets a `<meta charset>` in the first KiB choose the
/// encoding, as browsers do. NUL bytes outside UTF-16 mean a binary file.
pub(crate) fn decode(bytes: Vec<u8>, html: bool) -> Result<Decoded, ReadError> {
    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        if encoding == UTF_8 {
            return decode_unmarked(bytes[bom_len..].to_vec(), html);
        }
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_len..]);
        if text.contains('\0') {
            return Err(ReadError::Binary);
        }
        let warning = had_errors.then(|| {
            ReadWarning::new(format!(
                "malformed {} replaced with U+FFFD",
                if encoding == UTF_16LE {
                    "UTF-16LE"
                } else {
                    "UTF-16BE"
                }
            ))
        });
        return Ok(Decoded {
            text: text.into_owned(),
            warning,
        });
    }
    decode_unmarked(bytes, html)
}

/// Decode a web page fetched over HTTP, whose `Content-Type` header may name a charset
/// (`label`). Browsers' order: a byte-order mark, then the header's charset, then the
/// page's own `<meta charset>`, then UTF-8, else Windows-1252 with a warning.
pub(crate) fn decode_http(bytes: Vec<u8>, label: Option<&str>) -> Result<Decoded, ReadError> {
    let declared = label.and_then(|label| Encoding::for_label(label.as_bytes()));
    match declared {
        _ if Encoding::for_bom(&bytes).is_some() => decode(bytes, true),
        // The header says UTF-8: a `<meta>` naming another charset does not override it.
        Some(encoding) if encoding == UTF_8 => decode_unmarked(bytes, false),
        Some(encoding) if encoding != UTF_16LE && encoding != UTF_16BE => {
            if bytes.contains(&0) {
                return Err(ReadError::Binary);
            }
            let (text, _) = encoding.decode_without_bom_handling(&bytes);
            Ok(Decoded {
                text: text.into_owned(),
                warning: None,
            })
        }
        _ => decode(bytes, true),
    }
}

fn decode_unmarked(bytes: Vec<u8>, html: bool) -> Result<Decoded, ReadError> {
    if bytes.contains(&0) {
        return Err(ReadError::Binary);
    }
    // A page that declares a legacy charset is decoded with it, silently: that is the
    // page saying what it is, not gazette guessing.
    if let Some(encoding) = html.then(|| declared_charset(&bytes)).flatten() {
        let (text, _) = encoding.decode_without_bom_handling(&bytes);
        return Ok(Decoded {
            text: text.into_owned(),
            warning: None,
        });
    }
    match String::from_utf8(bytes) {
        Ok(text) => Ok(Decoded {
            text,
            warning: None,
        }),
        Err(err) => {
            let valid_up_to = err.utf8_error().valid_up_to();
            let bytes = err.into_bytes();
            let line = 1 + bytes[..valid_up_to].iter().filter(|&&b| b == b'\n').count();
            let (text, _) = WINDOWS_1252.decode_without_bom_handling(&bytes);
            Ok(Decoded {
                text: text.into_owned(),
                warning: Some(ReadWarning::at_line(line, FALLBACK_MESSAGE)),
            })
        }
    }
}

/// Decode one line of a JSON-lines file: UTF-8 when valid, else Windows-1252. The flag
/// says the fallback was used, so the caller can warn once per file.
pub(crate) fn decode_line(bytes: &[u8]) -> (Cow<'_, str>, bool) {
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), false),
        Err(_) => (WINDOWS_1252.decode_without_bom_handling(bytes).0, true),
    }
}

/// The non-UTF-8 encoding an HTML page declares in its first KiB (`<meta charset=...>` or
/// the `http-equiv` form), if any. UTF-8 and UTF-16 declarations give `None`: UTF-8 is the
/// default path, and a UTF-16 page without a BOM cannot be read as the meta tag is ASCII.
fn declared_charset(bytes: &[u8]) -> Option<&'static Encoding> {
    static CHARSET: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r#"(?i)<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)"#).unwrap()
    });
    let head = &bytes[..bytes.len().min(1024)];
    let label = CHARSET.captures(head)?.get(1)?.as_bytes();
    let encoding = Encoding::for_label(label)?;
    if encoding == UTF_8 || encoding == UTF_16LE || encoding == UTF_16BE {
        None
    } else {
        Some(encoding)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_passes_through_and_bom_is_stripped() {
        let plain = decode("Zürich – ok".as_bytes().to_vec(), false).unwrap();
        assert_eq!(plain.text, "Zürich – ok");
        assert!(plain.warning.is_none());
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("Title\nBody".as_bytes());
        let decoded = decode(bom, false).unwrap();
        assert_eq!(decoded.text, "Title\nBody");
        assert!(decoded.warning.is_none());
    }

    #[test]
    fn utf16_with_bom_is_decoded_both_ways() {
        let text = "Café prices\n\nUp 3%.";
        let mut le = vec![0xFF, 0xFE];
        let mut be = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            le.extend_from_slice(&unit.to_le_bytes());
            be.extend_from_slice(&unit.to_be_bytes());
        }
        assert_eq!(decode(le, false).unwrap().text, text);
        assert_eq!(decode(be, false).unwrap().text, text);
    }

    #[test]
    fn invalid_utf8_falls_back_to_windows_1252_naming_the_line() {
        // 0x93/0x94 are curly quotes and 0xE9 is é in Windows-1252.
        let bytes = b"Title\n\nThe minister said \x93no\x94 in Li\xE9ge.".to_vec();
        let decoded = decode(bytes, false).unwrap();
        assert_eq!(
            decoded.text,
            "Title\n\nThe minister said \u{201c}no\u{201d} in Liége."
        );
        let warning = decoded.warning.unwrap();
        assert_eq!(
            warning.to_string(),
            "line 3: not valid UTF-8; decoded as Windows-1252"
        );
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(matches!(
            decode(b"ab\0cd".to_vec(), false),
            Err(ReadError::Binary)
        ));
        assert!(matches!(
            decode(b"\x89PNG\r\n\x1a\n\0\0".to_vec(), true),
            Err(ReadError::Binary)
        ));
    }

    #[test]
    fn html_declared_charset_is_honoured_without_warning() {
        let page = b"<html><head><meta charset=\"iso-8859-1\"></head><p>Gen\xE8ve</p>".to_vec();
        let decoded = decode(page, true).unwrap();
        assert!(decoded.text.contains("Genève"));
        assert!(decoded.warning.is_none());
        // A UTF-8 declaration on bytes that are not UTF-8 still falls back with a warning.
        let lying = b"<meta charset=utf-8><p>Gen\xE8ve</p>".to_vec();
        let decoded = decode(lying, true).unwrap();
        assert!(decoded.text.contains("Genève"));
        assert!(decoded.warning.is_some());
    }

    #[test]
    fn an_http_charset_comes_before_the_pages_meta() {
        let page = b"<meta charset=iso-8859-5><p>\x93Li\xE8ge\x94 \x80</p>".to_vec();
        let decoded = decode_http(page.clone(), Some("windows-1252")).unwrap();
        assert!(
            decoded.text.contains("\u{201c}Liège\u{201d} €"),
            "{}",
            decoded.text
        );
        assert!(decoded.warning.is_none());
        // No header charset: the page's meta decides.
        let decoded = decode_http(page, None).unwrap();
        assert!(!decoded.text.contains("Liège"));
        // A header saying UTF-8 over bytes that are not falls back, with a warning.
        let decoded = decode_http(b"<p>Li\xE8ge</p>".to_vec(), Some("utf-8")).unwrap();
        assert!(decoded.text.contains("Liège"));
        assert!(decoded.warning.is_some());
        // An unknown label is ignored.
        let decoded = decode_http("<p>Liège</p>".as_bytes().to_vec(), Some("x-nope")).unwrap();
        assert_eq!(decoded.text, "<p>Liège</p>");
    }

    #[test]
    fn lines_decode_independently() {
        assert_eq!(
            decode_line(b"{\"a\":1}"),
            (Cow::Borrowed("{\"a\":1}"), false)
        );
        let (text, fallback) = decode_line(b"{\"t\":\"caf\xE9\"}");
        assert_eq!(text, "{\"t\":\"café\"}");
        assert!(fallback);
    }
}
