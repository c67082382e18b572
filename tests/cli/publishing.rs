//! Publishing-grade output: every script on the page and nothing lost
//! silently, long tokens inside the page, the brief's language in every
//! label, PDF/A with PDF/UA, pasted inline HTML, and Typst that compiles on
//! its own.

use std::path::Path;
use std::process::Command;

use crate::support::*;

/// The characters of a PDF drawn with glyph 0, the empty box (one line
/// each, from `tests/tools/pdf_notdef.py`).
fn notdef_glyphs(pdf: &Path) -> String {
    pdf_tool("pdf_notdef.py", pdf)
}

#[test]
fn every_script_is_typeset_with_real_glyphs() {
    let ws = Workspace::fixture("publishing");
    success(&ws.run(&["render", "scripts.yaml", "-f", "pdf", "-o", "out"]));
    let pdf = ws.join("out/scripts.pdf");
    assert_eq!(notdef_glyphs(&pdf), "", "empty boxes in the PDF");
    let text = pdf_text(&pdf);
    for word in [
        "王毅",
        "岩屋毅",
        "조태열",
        "กรุงเทพมหานคร",
        "Αθήνα",
        "Київ",
        "Москва",
        "臺灣",
        "ひらがな",
        "カタカナ",
        "윤석열",
        "习近平",
        "🚢",
    ] {
        assert!(text.contains(word), "{word} missing from the PDF:\n{text}");
    }
    // Each script's own font is embedded, and only for the text that has it.
    let fonts = poppler_fonts(&pdf);
    for family in [
        "NotoSansCJKsc",
        "NotoSerifThai",
        "NotoSerifDevanagari",
        "NotoNaskhArabic",
        "NotoEmoji",
    ] {
        assert!(fonts.contains(family), "{family} not embedded:\n{fonts}");
    }
    success(&ws.run(&["render", "cyber-tokens.yaml", "-f", "pdf", "-o", "out"]));
    let latin = poppler_fonts(&ws.join("out/cyber-tokens.pdf"));
    assert!(!latin.contains("Noto"), "a Latin brief embeds {latin}");
}

fn poppler_fonts(pdf: &Path) -> String {
    let out = Command::new("pdffonts")
        .arg(pdf)
        .output()
        .expect("pdffonts runs");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_character_no_font_has_is_a_located_warning() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "hieroglyph.yaml",
        "title: Tomb inscription\ndate: 2025-08-14\nsummary: The sign 𓀀 and again 𓀀.\nbackground: Found in Luxor.\ndevelopments:\n  - date: 2025-08-13\n    title: Found\noutlook: More digs.\n",
    );
    let out = ws.run(&["check", "hieroglyph.yaml"]);
    assert!(out.status.success(), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr,
        "warning: no font has the character `𓀀` (U+13000); the PDF would show an empty box
 --> hieroglyph.yaml:3:19
  |
3 | summary: The sign 𓀀 and again 𓀀.
  |                   ^ no glyph for this character (written 2 times; this is the first)
  |
  = help: add a font that has it: put its files in a folder listed in `[fonts] dirs` of brief.toml, or set `[fonts] system = true` to use the machine's fonts

checked 1 file: 1 warning
"
    );
    // A character written as an escape is found at its escape.
    ws.write(
        "escaped.yaml",
        "title: Tomb\ndate: 2025-08-14\nsummary: s\nbackground: \"b \\U00013001\"\ndevelopments:\n  - date: 2025-08-13\n    title: t\noutlook: o\n",
    );
    let escaped = String::from_utf8_lossy(&ws.run(&["check", "escaped.yaml"]).stderr).into_owned();
    assert!(
        escaped.contains("(U+13001)") && escaped.contains(" --> escaped.yaml:4:16\n"),
        "{escaped}"
    );
    // The texts of brief.toml that the outputs print are checked too, one
    // warning per value.
    ws.write(
        "brief.toml",
        "[organization]\nname = \"ሰላም Analysis Unit\"\n",
    );
    let config = String::from_utf8_lossy(&ws.run(&["check", "escaped.yaml"]).stderr).into_owned();
    assert!(
        config.starts_with("warning: no font has the characters `ሰ` (U+1230), `ላ` (U+120B) and `ም` (U+121D); the PDF would show empty boxes\n --> brief.toml:2:9\n"),
        "{config}"
    );
    std::fs::remove_file(ws.join("brief.toml")).unwrap();
    let denied = ws.run(&["check", "--deny-warnings", "hieroglyph.yaml"]);
    assert_eq!(denied.status.code(), Some(1), "{}", describe(&denied));
    // render says so too, and still writes the PDF.
    let render = ws.run(&["render", "hieroglyph.yaml", "-f", "pdf", "-o", "out"]);
    assert!(render.status.success(), "{}", describe(&render));
    assert!(String::from_utf8_lossy(&render.stderr).contains("U+13000"));
    // Every character of the fixtures' scripts has a font.
    let clean = ws.run(&["check", "scripts.yaml", "farsi.yaml", "cyber-tokens.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&clean.stderr),
        "checked 3 files: no problems\n",
        "{}",
        describe(&clean)
    );
}

