//! Running the binary on a copy of a fixture workspace, and reading PDFs
//! the way a reader's tools would (poppler's pdftotext, pdfinfo, pdffonts).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A temporary copy of a fixture workspace.
pub struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// Copies `tests/fixtures/<name>` into a fresh temporary folder.
    pub fn fixture(name: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("temporary folder");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&source, dir.path());
        Workspace { dir }
    }

    /// The workspace folder.
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A path inside the workspace.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Runs `brief` with `args` in the workspace.
    pub fn run(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .current_dir(self.path())
            .env("NO_COLOR", "1")
            .output()
            .expect("brief runs")
    }

    /// Reads a file of the workspace as text.
    pub fn read(&self, rel: &str) -> String {
        fs::read_to_string(self.join(rel)).unwrap_or_else(|e| panic!("cannot read {rel}: {e}"))
    }

    /// Writes a file into the workspace.
    pub fn write(&self, rel: &str, text: &str) {
        let path = self.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap_or_else(|e| panic!("fixture {}: {e}", from.display())) {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), target).unwrap();
        }
    }
}

/// Standard output and error of a run, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "status: {:?}\nstdout:\n{}\nstderr:\n{}",
        output.status.code(),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Asserts that a run succeeded and returns its stdout.
pub fn success(output: &Output) -> String {
    assert!(
        output.status.success(),
        "brief failed\n{}",
        describe(output)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn poppler(tool: &str, args: &[&str]) -> String {
    let output = Command::new(tool).args(args).output().unwrap_or_else(|e| {
        panic!("{tool} is needed to check PDFs (apt-get install poppler-utils): {e}")
    });
    assert!(
        output.status.success(),
        "{tool} {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// The text of each page of a PDF, in reading order.
pub fn pdf_pages(path: &Path) -> Vec<String> {
    let text = poppler("pdftotext", &[path.to_str().unwrap(), "-"]);
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The whole text of a PDF with whitespace runs collapsed to one space.
pub fn pdf_text(path: &Path) -> String {
    squash(&pdf_pages(path).join(" "))
}

/// `pdfinfo` fields of a PDF.
pub fn pdf_info(path: &Path) -> String {
    poppler("pdfinfo", &[path.to_str().unwrap()])
}

/// `pdffonts` table of a PDF.
pub fn pdf_fonts(path: &Path) -> String {
    poppler("pdffonts", &[path.to_str().unwrap()])
}

/// Collapses whitespace runs, so text wrapped across lines still matches;
/// a soft hyphen at a line break (a hyphenated word) is joined back.
pub fn squash(text: &str) -> String {
    let joined = text.replace("\u{ad}\n", "").replace('\u{ad}', "");
    joined.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Asserts that `needles` occur in `haystack` in this order.
pub fn assert_in_order(haystack: &str, needles: &[&str], what: &str) {
    let mut from = 0;
    for needle in needles {
        match haystack[from..].find(needle) {
            Some(pos) => from += pos + needle.len(),
            None => {
                panic!("{what}: `{needle}` missing or out of order (after byte {from})\n{haystack}")
            }
        }
    }
}
