//! Atomic output: single files ([`write_atomic`]) and whole output folders ([`AtomicDir`]).
//!
//! An output folder is replaced as a whole. A run stages its complete new folder beside the
//! target, `<parent>/.<name>.fiberplan-new-<PID>`, syncs it, and swaps it with the old one
//! in one step (Linux `renameat2(RENAME_EXCHANGE)`); the old folder, now under the staging
//! name, is then removed. Whatever happens (an error, a full disk, a kill), the path holds
//! the old complete set or the new complete set, never a mix.
//!
//! Every output folder holds [`MARKER`], the list of the files its run wrote. The next run
//! drops those files (so a district folder of a bigger earlier plan does not survive) and
//! carries everything else into its new folder unchanged, as hard links: a plan written into
//! `out/250k` or a sweep into `out/sensitivity` survives a rerun of the plan in `out`. A
//! non-empty folder without the marker is not replaced (it may be anything: `--out .`); an
//! entry that is not fiberplan's and stands where a new output goes is not overwritten.
//! Both are errors naming the path, and the folder is left as it was.
//!
//! When the filesystem refuses the exchange, the swap is two renames (old folder aside, new
//! folder in): between the two there is a moment without a folder at the path. A run killed
//! in that moment leaves the old folder at `<parent>/.<name>.fiberplan-old-<PID>`; the next
//! run into the same path moves it back before anything else. Staging folders of runs that
//! are gone (their PID is not running) are removed by the next run.

use std::collections::BTreeSet;
use std::io::{Error, ErrorKind, Write};
use std::path::{Component, Path, PathBuf};

/// The file in every output folder listing the files its run wrote.
pub const MARKER: &str = ".fiberplan-output";

const MARKER_HEADER: &str = "# fiberplan output folder: the files below were written by one run and are replaced by the next; anything else here is kept";

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

/// An error naming the path it is about, on one line.
fn fault(path: &Path, what: &str, e: Error) -> Error {
    Error::new(e.kind(), format!("{}: {what}: {e}", path.display()))
}

fn refuse(path: &Path, what: &str) -> Error {
    Error::new(
        ErrorKind::InvalidInput,
        format!("{}: {what}", path.display()),
    )
}

/// A whole output folder, staged complete beside its path and swapped in by [`commit`]:
/// the path holds the old complete set of outputs or the new one, never a mix (see the
/// module docs for the marker, what is kept and the fallback without an atomic exchange).
/// Dropped without a commit, it leaves the path and its parent as they were.
///
/// [`commit`]: AtomicDir::commit
pub struct AtomicDir {
    /// The path as given (for messages).
    out: PathBuf,
    /// The same, absolute, a link resolved: the folder that is swapped.
    target: PathBuf,
    stage: PathBuf,
    files: BTreeSet<String>,
    /// Files outside the folder (`--export-stp`): (staged beside it, final path).
    outside: Vec<(PathBuf, PathBuf)>,
    done: bool,
}

impl AtomicDir {
    /// Prepare to replace the folder `out`. Fails (naming the path) when `out` is not a
    /// folder, or holds files without being a fiberplan output folder ([`MARKER`]).
    pub fn new(out: &Path) -> std::io::Result<Self> {
        let target = resolve(out)?;
        let parent = target.parent().expect("resolve gives a named path");
        let name = file_name(&target);
        recover_and_clean(parent, &name, &target);
        check_contents(out, &target)?;
        let stage = parent.join(format!(".{name}.fiberplan-new-{}", std::process::id()));
        if stage.exists() {
            std::fs::remove_dir_all(&stage)
                .map_err(|e| fault(&stage, "cannot remove an earlier staging folder", e))?;
        }
        std::fs::create_dir(&stage)
            .map_err(|e| fault(&stage, "cannot create the staging folder", e))?;
        Ok(AtomicDir {
            out: out.to_path_buf(),
            target,
            stage,
            files: BTreeSet::new(),
            outside: Vec::new(),
            done: false,
        })
    }

