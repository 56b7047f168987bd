//! The write lock of an index folder: one ingest at a time.
//!
//! The lock is an OS file lock on `gazette.lock` (released by the OS when the process dies,
//! even by `kill -9`), and the file holds the writer's pid so a second ingest can say who
//! holds it. A lock file whose OS lock is free but which still names a pid was left by a
//! crashed or killed ingest: it is taken over, and the caller is told so it can explain.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, SeekFrom, Write};
use std::path::Path;

use super::IndexError;

/// File name of the lock inside the index folder.
pub const LOCK_FILE: &str = "gazette.lock";

/// Holds the write lock until dropped.
#[derive(Debug)]
pub struct WriteLock {
    file: File,
    /// Pid recorded by a previous writer that did not release the lock cleanly.
    pub stale_pid: Option<String>,
}

impl WriteLock {
    /// Takes the lock of the index folder `dir` (created if needed), failing at once when
    /// another process holds it.
    pub fn acquire(dir: &Path) -> Result<WriteLock, IndexError> {
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            context: format!("creating index folder {}", dir.display()),
            source,
        })?;
        let path = dir.join(LOCK_FILE);
        let io_err = |source| IndexError::Io {
            context: format!("locking {}", path.display()),
            source,
        };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(io_err)?;
        let mut recorded = String::new();
        match file.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => {
                let _ = file.read_to_string(&mut recorded);
                let pid = recorded.trim();
                return Err(IndexError::Locked {
                    path: dir.to_path_buf(),
                    pid: if pid.is_empty() {
                        "unknown".into()
                    } else {
                        pid.to_string()
                    },
                });
            }
            Err(TryLockError::Error(e)) => return Err(io_err(e)),
        }
        file.read_to_string(&mut recorded).map_err(io_err)?;
        let stale_pid = Some(recorded.trim().to_string()).filter(|p| !p.is_empty());
        file.set_len(0).map_err(io_err)?;
        file.seek(SeekFrom::Start(0)).map_err(io_err)?;
        write!(file, "{}", std::process::id()).map_err(io_err)?;
        file.flush().map_err(io_err)?;
        Ok(WriteLock { file, stale_pid })
    }
}

/// The pid an ingest wrote into the lock file of the index folder `dir`, read without
/// taking the lock (a reader must never make an ingest fail to start): an ingest is
/// running, or one was killed, and the index may not hold all of it. `None` once an
/// ingest released the lock cleanly, or when none ever ran.
pub fn writer_pid(dir: &Path) -> Option<String> {
    let recorded = std::fs::read_to_string(dir.join(LOCK_FILE)).ok()?;
    Some(recorded.trim().to_string()).filter(|pid| !pid.is_empty())
}

impl Drop for WriteLock {
    fn drop(&mut self) {
        // Empty the file so the next writer does not mistake a clean exit for a crash.
        let _ = self.file.set_len(0);
        let _ = self.file.unlock();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_lock_fails_with_the_holders_pid() {
        let dir = tempfile::tempdir().unwrap();
        let first = WriteLock::acquire(dir.path()).unwrap();
        assert_eq!(first.stale_pid, None);
        let err = WriteLock::acquire(dir.path()).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("being written by another process"), "{msg}");
        assert!(msg.contains(&std::process::id().to_string()), "{msg}");
        drop(first);
        let again = WriteLock::acquire(dir.path()).unwrap();
        assert_eq!(again.stale_pid, None, "a clean release leaves no stale pid");
    }

    #[test]
    fn readers_see_the_writers_pid_until_a_clean_release() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(writer_pid(dir.path()), None);
        let lock = WriteLock::acquire(dir.path()).unwrap();
        assert_eq!(writer_pid(dir.path()), Some(std::process::id().to_string()));
        drop(lock);
        assert_eq!(writer_pid(dir.path()), None);
        // A killed writer leaves its pid.
        std::fs::write(dir.path().join(LOCK_FILE), "4242").unwrap();
        assert_eq!(writer_pid(dir.path()).as_deref(), Some("4242"));
    }

    #[test]
    fn a_pid_left_behind_is_reported_as_stale() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(LOCK_FILE), "4242").unwrap();
        let lock = WriteLock::acquire(dir.path()).unwrap();
        assert_eq!(lock.stale_pid.as_deref(), Some("4242"));
    }
}
