//! `brief`: analyst-written YAML briefs in, Markdown, HTML and PDF out.
//!
//! The pipeline runs one way, each stage using only the ones before it
//! (`docs/architecture.md` draws it):
//!
//! 1. `model` and `diag`: plain data (briefs, editions, the workspace
//!    configuration, settings, diagnostics), depending on nothing else;
//!    `labels`, the words around the text, beside them.
//! 2. `load` (YAML and `brief.toml` to the model, with spans), `markdown`
//!    (parsing, the safety rules, each markup's writer) and `fonts`.
//! 3. `check`: pure functions from loaded data to diagnostics; `schema`,
//!    the JSON Schemas from the same declarations the loader uses.
//! 4. `pipeline`: finds files and configurations, loads, looks up what the
//!    checks need from the disk, runs the checks, resolves settings.
//! 5. `view`: what templates see.
//! 6. `render`: one renderer per format, the templates and the Typst world.
//! 7. `write`: atomic files.
//! 8. `cli`, the arguments, and `cmd`, one module per subcommand.
//!
//! The library's public surface is this facade: [`check`] and
//! [`check_text`] load and check a document, [`render`] renders it in a
//! [`Format`], and [`Diagnostic`]s say what is wrong. [`run`] is the
//! command line.

mod check;
pub mod cli;
mod cmd;
mod compare;
mod diag;
mod fonts;
mod labels;
mod load;
mod markdown;
mod model;
mod pipeline;
mod render;
mod schema;
mod view;
mod write;

use std::path::Path;
use std::process::ExitCode;
use std::sync::OnceLock;

use cli::{Cli, Command};
use cmd::Status;

pub use diag::{Diagnostic, Severity};
pub use model::Format;

/// Runs a parsed command line and returns the process exit code:
/// 0 success, 1 a brief was invalid or failed to render, 2 a usage error or
/// an operational failure (a missing path, an unreadable templates folder).
pub fn run(cli: Cli) -> ExitCode {
    // A bug shows as one line, not as a panic message: the document it
    // happened in fails (see `cmd::render`), and a panic anywhere else
    // ends the run with exit code 2.
    std::panic::set_hook(Box::new(|_| {}));
    match std::panic::catch_unwind(|| run_command(&cli)) {
        Ok(code) => code,
        Err(_) => {
            eprintln!("error: brief stopped on an internal error (a bug in brief)");
            ExitCode::from(2)
        }
    }
}

fn run_command(cli: &Cli) -> ExitCode {
    let result = match &cli.command {
        Command::Render(command) => cmd::render::render(command),
        Command::Watch(command) => cmd::watch::watch(command),
        Command::Preview(command) => cmd::preview::preview(command),
        Command::Check(command) => cmd::check::check(command),
        Command::New(command) => cmd::new::new(command),
        Command::Init(command) => cmd::init::init(command),
        Command::Templates(command) => cmd::templates::templates(command),
        Command::Config(command) => cmd::config::config(command),
        Command::Schema(command) => cmd::schema::schema(command),
        Command::Diff(command) => cmd::diff::diff(command),
    };
    match result {
        Ok(Status::Success) => ExitCode::SUCCESS,
        Ok(Status::Failure) => ExitCode::from(1),
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}

/// A brief or edition, loaded and checked in its workspace.
pub struct Checked {
    checked: pipeline::Checked,
    workspace: pipeline::WorkspaceState,
    templates: OnceLock<Result<render::templates::Templates, String>>,
}

impl Checked {
    /// Every problem found, in the document and in its workspace's
    /// configuration.
    pub fn diagnostics(&self) -> Vec<&Diagnostic> {
        self.workspace
            .diagnostics
            .iter()
            .chain(&self.checked.diagnostics)
            .collect()
    }

    /// Whether the document can be rendered.
    pub fn is_ok(&self) -> bool {
        self.checked.is_ok() && self.workspace.settings.is_some()
    }

    /// The diagnostics as `check` prints them, without colour.
    pub fn report(&self) -> String {
        let mut text = String::new();
        if let Some(file) = &self.workspace.file {
            text.push_str(&diag::Printer::render_plain(
                file,
                &self.workspace.diagnostics,
            ));
        }
        text.push_str(&diag::Printer::render_plain(
            &self.checked.file,
            &self.checked.diagnostics,
        ));
        text
    }
}

/// Loads and checks a brief or edition file, in the workspace of the
/// `brief.toml` found above it (the built-in defaults if there is none).
pub fn check(path: &Path) -> anyhow::Result<Checked> {
    let options = pipeline::Options {
        fallback_output: "output".into(),
        ..pipeline::Options::default()
    };
    let config = pipeline::find_config(path, None);
    let workspace = pipeline::load_workspace(config.as_deref(), &options);
    let checked = pipeline::check_document(path, 0, &workspace)?;
    Ok(Checked {
        checked,
        workspace,
        templates: OnceLock::new(),
    })
}

/// Checks a brief or edition given as text, as if read from `path`, with
/// the built-in settings.
pub fn check_text(path: &Path, text: String) -> Checked {
    let options = pipeline::Options {
        fallback_output: "output".into(),
        ..pipeline::Options::default()
    };
    let workspace = pipeline::load_workspace(None, &options);
    let checked = pipeline::check_loaded(path, load::load_text(path, text), 0, &workspace);
    Checked {
        checked,
        workspace,
        templates: OnceLock::new(),
    }
}

/// Every output format.
pub fn formats() -> &'static [Format] {
    <Format as model::Vocabulary>::ALL
}

