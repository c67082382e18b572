//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::model::{Format, PdfStandard};

/// Turns analyst-written YAML briefs into Markdown, HTML and PDF briefings.
#[derive(Debug, Parser)]
#[command(name = "brief", version, about, max_term_width = 100)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Check briefs and render them to Markdown, HTML and PDF.
    Render(RenderCommand),
    /// Check briefs without rendering them, reporting every problem.
    Check(CheckCommand),
    /// Write a new brief with every section ready to fill in.
    New(NewCommand),
    /// Create a workspace: briefs/ with an example, output/, a README.
    Init(InitCommand),
    /// Write built-in templates out for customisation.
    Templates(TemplatesCommand),
    /// Print the effective configuration and where each value comes from.
    Config(ConfigCommand),
    /// Print the JSON Schema of brief and edition files.
    Schema(SchemaCommand),
    /// Render, then render again what each save changes, until Ctrl-C.
    Watch(RenderCommand),
    /// Show a brief or edition in the browser, updated on every save.
    Preview(PreviewCommand),
    /// Print what changed between two versions of a brief or edition.
    Diff(DiffCommand),
}

/// Arguments of `brief diff`.
#[derive(Debug, Args)]
pub struct DiffCommand {
    /// The earlier version: a brief or edition (YAML), a JSON export of
    /// one (`render -f json`), or a folder of such files.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,

    /// The later version, in the same forms.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,

    /// How to print the changes.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    pub format: ListingFormat,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Arguments of `brief preview`.
#[derive(Debug, Args)]
pub struct PreviewCommand {
    /// The brief or edition to show.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,

    /// The port on 127.0.0.1 to serve it on (0: any free port).
    #[arg(long, value_name = "N", default_value_t = 8687)]
    pub port: u16,

    /// Folder of templates overriding the built-in ones file by file.
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Use this brief.toml instead of the one found above the file.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Arguments of `brief schema`.
#[derive(Debug, Args)]
pub struct SchemaCommand {
    /// Print the schema of `render -f json`'s output instead.
    #[arg(long, conflicts_with = "toml")]
    pub output: bool,

    /// Print the schema of `brief.toml` instead.
    #[arg(long)]
    pub toml: bool,
}

/// Arguments of `brief config`.
#[derive(Debug, Args)]
pub struct ConfigCommand {
    /// A brief or edition file (its own fields count too), or a folder of
    /// the workspace.
    #[arg(value_name = "PATH", default_value = ".")]
    pub path: PathBuf,

    /// How to print the configuration.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    pub format: ListingFormat,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Arguments of `brief check`.
#[derive(Debug, Args)]
pub struct CheckCommand {
    /// Brief files, or folders searched recursively for *.yaml and *.yml
    /// [default: briefs/, here or in the workspace around the current folder].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// How to print diagnostics: for people, or as JSON for editors and CI.
    #[arg(long, value_name = "FORMAT", default_value = "human")]
    pub format: DiagnosticFormat,

    /// Fail (exit 1) on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,

    /// Use this brief.toml for every file instead of the one found above it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// How `check` prints diagnostics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiagnosticFormat {
    /// Like a compiler: location, source line, caret, help.
    Human,
    /// One JSON document on standard output.
    Json,
}

/// How `config` prints the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListingFormat {
    /// In the form of brief.toml, each value with its origin.
    Human,
    /// One JSON document on standard output.
    Json,
}

/// Arguments of `brief new`.
#[derive(Debug, Args)]
pub struct NewCommand {
    /// The new brief's id, which is also its file name: briefs/SLUG.yaml.
    #[arg(value_name = "SLUG")]
    pub slug: String,

    /// The brief's title.
    #[arg(long, value_name = "TITLE")]
    pub title: Option<String>,

    /// The brief's date, YYYY-MM-DD [default: today].
    #[arg(long, value_name = "DATE")]
    pub date: Option<String>,

