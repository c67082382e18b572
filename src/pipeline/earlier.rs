//! `--since`: the earlier versions of the briefs a run renders, and what
//! changed since each.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use super::Checked;
use crate::check::{check_limits, document_id, value_problem};
use crate::compare::{Record, Since};
use crate::diag::{Diagnostic, SourceFile, has_errors};
use crate::load;
use crate::model::Document;

/// The earlier versions read from the path `--since` gives.
#[derive(Debug, Default)]
pub(crate) struct Earlier {
    /// The path given.
    pub path: PathBuf,
    /// Whether it is one brief's file: then it is the earlier version of
    /// whichever brief is rendered, whatever its id.
    pub single: bool,
    /// Every brief read, by id.
    pub records: Vec<Record>,
    /// The files that could not be read as briefs, with their errors.
    pub reports: Vec<(SourceFile, Vec<Diagnostic>)>,
}

impl Earlier {
    /// Adds a brief read, unless one of the same id is there already (an
    /// edition and its item files in one folder hold each brief twice).
    fn add(&mut self, record: Record) {
        if !self.records.iter().any(|r| r.id == record.id) {
            self.records.push(record);
        }
    }

    /// The earlier version of the brief `id`.
    pub fn find(&self, id: &str) -> Option<&Record> {
        if self.single {
            return self.records.first();
        }
        self.by_id(id)
    }

    /// The earlier brief whose id is `id`.
    fn by_id(&self, id: &str) -> Option<&Record> {
        self.records.iter().find(|r| r.id == id)
    }

    /// The number of errors in the files read.
    pub fn errors(&self) -> usize {
        self.reports.iter().map(|(_, d)| d.len()).sum()
    }

    /// What changed in a checked document since its earlier version: one
    /// entry for a brief, one per item for an edition, none for a
    /// document that cannot be rendered.
    pub fn compare(&self, checked: &Checked) -> Vec<Since> {
        match (&checked.document, &checked.id, &checked.edition) {
            (Some(Document::Brief(brief)), Some(id), _) => {
                let record = Record::of(brief, id);
                vec![Since::of(self.find(id), &record)]
            }
            // One brief's file is no earlier version of an edition's every
            // item: items are matched by id.
            (Some(Document::Edition(_)), _, Some(resolved)) => resolved
                .items
                .iter()
                .map(|item| Since::of(self.by_id(&item.id), &Record::of(&item.brief, &item.id)))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Reads the earlier versions at `path`: a brief or edition (YAML), a
/// JSON export of either, or a folder of such files (not below it).
pub(crate) fn load_earlier(path: &Path) -> anyhow::Result<Earlier> {
    let mut earlier = Earlier {
        path: path.to_path_buf(),
        ..Earlier::default()
    };
    if path.is_dir() {
        let mut files: Vec<PathBuf> = std::fs::read_dir(path)
            .with_context(|| format!("cannot read folder {}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| {
                p.is_file()
                    && p.extension()
                        .and_then(|e| e.to_str())
                        .is_some_and(|e| matches!(e, "yaml" | "yml" | "json"))
                    && !p
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with('.') || n.ends_with(".stix.json"))
            })
            .collect();
        files.sort();
        for file in files {
            read(&file, &mut earlier, true)?;
        }
    } else if path.is_file() {
        let editions = read(path, &mut earlier, false)?;
        earlier.single = !editions && earlier.records.len() == 1;
    } else {
        anyhow::bail!("{} does not exist", path.display());
    }
    Ok(earlier)
}

/// Every text of a record.
fn texts(record: &Record) -> Vec<&str> {
    let mut out = vec![
        record.id.as_str(),
        &record.title,
        &record.summary,
        &record.outlook,
    ];
    for j in record.judgments.iter().chain(&record.implications) {
        out.push(&j.text);
        out.extend(j.area.as_deref());
    }
    out.extend(record.developments.iter().map(|d| d.title.as_str()));
    out.extend(record.upcoming.iter().map(|e| e.title.as_str()));
    out.extend(record.actors.iter().map(|a| a.name.as_str()));
    out.extend(record.sources.iter().map(|s| s.name.as_str()));
    out
}

/// The errors of a loaded earlier version: its own, and those of the
/// limits every brief is held to.
fn errors_of(loaded: &load::Loaded) -> Vec<Diagnostic> {
    loaded
        .diagnostics
        .iter()
        .cloned()
        .chain(check_limits(&loaded.file.text, &loaded.text_spans))
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .collect()
}

/// Reads one file into `earlier`; true if it was an edition.
fn read(path: &Path, earlier: &mut Earlier, in_folder: bool) -> anyhow::Result<bool> {
    let is_json = path.extension().is_some_and(|e| e == "json");
    if is_json {
        let file = match load::read_text(path, "an earlier version")? {
            Ok(file) => file,
            Err((file, diag)) => {
                earlier.reports.push((file, vec![diag]));
                return Ok(false);
            }
        };
        match Record::from_export(&file.text) {
            Ok((records, edition)) => {
                // The export's text is held to the limits a brief's is.
                let problem = records.iter().flat_map(texts).find_map(value_problem);
                if let Some(problem) = problem {
                    let diag =
                        Diagnostic::error(0..0, format!("this earlier version holds {problem}"))
                            .with_help(
                                "see docs/limits.md; give an export of a brief within the limits",
                            );
                    earlier.reports.push((file, vec![diag]));
                    return Ok(false);
                }
                for record in records {
                    earlier.add(record);
                }
                return Ok(edition);
            }
            // In a folder, JSON files that are not exports of a brief or
            // an edition (a STIX bundle, a saved `brief diff`, an editor's
            // settings) are not earlier versions.
            Err(_) if in_folder && !file.text.contains("\"kind\"") => {
                return Ok(false);
            }
            Err(diag) => {
                earlier.reports.push((file, vec![diag]));
                return Ok(false);
            }
        }
    }
    let loaded = load::load_path(path)?;
    let mut diagnostics = errors_of(&loaded);
    let document = loaded.document.filter(|_| loaded.complete);
    let mut edition = false;
    match &document {
        Some(whole @ Document::Brief(brief)) => {
            let (id, _) = document_id(whole, path, &mut diagnostics);
            if let (Some(id), false) = (id, has_errors(&diagnostics)) {
                earlier.add(Record::of(brief, &id));
            }
        }
        Some(Document::Edition(ed)) => {
            edition = true;
            let folder = path.parent().unwrap_or(Path::new("."));
            for item in ed.items.iter() {
                let item_path = folder.join(item.as_str());
                let loaded = match load::load_path(&item_path) {
                    Ok(loaded) => loaded,
                    Err(err) => {
                        diagnostics.push(
                            Diagnostic::error(
                                item.span.clone(),
                                format!("edition item `{}` cannot be read", item.as_str()),
                            )
                            .with_label(format!("{:#}", err.root_cause())),
                        );
                        continue;
                    }
                };
                let errors = errors_of(&loaded);
                match &loaded.document.filter(|_| loaded.complete) {
                    Some(whole @ Document::Brief(brief)) if errors.is_empty() => {
                        let mut problems = Vec::new();
                        if let (Some(id), _) = document_id(whole, &item_path, &mut problems) {
                            earlier.add(Record::of(brief, &id));
                        }
                    }
                    _ if !errors.is_empty() => earlier.reports.push((loaded.file, errors)),
                    _ => {}
                }
            }
        }
        None => {}
    }
    if !diagnostics.is_empty() {
        earlier.reports.push((loaded.file, diagnostics));
    }
    Ok(edition)
}
