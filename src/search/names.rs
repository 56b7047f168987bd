//! Resolving entity names a user types to the canonical names the index holds.
//!
//! Takes a name ("Putin", "the Kremlin", "AL-SHARAA"), gives the index keys it stands
//! for: the canonical name as given and, for people, the one full name it is the surname
//! (or the last words) of. A surname shared by several full names is an error that lists
//! them, so a researcher never gets a silently narrowed or widened answer.

use tantivy::Searcher;

use super::SearchError;
use super::query::{kind_of_prefix, normalize_for_index};
use crate::index::GazetteIndex;
use crate::model::EntityKind;
use crate::ner;

/// Looks names up in the index's entity fields.
pub(crate) struct NameResolver<'a> {
    gazette: &'a GazetteIndex,
    searcher: &'a Searcher,
}

impl<'a> NameResolver<'a> {
    pub(crate) fn new(gazette: &'a GazetteIndex, searcher: &'a Searcher) -> Self {
        NameResolver { gazette, searcher }
    }

    /// The index keys `name` stands for among entities of `kind`.
    pub(crate) fn resolve(&self, kind: EntityKind, name: &str) -> Result<Vec<String>, SearchError> {
        let key = self.key_of(name);
        if key.is_empty() {
            return Ok(vec![key]);
        }
        // Only people are named by a part of their name ("Putin"); for organisations and
        // places a longer name ending the same way is another entity ("Bank of England"
        // is not "England").
        if kind != EntityKind::Person {
            return Ok(vec![key]);
        }
        let exact = self.holds(kind, &key)?;
        let mut candidates = self.keys_ending_with(kind, &format!(" {key}"))?;
        match candidates.len() {
            // The name as given (also when the index does not hold it: no hits, not an
            // error), plus the one full name it is the surname of: an article that only
            // ever says "Putin" and one that says "Vladimir Putin" are both found.
            0 | 1 => {
                if exact || candidates.is_empty() {
                    candidates.insert(0, key);
                }
                Ok(candidates)
            }
            _ => {
                if exact {
                    candidates.insert(0, key);
                }
                Err(SearchError::AmbiguousName {
                    name: name.to_string(),
                    kind: kind.field_name(),
                    candidates,
                })
            }
        }
    }

    /// The keys `name` stands for in any entity type that has it. A type where the name
    /// is ambiguous is left out when another type resolves it; it is an error only when no
    /// type does.
    pub(crate) fn resolve_any(&self, name: &str) -> Result<Vec<(EntityKind, String)>, SearchError> {
        let mut out = Vec::new();
        let mut ambiguous = None;
        for kind in EntityKind::ALL {
            match self.resolve(kind, name) {
                Ok(keys) => out.extend(keys.into_iter().map(|k| (kind, k))),
                Err(e @ SearchError::AmbiguousName { .. }) => {
                    ambiguous.get_or_insert(e);
                }
                Err(e) => return Err(e),
            }
        }
        let mut found = false;
        for (kind, key) in &out {
            found |= self.holds(*kind, key)?;
        }
        match ambiguous {
            Some(e) if !found => Err(e),
            _ => Ok(out),
        }
    }