    /// The folder to write into [default: briefs/, here or in the
    /// workspace around the current folder].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Write an edition instead, its items the briefs in the folder (and
    /// below it) that are current on its date; the older ones are listed
    /// commented out.
    #[arg(long)]
    pub edition: bool,
}

/// Arguments of `brief init`.
#[derive(Debug, Args)]
pub struct InitCommand {
    /// The folder to make a workspace of (created if missing).
    #[arg(value_name = "DIR", default_value = ".")]
    pub dir: PathBuf,
}

/// Arguments of `brief templates`.
#[derive(Debug, Args)]
pub struct TemplatesCommand {
    /// The templates to write, such as brief.css or brief-style.typ [default: all].
    #[arg(value_name = "NAME")]
    pub names: Vec<String>,

    /// The folder to write them to [default: the workspace's templates
    /// folder, else templates/].
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Replace files that already exist.
    #[arg(long)]
    pub force: bool,

    /// Use this brief.toml instead of the one found from the current folder.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Arguments of `brief render`.
#[derive(Debug, Args)]
pub struct RenderCommand {
    /// Brief files, or folders searched recursively for *.yaml and *.yml
    /// [default: briefs/, here or in the workspace around the current folder].
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub workspace: WorkspaceArgs,

    /// Publish an edition without its items that have errors, naming them
    /// on stderr and in the edition's contents, instead of not at all.
    #[arg(long)]
    pub skip_invalid: bool,

    /// How many documents to render at once [default: the number of
    /// cores].
    #[arg(long, short = 'j', value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,

    /// Print problems only: no line per file written, no progress bar.
    #[arg(long, short = 'q')]
    pub quiet: bool,

    /// Add a "Changes since" section after the bottom line, comparing
    /// each brief with its earlier version: a brief's YAML or JSON export,
    /// an earlier edition, or a folder of such files (matched by id).
    #[arg(long, value_name = "OLD")]
    pub since: Option<PathBuf>,

    #[command(flatten)]
    pub output_args: OutputArgs,
}

/// Flags that override the workspace configuration.
#[derive(Debug, Args, Clone)]
pub struct WorkspaceArgs {
    /// Folder to write the outputs to [default: brief.toml's `render.output`,
    /// else output/].
    #[arg(short, long, value_name = "DIR")]
    pub output: Option<PathBuf>,

    /// Formats to write, separated by commas: md, html, pdf, typ (the
    /// PDF's Typst source), ics (upcoming events), json, stix (a STIX 2.1
    /// bundle) [default: brief.toml's `render.formats`, else md,html,pdf].
    #[arg(short, long, value_name = "FORMATS", value_delimiter = ',')]
    pub formats: Option<Vec<Format>>,

    /// Folder of templates overriding the built-in ones file by file
    /// [default: brief.toml's `render.templates`, else templates/ if it exists].
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,

    /// Use this brief.toml for every file instead of the one found above it.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// PDF standards to meet, separated by commas: a-2b, a-2a, a-3b (one
    /// of these) and ua-1 [default: brief.toml's `pdf.standards`, else
    /// none: a tagged PDF].
    #[arg(long = "pdf-standard", value_name = "STANDARDS", value_delimiter = ',')]
    pub pdf_standards: Option<Vec<PdfStandard>>,
}

/// Flags shared by commands that print diagnostics.
#[derive(Debug, Args, Clone)]
pub struct OutputArgs {
    /// When to colour diagnostics.
    #[arg(long, value_name = "WHEN", default_value = "auto")]
    pub color: ColorChoice,

    /// Say which configuration and which template files are used.
    #[arg(short, long)]
    pub verbose: bool,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set.
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

impl ColorChoice {
    /// Whether to colour output written to standard error.
    pub fn for_stderr(self) -> bool {
        use std::io::IsTerminal;
        match self {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stderr().is_terminal()
            }
        }
    }
}

impl RenderCommand {
    /// How many documents to render at once: `--jobs`, else one per core.
    pub fn jobs(&self) -> usize {
        match self.jobs {
            Some(n) => usize::from(n),
            None => std::thread::available_parallelism().map_or(1, |n| n.get()),
        }
    }
}
