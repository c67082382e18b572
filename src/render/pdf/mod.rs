//! The PDF output: the Typst source compiled by the embedded compiler.

use std::sync::atomic::{AtomicUsize, Ordering};

use typst::diag::Severity as TypstSeverity;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, PdfStandard as TypstStandard, PdfStandards, Timestamp};

use super::world::{BriefWorld, Fonts, Module};
use super::{Job, Rendered, Renderer, TemplateErrors, typ};
use crate::diag::{Diagnostic, Severity, SourceFile};
use crate::fonts::{Coverage, FALLBACKS};
use crate::markdown::Mounts;
use crate::model::PdfStandard;
use crate::view::ThemeView;

mod parts;

/// Compiles `brief.typ` (or `edition.typ`) to a tagged PDF.
pub(crate) struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        let setup = Setup::new(job, typ::theme_module(&ThemeView::of(job.workspace)));
        if let Some(rendered) = parts::render(&setup)? {
            return Ok(rendered);
        }
        let source = typ::source(job)?;
        let origin = job.templates.origin(&source.template);
        let main = Module {
            origin: format!("{} (the Typst rendered from {origin})", source.template),
            name: source.template,
            text: source.text,
        };
        let world = setup.world(main);
        let (document, warnings) = typeset(&world, &setup.available)?;
        export(&document, &setup, &[&world], warnings)
    }
}

/// What every compilation of a document shares: the template modules and
/// theme, the folder they appear in, the pictures' folders, the date, the
/// fonts and the PDF settings.
pub(super) struct Setup<'a> {
    job: &'a Job<'a>,
    modules: Vec<Module>,
    template_dir: String,
    mounts: Mounts,
    day: (i32, u8, u8),
    /// The families a template may name.
    available: Vec<String>,
    standards: Vec<TypstStandard>,
}

impl<'a> Setup<'a> {
    fn new(job: &'a Job<'a>, theme: String) -> Setup<'a> {
        let template_dir = job.templates.typst_dir(job.root());
        let mut modules = job.templates.typst_modules();
        modules.push(Module {
            name: super::templates::GENERATED_THEME.into(),
            text: theme,
            origin: "theme.typ (generated from the theme)".into(),
        });
        // Pictures beside templates kept outside the root are readable too.
        let mut mounts = job.mounts();
        if let (true, Some(dir)) = (
            template_dir == super::world::TEMPLATE_DIR,
            job.templates.dir(),
        ) {
            mounts.add(super::world::TEMPLATE_DIR, dir);
        }
        let standards = job
            .workspace
            .standards
            .value
            .iter()
            .map(|s| match s {
                PdfStandard::A2b => TypstStandard::A_2b,
                PdfStandard::A2a => TypstStandard::A_2a,
                PdfStandard::A3b => TypstStandard::A_3b,
                PdfStandard::Ua1 => TypstStandard::Ua_1,
            })
            .collect();
        Setup {
            job,
            modules,
            template_dir,
            mounts,
            day: job.date(),
            available: job.fonts.families(),
            standards,
        }
    }

    /// The world that compiles `main`, with the fonts its text needs.
    fn world(&self, main: Module) -> BriefWorld {
        let job = self.job;
        // The fonts: the theme's families, and any other family the
        // templates name (a family no folder provides is reported below).
        let mut families: Vec<String> = job.workspace.theme.families().map(str::to_string).to_vec();
        let texts: Vec<String> = self
            .modules
            .iter()
            .map(|m| m.text.to_lowercase())
            .chain(std::iter::once(main.text.to_lowercase()))
            .collect();
        for family in &self.available {
            let name = family.to_lowercase();
            let fallback = FALLBACKS
                .iter()
                .any(|f| f.family.eq_ignore_ascii_case(&name));
            if !fallback && texts.iter().any(|t| t.contains(&name)) {
                families.push(family.clone());
            }
        }
        let mut families: Vec<&str> = families.iter().map(String::as_str).collect();
        // The fallback families for the scripts the document has and the
        // theme's fonts lack; the others stay out of the compiler's font
        // book (the templates name them all, in order).
        // (The text fonts decide: a monospace font that happens to have
        // Arabic letters is no font for prose.)
        let coverage = Coverage::new(job.fonts, &families[..2]);
        families.extend(coverage.needed(&main.text));
        let fonts = Fonts::get(job.fonts, &families);
        BriefWorld::new(
            main,
            self.modules.clone(),
            &self.template_dir,
            fonts,
            self.day,
            self.mounts.clone(),
        )
    }
}

