//! `brief render`: outputs, structure, reproducibility and failure handling.

use std::fs;
use std::process::Command;

use crate::dom::{Html, Selector};

use crate::support::*;

const TITLE: &str = "Pakistan to host exiled Afghan opposition as Islamabad-Taliban ties fray";

/// The development titles of `basic/briefs/full.yaml`, in date order.
const DEVELOPMENTS: [&str; 5] = [
    "Pakistan steps up mass deportations of Afghans",
    "Taliban, Pakistani and Chinese foreign ministers meet in Beijing",
    "Khalilzad condemns Pakistan's plan to host Afghan opposition",
    "U.S. and Pakistan agree to intensify counterterrorism cooperation",
    "Resistance Front declares solidarity with Pakistan",
];

fn rendered() -> Workspace {
    let ws = Workspace::fixture("basic");
    let stdout = success(&ws.run(&["render"]));
    assert_eq!(
        stdout,
        "wrote output/full.md, output/full.html, output/full.pdf\n"
    );
    ws
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<crate::dom::ElementRef<'a>> {
    doc.select(&Selector::parse(css).unwrap()).collect()
}

#[test]
fn markdown_has_every_section_in_order() {
    let ws = rendered();
    let md = ws.read("output/full.md");
    assert!(
        md.starts_with("**TLP:AMBER · OFFICIAL-SENSITIVE**\n"),
        "{md}"
    );
    assert!(
        md.trim_end()
            .ends_with("**TLP:AMBER · OFFICIAL-SENSITIVE**"),
        "{md}"
    );
    assert_in_order(
        &md,
        &[
            &format!("# {TITLE}"),
            "*Islamabad adds a new lever against its former ally*",
            "As of 14 August 2025 · South Asia desk, A. Rahimi · South Asia · `full`",
            "## Bottom line",
            "## Key judgments",
            "## Background",
            "## Developments",
            "### Key actors",
            "| Actor | Role | Stance | Position |",
            "## Outlook",
            "### Upcoming dates",
            "| Date | Event | Location | Status |",
            "### Implications",
            "### Indicators to watch",
            "### Intelligence gaps",
            "## Sources",
        ],
        "markdown sections",
    );
    let headings: Vec<String> = DEVELOPMENTS.iter().map(|t| format!(": {t}")).collect();
    let refs: Vec<&str> = headings.iter().map(String::as_str).collect();
    assert_in_order(&md, &refs, "developments in date order");
    // Citations are numbered in order of first appearance.
    assert!(
        squash(&md).contains("against the Taliban [1], as it deepens"),
        "{md}"
    );
    assert!(md.contains("1. **Deeyar**"), "{md}");
}

#[test]
fn html_is_semantic_and_self_contained() {
    let ws = rendered();
    let text = ws.read("output/full.html");
    let doc = Html::parse_document(&text);
    let html = select(&doc, "html")[0];
    assert_eq!(html.attr("lang"), Some("en"));
    assert_eq!(html.attr("dir"), Some("ltr"));
    assert_eq!(
        select(&doc, "head > title")[0].text().collect::<String>(),
        TITLE
    );
    assert_eq!(select(&doc, "h1")[0].text().collect::<String>(), TITLE);

    let sections: Vec<&str> = select(&doc, "main > section")
        .iter()
        .filter_map(|s| s.attr("id"))
        .collect();
    assert_eq!(
        sections,
        [
            "summary",
            "key-judgments",
            "background",
            "developments",
            "outlook",
            "sources"
        ]
    );
    let in_outlook: Vec<&str> = select(&doc, "#outlook > section")
        .iter()
        .filter_map(|s| s.attr("id"))
        .collect();
    assert_eq!(
        in_outlook,
        ["upcoming", "implications", "indicators", "gaps"]
    );
    assert_eq!(select(&doc, "#developments > section#actors").len(), 1);

    let titles: Vec<String> = select(&doc, "#developments ol.timeline h3 .title")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(titles, DEVELOPMENTS);

    // Tables have header cells.
    let actor_heads: Vec<String> = select(&doc, "#actors thead th[scope=col]")
        .iter()
        .map(|e| e.text().collect())
        .collect();
    assert_eq!(actor_heads, ["Actor", "Role", "Stance", "Position"]);
    assert_eq!(select(&doc, "#upcoming thead th[scope=col]").len(), 4);

    // The marking at the top and the bottom, on black, in its colour.
    for place in ["header.masthead .tlp", "footer.colophon .tlp"] {
        let tlp = select(&doc, place);
        assert_eq!(tlp.len(), 1, "{place}");
        assert_eq!(tlp[0].text().collect::<String>(), "TLP:AMBER");
        assert_eq!(tlp[0].attr("style"), Some("color: #FFC000"));
    }
    assert!(text.contains(".tlp {\n  background: #000;"));

    // Self-contained: inline CSS, no script, nothing fetched.
    assert!(select(&doc, "script, link, iframe, object, embed").is_empty());
    for el in select(&doc, "[src]") {
        assert!(
            el.attr("src").unwrap().starts_with("data:"),
            "external src: {:?}",
            el.value()
        );
    }
    assert!(!text.contains("@import") && !text.contains("url("));
    assert!(text.contains("@media print"));
    assert!(text.contains("name=\"viewport\""));

    // Citations link to their numbered source.
    let first = select(&doc, "#summary a.cite")[0];
    assert_eq!(first.attr("href"), Some("#source-1"));
    assert_eq!(
        select(&doc, "#sources li#source-1 .source-name")[0]
            .text()
            .collect::<String>(),
        "Deeyar"
    );
    let grade = select(&doc, "#source-1 abbr.grade")[0];
    assert_eq!(grade.text().collect::<String>(), "C3");
    assert_eq!(grade.attr("title"), Some("fairly reliable; possibly true"));
}

