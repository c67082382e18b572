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

    /// Copies `tests/fixtures/<name>` into the folder `sub` of a fresh
    /// temporary folder; the workspace's commands run from the temporary
    /// folder, above the copy.
    pub fn fixture_in(name: &str, sub: &str) -> Workspace {
        let dir = tempfile::tempdir().expect("temporary folder");
        let source = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name);
        copy_dir(&source, &dir.path().join(sub));
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

    /// Runs `brief` with `args` in the folder `sub` of the workspace.
    pub fn run_in(&self, sub: &str, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_brief"))
            .args(args)
            .current_dir(self.join(sub))
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

/// The pictures of a PDF, as `pdfimages -list` lists them: width and height.
pub fn pdf_images(path: &Path) -> Vec<(u32, u32)> {
    let list = poppler("pdfimages", &["-list", path.to_str().unwrap()]);
    list.lines()
        .skip(2)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            Some((cols.get(3)?.parse().ok()?, cols.get(4)?.parse().ok()?))
        })
        .collect()
}

/// `pdfinfo -meta`: the XMP metadata of a PDF.
pub fn pdf_xmp(path: &Path) -> String {
    poppler("pdfinfo", &["-meta", path.to_str().unwrap()])
}

/// The words of a PDF's first page with the left edge of each, in points.
pub fn pdf_words(path: &Path) -> Vec<(String, f64)> {
    let html = poppler(
        "pdftotext",
        &["-bbox", "-f", "1", "-l", "1", path.to_str().unwrap(), "-"],
    );
    html.lines()
        .filter_map(|line| {
            let line = line.trim();
            let rest = line.strip_prefix("<word xMin=\"")?;
            let (x, rest) = rest.split_once('"')?;
            let text = rest.split_once('>')?.1.strip_suffix("</word>")?;
            Some((text.to_string(), x.parse().ok()?))
        })
        .collect()
}

/// A page of a PDF as pixels (RGB), at `dpi`: width, height and bytes.
pub fn pdf_pixels(path: &Path, page: u32, dpi: u32) -> (usize, usize, Vec<u8>) {
    let page = page.to_string();
    let dpi = dpi.to_string();
    let output = Command::new("pdftoppm")
        .args(["-f", &page, "-l", &page, "-r", &dpi, path.to_str().unwrap()])
        .output()
        .expect("pdftoppm is needed to check PDFs (apt-get install poppler-utils)");
    assert!(output.status.success(), "pdftoppm failed");
    let data = output.stdout;
    // A binary PPM: "P6\n<width> <height>\n255\n" then the pixels.
    let mut fields = Vec::new();
    let mut at = 0;
    while fields.len() < 4 {
        while data[at].is_ascii_whitespace() {
            at += 1;
        }
        let start = at;
        while !data[at].is_ascii_whitespace() {
            at += 1;
        }
        fields.push(String::from_utf8_lossy(&data[start..at]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let width: usize = fields[1].parse().unwrap();
    let height: usize = fields[2].parse().unwrap();
    let pixels = data[at + 1..].to_vec();
    assert_eq!(pixels.len(), width * height * 3);
    (width, height, pixels)
}

/// How many pixels of a picture are within `tolerance` of a colour.
pub fn count_colour(pixels: &[u8], rgb: (u8, u8, u8), tolerance: u8) -> usize {
    pixels
        .chunks_exact(3)
        .filter(|p| {
            p[0].abs_diff(rgb.0) <= tolerance
                && p[1].abs_diff(rgb.1) <= tolerance
                && p[2].abs_diff(rgb.2) <= tolerance
        })
        .count()
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

/// Sends Ctrl-C (SIGINT) to `child` and returns its exit code, waiting up
/// to 10 seconds for it to stop.
pub fn interrupt(child: &mut std::process::Child) -> Option<i32> {
    let pid = libc::pid_t::try_from(child.id()).unwrap();
    assert_eq!(unsafe { libc::kill(pid, libc::SIGINT) }, 0);
    let start = std::time::Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status.code();
        }
        assert!(
            start.elapsed() < std::time::Duration::from_secs(10),
            "still running"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// Writes `count` one-page briefs `dir/b<n>.yaml` (`n` zero-padded to
/// `width` digits), each with its own title and text.
pub fn small_briefs(ws: &Workspace, dir: &str, count: usize, width: usize) {
    for i in 0..count {
        ws.write(
            &format!("{dir}/b{i:0width$}.yaml"),
            &format!(
                "title: Brief {i}\ndate: 2025-08-14\nsummary: Summary {i}.\nbackground: Background {i}.\ndevelopments:\n  - date: 2025-08-13\n    title: Development {i}\noutlook: Outlook {i}.\n"
            ),
        );
    }
}

/// What one of the PDF tools in `tests/tools/` (Python, pdfminer.six,
/// which tests/run installs) prints about `pdf`.
pub fn pdf_tool(script: &str, pdf: &Path) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/tools")
        .join(script);
    let out = std::process::Command::new("python3")
        .arg(path)
        .arg(pdf)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{script} failed (tests/run installs pdfminer.six): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Asserts that a JSON output (`render -f json`) follows the committed
/// schema, `schema/output.schema.json` (Python's jsonschema, which
/// tests/run installs).
pub fn assert_follows_output_schema(json: &Path) {
    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/output.schema.json");
    let out = Command::new("python3")
        .args([
            "-c",
            "import json, sys, jsonschema; jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))",
            schema,
            json.to_str().unwrap(),
        ])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "{} does not follow the schema: {}",
        json.display(),
        String::from_utf8_lossy(&out.stderr)
    );
}
