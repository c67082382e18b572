//! One module per subcommand, and what they share: finding brief files,
//! loading and checking them, and printing diagnostics.

pub(crate) mod check;
pub(crate) mod init;
pub(crate) mod new;
pub(crate) mod render;
pub(crate) mod schema;
pub(crate) mod templates;

use std::collections::{BTreeSet, HashMap};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use anyhow::bail;

use crate::check::{Checked, load_and_check};
use crate::diag::{Diagnostic, Printer, SourceFile, display_path};

/// The exit status of a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Everything worked.
    Success,
    /// A brief was invalid or failed to render.
    Failure,
}

/// Finds the brief files named by `paths`: files as given, folders searched
/// recursively for `*.yaml` and `*.yml`, in a stable order.
pub fn discover(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut found = Vec::new();
    let mut seen = BTreeSet::new();
    for path in paths {
        if path.is_dir() {
            let mut files = Vec::new();
            walk(path, &mut files)?;
            files.sort();
            for f in files {
                if seen.insert(f.clone()) {
                    found.push(f);
                }
            }
        } else if path.is_file() {
            if seen.insert(path.clone()) {
                found.push(path.clone());
            }
        } else {
            bail!("{} does not exist", path.display());
        }
    }
    Ok(found)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("cannot read folder {} ({e})", dir.display()))?;
    for entry in entries {
        let entry =
            entry.map_err(|e| anyhow::anyhow!("cannot read folder {} ({e})", dir.display()))?;
        let path = entry.path();
        let name = entry.file_name();
        let hidden = name.to_str().is_some_and(|n| n.starts_with('.'));
        let kind = entry
            .file_type()
            .map_err(|e| anyhow::anyhow!("cannot read {} ({e})", path.display()))?;
        if hidden {
            continue;
        }
        if kind.is_dir() {
            walk(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "yaml" || e == "yml") {
            out.push(path);
        }
    }
    Ok(())
}

/// Loads and checks every file, on all cores, then the checks across
/// files: two documents may not share an id (it names their outputs).
pub fn check_batch(files: &[PathBuf]) -> Vec<anyhow::Result<Checked>> {
    let mut checked = parallel_map(files, |path| load_and_check(path));
    let mut owners: HashMap<String, PathBuf> = HashMap::new();
    for (path, result) in files.iter().zip(checked.iter_mut()) {
        let Ok(c) = result else { continue };
        let Some(id) = c.id.clone() else { continue };
        match owners.get(&id) {
            Some(first) => c.diagnostics.push(
                Diagnostic::error(c.id_span.clone(), format!("id `{id}` is already used by {}", display_path(first)))
                    .with_label("the same id as another file")
                    .with_help("each document needs its own id, which names its output files; set a different `id:`"),
            ),
            None => {
                owners.insert(id, path.clone());
            }
        }
    }
    checked
}

/// Applies `f` to every item on all cores, keeping the order.
pub(crate) fn parallel_map<T: Sync, R: Send>(items: &[T], f: impl Fn(&T) -> R + Sync) -> Vec<R> {
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(items.len().max(1));
    if workers <= 1 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, f) = (&next, &f);
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    if tx.send((i, f(item))).is_err() {
                        break;
                    }
                }
            });
        }
    });
    drop(tx);
    let mut out: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    for (i, r) in rx {
        out[i] = Some(r);
    }
    out.into_iter()
        .map(|r| r.expect("every item is processed once"))
        .collect()
}

/// Prints diagnostics to standard error; write errors (a closed pipe) are ignored.
pub fn print_diagnostics(printer: &Printer, file: &SourceFile, diags: &[Diagnostic]) {
    if diags.is_empty() {
        return;
    }
    let stderr = std::io::stderr();
    let mut lock = stderr.lock();
    let _ = printer.print(file, diags, &mut lock);
    let _ = lock.flush();
}
