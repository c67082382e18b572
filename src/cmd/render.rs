//! `brief render`: check briefs and write their outputs.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressState, ProgressStyle};

use super::{
    Status, TemplateNotes, describe_templates, describe_workspace, options, print_diagnostics,
    print_workspace,
};
use crate::cli::RenderCommand;
use crate::diag::{Diagnostic, Printer, SourceFile, display_path};
use crate::model::{Document, Format};
use crate::pipeline::{self, Batch, Checked, WorkspaceState};
use crate::render::templates::Templates;
use crate::render::{Job, Rendered, Subject, TemplateErrors, renderer};
use crate::write::{clean_stale, create_dir, write_set};

/// What happened to one file.
enum Outcome {
    /// Outputs written, in format order.
    Written(Vec<PathBuf>),
    /// Not rendered: diagnostics or an error explain why.
    Failed(String),
}

/// One file's outcome, with what the templates had to say about it.
struct Report {
    outcome: Outcome,
    notes: Vec<(SourceFile, Diagnostic)>,
}

impl Report {
    fn failed(reason: impl Into<String>) -> Report {
        Report {
            outcome: Outcome::Failed(reason.into()),
            notes: Vec::new(),
        }
    }
}

/// Runs `brief render`.
pub(crate) fn render(command: &RenderCommand) -> anyhow::Result<Status> {
    let options = render_options(command)?;
    let files = pipeline::discover(&super::paths_or_default(&command.paths)?)?;
    if files.is_empty() {
        eprintln!("warning: no brief files found");
        return Ok(Status::Success);
    }
    let printer = Printer::new(command.output_args.color.for_stderr());
    // The default theme's fonts are read on the other core meanwhile.
    crate::fonts::prewarm(&crate::fonts::DEFAULT_FAMILIES);
    let batch = pipeline::check_files(&files, &options);
    run(&batch, &printer, &Show::of(command), command.jobs())
}

/// The pipeline's options for `render` (and `watch`).
pub(crate) fn render_options(command: &RenderCommand) -> anyhow::Result<pipeline::Options> {
    Ok(pipeline::Options {
        skip_invalid: command.skip_invalid,
        since: command.since.clone(),
        one_document: command.paths.len() == 1 && command.paths[0].is_file(),
        ..options(&command.workspace)?
    })
}

/// The stack of a rendering thread. The Typst compiler recurses deeply on
/// deeply nested content; the main thread's 8 MiB is the usual budget,
/// and this doubles it.
const WORKER_STACK: usize = 16 * 1024 * 1024;

/// Runs `work` on every item on `jobs` threads of their own, and hands
/// each result to `done` on this thread, in the items' order, as soon as
/// it and every one before it are done; `arrived` is called as each one
/// is done, in any order.
///
/// The threads are not rayon's: a rayon thread that waits for the
/// compiler's own parallel work steals other queued work meanwhile, so
/// documents queued on the pool would start compiling on top of each
/// other's stacks, as deep as the batch is long. Here each thread takes
/// the next document only when it has finished the last, and the
/// compiler's parallel work alone runs on the pool.
fn in_workers<T: Sync, R: Send>(
    items: &[T],
    jobs: usize,
    work: impl Fn(&T) -> R + Sync,
    arrived: &dyn Fn(),
    done: &mut impl FnMut(usize, R),
) -> anyhow::Result<()> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|scope| -> anyhow::Result<()> {
        for _ in 0..jobs.clamp(1, items.len().max(1)) {
            let tx = tx.clone();
            let (next, work) = (&next, &work);
            std::thread::Builder::new()
                .name("render".into())
                .stack_size(WORKER_STACK)
                .spawn_scoped(scope, move || {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(item) = items.get(index) else { break };
                        if tx.send((index, work(item))).is_err() {
                            break;
                        }
                    }
                })
                .context("cannot start a rendering thread")?;
        }
        drop(tx);
        let mut waiting: BTreeMap<usize, R> = BTreeMap::new();
        let mut shown = 0;
        for (index, result) in rx {
            arrived();
            waiting.insert(index, result);
            while let Some(result) = waiting.remove(&shown) {
                done(shown, result);
                shown += 1;
            }
        }
        Ok(())
    })
}

