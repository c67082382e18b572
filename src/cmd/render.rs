//! `brief render`: check briefs and write their outputs.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{Status, check_batch, discover, parallel_map, print_diagnostics};
use crate::check::Checked;
use crate::cli::RenderCommand;
use crate::diag::{Printer, Severity, display_path};
use crate::model::Document;
use crate::render::{Format, Job, Subject};
use crate::templates::Templates;
use crate::write::{create_dir, write_atomic};

/// Resolved options of `brief render`.
pub struct RenderConfig {
    /// The brief files to render.
    pub files: Vec<PathBuf>,
    /// Where outputs go.
    pub output: PathBuf,
    /// Which formats, in output order, without repeats.
    pub formats: Vec<Format>,
    /// The template set.
    pub templates: Templates,
    /// Whether diagnostics are coloured.
    pub color: bool,
}

impl RenderConfig {
    /// Resolves the command's arguments.
    pub fn new(command: &RenderCommand) -> anyhow::Result<RenderConfig> {
        let files = discover(&command.paths)?;
        let mut formats = command.formats.clone();
        formats.sort();
        formats.dedup();
        let templates_dir = match &command.templates {
            Some(dir) => Some(dir.clone()),
            None => Some(PathBuf::from("templates")).filter(|d| d.is_dir()),
        };
        let templates = Templates::load(templates_dir.as_deref())?;
        Ok(RenderConfig {
            files,
            output: command.output.clone(),
            formats,
            templates,
            color: command.output_args.color.for_stderr(),
        })
    }
}

/// What happened to one file.
enum Outcome {
    /// Outputs written, in format order.
    Written(Vec<PathBuf>),
    /// Not rendered: diagnostics or an error explain why.
    Failed(String),
}

/// Runs `brief render`.
pub fn render(command: &RenderCommand) -> anyhow::Result<Status> {
    let config = RenderConfig::new(command)?;
    run(&config)
}

/// Renders every file of a resolved configuration.
pub fn run(config: &RenderConfig) -> anyhow::Result<Status> {
    if config.files.is_empty() {
        eprintln!("warning: no brief files found");
        return Ok(Status::Success);
    }
    create_dir(&config.output)?;
    if config.formats.contains(&Format::Pdf) {
        // Reading the fonts' metadata takes a few milliseconds; do it while
        // the briefs are read and checked.
        std::thread::spawn(|| {
            crate::world::Environment::get();
        });
    }
    let printer = Printer::new(config.color);

    // Check every file first (quick), so ids can be compared across the
    // batch before anything is written.
    let checked = check_batch(&config.files);

    let outcomes = parallel_map(&checked, |c| match c {
        Ok(c) => render_one(config, c),
        Err(e) => Outcome::Failed(format!("{e:#}")),
    });

    let mut failed = 0;
    let mut written = 0;
    let stdout = std::io::stdout();
    for ((path, checked), outcome) in config.files.iter().zip(&checked).zip(outcomes) {
        if let Ok(c) = checked {
            print_diagnostics(&printer, &c.file, &c.diagnostics);
        }
        match outcome {
            Outcome::Written(paths) => {
                written += 1;
                let list: Vec<String> = paths.iter().map(|p| display_path(p)).collect();
                let _ = writeln!(stdout.lock(), "wrote {}", list.join(", "));
            }
            Outcome::Failed(reason) => {
                failed += 1;
                eprintln!("error: {} was not rendered: {reason}", display_path(path));
            }
        }
    }
    if failed > 0 {
        eprintln!("{written} rendered, {failed} failed");
        Ok(Status::Failure)
    } else {
        Ok(Status::Success)
    }
}

fn render_one(config: &RenderConfig, checked: &Checked) -> Outcome {
    let errors = checked
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    if errors > 0 || checked.document.is_none() || checked.id.is_none() {
        let n = errors.max(1);
        return Outcome::Failed(format!("{n} error{}", if n == 1 { "" } else { "s" }));
    }
    let subject = match (&checked.document, &checked.edition) {
        (Some(Document::Brief(brief)), _) => Subject::Brief(brief),
        (Some(Document::Edition(_)), Some(resolved)) => Subject::Edition(resolved),
        _ => return Outcome::Failed("the edition's items could not be resolved".into()),
    };
    let Some(id) = &checked.id else {
        return Outcome::Failed("it has no id".into());
    };
    let job = Job {
        subject,
        id,
        path: &checked.file.path,
        templates: &config.templates,
        default_organization: None,
        output: Some(&config.output),
    };
    // Render everything in memory first: a brief whose PDF fails to typeset
    // leaves all its previous outputs untouched.
    // The PDF takes most of the time; the other formats render beside it.
    let results: Vec<(Format, anyhow::Result<Vec<u8>>)> = std::thread::scope(|scope| {
        let (slow, quick): (Vec<Format>, Vec<Format>) =
            config.formats.iter().partition(|f| **f == Format::Pdf);
        let job = &job;
        let pdf = slow
            .into_iter()
            .next()
            .map(|f| scope.spawn(move || (f, f.renderer().render(job))));
        let mut results: Vec<_> = quick
            .into_iter()
            .map(|f| (f, f.renderer().render(job)))
            .collect();
        if let Some(handle) = pdf {
            match handle.join() {
                Ok(result) => results.push(result),
                Err(_) => results.push((
                    Format::Pdf,
                    Err(anyhow::anyhow!("the PDF renderer crashed")),
                )),
            }
        }
        results.sort_by_key(|(f, _)| *f);
        results
    });
    let mut rendered = Vec::with_capacity(results.len());
    for (format, result) in results {
        match result {
            Ok(bytes) => rendered.push((output_path(&config.output, id, format), bytes)),
            Err(e) => return Outcome::Failed(format!("{format}: {e:#}")),
        }
    }
    let mut paths = Vec::with_capacity(rendered.len());
    for (path, bytes) in rendered {
        if let Err(e) = write_atomic(&path, &bytes) {
            return Outcome::Failed(format!("{e:#}"));
        }
        paths.push(path);
    }
    Outcome::Written(paths)
}

/// The output file of a brief in a format.
pub fn output_path(dir: &Path, id: &str, format: Format) -> PathBuf {
    dir.join(format!("{id}.{}", format.extension()))
}
