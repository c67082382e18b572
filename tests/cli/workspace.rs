//! `brief.toml`: an organization's identity, defaults and look, found from
//! any current folder, with a brief's own fields winning; bad
//! configurations as located errors; `brief config` and `brief templates`.

use std::fs;
use std::path::Path;

use crate::dom::{Html, Selector};

use crate::support::*;

/// DejaVu Sans Mono (built into the compiler) renamed Dossia Sans Mono: a
/// family that only the workspace's font folder provides.
fn dossia_font() -> Vec<u8> {
    let data = typst_assets::fonts()
        .find(|data| {
            typst::text::FontInfo::new(data, 0).is_some_and(|info| {
                info.family == "DejaVu Sans Mono"
                    && info.variant.weight == typst::text::FontWeight::REGULAR
                    && info.variant.style == typst::text::FontStyle::Normal
            })
        })
        .expect("DejaVu Sans Mono is embedded in the compiler");
    let mut bytes = data.to_vec();
    // The name table holds the name in UTF-16 and in Mac Roman; the new
    // name has the same length, so nothing else moves.
    let utf16 = |s: &str| -> Vec<u8> { s.encode_utf16().flat_map(|u| u.to_be_bytes()).collect() };
    for (from, to) in [
        (b"DejaVu".to_vec(), b"Dossia".to_vec()),
        (utf16("DejaVu"), utf16("Dossia")),
    ] {
        let mut i = 0;
        while i + from.len() <= bytes.len() {
            if bytes[i..i + from.len()] == from[..] {
                bytes[i..i + from.len()].copy_from_slice(&to);
                i += from.len();
            } else {
                i += 1;
            }
        }
    }
    bytes
}