/// What `render` prints besides problems.
pub(crate) struct Show {
    /// Which configuration and template files are used.
    pub verbose: bool,
    /// No line per document written.
    pub quiet: bool,
    /// A progress bar on stderr (a terminal, colour allowed).
    pub bar: bool,
}

impl Show {
    /// What the command line asks for.
    pub fn of(command: &RenderCommand) -> Show {
        Show {
            verbose: command.output_args.verbose,
            quiet: command.quiet,
            bar: !command.quiet && command.output_args.color.for_stderr(),
        }
    }
}

/// The progress bar of a batch of `total` documents: count, rate and time
/// left, drawn on stderr (at most 20 times a second).
fn progress_bar(total: usize) -> ProgressBar {
    let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
    let style = ProgressStyle::with_template(
        "{bar:30} {pos}/{len} documents · {rate} a second · {eta} left",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .with_key(
        "rate",
        |state: &ProgressState, w: &mut dyn std::fmt::Write| {
            let _ = write!(w, "{:.0}", state.per_sec());
        },
    );
    bar.set_style(style);
    bar
}

/// Renders every checked document of a batch, on `jobs` threads.
pub(crate) fn run(
    batch: &Batch,
    printer: &Printer,
    show: &Show,
    jobs: usize,
) -> anyhow::Result<Status> {
    let verbose = show.verbose;
    // Nothing is rendered against earlier versions that cannot be read.
    match &batch.earlier {
        Some(Err(err)) => anyhow::bail!("{err:#}"),
        Some(Ok(earlier)) if earlier.errors() > 0 => {
            for (file, diags) in &earlier.reports {
                print_diagnostics(printer, file, diags);
            }
            eprintln!(
                "error: the earlier version in {} cannot be compared with; nothing rendered",
                display_path(&earlier.path)
            );
            return Ok(Status::Failure);
        }
        _ => {}
    }
    // Templates are loaded once per workspace; their problems are printed
    // once, and the workspace's documents are not rendered.
    let mut notes = TemplateNotes::default();
    let mut templates: Vec<Result<Templates, String>> = Vec::with_capacity(batch.workspaces.len());
    for workspace in &batch.workspaces {
        print_workspace(printer, workspace);
        let loaded = match &workspace.settings {
            Some(settings) => {
                // Created first: Markdown links pictures relative to it.
                create_dir(&settings.output.value)?;
                clean_stale(&settings.output.value);
                match Templates::load(settings.templates.value.as_deref()) {
                    Ok(t) => Ok(t),
                    Err(err) => match err.downcast::<TemplateErrors>() {
                        Ok(TemplateErrors(errors)) => {
                            notes.print(printer, &errors);
                            Err("the templates have errors".to_string())
                        }
                        Err(err) => return Err(err),
                    },
                }
            }
            None => Err(format!(
                "{} has errors",
                workspace
                    .file
                    .as_ref()
                    .map_or("brief.toml".into(), |f| f.name())
            )),
        };
        if verbose {
            eprintln!("{}", describe_workspace(workspace));
            if let Ok(t) = &loaded {
                eprintln!("{}", describe_templates(t));
            }
        }
        templates.push(loaded);
    }

    let companions = Companions::default();
    crate::render::pdf::set_parallel(jobs);
    let render = |(_, result): &(PathBuf, anyhow::Result<Checked>)| match result {
        Ok(checked) => match &templates[checked.workspace] {
            // A bug in one document's rendering fails that document, not
            // the batch, with one line saying so.
            Ok(t) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                render_one(
                    checked,
                    &batch.workspaces[checked.workspace],
                    t,
                    &companions,
                )
            }))
            .unwrap_or_else(|_| {
                Report::failed("rendering stopped on an internal error (a bug in brief)")
            }),
            Err(reason) => Report::failed(reason.clone()),
        },
        Err(e) => Report::failed(crate::diag::visible(&format!("{e:#}"))),
    };

    let mut failed = 0;
    let mut written = 0;
    let stdout = std::io::stdout();
    let item_reports = batch.item_reports();
    let total = batch.documents.len();
    let bar = (show.bar && total > 1).then(|| progress_bar(total));
    let mut print_one = |index: usize, report: Report| {
        let (path, checked) = &batch.documents[index];
        if let Ok(c) = checked {
            print_diagnostics(printer, &c.file, &c.diagnostics);
        }
        // The problems of the edition's items.
        for (file, diags) in &item_reports[index] {
            print_diagnostics(printer, file, diags);
        }
        notes.print(printer, &report.notes);
        match report.outcome {
            Outcome::Written(paths) => {
                written += 1;
                if !show.quiet {
                    let list: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
                    let _ = writeln!(stdout.lock(), "wrote {}", list.join(", "));
                }
            }
            Outcome::Failed(reason) => {
                failed += 1;
                eprintln!("error: {} was not rendered: {reason}", display_path(path));
            }
        }
    };
    // The bar steps aside while lines are printed, and is drawn again.
    let mut print = |index: usize, report: Report| match &bar {
        Some(bar) => bar.suspend(|| print_one(index, report)),
        None => print_one(index, report),
    };
    let arrived = || {
        if let Some(bar) = &bar {
            bar.inc(1);
        }
    };
    in_workers(&batch.documents, jobs, render, &arrived, &mut print)?;
    if let Some(bar) = &bar {
        bar.finish_and_clear();
    }
    if failed > 0 {
        eprintln!("{written} rendered, {failed} failed");
        Ok(Status::Failure)
    } else {
        Ok(Status::Success)
    }
}

