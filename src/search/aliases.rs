//! Aliases: names the tagger cannot know are one entity ("U.S." = "United States").
//!
//! A table maps name keys ([`crate::ner::normalize_name`]) to a group: its canonical
//! name (how facets and listings show it) and every key that stands for it. Tables are
//! TSV, one `canonical<TAB>alias<TAB>alias...` per line, `#` comments and blank lines
//! allowed: gazette's built-in table of countries (`aliases.tsv` beside this file, its
//! rule at its top), then the index folder's `aliases.tsv` when present, then the user's
//! `--aliases` files, a later table taking a key from an earlier one. Applied at query
//! time: nothing is re-ingested.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, LazyLock};

use crate::ner::normalize_name;

/// The built-in table, shipped in the binary.
pub const BUILTIN_ALIASES: &str = include_str!("aliases.tsv");

/// The file an index folder may hold with aliases for that index.
pub const INDEX_ALIASES_FILE: &str = "aliases.tsv";

/// Why an alias table could not be read.
#[derive(Debug, thiserror::Error)]
pub enum AliasError {
    #[error("alias file {}, line {line}: {reason}", path.display())]
    Malformed {
        path: PathBuf,
        line: usize,
        reason: String,
    },
    #[error("cannot read alias file {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// A set of alias groups; cheap to clone. The default is empty (no built-in table; see
/// [`Aliases::builtin`]).
#[derive(Clone, Debug, Default)]
pub struct Aliases {
    table: Arc<Table>,
}

#[derive(Clone, Debug, Default)]
struct Table {
    /// The files read into this table, in order (the built-in table is not one).
    files: Vec<PathBuf>,
    /// Key -> the key of its group's canonical name.
    group_of: HashMap<String, String>,
    /// Group key -> canonical name as written and member keys (sorted).
    groups: BTreeMap<String, Group>,
}

#[derive(Clone, Debug)]
struct Group {
    display: String,
    members: Vec<String>,
}

/// One parsed line: the canonical name and its aliases, as written (trimmed).
struct Line {
    names: Vec<String>,
}

static BUILTIN: LazyLock<Aliases> = LazyLock::new(|| {
    let mut aliases = Aliases::default();
    let lines = parse(BUILTIN_ALIASES, Path::new("<built-in>")).expect("built-in table parses");
    aliases.add(lines);
    aliases
});

impl Aliases {
    /// gazette's built-in table of countries.
    pub fn builtin() -> Aliases {
        BUILTIN.clone()
    }

    /// The built-in table, then `index_dir/aliases.tsv` when it exists, then `files` in
    /// order.
    pub fn for_index(index_dir: &Path, files: &[PathBuf]) -> Result<Aliases, AliasError> {
        let mut aliases = Aliases::builtin();
        let in_index = index_dir.join(INDEX_ALIASES_FILE);
        if in_index.is_file() {
            aliases = aliases.with_file(&in_index)?;
        }
        for file in files {
            aliases = aliases.with_file(file)?;
        }
        Ok(aliases)
    }