    /// What [`AtomicDir::new`] would refuse of `out` as it is now (a file, or a folder of
    /// someone else's files), told without creating anything: so that a run fails before
    /// its work, not after it. [`AtomicDir::new`] checks again.
    pub fn precheck(out: &Path) -> std::io::Result<()> {
        match std::fs::metadata(out) {
            Ok(m) if !m.is_dir() => Err(refuse(out, "exists and is not a folder")),
            Ok(_) => check_contents(out, out),
            Err(_) => Ok(()),
        }
    }

    /// Stage one file. `rel` is a plain relative path inside the folder (`a/b.csv`): an
    /// absolute path, `..`, `.` or an empty component is refused, as is the marker's name.
    pub fn write(&mut self, rel: &str, bytes: &[u8]) -> std::io::Result<()> {
        self.write_parts(rel, &[bytes])
    }

    /// Stage a file made of `parts` written one after another (a large file from pieces
    /// made apart, never joined in memory).
    pub fn write_parts(&mut self, rel: &str, parts: &[&[u8]]) -> std::io::Result<()> {
        check_rel(&self.out, rel)?;
        let p = self.stage.join(rel);
        let shown = self.out.join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).map_err(|e| fault(&shown, "cannot write", e))?;
        }
        std::fs::File::create(&p)
            .and_then(|f| {
                let mut w = std::io::BufWriter::with_capacity(1 << 20, f);
                for part in parts {
                    w.write_all(part)?;
                }
                w.flush()
            })
            .map_err(|e| fault(&shown, "cannot write", e))?;
        self.files.insert(rel.to_string());
        Ok(())
    }

    /// Stage a file that goes to `path`, in this folder or anywhere else (`--export-stp`).
    /// Inside the folder it is one of its outputs. Elsewhere it is written complete beside
    /// `path` now and renamed into place by [`commit`](AtomicDir::commit) right after the
    /// folder's swap: two paths cannot change in one step, but a failure before the swap
    /// changes neither.
    pub fn write_file(&mut self, path: &Path, bytes: &[u8]) -> std::io::Result<()> {
        let abs = absolute(path).map_err(|e| fault(path, "cannot write", e))?;
        if let Ok(rel) = abs.strip_prefix(&self.target) {
            if let Some(rel) = rel.to_str().filter(|r| !r.is_empty()) {
                return self.write(rel, bytes);
            }
        }
        let dir = abs.parent().unwrap_or(Path::new("/"));
        let tmp = dir.join(format!(
            ".{}.fiberplan-new-{}",
            file_name(&abs),
            std::process::id()
        ));
        let result = std::fs::File::create(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = result {
            let _ = std::fs::remove_file(&tmp);
            return Err(fault(path, "cannot write", e));
        }
        self.outside.push((tmp, path.to_path_buf()));
        Ok(())
    }

    /// Write the marker, carry over what is not fiberplan's, sync everything, swap the new
    /// folder in, then remove the old one and move any outside file into place.
    pub fn commit(mut self) -> std::io::Result<()> {
        let mut marker = String::from(MARKER_HEADER);
        marker.push('\n');
        for f in &self.files {
            marker.push_str(f);
            marker.push('\n');
        }
        let mpath = self.stage.join(MARKER);
        std::fs::write(&mpath, marker).map_err(|e| fault(&self.out, "cannot write", e))?;
        let exists = self.target.exists();
        if exists {
            let text = match std::fs::read_to_string(self.target.join(MARKER)) {
                Err(e) if e.kind() == ErrorKind::NotFound => String::new(), // an empty folder
                r => r.map_err(|e| fault(&self.out.join(MARKER), "cannot read", e))?,
            };
            let old: BTreeSet<String> = text
                .lines()
                .filter(|l| !l.starts_with('#') && !l.is_empty())
                .map(str::to_string)
                .collect();
            carry(&self.out, &self.target, &self.stage, "", &old, &self.files)?;
        }
        self.sync_staged()?;
        let parent = self.target.parent().expect("a named path");
        if exists {
            swap(&self.stage, &self.target, &self.out)?;
        } else {
            std::fs::rename(&self.stage, &self.target)
                .map_err(|e| fault(&self.out, "cannot move the new outputs into place", e))?;
        }
        self.done = true;
        let _ = std::fs::File::open(parent).and_then(|d| d.sync_all());
        for (tmp, path) in std::mem::take(&mut self.outside) {
            std::fs::rename(&tmp, &path).map_err(|e| fault(&path, "cannot write", e))?;
        }
        // The old folder now sits at the staging name (or the fallback's name).
        let name = file_name(&self.target);
        let aside = parent.join(format!(".{name}.fiberplan-old-{}", std::process::id()));
        for old in [&self.stage, &aside] {
            if old.exists() {
                remove_tree(old);
            }
        }
        Ok(())
    }

    /// Make every staged file and folder durable before the swap. Syncs are slow one after
    /// another (hundreds of district files), so they run on a few threads at once.
    fn sync_staged(&self) -> std::io::Result<()> {
        let mut paths: Vec<PathBuf> = vec![self.stage.join(MARKER), self.stage.clone()];
        let mut dirs = BTreeSet::new();
        for rel in &self.files {
            paths.push(self.stage.join(rel));
            let mut p = Path::new(rel.as_str());
            while let Some(d) = p.parent().filter(|d| !d.as_os_str().is_empty()) {
                if !dirs.insert(d.to_path_buf()) {
                    break;
                }
                p = d;
            }
        }
        paths.extend(dirs.iter().map(|d| self.stage.join(d)));
        let chunk = paths.len().div_ceil(8).max(1);
        std::thread::scope(|s| {
            let jobs: Vec<_> = paths
                .chunks(chunk)
                .map(|ps| {
                    s.spawn(move || -> std::io::Result<()> {
                        for p in ps {
                            std::fs::File::open(p)
                                .and_then(|f| f.sync_all())
                                .map_err(|e| fault(p, "cannot sync the staged output", e))?;
                        }
                        Ok(())
                    })
                })
                .collect();
            jobs.into_iter().try_for_each(|j| {
                j.join()
                    .unwrap_or_else(|_| Err(Error::other("sync thread failed")))
            })
        })
    }
}

