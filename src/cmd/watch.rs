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
use notify::event::{AccessKind, AccessMode, ModifyKind, RenameMode};
use notify::{EventKind, RecursiveMode, Watcher};

use super::Status;
use super::render::{Show, render_options, run};
use crate::cli::RenderCommand;
use crate::diag::Printer;
use crate::pipeline::{self, Batch, Options};

/// How long to wait after a write for the rest of the same save.
const SETTLE: Duration = Duration::from_millis(60);

/// How long to wait after a file is closed from writing, or renamed into
/// place, which ends most saves: only for what the same save does next
/// (an editor renames its copy within a millisecond of closing it).
const SETTLE_SAVED: Duration = Duration::from_millis(8);

/// The longest a save may take to settle, however busy the folders are.
const MAX_SETTLE: Duration = Duration::from_secs(1);

/// The files in a templates or fonts folder whose change changes every
/// document.
const EVERYTHING_EXTENSIONS: &[&str] = &[
    "typ", "html", "md", "css", "svg", "png", "jpg", "jpeg", "gif", "webp", "ttf", "otf", "ttc",
    "otc", "toml",
];

/// How often to look whether Ctrl-C was pressed while waiting.
const POLL: Duration = Duration::from_millis(200);

/// Runs `brief watch`.
pub(crate) fn watch(command: &RenderCommand) -> anyhow::Result<Status> {
    let session = Session {
        options: render_options(command)?,
        roots: super::paths_or_default(&command.paths)?,
        printer: Printer::new(command.output_args.color.for_stderr()),
        show: Show {
            bar: false,
            ..Show::of(command)
        },
        jobs: command.jobs(),
    };
    session.run(&mut |_| {})
}

/// What a watching session renders, and how.
pub(crate) struct Session {
    /// The pipeline's options.
    pub options: Options,
    /// The files and folders named.
    pub roots: Vec<PathBuf>,
    /// Where problems are printed.
    pub printer: Printer,
    /// What is printed besides problems.
    pub show: Show,
    /// How many documents render at once.
    pub jobs: usize,
}

impl Session {
    /// Renders everything, then what each save changes, until Ctrl-C;
    /// `rendered` is told of each round's batch once it is written.
    pub(crate) fn run(&self, rendered: &mut dyn FnMut(&Batch)) -> anyhow::Result<Status> {
        let Session {
            options,
            roots,
            printer,
            show,
            jobs,
        } = self;
        let (options, roots, printer, show, jobs) =
            (options, roots.as_slice(), printer, show, *jobs);

        // The first Ctrl-C stops after the render under way; a second one at
        // once. Outputs are written atomically either way.
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        ctrlc::set_handler(move || {
            if flag.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
        })
        .context("cannot catch Ctrl-C")?;

        // `None` asks for everything: the watcher lost track of events.
        // With the paths, whether the event ends a save (see SETTLE_SAVED).
        let (tx, rx) = mpsc::channel::<Option<(Vec<PathBuf>, bool)>>();
        let mut watcher =
            notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
                let Ok(event) = event else {
                    let _ = tx.send(None);
                    return;
                };
                if event.need_rescan() {
                    let _ = tx.send(None);
                } else if matches!(
                    event.kind,
                    EventKind::Create(_)
                        | EventKind::Remove(_)
                        | EventKind::Modify(
                            ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                        )
                        | EventKind::Access(AccessKind::Close(AccessMode::Write))
                ) {
                    // Content and names only: reading a file (as a render does) or
                    // touching its metadata is not a change.
                    let saved = matches!(
                        event.kind,
                        EventKind::Access(AccessKind::Close(AccessMode::Write))
                            | EventKind::Modify(ModifyKind::Name(
                                RenameMode::To | RenameMode::Both
                            ))
                    );
                    let _ = tx.send(Some((event.paths, saved)));
                }
            })
            .context("cannot watch for changes")?;
        let mut watched = BTreeSet::new();

        // Checked first and watched before the render, so that no save made
        // while it runs is missed.
        let started = Instant::now();
        let files = pipeline::discover(roots)?;
        let batch = pipeline::check_files(&files, options);
        let mut known = Known::of(&batch, options);
        known.watch(roots, &mut watcher, &mut watched);
        run(&batch, printer, show, jobs)?;
        rendered(&batch);
        eprintln!(
            "watch: {} in {} ms; watching for changes (Ctrl-C to stop)",
            documents(files.len()),
            started.elapsed().as_millis()
        );

        while !stop.load(Ordering::SeqCst) {
            let first = match rx.recv_timeout(POLL) {
                Ok(paths) => paths,
                Err(mpsc::RecvTimeoutError::Timeout) => continue,
                Err(mpsc::RecvTimeoutError::Disconnected) => break,
            };
            // The rest of the same save, for a second at most.
            let settle_until = Instant::now() + MAX_SETTLE;
            let mut everything = first.is_none();
            let mut saved = first.as_ref().is_some_and(|(_, saved)| *saved);
            let mut changed: BTreeSet<PathBuf> =
                first.into_iter().flat_map(|(paths, _)| paths).collect();
            while Instant::now() < settle_until
                && let Ok(paths) = rx.recv_timeout(if saved { SETTLE_SAVED } else { SETTLE })
            {
                match paths {
                    Some((paths, ended)) => {
                        changed.extend(paths);
                        saved = ended;
                    }
                    None => everything = true,
                }
            }
            let started = Instant::now();
            // A file named on the command line may be gone for a moment (a save
            // that deletes and writes again): say so, and wait for the next.
            let affected = match known.affected(&changed, roots, everything) {
                Ok(Some(files)) if files.is_empty() => continue,
                Ok(Some(files)) => Ok(files),
                Ok(None) => pipeline::discover(roots),
                Err(err) => Err(err),
            };
            let affected = match affected {
                Ok(files) => files,
                Err(err) => {
                    eprintln!("watch: {err:#}");
                    continue;
                }
            };
            let batch = pipeline::check_files(&affected, options);
            known.update(&batch, options);
            known.watch(roots, &mut watcher, &mut watched);
            if let Err(err) = run(&batch, printer, show, jobs) {
                eprintln!("error: {err:#}");
            }
            rendered(&batch);
            eprintln!(
                "watch: {} in {} ms",
                documents(affected.len()),
                started.elapsed().as_millis()
            );
        }
        Ok(Status::Success)
    }
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
}

