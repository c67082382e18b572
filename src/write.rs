//! Stage five: writing files so that none is ever left half-written.
//!
//! Each file is written to a temporary file in the same folder, flushed to
//! disk, then renamed over the target, which is atomic: a reader sees the
//! old file or the new one, never a truncated mix, even after a crash.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;

/// Writes `bytes` to `path` atomically.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    temporary(path, bytes)?
        .persist(path)
        .map_err(|e| e.error)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// One file of a set: where it goes and its bytes.
pub type Planned = (PathBuf, Vec<u8>);

/// Writes a set of files (one document's outputs) all or nothing: every
/// file's temporary first, then each renamed over its target, the old
/// targets kept aside until all are in place. If any step fails, the files
/// already replaced get their old contents back (or are removed if they
/// are new), and the error says what is kept.
pub fn write_set(files: &[Planned]) -> anyhow::Result<()> {
    let mut temps = Vec::with_capacity(files.len());
    for (path, bytes) in files {
        match temporary(path, bytes) {
            Ok(tmp) => temps.push(tmp),
            Err(err) => {
                drop(temps);
                anyhow::bail!("{err:#}; {}", kept(files));
            }
        }
    }
    // What is there now, and the old targets kept aside (linked, else
    // copied) so they can come back; if one cannot be, nothing is replaced.
    let kept_now = kept(files);
    let mut backups: Vec<Option<PathBuf>> = Vec::with_capacity(files.len());
    for (path, _) in files {
        match set_aside(path) {
            Ok(backup) => backups.push(backup),
            Err(err) => {
                for backup in backups.into_iter().flatten() {
                    let _ = fs::remove_file(backup);
                }
                drop(temps);
                anyhow::bail!(
                    "cannot keep a copy of {} ({err}); {kept_now}",
                    path.display()
                );
            }
        }
    }
    let mut placed = 0;
    let mut failure = None;
    for (tmp, (path, _)) in temps.into_iter().zip(files) {
        match tmp.persist(path) {
            Ok(_) => placed += 1,
            Err(err) => {
                failure = Some(
                    anyhow::Error::new(err.error)
                        .context(format!("cannot write {}", path.display())),
                );
                break;
            }
        }
    }
    match failure {
        None => {
            for backup in backups.into_iter().flatten() {
                let _ = fs::remove_file(backup);
            }
            Ok(())
        }
        Some(err) => {
            for ((path, _), backup) in files.iter().zip(&backups).take(placed) {
                match backup {
                    Some(backup) => {
                        let _ = fs::rename(backup, path);
                    }
                    None => {
                        let _ = fs::remove_file(path);
                    }
                }
            }
            for backup in backups.into_iter().skip(placed).flatten() {
                let _ = fs::remove_file(backup);
            }
            anyhow::bail!("{err:#}; {kept_now}")
        }
    }
}

/// What a failed set leaves: the previous files, named, or nothing.
fn kept(files: &[Planned]) -> String {
    let old: Vec<String> = files
        .iter()
        .filter(|(path, _)| path.is_file())
        .filter_map(|(path, _)| path.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    if old.is_empty() {
        "nothing was written".into()
    } else {
        format!(
            "nothing was replaced: the previous {} are kept",
            old.join(", ")
        )
    }
}

/// The prefix of the temporary files of `path`: `.<name>.<pid>-`.
fn temporary_prefix(path: &Path) -> String {
    format!(".{}.{}-", file_name(path), std::process::id())
}

fn file_name(path: &Path) -> &str {
    path.file_name()
        .and_then(|n| n.to_str())
        .unwrap_or("output")
}

fn folder(path: &Path) -> &Path {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    }
}

/// Writes `bytes` to a new temporary file beside `path`, on disk.
fn temporary(path: &Path, bytes: &[u8]) -> anyhow::Result<tempfile::NamedTempFile> {
    let mut tmp = tempfile::Builder::new()
        .prefix(&temporary_prefix(path))
        .suffix(".tmp")
        .tempfile_in(folder(path))
        .with_context(|| format!("cannot write {}", path.display()))?;
    tmp.write_all(bytes)
        .and_then(|()| tmp.as_file().sync_all())
        .with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // Temporary files are private; outputs are ordinary documents.
        let _ = fs::set_permissions(tmp.path(), fs::Permissions::from_mode(0o644));
    }
    Ok(tmp)
}

