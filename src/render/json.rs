//! The JSON output: the resolved brief or edition, for other systems.
//!
//! It is the data the templates see, less what only a page needs (labels,
//! anchors): sources numbered in order of first citation, citations as
//! those numbers, likelihoods with their ranges, events sorted. Markdown
//! fields are normalized Markdown. `schema/output.schema.json` describes it.

use serde_json::{Map, Value};

use super::{Job, Rendered, Renderer, Subject};
use crate::render::markdown::MarkdownMarkup;

/// The version of the JSON output's shape.
pub const FORMAT_VERSION: u32 = 1;

/// Renders `<id>.json`.
pub(crate) struct JsonRenderer;

impl Renderer for JsonRenderer {
    fn render(&self, job: &Job) -> anyhow::Result<Rendered> {
        let (kind, value) = match job.subject {
            Subject::Brief(brief) => (
                "brief",
                serde_json::to_value(job.brief_view(brief, &MarkdownMarkup))?,
            ),
            Subject::Edition(resolved) => (
                "edition",
                serde_json::to_value(job.edition_view(resolved, &MarkdownMarkup, 3))?,
            ),
        };
        let mut object = Map::new();
        object.insert("kind".into(), Value::from(kind));
        object.insert("format_version".into(), Value::from(FORMAT_VERSION));
        if let Value::Object(fields) = strip(value) {
            object.extend(fields);
        }
        let mut text = serde_json::to_string_pretty(&Value::Object(object))?;
        text.push('\n');
        Ok(text.into_bytes().into())
    }
}

/// Keys that only pages need.
const PAGE_ONLY: &[&str] = &[
    "labels",
    "theme",
    "logo",
    "anchor",
    "anchor_prefix",
    "generator",
    "text_lang",
    "numbering",
    "toc",
    "confidence_text",
    "kind_text",
    "stance_text",
    "status_text",
];

fn strip(value: Value) -> Value {
    match value {
        Value::Object(fields) => Value::Object(
            fields
                .into_iter()
                .filter(|(k, _)| !PAGE_ONLY.contains(&k.as_str()))
                .map(|(k, v)| (k, strip(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.into_iter().map(strip).collect()),
        other => other,
    }
}