    /// Whether the index holds `key` among entities of `kind`: a term lookup per segment.
    fn holds(&self, kind: EntityKind, key: &str) -> Result<bool, SearchError> {
        let field = self.gazette.fields.entity(kind);
        for segment in self.searcher.segment_readers() {
            if segment.inverted_index(field)?.terms().get(key)?.is_some() {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The keys among entities of `kind` that end with `suffix`, sorted, each once. Reads
    /// the field's whole term list, but keeps only the matches: a large index has
    /// hundreds of thousands of names.
    fn keys_ending_with(&self, kind: EntityKind, suffix: &str) -> Result<Vec<String>, SearchError> {
        let field = self.gazette.fields.entity(kind);
        let mut keys = Vec::new();
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().stream()?;
            while stream.advance() {
                if stream.key().ends_with(suffix.as_bytes())
                    && let Ok(k) = std::str::from_utf8(stream.key())
                {
                    keys.push(k.to_string());
                }
            }
        }
        keys.sort_unstable();
        keys.dedup();
        Ok(keys)
    }

    /// Rewrites the entity clauses of a query string (`person:Putin`,
    /// `entity:"Hmeimim"`) into clauses on the canonical keys.
    pub(crate) fn rewrite_query(&self, query: &str) -> Result<String, SearchError> {
        let mut out = String::with_capacity(query.len());
        let mut rest = query;
        while let Some((before, prefix, value, after)) = next_entity_clause(rest) {
            out.push_str(before);
            let keys: Vec<(EntityKind, String)> = match kind_of_prefix(prefix) {
                Some(kind) => self
                    .resolve(kind, value)?
                    .into_iter()
                    .map(|k| (kind, k))
                    .collect(),
                None => self.resolve_any(value)?,
            };
            let clauses: Vec<String> = keys
                .iter()
                .map(|(kind, key)| format!("{}:\"{}\"", kind.field_name(), escape(key)))
                .collect();
            out.push('(');
            out.push_str(&clauses.join(" OR "));
            out.push(')');
            rest = after;
        }
        out.push_str(rest);
        Ok(out)
    }

    fn key_of(&self, name: &str) -> String {
        normalize_for_index(self.gazette, &ner::normalize_name(name))
    }
}

/// Finds the next `prefix:value` or `prefix:"value"` with an entity prefix outside
/// quotes; gives (text before, prefix, value, text after).
fn next_entity_clause(s: &str) -> Option<(&str, &str, &str, &str)> {
    let bytes = s.as_bytes();
    let mut in_quote = false;
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'"' {
            in_quote = !in_quote;
        } else if !in_quote && (i == 0 || is_clause_boundary(bytes[i - 1])) {
            for prefix in ["person", "org", "loc", "misc", "entity"] {
                let end = i + prefix.len();
                // Compared as bytes: the prefix is ASCII, so a match starts and ends on
                // char boundaries even in a query full of non-ASCII letters.
                let is_prefix = bytes
                    .get(i..end)
                    .is_some_and(|b| b.eq_ignore_ascii_case(prefix.as_bytes()));
                if is_prefix && s.len() > end + 1 && bytes[end] == b':' {
                    let value_start = end + 1;
                    let (value, after) = if bytes[value_start] == b'"' {
                        let close = s[value_start + 1..].find('"')? + value_start + 1;
                        (&s[value_start + 1..close], &s[close + 1..])
                    } else {
                        let stop = s[value_start..]
                            .find(|c: char| c.is_whitespace() || c == ')')
                            .map_or(s.len(), |p| p + value_start);
                        (&s[value_start..stop], &s[stop..])
                    };
                    return Some((&s[..i], prefix, value, after));
                }
            }
        }
        i += 1;
    }
    None
}

fn is_clause_boundary(b: u8) -> bool {
    b.is_ascii_whitespace() || b == b'(' || b == b'+' || b == b'-'
}

fn escape(key: &str) -> String {
    key.replace('\\', "\\\\").replace('"', "\\\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_entity_clauses_outside_quotes_only() {
        let (before, prefix, value, after) =
            next_entity_clause(r#"energy person:"Vladimir Putin" gas"#).unwrap();
        assert_eq!(
            (before, prefix, value, after),
            ("energy ", "person", "Vladimir Putin", " gas")
        );
        assert!(next_entity_clause(r#""person:Putin" said"#).is_none());
        let (_, prefix, value, after) = next_entity_clause("(loc:Hmeimim OR x)").unwrap();
        assert_eq!((prefix, value, after), ("loc", "Hmeimim", " OR x)"));
        let (_, prefix, value, _) = next_entity_clause("-entity:Reuters").unwrap();
        assert_eq!((prefix, value), ("entity", "Reuters"));
        assert!(next_entity_clause("notperson:x").is_none());
        // Non-ASCII text around and inside clauses.
        assert!(next_entity_clause("Liège café").is_none());
        let (before, _, value, _) = next_entity_clause("énergie loc:Liège").unwrap();
        assert_eq!((before, value), ("énergie ", "Liège"));
    }
}