/// Keeps the current file at `path` aside, if there is one: a hard link,
/// else a copy (a file system without links). Its name, or why it could
/// not be kept.
fn set_aside(path: &Path) -> std::io::Result<Option<PathBuf>> {
    if !path.is_file() {
        return Ok(None);
    }
    for n in 0..100u32 {
        let backup = folder(path).join(format!("{}kept{n}.tmp", temporary_prefix(path)));
        if backup.exists() {
            continue;
        }
        return match fs::hard_link(path, &backup) {
            Ok(()) => Ok(Some(backup)),
            Err(_) => fs::copy(path, &backup).map(|_| Some(backup)),
        };
    }
    Err(std::io::Error::other("too many copies aside"))
}

/// Removes the temporary files that runs no longer running left in `dir`
/// (`.<name>.<pid>-*.tmp` whose process is gone): a run killed while
/// writing leaves them, and the next run over the same folder removes
/// them.
pub fn clean_stale(dir: &Path) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !name.starts_with('.') || !name.ends_with(".tmp") {
            continue;
        }
        // `.<name>.<ext>.<pid>-<random>.tmp`, the random part six letters
        // or digits (or `keptN`, a file kept aside): nothing else is ours.
        let Some((head, random)) = name[..name.len() - 4].rsplit_once('-') else {
            continue;
        };
        let ours = (random.len() == 6 && random.bytes().all(|b| b.is_ascii_alphanumeric()))
            || random
                .strip_prefix("kept")
                .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()));
        let Some((output, pid)) = head.rsplit_once('.') else {
            continue;
        };
        if !ours
            || !output[1..].contains('.')
            || pid.is_empty()
            || !pid.bytes().all(|b| b.is_ascii_digit())
        {
            continue;
        }
        let alive = pid == std::process::id().to_string() || Path::new("/proc").join(pid).exists();
        if !alive {
            let _ = fs::remove_file(entry.path());
        }
    }
}

/// Creates a folder and its parents.
pub fn create_dir(dir: &Path) -> anyhow::Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create folder {}", dir.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn a_set_that_cannot_be_placed_whole_leaves_the_previous_set() {
        let dir = tempfile::tempdir().unwrap();
        let (md, html, pdf) = (
            dir.path().join("a.md"),
            dir.path().join("a.html"),
            dir.path().join("a.pdf"),
        );
        write_set(&[
            (md.clone(), b"md 1".to_vec()),
            (html.clone(), b"html 1".to_vec()),
        ])
        .unwrap();
        // The third cannot be renamed into place: a folder stands there.
        fs::create_dir(&pdf).unwrap();
        let err = write_set(&[
            (md.clone(), b"md 2".to_vec()),
            (html.clone(), b"html 2".to_vec()),
            (pdf.clone(), b"pdf 2".to_vec()),
        ])
        .unwrap_err();
        assert!(
            format!("{err:#}")
                .ends_with("nothing was replaced: the previous a.md, a.html are kept"),
            "{err:#}"
        );
        assert_eq!(fs::read(&md).unwrap(), b"md 1");
        assert_eq!(fs::read(&html).unwrap(), b"html 1");
        assert_eq!(names(dir.path()), ["a.html", "a.md", "a.pdf"]);
    }

    #[test]
    fn temporaries_of_a_run_that_is_gone_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has a pid this large.
        fs::write(dir.path().join(".a.md.4194305-x1AbC9.tmp"), "left").unwrap();
        fs::write(dir.path().join(".a.md.4194305-kept0.tmp"), "left").unwrap();
        // This run's own, and files that are not temporaries, stay.
        let own = format!(".b.md.{}-x1.tmp", std::process::id());
        fs::write(dir.path().join(&own), "own").unwrap();
        fs::write(dir.path().join(".notes.tmp"), "mine").unwrap();
        fs::write(dir.path().join(".notes.2024-05.tmp"), "mine").unwrap();
        fs::write(dir.path().join(".session.12345-backup.tmp"), "mine").unwrap();
        clean_stale(dir.path());
        assert_eq!(
            names(dir.path()),
            [
                own.as_str(),
                ".notes.2024-05.tmp",
                ".notes.tmp",
                ".session.12345-backup.tmp"
            ]
        );
    }

    #[test]
    fn replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.md");
        write_atomic(&path, b"one").unwrap();
        write_atomic(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        let names: Vec<_> = fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("a.md")]);
    }
}