/// The workspace fixture in `desk/`, with its font folder filled; commands
/// run from the folder above it.
fn desk() -> Workspace {
    let ws = Workspace::fixture_in("workspace", "desk");
    fs::create_dir_all(ws.join("desk/fonts")).unwrap();
    fs::write(ws.join("desk/fonts/DossiaSansMono.ttf"), dossia_font()).unwrap();
    ws
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<crate::dom::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn a_workspace_renders_from_any_folder_with_its_identity_in_every_format() {
    let ws = desk();
    // Run from the folder above the workspace: brief.toml is found from the
    // briefs, its paths are relative to itself, not to the current folder.
    let out = ws.run(&["render", "desk/briefs", "-v"]);
    let stdout = success(&out);
    assert_eq!(
        stdout,
        "wrote desk/published/baltic-cable.md, desk/published/baltic-cable.html, desk/published/baltic-cable.pdf\n\
         wrote desk/published/daily.md, desk/published/daily.html, desk/published/daily.pdf\n\
         wrote desk/published/own-organization.md, desk/published/own-organization.html, desk/published/own-organization.pdf\n"
    );
    // -v names the configuration and the template files in use.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("configuration: desk/brief.toml\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("templates: brief.css from desk/templates, the others built-in\n"),
        "{stderr}"
    );
    assert!(!ws.join("output").exists() && !ws.join("desk/output").exists());

    // The PDF: US letter, the organization, its logo, the distribution
    // statement on every page, the default marking, the renamed label.
    let pdf = ws.join("desk/published/baltic-cable.pdf");
    assert!(
        pdf_info(&pdf).contains("Page size:       612 x 792 pts (letter)"),
        "{}",
        pdf_info(&pdf)
    );
    let pages = pdf_pages(&pdf);
    for page in &pages {
        let page = squash(page);
        assert!(
            page.contains("Internal distribution only. Do not forward."),
            "{page}"
        );
        assert!(page.contains("TLP:AMBER"), "{page}");
        assert!(page.contains("OFFICIAL-SENSITIVE"), "{page}");
    }
    let text = pdf_text(&pdf);
    assert_in_order(
        &text,
        &[
            "Northwind Analysis Cell",
            "Second Baltic cable cut",
            "Europe desk",
            "Key points",
            "References",
        ],
        "PDF",
    );
    assert!(!text.contains("Bottom line"), "{text}");
    // The watermark is a picture: its letters are not in the text.
    assert!(!text.contains("DRAFT"), "{text}");
    assert_eq!(pdf_images(&pdf), vec![(96, 32)], "the logo, embedded");
    // PDF/A-2b, as asked.
    let xmp = pdf_xmp(&pdf);
    assert!(xmp.contains("<pdfaid:part>2</pdfaid:part>"), "{xmp}");
    assert!(xmp.contains("<pdfaid:conformance>B</pdfaid:conformance>"));
    // The theme's fonts: a built-in family the default theme leaves out,
    // and one from the workspace's font folder.
    let fonts = pdf_fonts(&pdf);
    assert!(fonts.contains("NewCM10-Regular"), "{fonts}");
    assert!(
        fonts.contains("DossiaSansMono-Bold") || fonts.contains("DossiaSansMono"),
        "{fonts}"
    );
    assert!(!fonts.contains("DejaVu"), "{fonts}");
    // Headings and the title in the heading font, the body in another.
    assert!(fonts.contains("LibertinusSerif-Semibold"), "{fonts}");
    assert!(!fonts.contains("LibertinusSerif-Regular"), "{fonts}");
    // The left margin is 25 mm (70.9 pt): the title starts there.
    let words = pdf_words(&pdf);
    let (_, x) = words.iter().find(|(w, _)| w == "Second").unwrap();
    assert!((x - 70.87).abs() < 0.5, "title at {x} pt");
    // The accent colour and the draft watermark are on the page.
    let (_, _, pixels) = pdf_pixels(&pdf, 1, 50);
    assert!(
        count_colour(&pixels, (0xaa, 0x33, 0x00), 12) > 200,
        "no accent"
    );
    assert!(
        count_colour(&pixels, (0xe4, 0xe4, 0xe4), 6) > 500,
        "no watermark"
    );
    assert_eq!(
        count_colour(&pixels, (0x1f, 0x4e, 0x79), 6),
        0,
        "built-in accent"
    );

    // The HTML: the same tokens, the logo embedded, the distribution
    // statement, the one overridden template with the others built in.
    let html = ws.read("desk/published/baltic-cable.html");
    assert!(html.contains("--accent: #aa3300;"), "{html}");
    for token in [
        "--ink: #222222;",
        "--muted: #666666;",
        "--rule: #cccccc;",
        "--panel: #f4efe8;",
        "--heading-font: \"Libertinus Serif\", ",
    ] {
        assert!(html.contains(token), "{token} missing");
    }
    assert!(html.contains("--font: \"New Computer Modern\", "));
    assert!(html.contains("--mono-font: \"Dossia Sans Mono\", "));
    assert!(html.contains("@page { size: 215.9mm 279.4mm; margin: 30mm 25mm 28mm 25mm; }"));
    assert!(
        html.contains("northwind house stylesheet"),
        "brief.css is the workspace's"
    );
    assert!(
        !html.contains(".bottom-line {"),
        "the built-in brief.css is replaced"
    );
    let doc = Html::parse_document(&html);
    let logo = select(&doc, "header.title-block img.logo");
    assert_eq!(logo.len(), 1);
    assert!(
        logo[0]
            .attr("src")
            .unwrap()
            .starts_with("data:image/png;base64,iVBORw0KGgo")
    );
    assert_eq!(logo[0].attr("alt"), Some("Northwind Analysis Cell logo"));
    assert_eq!(
        select(&doc, "footer .distribution")[0]
            .text()
            .collect::<String>(),
        "Internal distribution only. Do not forward."
    );
    assert_eq!(
        select(&doc, "#summary-h")[0].text().collect::<String>(),
        "Key points"
    );
    assert_eq!(
        select(&doc, ".marking .tlp")[0].text().collect::<String>(),
        "TLP:AMBER"
    );

    // The Markdown: the identity too, the statement at the end.
    let md = ws.read("desk/published/baltic-cable.md");
    assert!(md.contains("Northwind Analysis Cell"), "{md}");
    assert!(md.contains("## Key points\n"), "{md}");
    assert!(
        md.trim_end().ends_with(
            "*Internal distribution only. Do not forward.*\n\n**TLP:AMBER · OFFICIAL-SENSITIVE**"
        ),
        "{md}"
    );
}

