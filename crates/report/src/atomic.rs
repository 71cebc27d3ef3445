//! Atomic file output: write to a temporary file beside the target, sync, then rename.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `path` atomically: readers see the old file or the new one, never a part.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// A set of output files staged and then moved into place together: all files are written
/// to a staging folder first, and only when every one succeeded are they renamed into the
/// output folder. A failure part-way leaves the output folder as it was.
pub struct AtomicDir {
    out: PathBuf,
    stage: PathBuf,
    files: Vec<PathBuf>,
}

impl AtomicDir {
    pub fn new(out: &Path) -> std::io::Result<Self> {
        std::fs::create_dir_all(out)?;
        remove_stale_staging(out);
        let stage = out.join(format!(".staging-{}", std::process::id()));
        if stage.exists() {
            std::fs::remove_dir_all(&stage)?;
        }
        std::fs::create_dir_all(&stage)?;
        Ok(AtomicDir {
            out: out.to_path_buf(),
            stage,
            files: Vec::new(),
        })
    }

    /// Stage one file (`rel` may contain folders).
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        let p = self.stage.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent)?;
        }
        std::fs::File::create(&p)?.write_all(bytes)?;
        self.files.push(PathBuf::from(rel));
        Ok(())
    }

    /// Make every staged file durable before any is renamed into place. Syncs are slow one
    /// after another (hundreds of district files), so they run on a few threads at once.
    fn sync_staged(&self) -> std::io::Result<()> {
        let chunk = self.files.len().div_ceil(8).max(1);
        std::thread::scope(|s| {
            let jobs: Vec<_> = self
                .files
                .chunks(chunk)
                .map(|rels| {
                    s.spawn(move || -> std::io::Result<()> {
                        for rel in rels {
                            std::fs::File::open(self.stage.join(rel))?.sync_all()?;
                        }
                        Ok(())
                    })
                })
                .collect();
            jobs.into_iter().try_for_each(|j| {
                j.join()
                    .unwrap_or_else(|_| Err(std::io::Error::other("sync thread failed")))
            })
        })
    }

    /// Move every staged file into place (each rename is atomic) and remove the staging folder.
    pub fn commit(self) -> std::io::Result<()> {
        self.sync_staged()?;
        for rel in &self.files {
            let to = self.out.join(rel);
            if let Some(parent) = to.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::rename(self.stage.join(rel), to)?;
        }
        std::fs::remove_dir_all(&self.stage)
    }
}

/// Staging folders left by runs that were killed (their process is gone): partial files
/// that no run will commit.
fn remove_stale_staging(out: &Path) {
    let Ok(entries) = std::fs::read_dir(out) else {
        return;
    };
    for e in entries.flatten() {
        let name = e.file_name();
        let Some(pid) = name.to_str().and_then(|n| n.strip_prefix(".staging-")) else {
            continue;
        };
        let alive = pid
            .parse::<u32>()
            .is_ok_and(|p| Path::new(&format!("/proc/{p}")).exists());
        if !alive {
            let _ = std::fs::remove_dir_all(e.path());
        }
    }
}

impl Drop for AtomicDir {
    fn drop(&mut self) {
        // Not committed (an error or a panic): leave no partial files behind.
        let _ = std::fs::remove_dir_all(&self.stage);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_uncommitted_dir_leaves_old_outputs() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(d.path().join("a.txt"), "old").unwrap();
        {
            let mut s = AtomicDir::new(d.path()).unwrap();
            s.write("a.txt", b"new").unwrap();
            // dropped without commit
        }
        assert_eq!(
            std::fs::read_to_string(d.path().join("a.txt")).unwrap(),
            "old"
        );
        assert_eq!(
            std::fs::read_dir(d.path()).unwrap().count(),
            1,
            "no staging left"
        );
        let mut s = AtomicDir::new(d.path()).unwrap();
        s.write("a.txt", b"new").unwrap();
        s.write("sub/b.txt", b"b").unwrap();
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("a.txt")).unwrap(),
            "new"
        );
        assert_eq!(
            std::fs::read_to_string(d.path().join("sub/b.txt")).unwrap(),
            "b"
        );
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 2);
    }

    #[test]
    fn stale_staging_of_a_dead_process_is_removed() {
        let d = tempfile::tempdir().unwrap();
        // PIDs are below 2^22 on Linux: this one cannot be running.
        let stale = d.path().join(".staging-4294967");
        std::fs::create_dir_all(&stale).unwrap();
        std::fs::write(stale.join("plan.geojson"), "partial").unwrap();
        let s = AtomicDir::new(d.path()).unwrap();
        assert!(!stale.exists());
        drop(s);
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 0);
    }

    #[test]
    fn write_atomic_replaces() {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("x.json");
        write_atomic(&p, b"1").unwrap();
        write_atomic(&p, b"2").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "2");
        assert_eq!(std::fs::read_dir(d.path()).unwrap().count(), 1);
    }
}