impl Drop for AtomicDir {
    fn drop(&mut self) {
        if !self.done {
            // Not committed (an error or a panic): leave no partial files behind.
            remove_tree(&self.stage);
            for (tmp, _) in &self.outside {
                let _ = std::fs::remove_file(tmp);
            }
        }
    }
}

/// `rel` must be a plain relative path: normal components only, no control characters.
fn check_rel(out: &Path, rel: &str) -> std::io::Result<()> {
    let p = Path::new(rel);
    let plain = !rel.is_empty()
        && !rel.ends_with('/')
        && !rel.contains("//")
        && !rel.chars().any(char::is_control)
        && p.components().all(|c| matches!(c, Component::Normal(_)))
        && rel != MARKER;
    if plain {
        Ok(())
    } else {
        Err(refuse(
            out,
            &format!("output name {rel:?} is not a plain relative path inside the output folder"),
        ))
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// `p` made absolute, `.`/`..` and links of its existing folders resolved; `p` itself need
/// not exist.
fn absolute(p: &Path) -> std::io::Result<PathBuf> {
    let p = std::env::current_dir()?.join(p);
    let mut rest = Vec::new();
    let mut cur = p.as_path();
    loop {
        match std::fs::canonicalize(cur) {
            Ok(mut c) => {
                c.extend(rest.iter().rev());
                return Ok(c);
            }
            Err(e) if e.kind() == ErrorKind::NotFound => {
                let (Some(name), Some(parent)) = (cur.file_name(), cur.parent()) else {
                    return Err(Error::new(ErrorKind::InvalidInput, "not a plain path"));
                };
                rest.push(name);
                cur = parent;
            }
            Err(e) => return Err(e),
        }
    }
}

/// Refuse a folder `out` (at `target`) that holds files but is not a fiberplan output folder.
fn check_contents(out: &Path, target: &Path) -> std::io::Result<()> {
    if target.exists() {
        let entries = std::fs::read_dir(target)
            .map_err(|e| fault(out, "cannot read the output folder", e))?;
        let mut any = false;
        let mut marked = false;
        for e in entries {
            let e = e.map_err(|e| fault(out, "cannot read the output folder", e))?;
            let n = e.file_name();
            marked |= n == MARKER;
            any |= !n.to_string_lossy().starts_with(".staging-");
        }
        if any && !marked {
            return Err(refuse(
                out,
                &format!("not empty and not a fiberplan output folder (no {MARKER}): fiberplan replaces its output folder as a whole; choose a new or empty --out folder"),
            ));
        }
    }
    Ok(())
}

/// The folder to swap: absolute, a link to a folder followed; its parent created.
fn resolve(out: &Path) -> std::io::Result<PathBuf> {
    match std::fs::metadata(out) {
        Ok(m) if !m.is_dir() => return Err(refuse(out, "exists and is not a folder")),
        Ok(_) => {}
        Err(e) if e.kind() == ErrorKind::NotFound => {
            if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)
                    .map_err(|e| fault(parent, "cannot create the folder", e))?;
            }
        }
        Err(e) => return Err(fault(out, "cannot use as output folder", e)),
    }
    let t = absolute(out).map_err(|e| fault(out, "cannot use as output folder", e))?;
    if t.parent().is_none() || t.file_name().is_none() {
        return Err(refuse(
            out,
            "cannot be an output folder (it has no parent to stage in)",
        ));
    }
    Ok(t)
}

