//! An edition with its items loaded: what the edition's renderers get.

use std::path::PathBuf;

use super::brief::{Brief, Edition};
use super::vocab::Tlp;

/// One brief of an edition, loaded and checked.
#[derive(Debug, Clone)]
pub struct Item {
    /// The brief.
    pub brief: Brief,
    /// Its id.
    pub id: String,
    /// Its file.
    pub path: PathBuf,
}

/// An edition with its items loaded.
#[derive(Debug, Clone)]
pub struct Resolved {
    /// The edition as written.
    pub edition: Edition,
    /// Its briefs, in the order listed.
    pub items: Vec<Item>,
    /// The marking the edition carries: its own, or the most restrictive
    /// of its items'.
    pub tlp: Option<Tlp>,
    /// The classification banner: the edition's own, or its items'
    /// banners (each once, in item order) joined with ` / `.
    pub classification: Option<String>,
    /// The items left out because they have errors (`render
    /// --skip-invalid`), in the order listed.
    pub left_out: Vec<LeftOut>,
}

/// An item of an edition left out because it has errors. It is named by
/// its file, as the edition lists it, never by text from inside it: a
/// brief with errors may be marked more strictly than the edition, or its
/// marking may be what cannot be read.
#[derive(Debug, Clone)]
pub struct LeftOut {
    /// The item as the edition lists it.
    pub item: String,
}
