//! TEMPORARY stand-in, replaced by the readers being written in parallel.
use std::collections::BTreeSet;
use std::path::Path;

use crate::model::Article;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
}

pub fn detect_format(path: &Path) -> Option<Format> {
    match path.extension()?.to_str()? {
        "txt" => Some(Format::Text),
        _ => None,
    }
}

#[derive(Debug, Default)]
pub struct ReadReport {
    pub warnings: Vec<ReadWarning>,
    pub unknown_fields: BTreeSet<String>,
    pub articles: usize,
}

#[derive(Debug)]
pub struct ReadWarning {
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ReadWarning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

pub fn read_file(
    path: &Path,
    rel: &str,
    _format: Format,
    on_article: &mut dyn FnMut(Article),
) -> Result<ReadReport, ReadError> {
    let bytes = std::fs::read(path)?;
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.splitn(2, '\n');
    let title = lines.next().unwrap_or("").trim().to_string();
    let body = lines.next().unwrap_or("").trim_start().to_string();
    on_article(Article { id: rel.to_string(), title, body, path: path.display().to_string(), ..Default::default() });
    Ok(ReadReport { articles: 1, ..Default::default() })
}