#[test]
fn a_brief_s_own_fields_win_over_the_workspace() {
    let ws = desk();
    success(&ws.run(&[
        "render",
        "desk/briefs/own-organization.yaml",
        "-f",
        "md,html,pdf",
    ]));
    let pdf = pdf_text(&ws.join("desk/published/own-organization.pdf"));
    assert!(pdf.contains("Rotterdam Liaison Office"), "{pdf}");
    assert!(!pdf.contains("Northwind Analysis Cell"), "{pdf}");
    assert!(
        pdf.contains("TLP:GREEN") && !pdf.contains("TLP:AMBER"),
        "{pdf}"
    );
    assert!(
        pdf.contains("Ports team") && !pdf.contains("Europe desk"),
        "{pdf}"
    );
    let html = ws.read("desk/published/own-organization.html");
    assert!(html.contains("<p class=\"organization\">Rotterdam Liaison Office</p>"));
    assert!(html.contains(">TLP:GREEN<"));
    // The workspace's logo alt text names the brief's organization.
    assert!(
        html.contains("alt=\"Rotterdam Liaison Office logo\""),
        "{html}"
    );
    let md = ws.read("desk/published/own-organization.md");
    assert!(md.contains("Rotterdam Liaison Office"), "{md}");
    // A flag wins over brief.toml.
    let out = success(&ws.run(&[
        "render",
        "desk/briefs/own-organization.yaml",
        "-o",
        "elsewhere",
        "-f",
        "md",
    ]));
    assert_eq!(out, "wrote elsewhere/own-organization.md\n");
}

#[test]
fn an_edition_has_the_logo_on_its_cover_and_the_statement_on_every_page() {
    let ws = desk();
    success(&ws.run(&["render", "desk/briefs/daily.yaml", "-f", "pdf,html"]));
    let pdf = ws.join("desk/published/daily.pdf");
    // The cover's logo; the chapters do not repeat it.
    assert_eq!(pdf_images(&pdf), vec![(96, 32)]);
    let pages = pdf_pages(&pdf);
    assert!(pages.len() >= 3, "cover and two chapters");
    for page in &pages {
        assert!(squash(page).contains("Internal distribution only. Do not forward."));
    }
    let html = ws.read("desk/published/daily.html");
    let doc = Html::parse_document(&html);
    assert_eq!(select(&doc, "img.logo").len(), 1, "{html}");
    assert_eq!(select(&doc, "header.cover img.logo").len(), 1);
}

#[test]
fn templates_may_read_pictures_of_the_workspace_beside_them() {
    let ws = desk();
    // A stamp picture beside an ejected style file, shown by its name.
    success(&ws.run_in("desk", &["templates", "brief-style.typ"]));
    assert!(ws.join("desk/templates/brief-style.typ").is_file());
    assert!(
        !ws.join("desk/templates/brief.typ").exists(),
        "only what was named"
    );
    fs::copy(
        ws.join("desk/assets/logo.png"),
        ws.join("desk/templates/stamp.png"),
    )
    .unwrap();
    let style = ws.read("desk/templates/brief-style.typ");
    ws.write(
        "desk/templates/brief-style.typ",
        &style.replace(
            "  line(length: 100%, stroke: 1.2pt + accent)\n}",
            "  line(length: 100%, stroke: 1.2pt + accent)\n  image(\"stamp.png\", width: 20mm, alt: \"stamp\")\n}",
        ),
    );
    success(&ws.run(&["render", "desk/briefs/baltic-cable.yaml", "-f", "pdf"]));
    let images = pdf_images(&ws.join("desk/published/baltic-cable.pdf"));
    assert_eq!(images.len(), 2, "logo and stamp: {images:?}");
}

