//! TEMPORARY stand-in, replaced by the corpus walker being written in parallel.
use std::path::PathBuf;

use crate::read::Format;

pub enum CorpusEntry {
    Article { path: PathBuf, rel: String, format: Format },
    Skipped { path: PathBuf, reason: SkipReason },
    Error { path: PathBuf, message: String },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    UnsupportedFormat,
    DocumentationFile,
    Hidden,
}

impl std::fmt::Display for SkipReason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SkipReason::UnsupportedFormat => "unsupported format",
            SkipReason::DocumentationFile => "documentation file",
            SkipReason::Hidden => "hidden file",
        })
    }
}

pub fn walk(roots: &[PathBuf], follow_symlinks: bool) -> impl Iterator<Item = CorpusEntry> {
    let mut out = Vec::new();
    for root in roots {
        for e in walkdir::WalkDir::new(root).follow_links(follow_symlinks).sort_by_file_name() {
            match e {
                Err(err) => out.push(CorpusEntry::Error {
                    path: root.clone(),
                    message: err.to_string(),
                }),
                Ok(e) if e.file_type().is_file() => {
                    let path = e.path().to_path_buf();
                    let rel = path
                        .strip_prefix(root)
                        .ok()
                        .filter(|r| !r.as_os_str().is_empty())
                        .unwrap_or(path.file_name().unwrap().as_ref())
                        .to_string_lossy()
                        .replace('\\', "/");
                    let name = e.file_name().to_string_lossy().to_lowercase();
                    if name.starts_with("readme") {
                        out.push(CorpusEntry::Skipped { path, reason: SkipReason::DocumentationFile });
                    } else if let Some(format) = crate::read::detect_format(&path) {
                        out.push(CorpusEntry::Article { path, rel, format });
                    } else {
                        out.push(CorpusEntry::Skipped { path, reason: SkipReason::UnsupportedFormat });
                    }
                }
                Ok(_) => {}
            }
        }
    }
    out.into_iter()
}