impl Known {
    fn of(batch: &Batch, options: &Options) -> Known {
        let mut known = Known {
            reads: Vec::new(),
            everything: BTreeSet::new(),
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

    /// Watches what is not watched yet: the roots, what changes
    /// everything, and the folders of the files documents read (an
    /// edition's items and a brief's pictures may lie outside the roots).
    fn watch(
        &self,
        roots: &[PathBuf],
        watcher: &mut impl Watcher,
        watched: &mut BTreeSet<(PathBuf, bool)>,
    ) {
        let mut folders: Vec<(PathBuf, bool)> = Vec::new();
        for path in roots
            .iter()
            .map(|r| pipeline::resolved(r))
            .chain(self.everything.iter().cloned())
        {
            if path.is_dir() {
                folders.push((path, true));
            } else {
                folders.push((parent(&path), false));
            }
        }
        for (_, reads) in &self.reads {
            folders.extend(reads.iter().map(|r| (parent(r), false)));
        }
        for (folder, recursive) in folders {
            // Below a folder watched recursively, nothing more to do.
            let covered = watched
                .iter()
                .any(|(w, r)| *w == folder || (*r && folder.starts_with(w)));
            if covered || !folder.is_dir() {
                continue;
            }
            let mode = if recursive {
                RecursiveMode::Recursive
            } else {
                RecursiveMode::NonRecursive
            };
            match watcher.watch(&folder, mode) {
                Ok(()) => {
                    watched.insert((folder, recursive));
                }
                Err(err) => eprintln!("watch: cannot watch {}: {err}", folder.display()),
            }
        }
    }

    /// The documents to render again after `changed`: `None` for all of
    /// them (a configuration, template or font changed).
    fn affected(
        &self,
        changed: &BTreeSet<PathBuf>,
        roots: &[PathBuf],
        everything: bool,
    ) -> anyhow::Result<Option<Vec<PathBuf>>> {
        let changed: Vec<PathBuf> = changed.iter().map(|p| pipeline::resolved(p)).collect();
        // A configuration file, or a template or font in those folders (not
        // an editor's swap file beside them).
        let changes_everything = |p: &PathBuf| {
            self.everything.iter().any(|e| {
                p == e
                    || (p.starts_with(e)
                        && p.extension().and_then(|x| x.to_str()).is_some_and(|x| {
                            EVERYTHING_EXTENSIONS.contains(&x.to_ascii_lowercase().as_str())
                        }))
            })
        };
        if everything || changed.iter().any(changes_everything) {
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