#[test]
fn template_problems_are_located_and_printed_once() {
    let ws = desk();
    success(&ws.run_in("desk", &["templates", "brief-style.typ"]));
    let style = ws.read("desk/templates/brief-style.typ");
    ws.write(
        "desk/templates/brief-style.typ",
        &style.replace(
            "#let eyebrow(body) = text(",
            "#let eyebrow(body) = text(font: \"Comic Neue\", ",
        ),
    );
    let out = ws.run(&["render", "desk/briefs", "-f", "pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let line = style
        .lines()
        .position(|l| l.starts_with("#let eyebrow(body) = text("))
        .unwrap()
        + 1;
    let located = format!("--> desk/templates/brief-style.typ:{line}:");
    assert_eq!(
        stderr.matches(&located).count(),
        1,
        "once for three documents:\n{stderr}"
    );
    assert!(
        stderr.contains("error: unknown font family `Comic Neue`"),
        "{stderr}"
    );
    assert!(stderr.contains("= help: available families: "), "{stderr}");
    assert!(
        stderr.contains("Dossia Sans Mono"),
        "the workspace's own font is listed"
    );
    assert!(stderr.contains("was not rendered: pdf: 1 error in the templates"));
    assert!(!ws.join("desk/published/baltic-cable.pdf").exists());
}

/// The diagnostics of a broken configuration, pinned word for word; the
/// briefs are not rendered and nothing is written.
fn pinned(case: &str) {
    let ws = Workspace::fixture(&format!("bad-config/{case}"));
    let out = ws.run(&["render"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let expected_path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("tests/fixtures/bad-config/expected/{case}.txt"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    if std::env::var_os("BRIEF_BLESS").is_some() {
        fs::write(&expected_path, stderr.as_bytes()).unwrap();
    }
    let expected = fs::read_to_string(&expected_path).unwrap();
    assert_eq!(stderr, expected);
    assert!(
        fs::read_dir(ws.path())
            .unwrap()
            .all(|e| e.unwrap().file_name() != "output"),
        "nothing is written"
    );
    // `check` reports the same problems.
    let check = ws.run(&["check"]);
    assert_eq!(check.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&check.stderr)
            .starts_with(expected.split("error: briefs/").next().unwrap())
    );
}

#[test]
fn unknown_keys_and_wrong_types_are_located_with_hints() {
    pinned("syntax");
}

#[test]
fn a_missing_logo_an_unknown_font_and_clashing_standards_are_errors() {
    pinned("semantic");
    // A logo outside the workspace, or missing, is named too.
    let ws = Workspace::fixture_in("bad-config/semantic", "inner");
    ws.write(
        "inner/brief.toml",
        "[organization]\nlogo = \"../logo.png\"\n",
    );
    let out = ws.run_in("inner", &["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: `logo`: there is no file ../logo.png"),
        "{stderr}"
    );
    fs::write(ws.join("logo.png"), b"\x89PNG\r\n\x1a\n").unwrap();
    let out = ws.run_in("inner", &["check"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: `logo`: the file is outside the workspace"),
        "{}",
        describe(&out)
    );
}

#[test]
fn config_prints_every_value_with_its_origin() {
    let ws = desk();
    let out = success(&ws.run(&[
        "config",
        "desk/briefs/own-organization.yaml",
        "--output",
        "elsewhere",
    ]));
    for line in [
        "# configuration: desk/brief.toml\n",
        "# brief: desk/briefs/own-organization.yaml\n",
        "\n[document]\n",
        "\n[organization]\n",
        "\n[pdf.margins]\n",
        "\n[labels.en]\n",
    ] {
        assert!(out.contains(line), "{line:?} missing:\n{out}");
    }
    let origin = |key: &str| -> String {
        let line = out
            .lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("no {key}:\n{out}"));
        line.rsplit_once("  # ").unwrap().1.to_string()
    };
    // The brief's own field, brief.toml, a flag.
    assert_eq!(
        origin("organization"),
        "desk/briefs/own-organization.yaml:3"
    );
    assert_eq!(origin("name"), "desk/brief.toml:6");
    assert_eq!(origin("output"), "--output");
    assert_eq!(origin("bottom-line"), "desk/brief.toml:47");
    assert!(out.contains("paper = \"us-letter\""), "{out}");
    // The same as JSON.
    let json: serde_json::Value =
        serde_json::from_str(&success(&ws.run(&["config", "desk", "--format", "json"]))).unwrap();
    let accent = json["settings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["key"] == "theme.accent")
        .unwrap();
    assert_eq!(accent["value"], "#aa3300");
    assert_eq!(accent["origin"]["kind"], "brief.toml");
    assert_eq!(accent["origin"]["line"], 33);

    // Without brief.toml: the built-in defaults.
    let plain = Workspace::fixture("basic");
    let out = success(&plain.run(&["config", "briefs/full.yaml"]));
    assert!(
        out.starts_with("# configuration: none found, built-in defaults\n"),
        "{out}"
    );
    assert!(out.contains("accent = \"#1f4e79\""), "{out}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("accent = ") && l.ends_with("# built-in")),
        "{out}"
    );
}

#[test]
fn machine_fonts_are_used_only_when_asked_for() {
    let ws = desk();
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config.replace("system = false", "system = true"),
    );
    let out = success(&ws.run(&["config", "desk"]));
    assert!(out.contains("system = true"), "{out}");
    success(&ws.run(&["render", "desk/briefs/baltic-cable.yaml", "-f", "pdf"]));
}

#[test]
fn an_accessible_archival_pdf_on_request() {
    let ws = desk();
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config.replace("standards = [\"a-2b\"]", "standards = [\"a-2a\", \"ua-1\"]"),
    );
    success(&ws.run(&["render", "desk/briefs/baltic-cable.yaml", "-f", "pdf"]));
    let xmp = pdf_xmp(&ws.join("desk/published/baltic-cable.pdf"));
    assert!(
        xmp.contains("<pdfaid:conformance>A</pdfaid:conformance>"),
        "{xmp}"
    );
    assert!(xmp.contains("<pdfuaid:part>1</pdfuaid:part>"), "{xmp}");
}

#[test]
fn the_published_configuration_schema_is_current_and_accepts_the_fixture() {
    let ws = Workspace::fixture("basic");
    let printed = success(&ws.run(&["schema", "--toml"]));
    let committed = fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/brief-toml.schema.json"),
    )
    .unwrap();
    assert_eq!(
        printed, committed,
        "run `brief schema --toml > schema/brief-toml.schema.json`"
    );
    // An independent validator agrees with the loader on the fixture's
    // brief.toml (which sets every key) and on the one `init` writes.
    let schema = Path::new(env!("CARGO_MANIFEST_DIR")).join("schema/brief-toml.schema.json");
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace/brief.toml");
    success(&ws.run(&["init", "fresh"]));
    for toml in [fixture, ws.join("fresh/brief.toml")] {
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import json, sys, tomllib, jsonschema\n\
                 schema = json.load(open(sys.argv[1]))\n\
                 jsonschema.validate(tomllib.load(open(sys.argv[2], 'rb')), schema)",
                schema.to_str().unwrap(),
                toml.to_str().unwrap(),
            ])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", describe(&out));
    }
    // And rejects what the loader rejects.
    let bad = ws.join("bad.toml");
    fs::write(&bad, "[theme]\nacent = \"#aa3300\"\n").unwrap();
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import json, sys, tomllib, jsonschema\n\
             jsonschema.validate(tomllib.load(open(sys.argv[2], 'rb')), json.load(open(sys.argv[1])))",
            schema.to_str().unwrap(),
            bad.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
}