/// Runs killed part-way leave folders beside the output: put an old folder back when the
/// path is empty (killed between the two renames of the fallback), remove the rest.
fn recover_and_clean(parent: &Path, name: &str, target: &Path) {
    let Ok(entries) = std::fs::read_dir(parent) else {
        return;
    };
    let (new_p, old_p) = (
        format!(".{name}.fiberplan-new-"),
        format!(".{name}.fiberplan-old-"),
    );
    let mut stale: Vec<(bool, PathBuf)> = Vec::new();
    for e in entries.flatten() {
        let n = e.file_name().to_string_lossy().into_owned();
        let (is_old, pid) = if let Some(pid) = n.strip_prefix(&old_p) {
            (true, pid)
        } else if let Some(pid) = n.strip_prefix(&new_p) {
            (false, pid)
        } else {
            continue;
        };
        if !pid.parse::<u32>().is_ok_and(alive) {
            stale.push((is_old, e.path()));
        }
    }
    stale.sort();
    for (is_old, p) in stale {
        if is_old && !target.exists() && std::fs::rename(&p, target).is_ok() {
            continue;
        }
        remove_tree(&p);
    }
    // Staging folders inside the output folder, from versions before whole-folder swaps.
    if let Ok(entries) = std::fs::read_dir(target) {
        for e in entries.flatten() {
            let n = e.file_name();
            let Some(pid) = n.to_str().and_then(|n| n.strip_prefix(".staging-")) else {
                continue;
            };
            if !pid.parse::<u32>().is_ok_and(alive) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
}

fn alive(pid: u32) -> bool {
    pid == std::process::id() || Path::new(&format!("/proc/{pid}")).exists()
}

/// Remove a folder of ours; read-only subfolders are made writable first if need be.
fn remove_tree(p: &Path) {
    if std::fs::remove_dir_all(p).is_ok() || !p.exists() {
        return;
    }
    fn writable(p: &Path) {
        use std::os::unix::fs::PermissionsExt;
        let Ok(m) = std::fs::symlink_metadata(p) else {
            return;
        };
        if m.is_dir() {
            let _ = std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o700));
            if let Ok(entries) = std::fs::read_dir(p) {
                for e in entries.flatten() {
                    writable(&e.path());
                }
            }
        }
    }
    writable(p);
    let _ = std::fs::remove_dir_all(p);
}