#[test]
fn pdf_text_metadata_and_fonts() {
    let ws = rendered();
    let pdf = ws.join("output/full.pdf");
    let text = pdf_text(&pdf);
    assert_in_order(
        &text,
        &[
            TITLE,
            "Bottom line",
            "Key judgments",
            "Background",
            "Developments",
            DEVELOPMENTS[0],
            DEVELOPMENTS[4],
            "Key actors",
            "Outlook",
            "Upcoming dates",
            "Implications",
            "Indicators to watch",
            "Intelligence gaps",
            "Sources",
        ],
        "PDF reading order",
    );
    for title in DEVELOPMENTS {
        // The PDF sets the apostrophe the analyst typed as a curly one.
        let title = title.replace('\'', "\u{2019}");
        assert!(
            text.contains(&title),
            "development `{title}` missing from the PDF\n{text}"
        );
    }

    let pages = pdf_pages(&pdf);
    assert!(
        pages.len() >= 2,
        "expected several pages, got {}",
        pages.len()
    );
    for (i, page) in pages.iter().enumerate() {
        assert_eq!(
            page.matches("TLP:AMBER").count(),
            2,
            "page {} needs the label in header and footer",
            i + 1
        );
        assert_eq!(
            page.matches("OFFICIAL-SENSITIVE").count(),
            2,
            "page {} banner",
            i + 1
        );
        assert!(
            page.contains(&format!("Page {} of {}", i + 1, pages.len())),
            "page {} number",
            i + 1
        );
    }

    let info = pdf_info(&pdf);
    assert!(
        info.contains(&format!("Title:           {TITLE}")),
        "{info}"
    );
    assert!(
        info.contains("Author:          South Asia desk, A. Rahimi, Example Analysis Unit"),
        "{info}"
    );
    assert!(
        info.contains("Keywords:        Afghanistan, Pakistan, Taliban, counterterrorism"),
        "{info}"
    );
    assert!(
        info.contains("CreationDate:    Thu Aug 14 00:00:00 2025 UTC"),
        "{info}"
    );
    assert!(info.contains("Tagged:          yes"), "{info}");

    let fonts = pdf_fonts(&pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name type... encoding emb sub uni object ID: emb is 5th from the end.
        assert_eq!(cols[cols.len() - 5], "yes", "font not embedded: {row}");
    }
}

#[test]
fn tlp_label_is_twelve_points_in_its_colour_on_black() {
    let ws = Workspace::fixture("basic");
    success(&ws.run(&["render", "-f", "typ"]));
    let typ = ws.read("output/full.typ");
    assert!(
        typ.contains("tlp: (label: \"TLP:AMBER\", colour: rgb(\"#FFC000\"))"),
        "{typ}"
    );
    // The style file draws the label: black box, 12 pt bold text.
    let builtin = include_str!("../../templates/brief-style.typ");
    assert!(builtin.contains("fill: black"));
    assert!(builtin.contains("size: 12pt, weight: \"bold\", fill: tlp.colour, tlp.label"));
}