#[test]
fn a_template_that_does_not_parse_is_located_and_stops_its_workspace() {
    let ws = desk();
    ws.write(
        "desk/templates/brief.md",
        "{% if brief.title %}\n{{ brief.title }}\n",
    );
    let out = ws.run(&["render", "desk/briefs"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stderr.matches(" --> desk/templates/brief.md:2:").count(),
        1,
        "located once:\n{stderr}"
    );
    assert!(
        stderr.contains("was not rendered: the templates have errors"),
        "{stderr}"
    );
    assert!(
        fs::read_dir(ws.join("desk/published")).map_or(true, |mut d| d.next().is_none()),
        "nothing is written"
    );
}

#[test]
fn pictures_of_briefs_outside_the_workspace_folder_reach_the_pdf() {
    // The configuration is named with --config from elsewhere: the brief's
    // own folder is not below it, and its picture is still embedded.
    let ws = desk();
    fs::create_dir_all(ws.join("field/img")).unwrap();
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/briefs/img/map.png"),
        ws.join("field/img/map.png"),
    )
    .unwrap();
    let brief = ws.read("desk/briefs/baltic-cable.yaml").replace(
        "Investigators suspect a dragged anchor.",
        "Investigators suspect a dragged anchor.\n\n  ![The cable route](img/map.png)",
    );
    ws.write("field/cable.yaml", &brief);
    success(&ws.run(&[
        "render",
        "--config",
        "desk/brief.toml",
        "field/cable.yaml",
        "-f",
        "pdf",
    ]));
    let images = pdf_images(&ws.join("desk/published/cable.pdf"));
    assert_eq!(
        images.len(),
        2,
        "the logo and the brief's picture: {images:?}"
    );
}