/// Carry the entries of the old folder `from` (at `rel`) that are not the old run's
/// outputs (`old`) into `to`, as hard links (copies where a link is refused). An entry in
/// the way of a new output (`new`) is an error: it is not fiberplan's to replace.
fn carry(
    out: &Path,
    from: &Path,
    to: &Path,
    rel: &str,
    old: &BTreeSet<String>,
    new: &BTreeSet<String>,
) -> std::io::Result<()> {
    let shown = out.join(rel);
    let mut entries: Vec<_> = std::fs::read_dir(from)
        .map_err(|e| fault(&shown, "cannot read", e))?
        .collect::<Result<_, _>>()
        .map_err(|e| fault(&shown, "cannot read", e))?;
    entries.sort_by_key(|e| e.file_name());
    for e in entries {
        let name = e.file_name();
        let Some(name) = name.to_str() else {
            return Err(refuse(
                &from.join(&name),
                "a name that is not UTF-8 in the output folder: move it away",
            ));
        };
        if rel.is_empty() && (name == MARKER || name.starts_with(".staging-")) {
            continue;
        }
        let r = if rel.is_empty() {
            name.to_string()
        } else {
            format!("{rel}/{name}")
        };
        let (src, dst) = (e.path(), to.join(name));
        let ty = e
            .file_type()
            .map_err(|e| fault(&out.join(&r), "cannot read", e))?;
        let in_the_way = || {
            refuse(
                &out.join(&r),
                "is not a fiberplan output and stands where a new output goes: move it away",
            )
        };
        if ty.is_dir() {
            if new.contains(&r) {
                return Err(in_the_way());
            }
            if !dst.exists() {
                std::fs::create_dir(&dst).map_err(|e| fault(&out.join(&r), "cannot stage", e))?;
            }
            carry(out, &src, &dst, &r, old, new)?;
            // A folder left empty by dropping the old run's files is not kept.
            let had_old = old
                .range(format!("{r}/")..)
                .next()
                .is_some_and(|o| o.starts_with(&format!("{r}/")));
            if had_old && std::fs::read_dir(&dst).is_ok_and(|mut d| d.next().is_none()) {
                let _ = std::fs::remove_dir(&dst);
            }
            continue;
        }
        if ty.is_file() && old.contains(&r) {
            continue; // the old run's output: dropped
        }
        let under = format!("{r}/");
        if new.contains(&r)
            || new
                .range(under.clone()..)
                .next()
                .is_some_and(|n| n.starts_with(&under))
        {
            return Err(in_the_way());
        }
        if ty.is_symlink() {
            let link =
                std::fs::read_link(&src).map_err(|e| fault(&out.join(&r), "cannot read", e))?;
            std::os::unix::fs::symlink(link, &dst)
                .map_err(|e| fault(&out.join(&r), "cannot carry over", e))?;
        } else if ty.is_file() {
            if std::fs::hard_link(&src, &dst).is_err() {
                std::fs::copy(&src, &dst)
                    .map_err(|e| fault(&out.join(&r), "cannot carry over", e))?;
            }
        } else {
            return Err(refuse(
                &out.join(&r),
                "is not a file, folder or link and cannot be carried into the new output folder: move it away",
            ));
        }
    }
    Ok(())
}

