//! Reading a codebook: TSV, one `label<TAB>query` per line, `#` comments and blank lines
//! allowed. Every malformed line is reported, with its number, before anything runs.

use std::collections::HashMap;
use std::fmt;

/// One labelled query of a codebook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// 1-based line number in the codebook file.
    pub line: usize,
    pub label: String,
    pub query: String,
}

/// A parsed codebook: its entries in file order, labels distinct.
#[derive(Clone, Debug, Default)]
pub struct Codebook {
    pub entries: Vec<Entry>,
}

/// What is wrong with one line of a codebook.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LineError {
    pub line: usize,
    pub message: String,
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            // Line 0: the whole file (no entry at all).
            0 => f.write_str(&self.message),
            line => write!(f, "line {line}: {}", self.message),
        }
    }
}

impl Codebook {
    /// Parses `text` into its well-formed entries and every malformed line (no tab, an
    /// empty label or query, a label used before), in line order, so the queries of the
    /// well-formed lines can be checked too before anything is reported. A codebook with
    /// no line at all is an error on line 0.
    pub fn parse(text: &str) -> (Codebook, Vec<LineError>) {
        let mut entries = Vec::new();
        let mut errors = Vec::new();
        let mut seen: HashMap<String, usize> = HashMap::new();
        for (i, raw) in text.lines().enumerate() {
            let line = i + 1;
            let raw = raw.strip_suffix('\r').unwrap_or(raw);
            let trimmed = raw.trim();
            if trimmed.is_empty() || trimmed.starts_with('#') {
                continue;
            }
            let mut error = |message: String| errors.push(LineError { line, message });
            let Some((label, query)) = raw.split_once('\t') else {
                error(format!(
                    "no tab: a line is LABEL<TAB>QUERY (got {:?})",
                    shorten(trimmed)
                ));
                continue;
            };
            let (label, query) = (label.trim(), query.trim());
            if label.is_empty() {
                error("empty label".to_string());
                continue;
            }
            if query.is_empty() {
                error(format!("label {label:?} has an empty query"));
                continue;
            }
            if let Some(first) = seen.get(label) {
                error(format!("label {label:?} is already used on line {first}"));
                continue;
            }
            seen.insert(label.to_string(), line);
            entries.push(Entry {
                line,
                label: label.to_string(),
                query: query.to_string(),
            });
        }
        if errors.is_empty() && entries.is_empty() {
            // Nothing at all: not even a malformed line to point at.
            errors.push(LineError {
                line: 0,
                message: "the codebook has no LABEL<TAB>QUERY line".to_string(),
            });
        }
        (Codebook { entries }, errors)
    }

    /// The labels, in file order.
    pub fn labels(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|e| e.label.as_str())
    }
}

/// At most 60 characters of a line, for an error message.
fn shorten(s: &str) -> String {
    match s.char_indices().nth(60) {
        Some((at, _)) => format!("{}…", &s[..at]),
        None => s.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn comments_blanks_and_spaces_around_fields_are_allowed() {
        let (book, errors) =
            Codebook::parse("# energy\n\noil\t\"oil prices\"\r\n gas \t gas AND price\n");
        assert!(errors.is_empty());
        let rows: Vec<(usize, &str, &str)> = book
            .entries
            .iter()
            .map(|e| (e.line, e.label.as_str(), e.query.as_str()))
            .collect();
        assert_eq!(
            rows,
            [(3, "oil", "\"oil prices\""), (4, "gas", "gas AND price")]
        );
    }

    #[test]
    fn every_malformed_line_is_reported_with_its_number() {
        let text = "oil\toil\nno tab here\n\tempty label\ngas\t \noil\tpetrol\nok\tfine\n";
        let (book, errors) = Codebook::parse(text);
        assert_eq!(book.labels().collect::<Vec<_>>(), ["oil", "ok"]);
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [2, 3, 4, 5]);
        assert!(errors[0].message.contains("no tab"));
        assert!(errors[1].message.contains("empty label"));
        assert!(errors[2].message.contains("empty query"));
        assert!(errors[3].message.contains("already used on line 1"));
    }

    #[test]
    fn a_codebook_of_comments_only_is_an_error() {
        let (_, errors) = Codebook::parse("# nothing\n\n");
        assert_eq!(errors[0].line, 0);
    }
}