/// How many compilations a memoized result may go unused before it is
/// dropped, beyond one for each document compiled at the same time (each
/// finishing compilation ages every entry, those of compilations still
/// under way too). What every document shares (the standard library, the
/// template modules, shaping of common words) is used by each one and
/// stays; what was one document's own goes soon after it. A larger cache
/// was slower: trimming walks all of it (200 briefs on 2 threads: 8.5 to
/// 9.4 s with 8, 9.7 to 10.1 s with 16, three runs each).
const MEMO_MAX_AGE: usize = 6;

/// How many documents are compiled at once.
static PARALLEL: AtomicUsize = AtomicUsize::new(1);

/// Says how many documents are compiled at once, so that the memoization
/// trimmed after each keeps what the ones still under way need.
pub(crate) fn set_parallel(n: usize) {
    PARALLEL.store(n.max(1), Ordering::Relaxed);
}

/// Trims the compiler's memoization cache after a compilation, so a batch
/// of any size holds about as much as a few documents' worth. (Safe beside
/// other compilations: the cache is behind locks.)
fn trim_memo() {
    comemo::evict(MEMO_MAX_AGE + PARALLEL.load(Ordering::Relaxed));
}

/// Empties the compiler's memoization cache, for when what it holds will
/// not be asked for again (documents still under way only lose speed).
fn forget_memo() {
    comemo::evict(0);
}

/// Lays out a world's main file. Compiler errors and warnings become
/// diagnostics in the template files; a font family the fonts do not have
/// is an error (the text would otherwise come silently from another font).
pub(super) fn typeset(
    world: &BriefWorld,
    families: &[String],
) -> anyhow::Result<(PagedDocument, Vec<(SourceFile, Diagnostic)>)> {
    let result = typst::compile::<PagedDocument>(world);
    trim_memo();
    let mut errors = Vec::new();
    let mut warnings = Vec::new();
    for warning in result.warnings.iter() {
        let (file, mut diag) = world.diagnostic(warning);
        let family = warning.message.strip_prefix("unknown font family: ");
        if family.is_some_and(|f| FALLBACKS.iter().any(|fb| fb.family.eq_ignore_ascii_case(f))) {
            // A fallback family the document does not need.
            continue;
        }
        if let Some(family) = family {
            // The compiler names the family in lower case; the template's
            // own spelling is at the warning's place.
            let written = world
                .text_at(warning.span)
                .map(|t| t.trim_matches('"').to_string())
                .filter(|t| t.eq_ignore_ascii_case(family))
                .unwrap_or_else(|| family.to_string());
            diag.severity = Severity::Error;
            diag.message = format!("unknown font family `{written}`");
            diag.help
                .push(format!("available families: {}", families.join(", ")));
            diag.help.push(
                "name a family of [theme] in brief.toml, or add the font's files to a folder of [fonts] dirs"
                    .into(),
            );
            errors.push((file, diag));
        } else {
            warnings.push((file, diag));
        }
    }
    let document = match result.output {
        Ok(document) => Some(document),
        Err(diags) => {
            errors.extend(diags.iter().map(|d| world.diagnostic(d)));
            None
        }
    };
    if !errors.is_empty() {
        return Err(TemplateErrors(errors).into());
    }
    let Some(document) = document else {
        anyhow::bail!("the PDF could not be typeset");
    };
    Ok((document, warnings))
}

/// Writes a laid-out document as PDF bytes, with metadata dates taken from
/// the document's date (never the clock) so the same input gives the same
/// bytes. A problem is located in whichever of `worlds` holds its file.
pub(super) fn export(
    document: &PagedDocument,
    setup: &Setup,
    worlds: &[&BriefWorld],
    warnings: Vec<(SourceFile, Diagnostic)>,
) -> anyhow::Result<Rendered> {
    let day = setup.day;
    let timestamp = Datetime::from_ymd_hms(day.0, day.1, day.2, 0, 0, 0).map(Timestamp::new_utc);
    let standards = PdfStandards::new(&setup.standards)
        .map_err(|e| anyhow::anyhow!("cannot combine these PDF standards: {}", e.message()))?;
    let options = PdfOptions {
        ident: Smart::Custom(setup.job.id.to_string()),
        timestamp,
        standards,
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(document, &options) {
        Ok(bytes) => Ok(Rendered {
            bytes,
            companions: Vec::new(),
            warnings,
        }),
        Err(diags) => {
            let problems: Vec<(SourceFile, Diagnostic)> = diags
                .iter()
                .map(|d| {
                    let world = d
                        .span
                        .id()
                        .and_then(|id| worlds.iter().find(|w| w.holds(id)))
                        .unwrap_or(&worlds[0]);
                    let (file, mut diag) = world.diagnostic(d);
                    if d.severity == TypstSeverity::Error {
                        diag.message = format!("the PDF cannot be written: {}", diag.message);
                    }
                    (file, diag)
                })
                .collect();
            Err(TemplateErrors(problems).into())
        }
    }
}