    /// These aliases with a TSV file's on top.
    pub fn with_file(&self, path: &Path) -> Result<Aliases, AliasError> {
        let text = std::fs::read_to_string(path).map_err(|source| AliasError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        self.with_text(&text, path)
    }

    /// These aliases with a TSV table's on top; `path` names it in errors.
    pub fn with_text(&self, text: &str, path: &Path) -> Result<Aliases, AliasError> {
        let lines = parse(text, path)?;
        let mut out = self.clone();
        out.add(lines);
        Arc::make_mut(&mut out.table).files.push(path.to_path_buf());
        Ok(out)
    }

    /// These aliases with `other`'s groups on top.
    pub fn merged(&self, other: &Aliases) -> Aliases {
        if other.table.groups.is_empty() {
            return self.clone();
        }
        let mut out = self.clone();
        let lines = other
            .table
            .groups
            .values()
            .map(|g| Line {
                names: std::iter::once(g.display.clone())
                    .chain(g.members.iter().cloned())
                    .collect(),
            })
            .collect();
        out.add(lines);
        let files = other.table.files.iter().cloned();
        Arc::make_mut(&mut out.table).files.extend(files);
        out
    }

    /// The alias files read, in the order they apply (the index folder's `aliases.tsv`,
    /// then `--aliases` files); the built-in table is always first and not listed.
    pub fn files(&self) -> &[PathBuf] {
        &self.table.files
    }

    /// The group key of a name key: the key of its canonical name, or the key itself.
    pub fn group<'a>(&'a self, key: &'a str) -> &'a str {
        self.table.group_of.get(key).map_or(key, String::as_str)
    }

    /// Every key of the group `group` (a group key, see [`Aliases::group`]); the group
    /// key alone when it has no aliases.
    pub fn members<'a>(&'a self, group: &'a str) -> Vec<&'a str> {
        match self.table.groups.get(group) {
            Some(g) => g.members.iter().map(String::as_str).collect(),
            None => vec![group],
        }
    }

    /// The canonical name of an alias group as the table writes it.
    pub fn display(&self, group: &str) -> Option<&str> {
        self.table.groups.get(group).map(|g| g.display.as_str())
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.table.groups.len()
    }

    /// Whether there is no group.
    pub fn is_empty(&self) -> bool {
        self.table.groups.is_empty()
    }

    /// Adds lines in order. A key already in another group leaves it; a line naming
    /// another group's canonical name takes that whole group ("Britain<TAB>United
    /// Kingdom" renames the group, keeping "UK").
    fn add(&mut self, lines: Vec<Line>) {
        let table = Arc::make_mut(&mut self.table);
        for line in lines {
            let group = normalize_name(&line.names[0]);
            let mut keys: Vec<String> = line.names.iter().map(|n| normalize_name(n)).collect();
            for key in keys.clone() {
                let Some(old) = table.group_of.get(&key).cloned() else {
                    continue;
                };
                if old == group {
                    continue;
                }
                if old == key {
                    let moved = table.groups.remove(&old).map(|g| g.members);
                    keys.extend(moved.unwrap_or_default());
                } else if let Some(g) = table.groups.get_mut(&old) {
                    g.members.retain(|m| *m != key);
                }
            }
            let entry = table.groups.entry(group.clone()).or_insert_with(|| Group {
                display: String::new(),
                members: Vec::new(),
            });
            entry.display = line.names[0].clone();
            for key in keys {
                table.group_of.insert(key.clone(), group.clone());
                entry.members.push(key);
            }
            entry.members.sort();
            entry.members.dedup();
        }
    }
}

/// Parses a TSV table, checking every line: at least one alias, no empty name, no key
/// given to two groups in the same table.
fn parse(text: &str, path: &Path) -> Result<Vec<Line>, AliasError> {
    let err = |line: usize, reason: String| AliasError::Malformed {
        path: path.to_path_buf(),
        line,
        reason,
    };
    let mut lines = Vec::new();
    let mut seen: HashMap<String, (usize, String)> = HashMap::new();
    for (i, raw) in text.lines().enumerate() {
        let number = i + 1;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        if raw.trim().is_empty() || raw.trim_start().starts_with('#') {
            continue;
        }
        let names: Vec<String> = raw.split('\t').map(|n| n.trim().to_string()).collect();
        if names.len() < 2 {
            return Err(err(
                number,
                "expected `canonical<TAB>alias<TAB>...` (no tab on this line)".into(),
            ));
        }
        if let Some(col) = names.iter().position(|n| normalize_name(n).is_empty()) {
            return Err(err(number, format!("field {} is empty", col + 1)));
        }
        let canonical = normalize_name(&names[0]);
        for name in &names {
            let key = normalize_name(name);
            if let Some((other, other_canonical)) = seen.get(&key)
                && *other_canonical != canonical
            {
                return Err(err(
                    number,
                    format!("`{name}` is already an alias of another name on line {other}"),
                ));
            }
            seen.insert(key, (number, canonical.clone()));
        }
        lines.push(Line { names });
    }
    Ok(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_table_joins_country_abbreviations() {
        let a = Aliases::builtin();
        let us = a.group("us");
        assert_eq!(us, "united states");
        assert_eq!(a.group(&normalize_name("U.S.A.")), "united states");
        assert_eq!(a.group(&normalize_name("Britain")), "united kingdom");
        assert_eq!(a.display("united states"), Some("United States"));
        assert!(a.members("united states").contains(&"usa"));
        // Left out on purpose.
        assert_eq!(a.group("america"), "america");
        assert_eq!(a.group("england"), "england");
        assert_eq!(a.group("congo"), "congo");
    }

    #[test]
    fn user_tables_add_and_take_keys() {
        let a = Aliases::builtin()
            .with_text(
                "# mine\n\nExxon Mobil\tExxon\tMobil\nAmerica\tUSA\n",
                Path::new("mine.tsv"),
            )
            .unwrap();
        assert_eq!(a.group("exxon"), "exxon mobil");
        assert_eq!(a.display("exxon mobil"), Some("Exxon Mobil"));
        assert_eq!(a.group("usa"), "america");
        assert_eq!(a.group("us"), "united states");
        assert!(!a.members("united states").contains(&"usa"));
        // Naming a group's canonical takes the whole group.
        let b = Aliases::builtin()
            .with_text("Britain\tUnited Kingdom\n", Path::new("b.tsv"))
            .unwrap();
        assert_eq!(b.group("uk"), "britain");
        assert_eq!(b.display("britain"), Some("Britain"));
        assert_eq!(b.display("united kingdom"), None);
        // Merging a config's table on top gives the same.
        let merged = Aliases::builtin().merged(
            &Aliases::default()
                .with_text("Exxon Mobil\tExxon\n", Path::new("x"))
                .unwrap(),
        );
        assert_eq!(merged.group("exxon"), "exxon mobil");
        assert_eq!(merged.files(), [PathBuf::from("x")]);
        assert_eq!(merged.group("us"), "united states");
    }

    #[test]
    fn malformed_tables_name_the_line() {
        let bad = |text: &str| {
            Aliases::default()
                .with_text(text, Path::new("a.tsv"))
                .unwrap_err()
                .to_string()
        };
        let msg = bad("# c\nUnited States\tUS\nOnly a name\n");
        assert!(msg.contains("a.tsv, line 3"), "{msg}");
        assert!(msg.contains("no tab"), "{msg}");
        assert!(bad("A\t\tB\n").contains("line 1: field 2 is empty"));
        let msg = bad("Foo\tBar\nBaz\tbar\n");
        assert!(msg.contains("line 2") && msg.contains("line 1"), "{msg}");
    }
}
