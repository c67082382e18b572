//! The HTML pages as a reader's browser shows them: headless Chromium
//! loads every example brief, the example edition and the publishing
//! fixtures (long hashes, URLs and domains; a brief in Persian), runs
//! axe-core on each and lays it out on a 390 px wide phone screen
//! (`tests/browser/check_html.py`, which `tests/run` equips).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::support::*;

/// The width of the phone screen the pages must fit, in CSS pixels.
const PHONE: u64 = 390;

/// Whether `name` is an executable on the `PATH`.
fn on_path(name: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(name).is_file()))
}

/// Fails unless the browser is there (tests/run installs it): the check
/// never skips itself.
fn require_browser() {
    let chromium = std::env::var_os("BRIEF_CHROMIUM").is_some() || on_path("chromium");
    let driver = std::env::var_os("BRIEF_CHROMEDRIVER").is_some() || on_path("chromedriver");
    assert!(
        chromium && driver,
        "Chromium or its driver is missing: run the tests with tests/run, which installs them (apt-get install chromium chromium-driver)"
    );
}

/// The example briefs and edition of `briefs/`, the publishing fixtures,
/// and two copies of fixtures under the TLP labels no other page has
/// (RED, CLEAR), so the contrast of every label is checked.
fn workspace() -> Workspace {
    let ws = Workspace::fixture("publishing");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
    for entry in fs::read_dir(&examples).expect("briefs/ is readable") {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_string();
        ws.write(
            &format!("examples/{name}"),
            &fs::read_to_string(&path).unwrap(),
        );
    }
    let variant = |from: &str, to: &str, swaps: [(&str, &str); 2]| {
        let mut text = ws.read(from);
        for (old, new) in swaps {
            assert!(text.contains(old), "{from} has no `{old}`");
            text = text.replace(old, new);
        }
        ws.write(to, &text);
    };
    variant(
        "farsi.yaml",
        "markings/farsi-red.yaml",
        [
            ("id: farsi\n", "id: farsi-red\n"),
            ("tlp: green", "tlp: red"),
        ],
    );
    variant(
        "cyber-tokens.yaml",
        "markings/cyber-tokens-clear.yaml",
        [
            ("id: cyber-tokens\n", "id: cyber-tokens-clear\n"),
            ("tlp: amber+strict", "tlp: clear"),
        ],
    );
    ws
}

/// Runs the browser on `pages` and returns its report, one entry a page.
fn check_in_browser(pages: &[PathBuf]) -> serde_json::Map<String, Value> {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/browser/check_html.py");
    let out = Command::new("python3")
        .arg(script)
        .args(pages)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the browser checks could not run (tests/run installs selenium and axe-core): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    match serde_json::from_slice(&out.stdout) {
        Ok(Value::Object(report)) => report,
        other => panic!("check_html.py printed no report: {other:?}"),
    }
}

#[test]
fn html_pages_are_accessible_and_fit_a_phone() {
    require_browser();
    let ws = workspace();
    success(&ws.run(&["render", ".", "-f", "html", "-o", "out"]));
    let mut pages: Vec<PathBuf> = fs::read_dir(ws.join("out"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    pages.sort();
    let names: Vec<String> = pages
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    for page in [
        "afpak-opposition.html",
        "daily-2025-08-14.html",
        "cyber-tokens.html",
        "cyber-tokens-clear.html",
        "farsi.html",
        "farsi-red.html",
        "scripts.html",
    ] {
        assert!(names.iter().any(|n| n == page), "{page} missing: {names:?}");
    }
    let examples = fs::read_dir(ws.join("examples")).unwrap().count();
    assert_eq!(pages.len(), examples + 5, "{names:?}");

    // The pages stay script-free, under their Content-Security-Policy,
    // and the Persian one runs right to left.
    for (page, name) in pages.iter().zip(&names) {
        let html = fs::read_to_string(page).unwrap();
        assert!(!html.contains("<script"), "{name} has a script");
        assert!(
            html.contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">"),
            "{name} lost its Content-Security-Policy"
        );
    }
    assert!(
        ws.read("out/farsi.html")
            .contains("<html lang=\"fa\" dir=\"rtl\">")
    );

    let report = check_in_browser(&pages);
    let mut problems = Vec::new();
    for (page, name) in pages.iter().zip(&names) {
        let Some(result) = report.get(page.to_str().unwrap()) else {
            problems.push(format!("{name}: not checked"));
            continue;
        };
        for v in result["violations"].as_array().unwrap() {
            problems.push(format!(
                "{name}: {} ({}): {}\n    {}",
                v["id"].as_str().unwrap_or("?"),
                v["impact"].as_str().unwrap_or("?"),
                v["help"].as_str().unwrap_or("?"),
                v["nodes"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| n.as_str().unwrap_or("?"))
                    .collect::<Vec<_>>()
                    .join("\n    ")
            ));
        }
        let width = result["scroll_width"].as_u64().unwrap();
        if width > PHONE {
            problems.push(format!(
                "{name}: {width} px wide on a {PHONE} px screen; widest: {}",
                result["widest"]
            ));
        }
    }
    assert!(
        problems.is_empty(),
        "{} problems in the browser:\n{}",
        problems.len(),
        problems.join("\n")
    );

    // An edition's bottom lines look like a single brief's, though their
    // headings sit a level lower. See: the edition's chapters once
    // lost the bottom line's small capitals to a selector on `h2`.
    let page = |name: &str| &report[ws.join("out").join(name).to_str().unwrap()];
    let single = &page("afpak-opposition.html")["bottom_lines"];
    assert_eq!(single.as_array().unwrap().len(), 1, "{single}");
    let edition = page("daily-2025-08-14.html")["bottom_lines"]
        .as_array()
        .unwrap();
    let chapters = ws
        .read("out/daily-2025-08-14.html")
        .matches("<article class=\"chapter\"")
        .count();
    assert_eq!(edition.len(), chapters);
    for heading in edition {
        assert_eq!(heading, &single[0], "an edition's bottom line");
    }
}
