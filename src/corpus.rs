//! Corpus walking: which files under the ingest paths are articles to read.
//!
//! Takes the paths given to `gazette ingest` (files or folders) and lazily yields one
//! [`CorpusEntry`] per file found: an article file with its [`Format`] and its path
//! relative to the root it was found under, a file skipped on purpose (with the reason,
//! so the summary can count them), or an error (unreadable folder, symlink loop, missing
//! root). Folders are walked in file-name order so ingest is reproducible; symlinks are
//! only followed when asked, since a link can pull a whole foreign tree into the index.

use std::fmt;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use crate::read::{Format, describe_io, detect_format};

/// One file met while walking the corpus.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CorpusEntry {
    /// A file to read.
    Article {
        /// The path as walked (root joined with the names below it).
        path: PathBuf,
        /// Path relative to the ingest root, `/`-separated; the file name for a root
        /// that is itself a file. Articles without an id of their own are named by it.
        rel: String,
        format: Format,
    },
    /// A file or folder passed over on purpose.
    Skipped { path: PathBuf, reason: SkipReason },
    /// Something that could not be walked; the rest of the corpus still is.
    Error { path: PathBuf, message: String },
}

/// Why a file or folder was passed over.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SkipReason {
    /// An extension gazette has no reader for.
    UnsupportedFormat,
    /// README, LICENSE, COPYING, NOTICE or CHANGELOG: about the corpus, not news.
    Documentation,
    /// A name starting with `.` (folders are not entered).
    Hidden,
    /// A symbolic link, met while symlinks are not followed.
    Symlink,
    /// A device, socket or pipe.
    NotAFile,
}

impl SkipReason {
    /// The reason as the summary prints it.
    pub fn as_str(self) -> &'static str {
        match self {
            SkipReason::UnsupportedFormat => "unsupported format",
            SkipReason::Documentation => "documentation file",
            SkipReason::Hidden => "hidden",
            SkipReason::Symlink => "symlink not followed",
            SkipReason::NotAFile => "not a regular file",
        }
    }
}

impl fmt::Display for SkipReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// File names (before the first `.`, any case) that document a corpus.
const DOCUMENTATION: &[&str] = &[
    "readme",
    "license",
    "licence",
    "copying",
    "notice",
    "changelog",
];

/// Walk `roots` in the order given, each in file-name order, lazily. The iterator owns
/// its copy of the roots (`use<>`), so it can outlive the slice, e.g. in a reader thread.
pub fn walk(roots: &[PathBuf], follow_symlinks: bool) -> impl Iterator<Item = CorpusEntry> + use<> {
    let roots: Vec<PathBuf> = roots.to_vec();
    roots
        .into_iter()
        .flat_map(move |root| walk_root(root, follow_symlinks))
}

fn walk_root(root: PathBuf, follow_symlinks: bool) -> impl Iterator<Item = CorpusEntry> {
    let mut entries = WalkDir::new(&root)
        .follow_links(follow_symlinks)
        .sort_by_file_name()
        .into_iter();
    std::iter::from_fn(move || {
        loop {
            let entry = match entries.next()? {
                Ok(entry) => entry,
                Err(err) => return Some(walk_error(&root, &err)),
            };
            let path = entry.path();
            let file_type = entry.file_type();
            // The root was named by the user, so it is read even if hidden.
            if entry.depth() > 0 && is_hidden(path) {
                if file_type.is_dir() {
                    entries.skip_current_dir();
                }
                let path = entry.into_path();
                return Some(CorpusEntry::Skipped {
                    path,
                    reason: SkipReason::Hidden,
                });
            }
            if file_type.is_dir() {
                continue;
            }
            if file_type.is_symlink() {
                let path = entry.into_path();
                return Some(CorpusEntry::Skipped {
                    path,
                    reason: SkipReason::Symlink,
                });
            }
            if !file_type.is_file() {
                let path = entry.into_path();
                return Some(CorpusEntry::Skipped {
                    path,
                    reason: SkipReason::NotAFile,
                });
            }
            return Some(classify(&root, entry.into_path()));
        }
    })
}

/// Decide what a regular file is: documentation, an article format, or unsupported.
fn classify(root: &Path, path: PathBuf) -> CorpusEntry {
    match format_by_name(&path) {
        Ok(format) => {
            let rel = relative_name(root, &path);
            CorpusEntry::Article { path, rel, format }
        }
        Err(reason) => CorpusEntry::Skipped { path, reason },
    }
}

/// What a file is, by its name alone: an article format, or why it is skipped (a hidden
/// file, documentation, an unsupported format). The walk's rule, for file lists that do
/// not come from a walk (the Spark job's read stage).
pub fn format_of(path: &Path) -> Result<Format, SkipReason> {
    if is_hidden(path) {
        return Err(SkipReason::Hidden);
    }
    format_by_name(path)
}

/// [`format_of`] for a file the walk found: hidden names were dealt with on the way.
fn format_by_name(path: &Path) -> Result<Format, SkipReason> {
    if is_documentation(path) {
        return Err(SkipReason::Documentation);
    }
    detect_format(path).ok_or(SkipReason::UnsupportedFormat)
}

/// The path below `root`, `/`-separated; the file name when `root` is the file itself.
fn relative_name(root: &Path, path: &Path) -> String {
    let below = match path.strip_prefix(root) {
        Ok(below) if !below.as_os_str().is_empty() => below,
        _ => Path::new(path.file_name().unwrap_or(path.as_os_str())),
    };
    let parts: Vec<_> = below
        .components()
        .map(|part| part.as_os_str().to_string_lossy())
        .collect();
    parts.join("/")
}

fn is_hidden(path: &Path) -> bool {
    path.file_name()
        .is_some_and(|name| name.to_string_lossy().starts_with('.'))
}

