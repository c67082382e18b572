//! Stage three: what templates see.
//!
//! A view is a checked document resolved for reading: developments and
//! upcoming dates sorted, sources numbered in order of first citation, ids
//! replaced by names, vocabularies spelled out, dates written in the
//! document's language, the workspace's settings applied, and Markdown
//! converted to the output's markup. Converted markup is marked safe for
//! the template engine; every other string is escaped by the template's
//! format. The fields of [`BriefView`] and [`EditionView`] are the template
//! API, documented in `docs/templates.md`.
//!
//! - [`brief`]: one brief.
//! - [`edition`]: an edition and its chapters.
//! - [`changes`]: the changes since an earlier version (`--since`).
//! - [`dates`]: dates and languages.
//! - [`theme`]: the workspace's look and identity (theme tokens, logo,
//!   distribution statement).

mod brief;
mod changes;
mod dates;
mod edition;
mod theme;

use serde::{Serialize, Serializer};

pub(crate) use brief::{BriefView, UpcomingView, ViewOptions, build};
pub(crate) use changes::{ChangeView, ChangesView};
pub(crate) use edition::{EditionOptions, EditionView, build_edition};
pub(crate) use theme::ThemeView;

use crate::markdown::Context;
use crate::model::{Likelihood, Picture, Tlp, Vocabulary};

/// One output format's markup: how Markdown fields and pictures are written.
pub(crate) trait Markup {
    /// Converts one Markdown field.
    fn convert(&self, text: &str, cx: &Context) -> String;

    /// How the format refers to a picture file of the workspace (the
    /// logo), or `None` if the format does not show it.
    fn picture(&self, picture: &Picture) -> Option<String>;
}

/// Markup already in the output format: not escaped again by templates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rich(pub String);

impl Serialize for Rich {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        tera::Value::safe_string(&self.0).serialize(serializer)
    }
}

/// The view of a comparison in `language`, with the labels `workspace`
/// renames (for the terminal, where no template is used).
pub(crate) fn changes_in(
    since: &crate::compare::Since,
    language: &str,
    workspace: &crate::model::Workspace,
) -> ChangesView {
    changes::build(since, &dates::Lang::new(language, workspace))
}

/// The program name and version, as written into output metadata.
pub(crate) const GENERATOR: &str = concat!("brief ", env!("CARGO_PKG_VERSION"));

/// The TLP label as templates show it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct TlpView {
    /// Exactly `TLP:AMBER` etc.
    pub label: &'static str,
    /// The label's colour, `#FFC000` etc.; always on black.
    pub colour: &'static str,
    /// Lower-case name, `amber+strict` etc.
    pub name: &'static str,
    /// Who may receive the information.
    pub meaning: &'static str,
}

impl TlpView {
    /// The view of a TLP label.
    pub fn of(tlp: Tlp) -> TlpView {
        TlpView {
            label: tlp.label(),
            colour: tlp.colour(),
            name: tlp.word(),
            meaning: tlp.meaning(),
        }
    }
}

/// The handling marking.
#[derive(Debug, Clone, Serialize, Default)]
pub(crate) struct MarkingView {
    /// The TLP label, if set.
    pub tlp: Option<TlpView>,
    /// The classification banner, if set.
    pub classification: Option<String>,
}

/// A likelihood term with its probability range.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct LikelihoodView {
    /// The term as written, e.g. `likely`.
    pub term: &'static str,
    /// The term in the document's language, e.g. `probable` in French.
    pub text: String,
    /// Its range, e.g. `55-80%`, as the document's language writes it.
    pub range: String,
    /// 0 (almost no chance) to 6 (almost certain).
    pub level: usize,
}

impl LikelihoodView {
    /// The view of a likelihood.
    pub fn of(l: Likelihood, lang: &dates::Lang) -> LikelihoodView {
        LikelihoodView {
            term: l.term(),
            text: lang.term_start("likelihood", l.term()),
            range: dates::percent_range(&lang.primary, l.range()),
            level: l.level(),
        }
    }
}

/// A reference to a numbered source.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct CiteView {
    /// The source's number.
    pub n: usize,
    /// Its anchor (HTML id, Typst label).
    pub anchor: String,
}

/// A reference to an actor by name.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ActorRef {
    /// The actor's id.
    pub id: String,
    /// The actor's name.
    pub name: String,
}