/// The right edge of every word of a PDF, with the page's width.
fn word_edges(pdf: &Path) -> Vec<(String, f64, f64)> {
    let out = Command::new("pdftotext")
        .args(["-bbox", pdf.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext runs");
    let html = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut width = 0.0;
    let mut words = Vec::new();
    for line in html.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("<page width=\"") {
            width = rest.split('"').next().unwrap().parse().unwrap();
        }
        if let Some(rest) = line.strip_prefix("<word ") {
            let attr = |name: &str| -> f64 {
                let start = rest.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                rest[start..].split('"').next().unwrap().parse().unwrap()
            };
            let text = rest.split_once('>').unwrap().1.trim_end_matches("</word>");
            words.push((text.to_string(), attr("xMax"), width));
        }
    }
    words
}

#[test]
fn long_tokens_stay_inside_the_page_and_copy_whole() {
    let ws = Workspace::fixture("publishing");
    success(&ws.run(&["render", "cyber-tokens.yaml", "-f", "pdf", "-o", "out"]));
    let pdf = ws.join("out/cyber-tokens.pdf");
    let words = word_edges(&pdf);
    assert!(words.len() > 100);
    for (word, right, width) in &words {
        // The right margin of A4 is 20 mm (57 pt).
        assert!(
            *right <= width - 50.0,
            "`{word}` reaches {right} pt of a {width} pt page"
        );
    }
    // Copying gives the tokens without inserted characters: the text
    // without its line breaks has them whole.
    let compact: String = pdf_text(&pdf)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    for token in [
        "d47712cceb4c780603026e6325221c1bcff90679ebc076baa51c71ebe796717c",
        "a1b2c3d4e5f6-staging-node-0042.eu-central-1.compute-cluster.example-hosting-provider.com",
    ] {
        assert!(compact.contains(token), "{token} is not whole in the PDF");
    }
    assert!(
        !compact.contains('\u{200b}'),
        "a zero-width space was inserted"
    );
}

#[test]
fn labels_vocabulary_dates_and_digits_follow_the_language() {
    let ws = Workspace::fixture("publishing");
    success(&ws.run(&["render", "farsi.yaml", "-f", "md,pdf", "-o", "out"]));
    let md = ws.read("out/farsi.md");
    for label in ["## پیشینه", "## تحولات"] {
        assert!(md.contains(label), "{label} missing:\n{md}");
    }
    // Persian digits and month names, isolated from the text around them.
    assert!(md.contains("\u{2068}۱۴ اوت ۲۰۲۵\u{2069}"), "{md}");
    let pdf = pdf_text(&ws.join("out/farsi.pdf"));
    assert!(pdf.contains("پیشینه"), "{pdf}");
    // A hash inside the Persian text keeps its order, however it wraps:
    // every run of its digits on a line is a piece of it, in order.
    let hash = "9f2c1e4b7a6d5c3e8f0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f6a7";
    let runs: Vec<&str> = pdf
        .split(|c: char| !c.is_ascii_hexdigit())
        .filter(|r| r.len() >= 12)
        .collect();
    assert!(!runs.is_empty(), "{pdf}");
    for run in runs {
        assert!(
            hash.contains(run),
            "`{run}` is not a piece of the hash:\n{pdf}"
        );
    }
    assert!(pdf.contains("TLP:GREEN"), "TLP labels are never translated");

    // A French brief: section names, the vocabulary and dates in French.
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs/afpak-opposition.yaml");
    let french = std::fs::read_to_string(examples)
        .unwrap()
        .replace("language: en", "language: fr");
    ws.write("afpak-fr.yaml", &french);
    success(&ws.run(&["render", "afpak-fr.yaml", "-f", "md", "-o", "out"]));
    let md = ws.read("out/afpak-opposition.md");
    for text in [
        "## Contexte",
        "## Évolutions",
        "Probable (55–80\u{202f}%)",
        "Confiance modérée",
        "Défavorable",
        "Prévu",
        "14 août 2025",
        "TLP:AMBER",
    ] {
        assert!(md.contains(text), "{text} missing:\n{md}");
    }
}

#[test]
fn every_example_meets_pdf_a_2a_and_pdf_ua_1_together() {
    let ws = Workspace::fixture("publishing");
    let examples = Path::new(env!("CARGO_MANIFEST_DIR")).join("briefs");
    let out = ws.join("out");
    let run = Command::new(env!("CARGO_BIN_EXE_brief"))
        .current_dir(ws.path())
        .arg("render")
        .arg(&examples)
        .arg(".")
        .args(["-f", "pdf", "--pdf-standard", "a-2a,ua-1", "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", describe(&run));
    let mut count = 0;
    for entry in std::fs::read_dir(&out).unwrap() {
        let pdf = entry.unwrap().path();
        let xmp = pdf_xmp(&pdf);
        for claim in [
            "<pdfaid:part>2</pdfaid:part>",
            "<pdfaid:conformance>A</pdfaid:conformance>",
            "<pdfuaid:part>1</pdfuaid:part>",
        ] {
            assert!(xmp.contains(claim), "{}: no {claim}\n{xmp}", pdf.display());
        }
        count += 1;
    }
    // Three example briefs, the edition and the three fixtures.
    assert_eq!(count, 7);
    // Two PDF/A levels at once are a usage error, like any bad flag.
    let both = ws.run(&["render", "farsi.yaml", "--pdf-standard", "a-2b,a-3b"]);
    assert_eq!(both.status.code(), Some(2), "{}", describe(&both));
    assert_eq!(
        String::from_utf8_lossy(&both.stderr),
        "error: --pdf-standard: a PDF meets one PDF/A level at most (a-2b, a-2a or a-3b), with or without ua-1\n"
    );
}

#[test]
fn pasted_inline_html_is_formatting_and_other_tags_are_flagged() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "html.yaml",
        "title: Water report\ndate: 2025-08-14\nsummary: |\n  Levels of H<sub>2</sub>O fell; press <kbd>Ctrl</kbd>, see <b>note</b><br>and <span class=\"x\">this</span>.\nbackground: b\ndevelopments:\n  - date: 2025-08-13\n    title: t\noutlook: o\n",
    );
    let check = ws.run(&["check", "html.yaml"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.starts_with(
            "warning: the HTML tag `<span class=\"x\">` is left out of every format\n --> html.yaml:4:80\n"
        ),
        "{stderr}"
    );
    assert_eq!(stderr.matches("warning:").count(), 1, "{stderr}");
    success(&ws.run(&["render", "html.yaml", "-f", "md,pdf", "-o", "out"]));
    let pdf = pdf_text(&ws.join("out/html.pdf"));
    assert!(pdf.contains("H2O"), "{pdf}");
    assert!(pdf.contains("Ctrl"), "{pdf}");
    assert!(!pdf.contains('<'), "a tag is printed in the PDF:\n{pdf}");
    let md = ws.read("out/html.md");
    assert!(
        md.contains("H<sub>2</sub>O fell; press <kbd>Ctrl</kbd>, see <b>note</b><br>and this."),
        "{md}"
    );
}

#[test]
fn typst_source_compiles_on_its_own_with_its_pictures() {
    let ws = Workspace::fixture("publishing");
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace/assets/logo.png"),
        ws.join("map.png"),
    )
    .unwrap();
    ws.write(
        "map.yaml",
        "title: Map\ndate: 2025-08-14\nsummary: The area ![The area of operations](map.png)\nbackground: b\ndevelopments:\n  - date: 2025-08-13\n    title: t\noutlook: o\n",
    );
    let out = success(&ws.run(&["render", "map.yaml", "-f", "typ,pdf", "-o", "out"]));
    assert_eq!(
        out,
        "wrote out/map.pdf, out/map.typ, out/map-picture-1.png, out/brief-style.typ, out/theme.typ\n"
    );
    // The Typst compiler from PyPI, run on the folder alone.
    let compile = Command::new("python3")
        .current_dir(ws.join("out"))
        .args([
            "-c",
            "import typst; typst.compile('map.typ', output='standalone.pdf')",
        ])
        .output()
        .expect("python3 runs");
    assert!(
        compile.status.success(),
        "typst could not compile map.typ alone (tests/run installs the typst package): {}",
        String::from_utf8_lossy(&compile.stderr)
    );
    let ours = pdf_text(&ws.join("out/map.pdf"));
    let standalone = pdf_text(&ws.join("out/standalone.pdf"));
    assert_eq!(ours, standalone);
    assert_eq!(pdf_images(&ws.join("out/standalone.pdf")).len(), 1);
}
