//! The PDF output: the Typst source compiled by the embedded compiler.

use anyhow::bail;
use typst::foundations::{Datetime, Smart};
use typst_layout::PagedDocument;
use typst_pdf::{PdfOptions, Timestamp};

use super::{Job, Renderer, typ};
use crate::world::BriefWorld;

/// Compiles `brief.typ` (or `edition.typ`) to a tagged PDF.
pub(crate) struct PdfRenderer;

impl Renderer for PdfRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Vec<u8>> {
        let source = typ::source(job)?;
        let day = job.date();
        let world = BriefWorld::new(
            "brief.typ",
            source,
            job.templates.typst_modules(),
            day,
            Some(job.folder()),
        );
        compile(&world, job.id, day)
    }
}

/// Compiles a world's main file to PDF bytes, with metadata dates taken
/// from `day` (never the clock) so the same input gives the same bytes.
pub(crate) fn compile(
    world: &BriefWorld,
    ident: &str,
    day: (i32, u8, u8),
) -> anyhow::Result<Vec<u8>> {
    let result = typst::compile::<PagedDocument>(world);
    let document = match result.output {
        Ok(document) => document,
        Err(errors) => {
            // The first few errors explain the rest.
            let messages: Vec<String> = errors.iter().take(5).map(|d| world.describe(d)).collect();
            let more = errors.len().saturating_sub(5);
            let tail = if more > 0 {
                format!(" (and {more} more)")
            } else {
                String::new()
            };
            bail!(
                "the PDF could not be typeset: {}{tail}",
                messages.join("; ")
            );
        }
    };
    let timestamp = Datetime::from_ymd_hms(day.0, day.1, day.2, 0, 0, 0).map(Timestamp::new_utc);
    let options = PdfOptions {
        ident: Smart::Custom(ident.to_string()),
        timestamp,
        ..PdfOptions::default()
    };
    match typst_pdf::pdf(&document, &options) {
        Ok(bytes) => Ok(bytes),
        Err(errors) => {
            let messages: Vec<String> = errors.iter().map(|d| world.describe(d)).collect();
            bail!("the PDF could not be written: {}", messages.join("; "));
        }
    }
}