/// Swap the staged folder and the old one in one step; where the filesystem refuses,
/// two renames (a moment without a folder at the path).
fn swap(stage: &Path, target: &Path, out: &Path) -> std::io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    match renameat_with(CWD, stage, CWD, target, RenameFlags::EXCHANGE) {
        Ok(()) => Ok(()),
        Err(e)
            if e == rustix::io::Errno::INVAL
                || e == rustix::io::Errno::NOSYS
                || e == rustix::io::Errno::OPNOTSUPP =>
        {
            let parent = target.parent().expect("a named path");
            let aside = parent.join(format!(
                ".{}.fiberplan-old-{}",
                file_name(target),
                std::process::id()
            ));
            std::fs::rename(target, &aside)
                .map_err(|e| fault(out, "cannot move the old outputs aside", e))?;
            if let Err(e) = std::fs::rename(stage, target) {
                let _ = std::fs::rename(&aside, target);
                return Err(fault(out, "cannot move the new outputs into place", e));
            }
            Ok(())
        }
        Err(e) => Err(fault(
            out,
            "cannot swap the new outputs into place",
            Error::from(e),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(p: &Path) -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(p)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn an_uncommitted_dir_leaves_old_outputs() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("a.txt", b"old").unwrap();
        s.commit().unwrap();
        {
            let mut s = AtomicDir::new(&out).unwrap();
            s.write("a.txt", b"new").unwrap();
            // dropped without commit
        }
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "old");
        assert_eq!(names(d.path()), ["out"], "no staging left");
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("a.txt", b"new").unwrap();
        s.write("sub/b.txt", b"b").unwrap();
        s.commit().unwrap();
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "new");
        assert_eq!(std::fs::read_to_string(out.join("sub/b.txt")).unwrap(), "b");
        assert_eq!(names(&out), [MARKER, "a.txt", "sub"]);
        assert_eq!(names(d.path()), ["out"]);
        assert_eq!(
            std::fs::read_to_string(out.join(MARKER)).unwrap(),
            format!("{MARKER_HEADER}\na.txt\nsub/b.txt\n")
        );
    }

    #[test]
    fn stale_outputs_go_and_foreign_entries_stay() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("plan.geojson", b"1").unwrap();
        s.write("districts/1_A/plan.geojson", b"1").unwrap();
        s.write("districts/2_B/plan.geojson", b"1").unwrap();
        s.commit().unwrap();
        // Another run's folder and a user's notes inside, and a note inside districts/.
        std::fs::create_dir_all(out.join("250k")).unwrap();
        std::fs::write(out.join("250k/plan.geojson"), "other").unwrap();
        std::fs::write(out.join("notes.txt"), "mine").unwrap();
        std::fs::write(out.join("districts/2_B/todo.txt"), "mine").unwrap();
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("plan.geojson", b"2").unwrap();
        s.write("districts/1_A/plan.geojson", b"2").unwrap();
        s.commit().unwrap();
        assert_eq!(
            names(&out),
            [MARKER, "250k", "districts", "notes.txt", "plan.geojson"]
        );
        assert_eq!(names(&out.join("districts")), ["1_A", "2_B"]);
        assert_eq!(names(&out.join("districts/2_B")), ["todo.txt"]);
        assert_eq!(
            std::fs::read_to_string(out.join("250k/plan.geojson")).unwrap(),
            "other"
        );
        assert_eq!(
            std::fs::read_to_string(out.join("plan.geojson")).unwrap(),
            "2"
        );
        assert_eq!(names(d.path()), ["out"]);
        // Without the user's note, the stale district folder goes entirely.
        std::fs::remove_file(out.join("districts/2_B/todo.txt")).unwrap();
        std::fs::write(
            out.join(MARKER),
            format!("{MARKER_HEADER}\nplan.geojson\ndistricts/1_A/plan.geojson\n"),
        )
        .unwrap();
        std::fs::create_dir_all(out.join("districts/2_B")).unwrap();
        std::fs::write(out.join("districts/2_B/plan.geojson"), "x").unwrap();
        let mut m = std::fs::read_to_string(out.join(MARKER)).unwrap();
        m.push_str("districts/2_B/plan.geojson\n");
        std::fs::write(out.join(MARKER), m).unwrap();
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("plan.geojson", b"3").unwrap();
        s.commit().unwrap();
        assert_eq!(names(&out), [MARKER, "250k", "notes.txt", "plan.geojson"]);
    }

    #[test]
    fn refusals_leave_everything_as_it_was() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        std::fs::create_dir_all(&out).unwrap();
        std::fs::write(out.join("thesis.tex"), "mine").unwrap();
        let e = AtomicDir::new(&out).err().unwrap();
        assert!(
            e.to_string().contains("not a fiberplan output folder"),
            "{e}"
        );
        // The same refusal, told before any work.
        assert_eq!(
            AtomicDir::precheck(&out).err().unwrap().to_string(),
            e.to_string()
        );
        std::fs::remove_file(out.join("thesis.tex")).unwrap();

        let mut s = AtomicDir::new(&out).unwrap();
        for bad in [
            "/etc/x",
            "../x",
            "a/../../x",
            "./x",
            "",
            "a//b",
            "a/",
            ".fiberplan-output",
            "a\nb",
        ] {
            let e = s.write(bad, b"x").err().unwrap();
            assert!(
                e.to_string().contains("not a plain relative path"),
                "{bad:?}: {e}"
            );
        }
        s.write("summary.json", b"1").unwrap();
        s.commit().unwrap();
        // A folder where a file goes: refused at the commit, nothing changed.
        std::fs::remove_file(out.join("summary.json")).unwrap();
        std::fs::create_dir(out.join("summary.json")).unwrap();
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("summary.json", b"2").unwrap();
        let e = s.commit().err().unwrap();
        assert!(
            e.to_string()
                .contains("summary.json: is not a fiberplan output"),
            "{e}"
        );
        assert!(out.join("summary.json").is_dir());
        assert_eq!(names(d.path()), ["out"]);
        // A file as the output folder.
        let f = d.path().join("f");
        std::fs::write(&f, "keep").unwrap();
        assert!(AtomicDir::new(&f)
            .err()
            .unwrap()
            .to_string()
            .contains("not a folder"));
        assert!(AtomicDir::precheck(&f)
            .err()
            .unwrap()
            .to_string()
            .contains("not a folder"));
        // A new folder (and its parent) passes, and nothing is created.
        AtomicDir::precheck(&d.path().join("new/out")).unwrap();
        AtomicDir::precheck(&out).unwrap();
        assert_eq!(names(d.path()), ["f", "out"]);
    }

    #[test]
    fn leftovers_of_killed_runs_are_recovered_or_removed() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let mut s = AtomicDir::new(&out).unwrap();
        s.write("a.txt", b"old").unwrap();
        s.commit().unwrap();
        // Killed between the fallback's two renames: the old folder aside, no folder at
        // the path, a staged new one. PIDs are below 2^22 on Linux: these are not running.
        std::fs::rename(&out, d.path().join(".out.fiberplan-old-4294967")).unwrap();
        std::fs::create_dir(d.path().join(".out.fiberplan-new-4294967")).unwrap();
        std::fs::write(d.path().join(".out.fiberplan-new-4294967/a.txt"), "half").unwrap();
        let s = AtomicDir::new(&out).unwrap();
        drop(s);
        assert_eq!(names(d.path()), ["out"]);
        assert_eq!(std::fs::read_to_string(out.join("a.txt")).unwrap(), "old");
    }

    #[test]
    fn a_file_outside_moves_in_with_the_commit() {
        let d = tempfile::tempdir().unwrap();
        let out = d.path().join("out");
        let mut s = AtomicDir::new(&out).unwrap();
        s.write_file(&d.path().join("graph.stp"), b"stp").unwrap();
        s.write_file(&out.join("inside.stp"), b"in").unwrap();
        assert!(!d.path().join("graph.stp").exists());
        s.commit().unwrap();
        assert_eq!(
            std::fs::read_to_string(d.path().join("graph.stp")).unwrap(),
            "stp"
        );
        assert_eq!(names(&out), [MARKER, "inside.stp"]);
        let mut s = AtomicDir::new(&out).unwrap();
        s.write_file(&d.path().join("graph.stp"), b"stp2").unwrap();
        drop(s);
        assert_eq!(
            std::fs::read_to_string(d.path().join("graph.stp")).unwrap(),
            "stp"
        );
        assert_eq!(names(d.path()), ["graph.stp", "out"]);
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
