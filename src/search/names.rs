//! Resolving entity names a user types to the index keys they stand for.
//!
//! Takes a name ("Putin", "the Kremlin", "AL-SHARAA", "U.S.") and a type, gives the
//! (type, key) pairs to search: the name's key and its aliases' keys; for people, the
//! one full name it is the surname (or the last words) of; and, when the type is the
//! entity's majority type in the index, the same keys under the other types it was
//! tagged with. A surname shared by several full names is an error that lists them, so
//! a researcher never gets a silently narrowed or widened answer.

use super::aliases::Aliases;
use super::query::kind_of_prefix;
use super::{Search, SearchError};
use crate::model::EntityKind;
use crate::ner;

/// Looks names up in the index's entity fields.
pub(crate) struct NameResolver<'s, 'a> {
    search: &'s Search<'a>,
    aliases: &'s Aliases,
}

impl<'s, 'a> NameResolver<'s, 'a> {
    pub(crate) fn new(search: &'s Search<'a>, aliases: &'s Aliases) -> Self {
        NameResolver { search, aliases }
    }

    /// The (type, key) pairs a filter on `name` matches: of type `kind`, or of any type.
    pub(crate) fn resolve_filter(
        &self,
        kind: Option<EntityKind>,
        name: &str,
    ) -> Result<Vec<(EntityKind, String)>, SearchError> {
        match kind {
            Some(kind) => self.resolve(kind, name),
            None => self.resolve_any(name),
        }
    }

    /// The (type, key) pairs `name` stands for as an entity of `kind`: its key and its
    /// aliases' keys (for a person named by surname, the one full name it ends); and,
    /// when `kind` is the entity's majority type in the index, the same keys under the
    /// other types the index tags them with ("Opec" tagged MISC is still the
    /// organisation), so a filter finds every passage the facets count.
    fn resolve(
        &self,
        kind: EntityKind,
        name: &str,
    ) -> Result<Vec<(EntityKind, String)>, SearchError> {
        let key = ner::normalize_name(name);
        let group = self.aliases.group(&key);
        let members = self.aliases.members(group);
        let keys: Vec<String> = if kind == EntityKind::Person && members.len() == 1 {
            self.resolve_person(&key, name)?
        } else {
            members.iter().map(|m| m.to_string()).collect()
        };
        let mut out: Vec<(EntityKind, String)> = keys.iter().map(|k| (kind, k.clone())).collect();
        if key.is_empty() {
            return Ok(out);
        }
        let groups: Vec<&str> = keys.iter().map(|k| self.aliases.group(k)).collect();
        let all_keys = groups.iter().flat_map(|g| self.aliases.members(g));
        let table = self.search.names_of(all_keys)?;
        for k in &keys {
            let summary = table.summary(self.aliases, self.aliases.group(k));
            if summary.majority != Some(kind) {
                continue;
            }
            for other in EntityKind::ALL {
                if other != kind && table.holds(k, other) {
                    out.push((other, k.clone()));
                }
            }
        }
        out.sort_by_key(|(k, _)| *k != kind);
        out.dedup();
        Ok(out)
    }

    /// The person keys `key` stands for: itself and, for a surname, the one full name
    /// it ends; a surname shared by several full names is an error listing them, so a
    /// researcher never gets a silently narrowed or widened answer.
    fn resolve_person(&self, key: &str, name: &str) -> Result<Vec<String>, SearchError> {
        let kind = EntityKind::Person;
        if key.is_empty() {
            return Ok(vec![key.to_string()]);
        }
        // Only people are named by a part of their name ("Putin"); for organisations and
        // places a longer name ending the same way is another entity ("Bank of England"
        // is not "England").
        let exact = self.holds(kind, key)?;
        let mut candidates = self.keys_ending_with(kind, &format!(" {key}"))?;
        match candidates.len() {
            // The name as given (also when the index does not hold it: no hits, not an
            // error), plus the one full name it is the surname of: an article that only
            // ever says "Putin" and one that says "Vladimir Putin" are both found.
            0 | 1 => {
                if exact || candidates.is_empty() {
                    candidates.insert(0, key.to_string());
                }
                Ok(candidates)
            }
            _ => {
                if exact {
                    candidates.insert(0, key.to_string());
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
    fn resolve_any(&self, name: &str) -> Result<Vec<(EntityKind, String)>, SearchError> {
        let mut out: Vec<(EntityKind, String)> = Vec::new();
        let mut ambiguous = None;
        for kind in EntityKind::ALL {
            match self.resolve(kind, name) {
                Ok(keys) => {
                    for pair in keys {
                        if !out.contains(&pair) {
                            out.push(pair);
                        }
                    }
                }
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
        let field = self.search.gazette.fields.entity(kind);
        for segment in self.search.searcher.segment_readers() {
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
        let field = self.search.gazette.fields.entity(kind);
        let mut keys = Vec::new();
        for segment in self.search.searcher.segment_readers() {
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
            let keys = self.resolve_filter(kind_of_prefix(prefix), value)?;
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
