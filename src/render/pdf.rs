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
use crate::model::PdfStandard;

/// Compiles `brief.typ` (or `edition.typ`) to a tagged PDF.
pub(crate) struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        let source = typ::source(job)?;
        let day = job.date();
        let root = job.root();
        let template_dir = job.templates.typst_dir(root);
        let mut modules = job.templates.typst_modules();
        modules.push(Module {
            name: super::templates::GENERATED_THEME.into(),
            text: source.theme,
            origin: "theme.typ (generated from the theme)".into(),
        });
        let main = Module {
            origin: format!(
                "{} (the Typst rendered from {})",
                source.template,
                job.templates.origin(&source.template)
            ),
            name: source.template,
            text: source.text,
        };
        // The fonts: the theme's families, and any other family the
        // templates name (a family no folder provides is reported below).
        let mut families: Vec<String> = job.workspace.theme.families().map(str::to_string).to_vec();
        let available = job.fonts.families();
        let texts: Vec<String> = modules
            .iter()
            .map(|m| m.text.to_lowercase())
            .chain(std::iter::once(main.text.to_lowercase()))
            .collect();
        for family in &available {
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
        // Pictures beside templates kept outside the root are readable too.
        let mut mounts = job.mounts();
        if let (true, Some(dir)) = (
            template_dir == super::world::TEMPLATE_DIR,
            job.templates.dir(),
        ) {
            mounts.add(super::world::TEMPLATE_DIR, dir);
        }
        let world = BriefWorld::new(main, modules, &template_dir, fonts, day, mounts);
        let standards: Vec<TypstStandard> = job
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
        compile(&world, job.id, day, &standards, &available)
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

/// Compiles a world's main file to PDF bytes, with metadata dates taken
/// from `day` (never the clock) so the same input gives the same bytes.
/// Compiler errors and warnings become diagnostics in the template files;
/// a font family the fonts do not have is an error (the text would
/// otherwise come silently from another font).
pub(crate) fn compile(
    world: &BriefWorld,
    ident: &str,
    day: (i32, u8, u8),
    standards: &[TypstStandard],
    families: &[String],
) -> anyhow::Result<Rendered> {
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
    let timestamp = Datetime::from_ymd_hms(day.0, day.1, day.2, 0, 0, 0).map(Timestamp::new_utc);
    let standards = PdfStandards::new(standards)
        .map_err(|e| anyhow::anyhow!("cannot combine these PDF standards: {}", e.message()))?;
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp,
        standards,
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(&document, &options) {
        Ok(bytes) => Ok(Rendered {
            bytes,
            companions: Vec::new(),
            warnings,
        }),
        Err(diags) => {
            let problems: Vec<(SourceFile, Diagnostic)> = diags
                .iter()
                .map(|d| {
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