fn is_documentation(path: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let name = name.to_string_lossy().to_lowercase();
    let stem = name.split('.').next().unwrap_or_default();
    DOCUMENTATION.contains(&stem)
}

fn walk_error(root: &Path, err: &walkdir::Error) -> CorpusEntry {
    let path = err.path().unwrap_or(root).to_path_buf();
    let message = if let Some(ancestor) = err.loop_ancestor() {
        format!("symlink loop back to {}", ancestor.display())
    } else if let Some(io) = err.io_error() {
        describe_io(io)
    } else {
        err.to_string()
    };
    CorpusEntry::Error { path, message }
}

#[cfg(test)]
mod tests {
    use std::fs;

    use tempfile::TempDir;

    use super::*;

    fn touch(dir: &Path, rel: &str) {
        let path = dir.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, "x").unwrap();
    }

    /// Each entry as one line relative to `base`: "article rel (format)", "skip name: reason",
    /// "error name: message".
    fn describe(roots: &[PathBuf], follow: bool, base: &Path) -> Vec<String> {
        let short = |path: &Path| {
            path.strip_prefix(base)
                .unwrap_or(path)
                .display()
                .to_string()
        };
        walk(roots, follow)
            .map(|entry| match entry {
                CorpusEntry::Article { path, rel, format } => {
                    format!("article {rel} ({format}) at {}", short(&path))
                }
                CorpusEntry::Skipped { path, reason } => format!("skip {}: {reason}", short(&path)),
                CorpusEntry::Error { path, message } => {
                    format!("error {}: {message}", short(&path))
                }
            })
            .collect()
    }

    #[test]
    fn walks_sorted_with_relative_names_and_skip_reasons() {
        let dir = TempDir::new().unwrap();
        let root = dir.path();
        for rel in [
            "b.txt",
            "a.JSONL.gz",
            "README.md",
            "notes/LICENSE",
            "Changelog.txt",
            "report.pdf",
            "sub/z.html",
            "sub/deeper/c.md",
            ".git/config.json",
            ".hidden.txt",
            "notice-board.txt",
        ] {
            touch(root, rel);
        }
        assert_eq!(
            describe(&[root.to_path_buf()], false, root),
            [
                "skip .git: hidden",
                "skip .hidden.txt: hidden",
                "skip Changelog.txt: documentation file",
                "skip README.md: documentation file",
                "article a.JSONL.gz (jsonl.gz) at a.JSONL.gz",
                "article b.txt (txt) at b.txt",
                "skip notes/LICENSE: documentation file",
                "article notice-board.txt (txt) at notice-board.txt",
                "skip report.pdf: unsupported format",
                "article sub/deeper/c.md (txt) at sub/deeper/c.md",
                "article sub/z.html (html) at sub/z.html",
            ]
        );
    }

    #[test]
    fn file_roots_use_their_name_and_missing_roots_are_errors() {
        let dir = TempDir::new().unwrap();
        touch(dir.path(), "x/one.json");
        touch(dir.path(), "x/.two.json");
        let roots = [
            dir.path().join("x/one.json"),
            dir.path().join("missing"),
            dir.path().join("x/.two.json"),
        ];
        assert_eq!(
            describe(&roots, false, dir.path()),
            [
                "article one.json (json) at x/one.json",
                "error missing: no such file or directory",
                "article .two.json (json) at x/.two.json",
            ]
        );
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_are_skipped_unless_followed_and_loops_reported() {
        use std::os::unix::fs::symlink;
        let dir = TempDir::new().unwrap();
        let root = dir.path().join("corpus");
        touch(&root, "real/a.txt");
        touch(dir.path(), "outside/b.txt");
        symlink(dir.path().join("outside"), root.join("linked")).unwrap();
        symlink(&root, root.join("real/loop")).unwrap();
        assert_eq!(
            describe(std::slice::from_ref(&root), false, &root),
            [
                "skip linked: symlink not followed",
                "article real/a.txt (txt) at real/a.txt",
                "skip real/loop: symlink not followed"
            ]
        );
        let followed = describe(std::slice::from_ref(&root), true, &root);
        assert_eq!(followed[0], "article linked/b.txt (txt) at linked/b.txt");
        assert_eq!(followed[1], "article real/a.txt (txt) at real/a.txt");
        assert_eq!(
            followed[2],
            format!("error real/loop: symlink loop back to {}", root.display())
        );
        assert_eq!(followed.len(), 3);
    }

    #[cfg(unix)]
    #[test]
    fn unreadable_folder_is_an_error_and_the_walk_goes_on() {
        use std::os::unix::fs::PermissionsExt;
        let dir = TempDir::new().unwrap();
        touch(dir.path(), "locked/a.txt");
        touch(dir.path(), "open/b.txt");
        let locked = dir.path().join("locked");
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o000)).unwrap();
        if fs::read_dir(&locked).is_ok() {
            // Running as root: permissions are not enforced, nothing to test.
            fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
            return;
        }
        let found = describe(&[dir.path().to_path_buf()], false, dir.path());
        fs::set_permissions(&locked, fs::Permissions::from_mode(0o755)).unwrap();
        assert_eq!(
            found,
            [
                "error locked: permission denied",
                "article open/b.txt (txt) at open/b.txt"
            ]
        );
    }

    #[test]
    fn relative_names_use_forward_slashes() {
        assert_eq!(
            relative_name(Path::new("c"), Path::new("c/a/b.txt")),
            "a/b.txt"
        );
        assert_eq!(
            relative_name(Path::new("c/b.txt"), Path::new("c/b.txt")),
            "b.txt"
        );
        assert_eq!(
            relative_name(Path::new("."), Path::new("./a/b.txt")),
            "a/b.txt"
        );
    }
}
