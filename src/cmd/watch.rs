//! `brief watch`: render once, then render again what each save changes.
//!
//! The folders of the files named, of each workspace's `brief.toml` and of
//! its templates are watched (folders, not files, so an editor that saves
//! by writing a new file and renaming it over the old one is seen like any
//! other). Changes arriving together are taken as one save. A brief is
//! rendered again when it changes, an edition when it or one of its items
//! does, a brief when one of its pictures does, and everything when a
//! `brief.toml`, a template or a font does. The process stays up between
//! saves, so the compiler's memoized work stays warm. A broken save is
//! reported and renders nothing, so the last good outputs stay.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::Context;
use notify::event::ModifyKind;
use notify::{EventKind, RecursiveMode, Watcher};

use super::Status;
use super::render::{Show, render_options, run};
use crate::cli::RenderCommand;
use crate::diag::Printer;
use crate::pipeline::{self, Batch, Options};

/// How long to wait after a change for the rest of the same save.
const SETTLE: Duration = Duration::from_millis(60);

/// How often to look whether Ctrl-C was pressed while waiting.
const POLL: Duration = Duration::from_millis(200);

/// Runs `brief watch`.
pub(crate) fn watch(command: &RenderCommand) -> anyhow::Result<Status> {
    let options = render_options(command)?;
    let roots = super::paths_or_default(&command.paths)?;
    let printer = Printer::new(command.output_args.color.for_stderr());
    let show = Show {
        bar: false,
        ..Show::of(command)
    };
    let jobs = command.jobs();

    let stop = Arc::new(AtomicBool::new(false));
    let flag = stop.clone();
    ctrlc::set_handler(move || flag.store(true, Ordering::SeqCst))
        .context("cannot catch Ctrl-C")?;

    let started = Instant::now();
    let files = pipeline::discover(&roots)?;
    let batch = pipeline::check_files(&files, &options);
    run(&batch, &printer, &show, jobs)?;
    let mut known = Known::of(&batch, &options);
    eprintln!(
        "watch: {} in {} ms; watching for changes (Ctrl-C to stop)",
        documents(files.len()),
        started.elapsed().as_millis()
    );

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        // Content and names only: reading a file (as a render does) or
        // touching its metadata is not a change.
        if let Ok(event) = event
            && matches!(
                event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(
                        ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                    )
            )
        {
            let _ = tx.send(event.paths);
        }
    })
    .context("cannot watch for changes")?;
    let mut watched = BTreeSet::new();
    for (path, mode) in known.folders(&roots) {
        if watched.insert(path.clone()) {
            watcher
                .watch(&path, mode)
                .with_context(|| format!("cannot watch {}", path.display()))?;
        }
    }

    while !stop.load(Ordering::SeqCst) {
        let first = match rx.recv_timeout(POLL) {
            Ok(paths) => paths,
            Err(mpsc::RecvTimeoutError::Timeout) => continue,
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        };
        // The rest of the same save.
        let mut changed: BTreeSet<PathBuf> = first.into_iter().collect();
        while let Ok(paths) = rx.recv_timeout(SETTLE) {
            changed.extend(paths);
        }
        let started = Instant::now();
        let affected = match known.affected(&changed, &roots)? {
            Some(files) if files.is_empty() => continue,
            Some(files) => files,
            None => pipeline::discover(&roots)?,
        };
        let batch = pipeline::check_files(&affected, &options);
        run(&batch, &printer, &show, jobs)?;
        known.update(&batch, &options);
        eprintln!(
            "watch: {} in {} ms",
            documents(affected.len()),
            started.elapsed().as_millis()
        );
    }
    Ok(Status::Success)
}

fn documents(n: usize) -> String {
    match n {
        1 => "1 document".to_string(),
        n => format!("{n} documents"),
    }
}

/// What the last renders found out about each document: what it reads.
struct Known {
    /// Each document and the files it reads besides itself (an edition's
    /// items, pictures), by real path.
    reads: Vec<(PathBuf, Vec<PathBuf>)>,
    /// Each workspace's configuration file, templates folder and font
    /// folders: a change there changes everything.
    everything: BTreeSet<PathBuf>,
    /// The output folders, whose changes are the renders' own.
    outputs: BTreeSet<PathBuf>,
}

impl Known {
    fn of(batch: &Batch, options: &Options) -> Known {
        let mut known = Known {
            reads: Vec::new(),
            everything: BTreeSet::new(),
            outputs: BTreeSet::new(),
        };
        known.update(batch, options);
        known
    }

    /// Takes in what a render found.
    fn update(&mut self, batch: &Batch, options: &Options) {
        for workspace in &batch.workspaces {
            if let Some(file) = &workspace.file {
                self.everything.insert(pipeline::resolved(&file.path));
            }
            if let Some(settings) = &workspace.settings {
                self.outputs
                    .insert(pipeline::resolved(&settings.output.value));
                if let Some(dir) = &settings.templates.value {
                    self.everything.insert(pipeline::resolved(dir));
                }
                for dir in &settings.font_dirs.value {
                    self.everything.insert(pipeline::resolved(dir));
                }
            }
        }
        if let Some(config) = &options.config {
            self.everything.insert(pipeline::resolved(config));
        }
        for (path, checked) in &batch.documents {
            let real = pipeline::resolved(path);
            let mut reads = Vec::new();
            if let Ok(checked) = checked {
                reads.extend(checked.item_files.iter().map(|p| pipeline::resolved(p)));
                for pictures in &checked.pictures {
                    reads.extend(pictures.local_files().into_iter().map(pipeline::resolved));
                }
            }
            match self.reads.iter_mut().find(|(p, _)| *p == real) {
                Some(entry) => entry.1 = reads,
                None => self.reads.push((real, reads)),
            }
        }
    }

    /// The folders to watch: the roots, and what changes everything.
    fn folders(&self, roots: &[PathBuf]) -> Vec<(PathBuf, RecursiveMode)> {
        let mut out = Vec::new();
        for root in roots {
            if root.is_dir() {
                out.push((pipeline::resolved(root), RecursiveMode::Recursive));
            } else {
                out.push((
                    parent(&pipeline::resolved(root)),
                    RecursiveMode::NonRecursive,
                ));
            }
        }
        for path in &self.everything {
            if path.is_dir() {
                out.push((path.clone(), RecursiveMode::Recursive));
            } else {
                out.push((parent(path), RecursiveMode::NonRecursive));
            }
        }
        out
    }

    /// The documents to render again after `changed`: `None` for all of
    /// them (a configuration, template or font changed).
    fn affected(
        &self,
        changed: &BTreeSet<PathBuf>,
        roots: &[PathBuf],
    ) -> anyhow::Result<Option<Vec<PathBuf>>> {
        let changed: Vec<PathBuf> = changed
            .iter()
            .map(|p| pipeline::resolved(p))
            .filter(|p| !self.outputs.iter().any(|o| p.starts_with(o)))
            .collect();
        if changed
            .iter()
            .any(|p| self.everything.iter().any(|e| p == e || p.starts_with(e)))
        {
            return Ok(None);
        }
        // Briefs as they are now: a save may have added or removed one.
        let files = pipeline::discover(roots)?;
        let affected = files
            .into_iter()
            .filter(|file| {
                let real = pipeline::resolved(file);
                changed.contains(&real)
                    || self.reads.iter().any(|(doc, reads)| {
                        *doc == real && reads.iter().any(|r| changed.contains(r))
                    })
            })
            .collect();
        Ok(Some(affected))
    }
}

fn parent(path: &Path) -> PathBuf {
    path.parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}
