//! Editions, and the calendar and JSON exports.

use std::collections::HashSet;
use std::process::Command;

use crate::dom::{Html, Selector};
use serde_json::{Value, json};

use crate::support::*;

fn rendered(formats: &str) -> Workspace {
    let ws = Workspace::fixture("editions");
    let out = ws.run(&["render", "briefs", "-f", formats]);
    assert!(out.status.success(), "{}", describe(&out));
    ws
}

#[test]
fn an_edition_renders_as_one_document() {
    let ws = rendered("md,html,pdf");
    let pdf = ws.join("output/daily.pdf");
    let text = pdf_text(&pdf);
    assert_in_order(
        &text,
        &[
            "Test Daily",
            "Contents",
            "Alpha situation",
            "Beta situation",
            "Week ahead",
            "Beta vote",
            "Alpha talks",
            "Alpha summit",
            "Later",
            "Alpha review",
            "Alpha situation",
            "Bottom line",
            "Beta situation",
            "Bottom line",
        ],
        "edition PDF",
    );
    // The edition takes its strictest item's marking, and the items'
    // classification, on every page.
    for (i, page) in pdf_pages(&pdf).iter().enumerate() {
        assert!(
            page.contains("TLP:AMBER"),
            "page {} has no TLP label",
            i + 1
        );
        assert!(
            page.contains("OFFICIAL"),
            "page {} has no classification",
            i + 1
        );
    }
    // The contents are also the PDF's bookmarks.
    let raw = std::fs::read(&pdf).unwrap();
    assert!(raw.windows(9).any(|w| w == b"/Outlines"), "no outline");
    let info = pdf_info(&pdf);
    assert!(info.contains("Title:           Test Daily"), "{info}");
    assert!(
        info.contains("Keywords:        alpha, shared, beta"),
        "{info}"
    );

    let html = ws.read("output/daily.html");
    let doc = Html::parse_document(&html);
    let links: Vec<(String, String)> = doc
        .select(&Selector::parse("nav#contents a").unwrap())
        .map(|a| (a.attr("href").unwrap().to_string(), a.text().collect()))
        .collect();
    assert_eq!(
        links,
        [
            ("#b1-top".to_string(), "Alpha situation".to_string()),
            ("#b2-top".to_string(), "Beta situation".to_string())
        ]
    );
    for (href, _) in &links {
        assert_eq!(
            doc.select(&Selector::parse(href).unwrap()).count(),
            1,
            "{href} missing"
        );
    }
    // Anchors stay unique with several briefs in one page.
    let mut ids = HashSet::new();
    for el in doc.select(&Selector::parse("[id]").unwrap()) {
        let id = el.attr("id").unwrap();
        assert!(ids.insert(id.to_string()), "duplicate id {id}");
    }
    // Sources are numbered per chapter: beta cites b2 first.
    let beta_first: String = doc
        .select(&Selector::parse("#b2-source-1 .source-name").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(beta_first, "Beta Two");
    let cite = doc
        .select(&Selector::parse("#b2-summary a.cite").unwrap())
        .next()
        .unwrap();
    assert_eq!(cite.attr("href"), Some("#b2-source-1"));
    // The week ahead names each event's brief, linked to its chapter.
    let rows: Vec<Vec<String>> = doc
        .select(&Selector::parse("#week-ahead tbody tr").unwrap())
        .map(|tr| {
            tr.select(&Selector::parse("td").unwrap())
                .map(|td| td.text().collect::<String>())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4, "{rows:?}");
    assert_eq!(
        rows[0],
        [
            "15 August 2025",
            "Beta vote",
            "",
            "Tentative",
            "Beta situation"
        ]
    );
    assert_eq!(rows[1][0], "16 August 2025");
    assert_eq!(rows[2][0], "20–22 August 2025");
    assert_eq!(
        rows[3],
        [
            "September 2025",
            "Alpha review (month only)",
            "",
            "Confirmed",
            "Alpha situation"
        ]
    );

    let md = ws.read("output/daily.md");
    assert_in_order(
        &md,
        &[
            "# Test Daily",
            "## Contents",
            "1. Alpha situation",
            "## Week ahead",
            "## Alpha situation",
            "### Bottom line",
            "## Beta situation",
        ],
        "edition Markdown",
    );
}

#[test]
fn edition_mistakes_are_named() {
    let ws = Workspace::fixture("editions");
    for (file, message) in [
        (
            "green",
            "error: the edition is marked TLP:GREEN, less restrictive than item `../briefs/beta.yaml` (TLP:AMBER)",
        ),
        (
            "missing",
            "error: edition item `../briefs/gamma.yaml` does not exist",
        ),
        (
            "duplicate",
            "error: `../briefs/./alpha.yaml` is listed twice",
        ),
        ("self", "error: the edition lists itself as an item"),
        (
            "broken",
            "error: edition item `broken-brief.yml` has 4 errors",
        ),
    ] {
        let out = ws.run(&["render", &format!("bad/{file}.yaml")]);
        assert_eq!(out.status.code(), Some(1), "{file}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(message), "{file}:\n{stderr}");
        assert!(
            stderr.contains(&format!(" --> bad/{file}.yaml:")),
            "{file}:\n{stderr}"
        );
    }
}

fn parse_ics(path: &std::path::Path) -> Value {
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/tools/ics_events.py");
    let out = Command::new("python3")
        .args([script, path.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the icalendar package is needed (pip install icalendar): {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn calendars_follow_rfc_5545() {
    let ws = rendered("ics");
    let bytes = std::fs::read(ws.join("output/alpha.ics")).unwrap();
    let text = String::from_utf8(bytes.clone()).unwrap();
    // CRLF line ends, lines folded at 75 octets.
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    assert!(!text.replace("\r\n", "").contains('\n'), "bare LF");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    assert!(text.contains("\r\n "), "the long description is folded");

    let cal = parse_ics(&ws.join("output/alpha.ics"));
    assert_eq!(cal["version"], "2.0");
    assert_eq!(cal["name"], "Alpha situation");
    let events = cal["events"].as_array().unwrap();
    assert_eq!(events.len(), 3);
    let date = |v: &str| json!({"kind": "date", "value": v, "params": {"VALUE": "DATE"}});
    assert_eq!(events[0]["dtstart"], date("2025-08-16"));
    assert_eq!(events[0]["dtend"], date("2025-08-17"));
    assert_eq!(
        events[0]["summary"],
        "Alpha talks, round two; venue \"TBC\""
    );
    assert_eq!(events[0]["location"], "Geneva, Palais des Nations");
    assert_eq!(
        events[0]["description"],
        "TLP:GREEN\n\nWatch who attends [1]. A long sentence follows so that the description runs well past seventy-five octets and must be folded.\n\nBrief: Alpha situation"
    );
    assert_eq!(events[0]["status"], "CONFIRMED");
    assert_eq!(events[0]["class"], "PRIVATE");
    assert_eq!(events[0]["dtstamp"]["value"], "2025-08-14T00:00:00+00:00");
    // A multi-day event ends the day after its last day.
    assert_eq!(events[1]["summary"], "Alpha summit");
    assert_eq!(events[1]["dtstart"], date("2025-08-20"));
    assert_eq!(events[1]["dtend"], date("2025-08-23"));
    assert_eq!(events[1]["status"], "TENTATIVE");
    assert_eq!(events[1]["x_brief_status"], "expected");
    // A month-precision event spans the month and is tentative.
    assert_eq!(events[2]["dtstart"], date("2025-09-01"));
    assert_eq!(events[2]["dtend"], date("2025-10-01"));
    assert_eq!(events[2]["status"], "TENTATIVE");
    assert_eq!(events[2]["location"], Value::Null);

    // UIDs stay the same across renders and between the brief's calendar
    // and the edition's.
    let uid = events[0]["uid"].as_str().unwrap().to_string();
    assert_eq!(uid, "alpha-2025-08-1@brief");
    let again = rendered("ics");
    assert_eq!(
        std::fs::read(again.join("output/alpha.ics")).unwrap(),
        bytes
    );
    let edition = parse_ics(&ws.join("output/daily.ics"));
    let edition_uids: Vec<&str> = edition["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["uid"].as_str().unwrap())
        .collect();
    assert_eq!(edition_uids.len(), 4);
    assert!(edition_uids.contains(&uid.as_str()));
    let beta = &edition["events"][0];
    assert_eq!(beta["summary"], "Beta vote");
    assert_eq!(
        beta["description"],
        "TLP:AMBER · OFFICIAL\n\nBrief: Beta situation"
    );
    assert_eq!(beta["class"], "CONFIDENTIAL");
}

/// The UIDs of a calendar's events, by summary.
fn uids(path: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    parse_ics(path)["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["summary"].as_str().unwrap().to_string(),
                e["uid"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn calendar_uids_hold_when_a_date_firms_up_or_a_title_is_corrected() {
    let ws = rendered("ics");
    let before = uids(&ws.join("output/alpha.ics"));
    assert_eq!(before["Alpha review (month only)"], "alpha-2025-09-1@brief");
    assert_eq!(before["Alpha summit"], "alpha-2025-08-2@brief");

    // The review's date firms up, a title is corrected, and the summit is
    // pinned with a `uid` of its own.
    let text = ws
        .read("briefs/alpha.yaml")
        .replace("  - date: 2025-09\n", "  - date: 2025-09-12\n")
        .replace("Alpha review (month only)", "Alpha annual review")
        .replace(
            "    title: Alpha summit\n",
            "    title: Alpha summit\n    uid: summit\n",
        );
    ws.write("briefs/alpha.yaml", &text);
    success(&ws.run(&["render", "briefs/alpha.yaml", "-f", "ics"]));
    let after = uids(&ws.join("output/alpha.ics"));
    assert_eq!(
        after["Alpha annual review"],
        before["Alpha review (month only)"]
    );
    assert_eq!(
        after["Alpha talks, round two; venue \"TBC\""],
        before["Alpha talks, round two; venue \"TBC\""]
    );
    assert_eq!(after["Alpha summit"], "alpha-summit@brief");

    // A pinned UID names one event.
    ws.write(
        "briefs/alpha.yaml",
        &text.replace(
            "    location: Geneva",
            "    uid: summit\n    location: Geneva",
        ),
    );
    let out = ws.run(&["check", "briefs/alpha.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error: duplicate event id `summit`"),
        "{}",
        describe(&out)
    );
    // A pinned UID may not take the automatic form.
    ws.write(
        "briefs/alpha.yaml",
        &text.replace("uid: summit", "uid: 2025-08-1"),
    );
    let out = ws.run(&["check", "briefs/alpha.yaml"]);
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: `uid: 2025-08-1` could be the UID of another event"),
        "{}",
        describe(&out)
    );
}

#[test]
fn checking_an_edition_shows_its_items_warnings_and_refuses_a_shared_id() {
    let ws = Workspace::fixture("editions");
    let alpha = ws.read("briefs/alpha.yaml");
    ws.write(
        "briefs/alpha.yaml",
        &alpha.replace("sources:\n", "sources:\n  - id: unused\n    name: Unused\n"),
    );
    let out = ws.run(&["check", "briefs/daily.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning[uncited-source]: source `unused` is never referenced\n  --> briefs/alpha.yaml:"
        ),
        "{stderr}"
    );
    assert!(stderr.ends_with("checked 3 files: 1 warning\n"), "{stderr}");
    assert_eq!(
        ws.run(&["check", "--deny-warnings", "briefs/daily.yaml"])
            .status
            .code(),
        Some(1)
    );

    // Two items with one id would share anchors and calendar UIDs.
    ws.write(
        "briefs/beta.yaml",
        &ws.read("briefs/beta.yaml")
            .replacen("date:", "id: alpha\ndate:", 1),
    );
    let out = ws.run(&["check", "briefs/daily.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: `beta.yaml` has the id `alpha`, as `alpha.yaml` has\n"),
        "{}",
        describe(&out)
    );
}

#[test]
fn json_is_the_resolved_document_and_follows_its_schema() {
    let ws = rendered("json");
    let brief: Value = serde_json::from_str(&ws.read("output/beta.json")).unwrap();
    assert_eq!(brief["kind"], "brief");
    assert_eq!(brief["format_version"], 1);
    assert_eq!(brief["summary"], "Beta summary [1] and [2].");
    assert_eq!(brief["sources"][0]["id"], "b2");
    assert_eq!(brief["sources"][0]["n"], 1);
    assert!(brief.get("labels").is_none());
    let alpha: Value = serde_json::from_str(&ws.read("output/alpha.json")).unwrap();
    let titles: Vec<&str> = alpha["upcoming"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["title"].as_str().unwrap())
        .collect();
    assert_eq!(
        titles,
        [
            "Alpha talks, round two; venue \"TBC\"",
            "Alpha summit",
            "Alpha review (month only)"
        ]
    );
    let edition: Value = serde_json::from_str(&ws.read("output/daily.json")).unwrap();
    assert_eq!(edition["kind"], "edition");
    assert_eq!(edition["marking"]["tlp"]["label"], "TLP:AMBER");
    assert_eq!(edition["chapters"].as_array().unwrap().len(), 2);
    assert_eq!(edition["week_ahead"][0]["brief"], "Beta situation");

    // Every output validates against the committed schema.
    for file in ["alpha", "beta", "daily"] {
        assert_follows_output_schema(&ws.join(&format!("output/{file}.json")));
    }
}

#[test]
fn a_missing_item_suggests_the_brief_file_meant_and_items_count_as_checked() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - farsi\n  - cyber-tokns.yaml\n",
    );
    let out = ws.run(&["check", "daily.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (line, written, meant) in [
        (4, "farsi", "farsi.yaml"),
        (5, "cyber-tokns.yaml", "cyber-tokens.yaml"),
    ] {
        let expected =
            format!("error: edition item `{written}` does not exist\n --> daily.yaml:{line}:5\n");
        assert!(stderr.contains(&expected), "{stderr}");
        assert!(
            stderr.contains(&format!("= help: did you mean `{meant}`?\n")),
            "{stderr}"
        );
    }
    // The count says what was read: the edition and its items.
    ws.write(
        "daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - farsi.yaml\n  - scripts.yaml\n",
    );
    let out = ws.run(&["check", "daily.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 3 files: no problems\n",
        "{}",
        describe(&out)
    );
    // Items named too are counted once.
    let out = ws.run(&["check", "daily.yaml", "farsi.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 3 files: no problems\n"
    );
}

#[test]
fn an_edition_warns_about_old_items_and_items_dated_after_it() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "early.yaml",
        "edition: Early\ndate: 2025-09-01\nitems:\n  - farsi.yaml\n  - cyber-tokens.yaml\n",
    );
    let out = ws.run(&["check", "early.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: item `cyber-tokens.yaml` is dated 2025-09-02, after the edition (2025-09-01)
 --> early.yaml:5:5
  |
5 |   - cyber-tokens.yaml
  |     ^^^^^^^^^^^^^^^^^ dated after the edition
  |
  = help: an edition collects briefs as of its date: check the brief's `date` or the edition's

checked 3 files: 1 warning
"
    );
    ws.write(
        "late.yaml",
        "edition: Late\ndate: 2025-10-01\nitems:\n  - farsi.yaml\n  - cyber-tokens.yaml\n",
    );
    let stderr = String::from_utf8_lossy(&ws.run(&["check", "late.yaml"]).stderr).into_owned();
    assert!(
        stderr.starts_with("warning: item `farsi.yaml` is dated 2025-08-14, 48 days before the edition\n --> late.yaml:4:5\n"),
        "{stderr}"
    );
    assert!(stderr.ends_with("checked 3 files: 1 warning\n"), "{stderr}");
}

#[test]
fn an_invalid_item_shows_its_own_problems_once() {
    let ws = Workspace::fixture("publishing");
    let farsi = ws.read("farsi.yaml").replace("\ntitle:", "\ntitel:");
    ws.write("farsi.yaml", &farsi);
    ws.write(
        "daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - farsi.yaml\n  - scripts.yaml\n",
    );
    for args in [
        vec!["check", "daily.yaml"],
        vec!["check", "daily.yaml", "farsi.yaml"],
        vec!["render", "daily.yaml", "-f", "md", "-o", "out"],
    ] {
        let out = ws.run(&args);
        assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("error: edition item `farsi.yaml` has 1 error\n --> daily.yaml:4:5\n"),
            "{args:?}: {stderr}"
        );
        assert_eq!(
            stderr
                .matches("error: unknown field `titel` in a brief\n --> farsi.yaml:")
                .count(),
            1,
            "{args:?}: {stderr}"
        );
    }
}

#[test]
fn skip_invalid_publishes_the_edition_without_its_broken_items_and_names_them() {
    let ws = Workspace::fixture("editions");
    let beta = ws
        .read("briefs/beta.yaml")
        .replace("tlp: amber", "tlp: purple");
    ws.write("briefs/beta.yaml", &beta);
    let render = |extra: &[&str]| {
        let mut args = vec!["render", "briefs/daily.yaml", "-f", "md,html,pdf,json"];
        args.extend_from_slice(extra);
        ws.run(&args)
    };

    // Without the flag the edition waits for its items.
    let out = render(&[]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(!ws.join("output/daily.pdf").exists());

    let out = render(&["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "warning: edition item `beta.yaml` has 1 error and is left out\n --> briefs/daily.yaml:6:5\n"
        ),
        "{stderr}"
    );
    // The item's own problem is shown, where it is.
    assert!(
        stderr.contains("error: unknown TLP label `purple`\n --> briefs/beta.yaml:3:16\n"),
        "{stderr}"
    );

    let md = ws.read("output/daily.md");
    assert!(
        md.contains("1. Alpha situation\n\nNot in this edition: beta.yaml\n"),
        "{md}"
    );
    assert!(!md.contains("Beta summary"), "{md}");
    let pdf = squash(&pdf_text(&ws.join("output/daily.pdf")));
    assert!(pdf.contains("Not in this edition: beta.yaml"), "{pdf}");
    assert!(!pdf.contains("Beta summary"), "{pdf}");
    let html = ws.read("output/daily.html");
    assert!(
        html.contains("<p class=\"left-out\">Not in this edition: <bdi>beta.yaml</bdi></p>"),
        "{html}"
    );
    let json: Value = serde_json::from_str(&ws.read("output/daily.json")).unwrap();
    assert_eq!(json["left_out"], json!(["beta.yaml"]));
    assert_eq!(json["chapters"].as_array().unwrap().len(), 1);

    // With every item broken there is nothing to publish.
    let alpha = ws.read("briefs/alpha.yaml").replacen("title:", "titel:", 1);
    ws.write("briefs/alpha.yaml", &alpha);
    let out = render(&["--skip-invalid"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: every item of the edition has errors: there is nothing to publish"),
        "{}",
        describe(&out)
    );
}

/// Where a PDF's links and bookmarks lead, one per line
/// (`tests/tools/pdf_links.py`).
fn pdf_links(pdf: &std::path::Path) -> String {
    pdf_tool("pdf_links.py", pdf)
}

#[test]
fn an_edition_laid_out_in_parts_reads_and_links_as_if_laid_out_whole() {
    let ws = Workspace::fixture("editions");
    // With the built-in templates the PDF is laid out in parts and joined;
    // with an edition.typ of the workspace's own (here the built-in one with
    // a comment added) it is compiled whole.
    success(&ws.run(&["render", "briefs/daily.yaml", "-f", "pdf", "-o", "parts"]));
    ws.write(
        "whole/edition.typ",
        &format!(
            "{}{{# our own #}}\n",
            include_str!("../../templates/edition.typ")
        ),
    );
    success(&ws.run(&[
        "render",
        "briefs/daily.yaml",
        "-f",
        "pdf",
        "-o",
        "whole",
        "--templates",
        "whole",
    ]));
    let parts = ws.join("parts/daily.pdf");
    let whole = ws.join("whole/daily.pdf");
    let pages = pdf_pages(&parts);
    assert_eq!(pages, pdf_pages(&whole), "the text differs");
    let links = pdf_links(&parts);
    assert_eq!(links, pdf_links(&whole), "the links differ");

    // Every page counts all pages, and carries the markings.
    let total = pages.len();
    assert!(total >= 3, "{total} pages");
    for (i, page) in pages.iter().enumerate() {
        let footer = format!("Page {} of {total}", i + 1);
        assert!(page.contains(&footer), "page {} lacks {footer:?}", i + 1);
        assert!(
            page.contains("TLP:AMBER"),
            "page {} has no TLP label",
            i + 1
        );
    }
    // The contents and the week ahead lead to the chapters' first pages,
    // and the bookmarks too.
    let first = |title: &str| {
        1 + pages
            .iter()
            .position(|p| p.contains(title) && p.contains("Bottom line"))
            .unwrap_or_else(|| panic!("no chapter {title}"))
    };
    let (alpha, beta) = (first("Alpha situation"), first("Beta situation"));
    assert!(alpha >= 2 && beta > alpha, "alpha {alpha}, beta {beta}");
    for page in [alpha, beta] {
        assert!(
            links.contains(&format!("link 1 -> page {page} y ")),
            "nothing on the cover leads to page {page}:\n{links}"
        );
    }
    assert!(
        links.contains(&format!("bookmark 1 Beta situation -> page {beta} y ")),
        "{links}"
    );
    // A citation in the last chapter leads to its own source list, not to
    // the first chapter's.
    let cited: Vec<usize> = links
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("link {beta} -> page ")))
        .filter_map(|rest| rest.split(' ').next()?.parse().ok())
        .collect();
    assert!(!cited.is_empty(), "no citation on page {beta}:\n{links}");
    assert!(cited.iter().all(|&p| p >= beta), "{cited:?}");
}