/// The files written beside the outputs (the Typst source's modules), by
/// real path, with their content: never two different contents to one
/// path in a run.
#[derive(Default)]
struct Companions(std::sync::Mutex<HashMap<PathBuf, Vec<u8>>>);

impl Companions {
    /// Whether `bytes` may be written to `path`: nothing else claimed it,
    /// or the same content did. Returns the reason when not.
    fn claim(&self, path: &Path, bytes: &[u8]) -> Result<(), String> {
        let key = pipeline::resolved(path);
        let Ok(mut claimed) = self.0.lock() else {
            return Err("cannot coordinate the Typst modules".into());
        };
        match claimed.get(&key) {
            Some(existing) if existing.as_slice() == bytes => Ok(()),
            Some(_) => Err(format!(
                "{} is written by another workspace with other content; give the workspaces different output folders",
                display_path(path)
            )),
            None => {
                claimed.insert(key, bytes.to_vec());
                Ok(())
            }
        }
    }
}

fn render_one(
    checked: &Checked,
    workspace: &WorkspaceState,
    templates: &Templates,
    companions_written: &Companions,
) -> Report {
    let errors = checked.errors();
    let (Some(document), Some(id), Some(settings), Some(ws)) = (
        &checked.document,
        &checked.id,
        &checked.settings,
        &workspace.settings,
    ) else {
        let n = errors.max(1);
        return Report::failed(format!("{n} error{}", if n == 1 { "" } else { "s" }));
    };
    if errors > 0 {
        return Report::failed(format!(
            "{errors} error{}",
            if errors == 1 { "" } else { "s" }
        ));
    }
    let subject = match (document, &checked.edition) {
        (Document::Brief(brief), _) => Subject::Brief(brief),
        (Document::Edition(_), Some(resolved)) => Subject::Edition(resolved),
        _ => return Report::failed("the edition's items could not be resolved"),
    };
    let output = &ws.output.value;
    let job = Job {
        subject,
        id,
        path: &checked.file.path,
        templates,
        workspace: ws,
        settings,
        item_settings: &checked.item_settings,
        pictures: &checked.pictures,
        fonts: &workspace.fonts,
        output: Some(output),
        since: &checked.since,
    };
    // Render everything in memory first: a brief whose PDF fails to typeset
    // leaves all its previous outputs untouched. The PDF takes most of the
    // time; the other formats render beside it.
    let formats = &ws.formats.value;
    let (slow, quick): (Vec<Format>, Vec<Format>) =
        formats.iter().partition(|f| **f == Format::Pdf);
    let render = |f: &Format| (*f, renderer(*f).render(&job));
    // Not rayon::join: see `in_workers`.
    let (mut results, pdf): (Vec<_>, Vec<_>) = std::thread::scope(|scope| {
        let quick = scope.spawn(|| quick.iter().map(render).collect::<Vec<_>>());
        let pdf: Vec<_> = slow.iter().map(render).collect();
        let quick = quick
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (quick, pdf)
    });
    results.extend(pdf);
    results.sort_by_key(|(f, _)| *f);

    let mut notes = Vec::new();
    let mut rendered = Vec::with_capacity(results.len());
    let mut failure = None;
    for (format, result) in results {
        match result {
            Ok(Rendered {
                bytes,
                companions,
                warnings,
            }) => {
                notes.extend(warnings);
                rendered.push((output_path(output, id, format), bytes));
                for (name, bytes) in companions {
                    let path = output.join(&name);
                    // A module must not replace a document's own output.
                    if name.strip_suffix(".typ") == Some(id.as_str()) {
                        failure.get_or_insert(format!(
                            "{format}: the id `{id}` is the name of the Typst module written beside Typst sources; give the brief another id"
                        ));
                        continue;
                    }
                    // Written by each document that needs it (the same bytes).
                    match companions_written.claim(&path, &bytes) {
                        Ok(()) => rendered.push((path, bytes)),
                        Err(reason) => {
                            failure.get_or_insert(format!("{format}: {reason}"));
                        }
                    }
                }
            }
            Err(e) => match e.downcast::<TemplateErrors>() {
                Ok(TemplateErrors(errors)) => {
                    let n = errors.len();
                    notes.extend(errors);
                    failure.get_or_insert(format!(
                        "{format}: {n} error{} in the templates",
                        if n == 1 { "" } else { "s" }
                    ));
                }
                Err(e) => {
                    failure.get_or_insert(format!("{format}: {e:#}"));
                }
            },
        }
    }
    // An output never replaces a file it was made from (a brief named
    // `x.json` rendered to JSON in its own folder, say).
    let sources: Vec<PathBuf> = std::iter::once(&checked.file.path)
        .chain(&checked.item_files)
        .map(|p| pipeline::resolved(p))
        .collect();
    if failure.is_none()
        && let Some((path, _)) = rendered
            .iter()
            .find(|(path, _)| sources.contains(&pipeline::resolved(path)))
    {
        failure = Some(format!(
            "{} is an output of this document and also one of its source files; write the outputs to another folder (-o DIR)",
            display_path(path)
        ));
    }
    if let Some(reason) = failure {
        return Report {
            outcome: Outcome::Failed(reason),
            notes,
        };
    }
    // All of the document's files are replaced, or none.
    if let Err(e) = write_set(&rendered) {
        return Report {
            outcome: Outcome::Failed(format!("{e:#}")),
            notes,
        };
    }
    Report {
        outcome: Outcome::Written(rendered.into_iter().map(|(path, _)| path).collect()),
        notes,
    }
}

/// The output file of a document in a format.
pub(crate) fn output_path(dir: &Path, id: &str, format: Format) -> PathBuf {
    dir.join(format!("{id}.{}", format.extension()))
}