#[test]
fn a_workspace_and_a_file_are_known_however_their_paths_are_spelled() {
    let ws = desk();
    // The same file twice is rendered once.
    let out = success(&ws.run(&[
        "render",
        "-f",
        "md",
        "desk/briefs/baltic-cable.yaml",
        "./desk/briefs/../briefs/baltic-cable.yaml",
    ]));
    assert_eq!(out, "wrote desk/published/baltic-cable.md\n");
    // Two workspaces writing into one folder may not share an id.
    fs::create_dir_all(ws.join("other/briefs")).unwrap();
    ws.write(
        "other/brief.toml",
        "[render]\noutput = \"../desk/published\"\n",
    );
    ws.write(
        "other/briefs/baltic-cable.yaml",
        &ws.read("desk/briefs/baltic-cable.yaml"),
    );
    let out = ws.run(&["check", "desk/briefs/baltic-cable.yaml", "other/briefs"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    // Both files get the error, each naming the other.
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (here, other) in [
        (
            "desk/briefs/baltic-cable.yaml",
            "other/briefs/baltic-cable.yaml",
        ),
        (
            "other/briefs/baltic-cable.yaml",
            "desk/briefs/baltic-cable.yaml",
        ),
    ] {
        assert!(
            stderr.contains(&format!(
                "error: id `baltic-cable` is also the id of {other}\n --> {here}:"
            )),
            "{stderr}"
        );
    }
    // A broken configuration met through two spellings is reported once.
    ws.write("other/brief.toml", "[render]\noutpt = \"x\"\n");
    let out = ws.run(&[
        "check",
        "other/briefs",
        "./other/../other/briefs/baltic-cable.yaml",
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.matches("unknown key `outpt`").count(), 1, "{stderr}");
}

#[cfg(unix)]
#[test]
fn the_configuration_is_found_the_same_way_from_any_folder() {
    let ws = desk();
    fs::create_dir_all(ws.join("links")).unwrap();
    std::os::unix::fs::symlink(ws.join("desk/briefs"), ws.join("links/briefs")).unwrap();
    let from_above = success(&ws.run(&["config", "links/briefs/baltic-cable.yaml"]));
    let from_inside = success(&ws.run_in("links/briefs", &["config", "baltic-cable.yaml"]));
    for out in [&from_above, &from_inside] {
        assert!(out.contains("brief.toml:6"), "{out}");
        assert!(!out.contains("built-in defaults"), "{out}");
    }
    // Without a path, the briefs of the workspace around the current folder.
    let out = success(&ws.run_in("desk/assets", &["render", "-f", "md"]));
    assert!(out.contains("../published/baltic-cable.md"), "{out}");
}

#[test]
fn a_broken_logo_is_an_error_of_brief_toml() {
    let ws = desk();
    fs::write(
        ws.join("desk/assets/logo.png"),
        b"\x89PNG\r\n\x1a\ntruncated",
    )
    .unwrap();
    let out = ws.run(&["check", "desk/briefs"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: `logo`: desk/assets/logo.png cannot be read as a picture: failed to decode image"),
        "{stderr}"
    );
    assert!(stderr.contains(" --> desk/brief.toml:7:8"), "{stderr}");
    // An SVG logo must not point at other files.
    ws.write(
        "desk/assets/logo.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"/etc/hosts\"/></svg>",
    );
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config.replace("assets/logo.png", "assets/logo.svg"),
    );
    let out = ws.run(&["check", "desk/briefs"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("it refers to other files; embed them in the SVG"),
        "{}",
        describe(&out)
    );
}

#[test]
fn margins_must_leave_room_for_the_footer_and_the_text() {
    let ws = desk();
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config
            .replace("bottom = \"28mm\"", "bottom = \"8mm\"")
            .replace("left = \"25mm\"", "left = \"160mm\""),
    );
    let out = ws.run(&["render", "desk/briefs"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: the bottom margin is too small for the footer\n  --> desk/brief.toml:28:10"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("error: the margins leave the text 31mm wide on us-letter paper\n  --> desk/brief.toml:29:8"),
        "{stderr}"
    );
    assert!(
        !ws.join("desk/published").exists()
            || fs::read_dir(ws.join("desk/published"))
                .unwrap()
                .next()
                .is_none()
    );
}

#[test]
fn the_generated_theme_module_cannot_be_replaced() {
    let ws = desk();
    ws.write(
        "desk/templates/theme.typ",
        "#let theme = (accent: rgb(\"#000000\"))\n",
    );
    let out = ws.run(&["render", "desk/briefs", "-f", "pdf"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: theme.typ is generated from the theme and cannot be replaced\n --> desk/templates/theme.typ:1:1"),
        "{stderr}"
    );
    // `check` says so too: a brief that passes it must render.
    let out = ws.run(&["check", "desk/briefs", "-v"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("theme.typ is generated"));
}

#[test]
fn the_default_language_and_formats_come_from_brief_toml() {
    let ws = desk();
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config
            .replace("language = \"en\"", "language = \"fr\"")
            .replace(
                "formats = [\"md\", \"html\", \"pdf\"]",
                "formats = [\"md\"]",
            ),
    );
    let out = success(&ws.run(&["render", "desk/briefs/baltic-cable.yaml"]));
    assert_eq!(out, "wrote desk/published/baltic-cable.md\n");
    let md = ws.read("desk/published/baltic-cable.md");
    // French labels and dates; the English renamings do not apply.
    assert!(md.contains("## L’essentiel\n"), "{md}");
    assert!(md.contains("20 novembre 2025"), "{md}");
    assert!(!md.contains("Key points"), "{md}");
}

#[test]
fn a_new_brief_takes_the_workspace_s_defaults_and_folder() {
    let ws = desk();
    // From a folder inside the workspace, into the workspace's briefs/.
    let out = success(&ws.run_in(
        "desk/assets",
        &["new", "port-closure", "--title", "Port closed"],
    ));
    assert_eq!(out, "wrote ../briefs/port-closure.yaml\n");
    let text = ws.read("desk/briefs/port-closure.yaml");
    assert!(
        text.starts_with("# yaml-language-server: $schema=../schema/brief.schema.json\n"),
        "{text}"
    );
    // No marking or language of its own: the workspace's apply.
    let filled = text
        .replace("summary: |\n", "summary: |\n  Closed.\n")
        .replace("background: |\n", "background: |\n  Strikes.\n")
        .replace("outlook: |\n", "outlook: |\n  Talks.\n")
        .replace(
            "developments: []",
            "developments:\n  - {date: 2025-11-01, title: Closed}",
        );
    ws.write("desk/briefs/port-closure.yaml", &filled);
    let config = success(&ws.run(&["config", "desk/briefs/port-closure.yaml"]));
    let line = |key: &str| {
        config
            .lines()
            .find(|l| l.starts_with(key))
            .unwrap()
            .to_string()
    };
    assert!(
        line("tlp = \"amber\"").ends_with("# desk/brief.toml:12"),
        "{config}"
    );
    assert!(
        line("language = \"en\"").ends_with("# desk/brief.toml:11"),
        "{config}"
    );
}

#[cfg(unix)]
#[test]
fn briefs_on_a_linked_folder_keep_their_workspace() {
    let ws = desk();
    // briefs/ moved to a shared drive and linked back.
    fs::rename(ws.join("desk/briefs"), ws.join("shared")).unwrap();
    std::os::unix::fs::symlink(ws.join("shared"), ws.join("desk/briefs")).unwrap();
    let out = ws.run_in("desk", &["check", "-v"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("configuration: brief.toml\n"),
        "{}",
        describe(&out)
    );
    // A linked folder inside a folder of briefs is searched too, once.
    fs::create_dir_all(ws.join("more")).unwrap();
    ws.write(
        "more/extra.yaml",
        &ws.read("shared/own-organization.yaml")
            .replace("title: Port", "title: Another port"),
    );
    std::os::unix::fs::symlink(ws.join("more"), ws.join("shared/more")).unwrap();
    std::os::unix::fs::symlink(ws.join("shared"), ws.join("shared/more/loop")).unwrap();
    let out = ws.run_in("desk", &["check"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).starts_with("checked 4 files"),
        "{}",
        describe(&out)
    );
}

#[cfg(unix)]
#[test]
fn a_font_folder_that_links_to_itself_is_read_once() {
    let ws = desk();
    std::os::unix::fs::symlink(".", ws.join("desk/fonts/again")).unwrap();
    let started = std::time::Instant::now();
    success(&ws.run(&["check", "desk/briefs"]));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

#[test]
fn typst_modules_never_replace_a_document_s_source() {
    let ws = desk();
    ws.write(
        "desk/briefs/theme.yaml",
        &ws.read("desk/briefs/baltic-cable.yaml"),
    );
    let out = ws.run(&["render", "desk/briefs/theme.yaml", "-f", "typ"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains(
            "the id `theme` is the name of the Typst module written beside Typst sources"
        ),
        "{}",
        describe(&out)
    );
    // Two workspaces with different themes may not share an output folder.
    fs::create_dir_all(ws.join("other/briefs")).unwrap();
    ws.write(
        "other/brief.toml",
        "[render]\noutput = \"../desk/published\"\n",
    );
    ws.write(
        "other/briefs/rotterdam.yaml",
        &ws.read("desk/briefs/own-organization.yaml"),
    );
    let out = ws.run(&[
        "render",
        "desk/briefs/baltic-cable.yaml",
        "other/briefs",
        "-f",
        "typ",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("is written by another workspace with other content"),
        "{}",
        describe(&out)
    );
}

#[test]
fn any_draft_label_makes_a_watermark() {
    let ws = desk();
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config.replace(
            "sources = \"References\"",
            "sources = \"References\"\ndraft = \"x ]]> <b>&'\\\"\"",
        ),
    );
    success(&ws.run(&["render", "desk/briefs/baltic-cable.yaml", "-f", "pdf"]));
    let (_, _, pixels) = pdf_pixels(&ws.join("desk/published/baltic-cable.pdf"), 1, 50);
    assert!(
        count_colour(&pixels, (0xe4, 0xe4, 0xe4), 6) > 200,
        "no watermark"
    );
}

#[test]
fn check_refuses_what_render_would() {
    // Without brief.toml, templates/ of the current folder is checked too.
    let ws = Workspace::fixture("basic");
    ws.write("templates/brief.html", "{% if brief.title %}\n");
    let out = ws.run(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains(" --> templates/brief.html:"));

    // A logo must be named like a picture.
    let desk = desk();
    fs::copy(
        desk.join("desk/assets/logo.png"),
        desk.join("desk/assets/logo.bin"),
    )
    .unwrap();
    let config = desk.read("desk/brief.toml");
    desk.write(
        "desk/brief.toml",
        &config.replace("assets/logo.png", "assets/logo.bin"),
    );
    let out = desk.run(&["check", "desk/briefs"]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("must be named like a picture"),
        "{}",
        describe(&out)
    );

    // PDF/UA needs a description of every picture.
    desk.write(
        "desk/brief.toml",
        &config.replace("standards = [\"a-2b\"]", "standards = [\"ua-1\"]"),
    );
    fs::copy(
        desk.join("desk/assets/logo.png"),
        desk.join("desk/briefs/chart.png"),
    )
    .unwrap();
    let brief = desk.read("desk/briefs/baltic-cable.yaml");
    desk.write(
        "desk/briefs/baltic-cable.yaml",
        &brief.replace(
            "suspect a dragged anchor.",
            "suspect a dragged anchor.\n\n  ![](chart.png)",
        ),
    );
    let out = desk.run(&["check", "desk/briefs/baltic-cable.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: picture `chart.png` has no description"),
        "{}",
        describe(&out)
    );
}

#[test]
fn a_picture_beside_templates_outside_the_root_is_found() {
    // No brief.toml: the root is briefs/, the templates are in ./templates.
    let ws = Workspace::fixture("basic");
    success(&ws.run(&["templates", "brief-style.typ"]));
    fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace/assets/logo.png"),
        ws.join("templates/stamp.png"),
    )
    .unwrap();
    let style = ws.read("templates/brief-style.typ");
    ws.write(
        "templates/brief-style.typ",
        &style.replace(
            "  line(length: 100%, stroke: 1.2pt + accent)\n}",
            "  line(length: 100%, stroke: 1.2pt + accent)\n  image(\"stamp.png\", width: 20mm, alt: \"stamp\")\n}",
        ),
    );
    success(&ws.run(&["render", "-f", "pdf"]));
    assert_eq!(pdf_images(&ws.join("output/full.pdf")).len(), 1);
}

#[test]
fn empty_values_and_control_characters_in_brief_toml_are_errors() {
    let ws = desk();
    let config = ws.read("desk/brief.toml");
    ws.write(
        "desk/brief.toml",
        &config
            .replace("name = \"Northwind Analysis Cell\"", "name = \"\"")
            .replace(
                "distribution = \"Internal distribution only. Do not forward.\"",
                "distribution = \"a\\u001bb\"",
            ),
    );
    let out = ws.run(&["check", "desk/briefs"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: `name` is empty"), "{stderr}");
    assert!(
        stderr.contains("error: `distribution` holds a control character (U+001B)"),
        "{stderr}"
    );
}