/// Renders a checked document in one format, in memory, with its
/// workspace's templates and settings.
pub fn render(document: &Checked, format: Format) -> anyhow::Result<Vec<u8>> {
    let (Some(settings), Some(doc_settings), Some(id), Some(inner)) = (
        &document.workspace.settings,
        &document.checked.settings,
        &document.checked.id,
        &document.checked.document,
    ) else {
        anyhow::bail!("the document has errors");
    };
    if !document.is_ok() {
        anyhow::bail!("the document has errors");
    }
    let templates = document
        .templates
        .get_or_init(|| {
            render::templates::Templates::load(settings.templates.value.as_deref()).map_err(|e| {
                match e.downcast_ref::<render::TemplateErrors>() {
                    Some(errors) => errors.report(),
                    None => format!("{e:#}"),
                }
            })
        })
        .as_ref()
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    let subject = match (inner, &document.checked.edition) {
        (model::Document::Brief(brief), _) => render::Subject::Brief(brief),
        (model::Document::Edition(_), Some(resolved)) => render::Subject::Edition(resolved),
        _ => anyhow::bail!("the edition's items could not be resolved"),
    };
    let job = render::Job {
        subject,
        id,
        path: &document.checked.file.path,
        templates,
        workspace: settings,
        settings: doc_settings,
        item_settings: &document.checked.item_settings,
        pictures: &document.checked.pictures,
        fonts: &document.workspace.fonts,
        output: None,
        since: &document.checked.since,
    };
    match render::renderer(format).render(&job) {
        Ok(rendered) => Ok(rendered.bytes),
        Err(err) => match err.downcast_ref::<render::TemplateErrors>() {
            Some(errors) => anyhow::bail!("{format} failed:\n{}", errors.report()),
            None => Err(err),
        },
    }
}

/// The stages and what each may use: a module may use only modules of
/// lower layers (`docs/architecture.md` draws them).
#[cfg(test)]
mod architecture {
    use std::collections::BTreeMap;
    use std::path::Path;

    /// Every module under `src/`, by layer, lowest first.
    const LAYERS: &[&[&str]] = &[
        &["model", "diag", "labels"],
        &["load", "markdown", "fonts"],
        &["check", "compare", "schema"],
        &["pipeline"],
        &["view"],
        &["render"],
        &["write"],
        &["cli"],
        &["cmd"],
    ];

    fn layer(module: &str) -> Option<usize> {
        LAYERS.iter().position(|l| l.contains(&module))
    }

    /// The modules a file names as `crate::NAME` or `$crate::NAME`.
    fn uses(text: &str) -> Vec<String> {
        let mut found = Vec::new();
        let mut rest = text;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group
                    .split('}')
                    .next()
                    .unwrap_or("")
                    .split(',')
                    .map(|n| n.trim().split("::").next().unwrap_or(""))
                    .collect(),
                None => vec![
                    rest.split(|c: char| !(c.is_alphanumeric() || c == '_'))
                        .next()
                        .unwrap_or(""),
                ],
            };
            found.extend(
                names
                    .into_iter()
                    .filter(|n| !n.is_empty())
                    .map(str::to_string),
            );
        }
        found
    }

    fn walk(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// No module uses a module of its own layer or above it: the data
    /// flows one way, and there is no import cycle.
    #[test]
    fn every_module_uses_only_lower_stages() {
        let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        walk(&src, &mut files);
        let mut problems = BTreeMap::new();
        let mut seen = 0;
        for file in files {
            let relative = file.strip_prefix(&src).unwrap();
            let first = relative
                .components()
                .next()
                .unwrap()
                .as_os_str()
                .to_string_lossy();
            let module = first.trim_end_matches(".rs").to_string();
            if module == "lib" || module == "main" {
                continue;
            }
            let own = layer(&module).unwrap_or_else(|| panic!("{module} has no layer"));
            seen += 1;
            let text = std::fs::read_to_string(&file).unwrap();
            for used in uses(&text) {
                if used == module {
                    continue;
                }
                let theirs = layer(&used).unwrap_or_else(|| panic!("{used} has no layer"));
                if theirs >= own {
                    problems
                        .entry(relative.display().to_string())
                        .or_insert_with(Vec::new)
                        .push(used);
                }
            }
        }
        assert!(seen > 30, "the source files were read");
        assert!(
            problems.is_empty(),
            "modules using their own layer or above: {problems:?}"
        );
    }

    #[test]
    fn uses_are_found_in_every_form() {
        assert_eq!(
            uses("use crate::{model::Brief, diag};\nlet x = $crate::load::decode::Cx;"),
            ["model", "diag", "load"]
        );
    }
}