/// The bytes of `output/full.{md,html,pdf}`.
fn outputs(ws: &Workspace) -> Vec<Vec<u8>> {
    ["md", "html", "pdf"]
        .iter()
        .map(|e| fs::read(ws.join(&format!("output/full.{e}"))).unwrap())
        .collect()
}

#[test]
fn rendering_twice_gives_identical_bytes() {
    let ws = rendered();
    let first = outputs(&ws);
    success(&ws.run(&["render"]));
    let second = outputs(&ws);
    for (i, ext) in ["md", "html", "pdf"].iter().enumerate() {
        assert!(first[i] == second[i], "{ext} differs between two renders");
    }
}

#[test]
fn a_broken_brief_does_not_stop_the_batch() {
    let ws = Workspace::fixture("batch");
    let out = ws.run(&["render"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        stdout,
        "wrote output/alpha.md, output/alpha.html, output/alpha.pdf\n\
         wrote output/gamma.md, output/gamma.html, output/gamma.pdf\n"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: missing required field `outlook` in a brief"),
        "{stderr}"
    );
    assert!(stderr.contains("--> briefs/beta.yaml:1:1"), "{stderr}");
    assert!(
        stderr.contains("error: briefs/beta.yaml was not rendered: 1 error"),
        "{stderr}"
    );
    assert!(!ws.join("output/beta.md").exists());
}

#[test]
fn a_failed_render_keeps_the_previous_outputs() {
    let ws = rendered();
    let before = outputs(&ws);

    // A template that cannot typeset makes the PDF fail after the Markdown
    // and HTML have rendered: none of the three may be replaced.
    ws.write(
        "templates/brief-style.typ",
        "#let briefing(..args) = panic(\"broken style\")\n",
    );
    let brief = ws.read("briefs/full.yaml");
    ws.write(
        "briefs/full.yaml",
        &brief.replace("Islamabad adds a new lever", "A changed subtitle"),
    );
    let out = ws.run(&["render"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("was not rendered: pdf: 1 error in the templates"),
        "{stderr}"
    );
    // The overriding style lacks what the built-in brief.typ calls.
    assert!(
        stderr.contains("error: unknown variable: title-block"),
        "{stderr}"
    );

    for (i, ext) in ["md", "html", "pdf"].iter().enumerate() {
        let now = fs::read(ws.join(&format!("output/full.{ext}"))).unwrap();
        assert!(now == before[i], "{ext} was overwritten by a failed render");
    }
    let leftovers: Vec<_> = fs::read_dir(ws.join("output"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
}

#[test]
fn formats_and_output_folder_are_chosen_on_the_command_line() {
    let ws = Workspace::fixture("basic");
    let stdout = success(&ws.run(&["render", "briefs/full.yaml", "-o", "out/x", "-f", "typ,md"]));
    assert_eq!(
        stdout,
        "wrote out/x/full.md, out/x/full.typ, out/x/brief-style.typ, out/x/theme.typ\n"
    );
    // The source imports the style module, which imports the theme; both
    // are written beside it, so it compiles on its own.
    assert!(
        ws.read("out/x/full.typ")
            .contains("#import \"brief-style.typ\": *")
    );
    assert_eq!(
        ws.read("out/x/brief-style.typ"),
        include_str!("../../templates/brief-style.typ")
    );
    assert!(
        ws.read("out/x/theme.typ")
            .contains("accent: rgb(\"#1f4e79\"),")
    );

    let bad = ws.run(&["render", "-f", "docx"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("unknown format `docx`"));

    let missing = ws.run(&["render", "nowhere"]);
    assert_eq!(missing.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr),
        "error: nowhere does not exist\n"
    );
}

#[test]
fn user_templates_override_the_builtin_ones_file_by_file() {
    let ws = Workspace::fixture("basic");
    ws.write(
        "templates/brief.md",
        "custom {{ brief.title }} {{ brief.marking.tlp.label }}\n",
    );
    success(&ws.run(&["render", "-f", "md,html"]));
    assert_eq!(
        ws.read("output/full.md"),
        format!("custom {TITLE} TLP:AMBER\n")
    );
    // The HTML template was not overridden.
    assert!(ws.read("output/full.html").contains("<main>"));

    ws.write("elsewhere/brief.md", "elsewhere {{ brief.id }}\n");
    success(&ws.run(&["render", "-f", "md", "--templates", "elsewhere"]));
    assert_eq!(ws.read("output/full.md"), "elsewhere full\n");
}

#[test]
fn committed_schema_is_current() {
    let ws = Workspace::fixture("basic");
    let printed = success(&ws.run(&["schema"]));
    let committed = include_str!("../../schema/brief.schema.json");
    assert!(
        printed == committed,
        "schema/brief.schema.json is stale: run `cargo run --release -- schema > schema/brief.schema.json`"
    );
}

#[test]
fn arabic_text_is_typeset_right_to_left_with_its_own_font() {
    let ws = Workspace::fixture("basic");
    ws.write(
        "briefs/full.yaml",
        "title: اختبار العنوان\ndate: 2025-08-14\nlanguage: ar\nsummary: الخلاصة مع اسم علي ميثم نظري.\nbackground: خلفية.\ndevelopments:\n  - date: 2025-08-13\n    title: حدث مهم\noutlook: توقعات.\n",
    );
    success(&ws.run(&["render", "-f", "html,pdf"]));
    let pdf = ws.join("output/full.pdf");
    let fonts = pdf_fonts(&pdf);
    assert!(fonts.contains("NotoNaskhArabic-Regular"), "{fonts}");
    let text = pdf_text(&pdf);
    assert!(
        text.contains("الخلفية"),
        "the Arabic label for Background is missing\n{text}"
    );
    let html = ws.read("output/full.html");
    assert!(html.contains("<html lang=\"ar\" dir=\"rtl\">"));
}

/// A batch far longer than there are cores renders document by document:
/// documents are never compiled on top of each other's stacks (this size
/// overflowed a thread's stack when they were), and each line is printed
/// once, in the order given.
#[test]
fn a_long_batch_renders_in_order_without_exhausting_the_stack() {
    let ws = Workspace::fixture("publishing");
    let count = 400;
    small_briefs(&ws, "batch", count, 3);
    let out = ws.run(&["render", "batch", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    let expected: Vec<String> = (0..count)
        .map(|i| format!("wrote out/b{i:03}.pdf"))
        .collect();
    assert_eq!(lines, expected);
}

/// Runs `brief` with `args` in `ws` on a pseudo-terminal (util-linux's
/// `script`), as a person at a terminal would, with `env` set; returns
/// what the terminal showed.
fn on_terminal(ws: &Workspace, args: &str, env: &[(&str, &str)]) -> String {
    // A terminal wide enough for the whole bar, whatever runs the tests.
    let command = format!(
        "stty cols 200 rows 50; {} {args}",
        env!("CARGO_BIN_EXE_brief")
    );
    let mut script = Command::new("script");
    script
        .args(["-qfec", &command, "/dev/null"])
        .current_dir(ws.path())
        .env_remove("NO_COLOR")
        .env("TERM", "xterm");
    for (key, value) in env {
        script.env(key, value);
    }
    let out = script.output().expect("script runs (util-linux)");
    assert!(out.status.success(), "{}", describe(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn progress_is_shown_on_a_terminal_and_never_in_piped_output() {
    let ws = Workspace::fixture("publishing");
    let count = 40;
    small_briefs(&ws, "batch", count, 2);
    // Piped: the lines and nothing else.
    let out = ws.run(&["render", "batch", "-f", "pdf", "-o", "out"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert!(out.stderr.is_empty(), "{}", describe(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), count);

    // On a terminal: a bar with the count and the rate, and every line.
    let shown = on_terminal(&ws, "render batch -f pdf -o out", &[]);
    assert!(shown.contains(&format!("/{count} documents · ")), "{shown}");
    assert!(shown.contains(" a second · "), "{shown}");
    for i in 0..count {
        assert!(shown.contains(&format!("wrote out/b{i:02}.pdf")), "{shown}");
    }
    // NO_COLOR asks for plain lines; --quiet for problems only.
    let plain = on_terminal(&ws, "render batch -f pdf -o out", &[("NO_COLOR", "1")]);
    assert!(!plain.contains("documents"), "{plain}");
    assert_eq!(plain.lines().count(), count);
    let quiet = on_terminal(&ws, "render batch -f pdf -o out --quiet", &[]);
    assert_eq!(quiet, "");
}
