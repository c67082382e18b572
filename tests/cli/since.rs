//! `render --since` and `brief diff`: what changed since an earlier version
//! of a brief. The fixture holds the article's brief as it was
//! (`earlier/`) and its next day's version (`briefs/`): one development
//! added, one key judgment moved from likely to very likely.

use crate::dom::{Html, Selector};
use crate::support::*;

const JUDGMENT: &str = "Key judgments: Islamabad will go ahead with the gathering, at lower visibility if Kabul protests, unless…; Likelihood: likely → very likely";
const DEVELOPMENT: &str = "Developments (added): 15 August 2025, Taliban government protests the planned gathering to Islamabad";

/// The lines of the Markdown section whose heading is `heading`, up to the
/// next heading of its level.
fn md_section(md: &str, heading: &str) -> Vec<String> {
    let start = md
        .find(&format!("\n## {heading}\n"))
        .unwrap_or_else(|| panic!("no `## {heading}` in\n{md}"));
    let rest = &md[start + heading.len() + 5..];
    let end = rest.find("\n## ").unwrap_or(rest.len());
    rest[..end]
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect()
}

fn render_since(ws: &Workspace, since: &str, out: &str) {
    success(&ws.run(&[
        "render",
        "briefs/afpak-opposition.yaml",
        "--since",
        since,
        "-f",
        "md,html,pdf",
        "-o",
        out,
    ]));
}

#[test]
fn the_next_day_s_version_lists_exactly_its_two_changes_in_markdown_html_and_pdf() {
    let ws = Workspace::fixture("since");
    render_since(&ws, "earlier/afpak-opposition.yaml", "out");

    let md = ws.read("out/afpak-opposition.md");
    assert_eq!(
        md_section(&md, "Changes since 14 August 2025"),
        [
            "- **Key judgments**: Islamabad will go ahead with the gathering, at lower visibility if Kabul protests, unless…; Likelihood: likely → very likely",
            "- **Developments** (added): 15 August 2025, Taliban government protests the planned gathering to Islamabad",
        ]
    );
    // Right after the bottom line.
    assert_in_order(
        &md,
        &["## Bottom line", "## Changes since", "## Key judgments"],
        "Markdown sections",
    );

    let html = ws.read("out/afpak-opposition.html");
    let doc = Html::parse_document(&html);
    let section = doc
        .select(&Selector::parse("section#changes").unwrap())
        .next()
        .expect("a changes section");
    let heading: String = section
        .select(&Selector::parse("h2").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(heading, "Changes since 14 August 2025");
    let items: Vec<String> = section
        .select(&Selector::parse("li").unwrap())
        .map(|li| squash(&li.text().collect::<String>()))
        .collect();
    assert_eq!(items, [JUDGMENT, DEVELOPMENT]);
    let classes: Vec<String> = section
        .select(&Selector::parse("li").unwrap())
        .map(|li| li.attr("class").unwrap_or("").to_string())
        .collect();
    assert_eq!(classes, ["change changed", "change added"]);
    assert_in_order(
        &html,
        &["id=\"summary\"", "id=\"changes\"", "id=\"key-judgments\""],
        "HTML sections",
    );

    let pdf = ws.join("out/afpak-opposition.pdf");
    let text = squash(&pdf_text(&pdf));
    assert_in_order(
        &text,
        &[
            "Bottom line",
            "Changes since 14 August 2025",
            &format!("• {JUDGMENT}"),
            &format!("• {DEVELOPMENT}"),
            "Key judgments",
        ],
        "PDF text",
    );
    assert_eq!(text.matches("Changes since").count(), 1);
    // The arrow and the ellipsis are drawn, not empty boxes.
    assert_eq!(
        pdf_tool("pdf_notdef.py", &pdf),
        "",
        "empty boxes in the PDF"
    );
}

#[test]
fn since_the_same_version_there_are_no_changes() {
    let ws = Workspace::fixture("since");
    render_since(&ws, "briefs/afpak-opposition.yaml", "out");
    let md = ws.read("out/afpak-opposition.md");
    assert_eq!(
        md_section(&md, "Changes since 15 August 2025"),
        ["No changes."]
    );
    let html = ws.read("out/afpak-opposition.html");
    let doc = Html::parse_document(&html);
    let section = doc
        .select(&Selector::parse("section#changes").unwrap())
        .next()
        .expect("a changes section");
    assert_eq!(section.select(&Selector::parse("li").unwrap()).count(), 0);
    let note: String = section
        .select(&Selector::parse("p").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(note, "No changes.");
    let text = squash(&pdf_text(&ws.join("out/afpak-opposition.pdf")));
    assert_in_order(
        &text,
        &[
            "Changes since 15 August 2025",
            "No changes.",
            "Key judgments",
        ],
        "PDF text",
    );
}

#[test]
fn a_json_export_or_a_folder_stands_for_the_earlier_version_alike() {
    let ws = Workspace::fixture("since");
    render_since(&ws, "earlier/afpak-opposition.yaml", "yaml");
    success(&ws.run(&[
        "render",
        "earlier/afpak-opposition.yaml",
        "-f",
        "json",
        "-o",
        "exported",
    ]));
    render_since(&ws, "exported/afpak-opposition.json", "json");
    render_since(&ws, "exported", "folder");
    let expected = ws.read("yaml/afpak-opposition.md");
    assert_eq!(ws.read("json/afpak-opposition.md"), expected);
    assert_eq!(ws.read("folder/afpak-opposition.md"), expected);
}

#[test]
fn a_rendered_json_export_carries_the_changes() {
    let ws = Workspace::fixture("since");
    success(&ws.run(&[
        "render",
        "briefs/afpak-opposition.yaml",
        "--since",
        "earlier/afpak-opposition.yaml",
        "-f",
        "json",
        "-o",
        "out",
    ]));
    let json: serde_json::Value =
        serde_json::from_str(&ws.read("out/afpak-opposition.json")).unwrap();
    let changes = &json["changes"];
    assert_eq!(changes["since"]["iso"], "2025-08-14");
    let entries = changes["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["moves"][0]["aspect"], "likelihood");
    assert_eq!(entries[0]["moves"][0]["direction"], "up");
    assert_eq!(entries[1]["section"], "developments");
    // And it follows the committed schema.
    assert_follows_output_schema(&ws.join("out/afpak-opposition.json"));
}

#[test]
fn brief_diff_prints_the_same_list_on_the_terminal_and_as_json() {
    let ws = Workspace::fixture("since");
    let out = success(&ws.run(&[
        "diff",
        "earlier/afpak-opposition.yaml",
        "briefs/afpak-opposition.yaml",
    ]));
    assert_eq!(
        out,
        format!("afpak-opposition: Changes since 14 August 2025\n  {JUDGMENT}\n  {DEVELOPMENT}\n")
    );

    let out = success(&ws.run(&["diff", "earlier", "briefs", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["format_version"], 1);
    assert_eq!(json["added"], serde_json::json!([]));
    assert_eq!(json["removed"], serde_json::json!([]));
    let brief = &json["briefs"][0];
    assert_eq!(brief["id"], "afpak-opposition");
    assert_eq!(brief["since"], "2025-08-14");
    assert_eq!(brief["date"], "2025-08-15");
    assert_eq!(
        brief["changes"],
        serde_json::json!([
            {
                "section": "key_judgments",
                "action": "changed",
                "subject": "Islamabad will go ahead with the gathering, at lower visibility if Kabul protests, unless the Taliban move first on the TTP.",
                "id": null,
                "date": null,
                "moves": [{"aspect": "likelihood", "from": "likely", "to": "very likely", "direction": "up"}],
                "revisions": [],
                "more": 0
            },
            {
                "section": "developments",
                "action": "added",
                "subject": "Taliban government protests the planned gathering to Islamabad",
                "id": null,
                "date": "2025-08-15",
                "moves": [],
                "revisions": [],
                "more": 0
            }
        ])
    );

    let same = success(&ws.run(&[
        "diff",
        "briefs/afpak-opposition.yaml",
        "briefs/afpak-opposition.yaml",
    ]));
    assert_eq!(
        same,
        "afpak-opposition: Changes since 15 August 2025\n  No changes.\n"
    );
}

#[test]
fn edits_to_text_events_stances_and_sources_are_each_listed() {
    let ws = Workspace::fixture("since");
    let later = ws
        .read("earlier/afpak-opposition.yaml")
        .replace(
            "not a committed bid for regime change.",
            "not yet a committed bid for regime change.",
        )
        .replacen("status: expected", "status: confirmed", 1)
        .replacen(
            "kind: person\n    stance: opposed",
            "kind: person\n    stance: neutral",
            1,
        );
    ws.write("later.yaml", &later);
    let out = success(&ws.run(&["diff", "earlier/afpak-opposition.yaml", "later.yaml"]));
    assert_eq!(
        out,
        "afpak-opposition: Changes since 14 August 2025\n  \
         Bottom line (revised): … cross-border militancy, not {+yet+} a committed bid …\n  \
         Key actors: Zalmay Khalilzad; Stance: opposed → neutral\n  \
         Upcoming dates: 20 August 2025, China-Pakistan-Afghanistan trilateral foreign ministers' meeting; Status: expected → confirmed\n"
    );
}

#[test]
fn an_edition_compares_each_item_and_says_which_are_new() {
    let ws = Workspace::fixture("since");
    ws.write(
        "briefs/red-sea-shipping.yaml",
        include_str!("../../briefs/red-sea-shipping.yaml"),
    );
    ws.write(
        "briefs/daily.yaml",
        "edition: Daily\ndate: 2025-08-15\nitems:\n  - afpak-opposition.yaml\n  - red-sea-shipping.yaml\n",
    );
    success(&ws.run(&[
        "render",
        "briefs/daily.yaml",
        "--since",
        "earlier",
        "-f",
        "md,pdf",
        "-o",
        "out",
    ]));
    let md = ws.read("out/daily.md");
    assert_in_order(
        &md,
        &[
            "Changes since 14 August 2025",
            "(added): 15 August 2025, Taliban government protests",
            "Changes\n\nNo earlier version to compare with.",
        ],
        "edition Markdown",
    );
    let text = squash(&pdf_text(&ws.join("out/daily.pdf")));
    assert_in_order(
        &text,
        &[
            "Changes since 14 August 2025",
            DEVELOPMENT,
            "Changes No earlier version to compare with.",
        ],
        "edition PDF",
    );
}

#[test]
fn an_earlier_version_with_errors_is_located_and_nothing_is_rendered() {
    let ws = Workspace::fixture("since");
    ws.write(
        "broken.yaml",
        &ws.read("earlier/afpak-opposition.yaml")
            .replace("date: 2025-08-14\n", "date: 2025-08-41\n"),
    );
    let out = ws.run(&[
        "render",
        "briefs/afpak-opposition.yaml",
        "--since",
        "broken.yaml",
        "-o",
        "out",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("broken.yaml:5:7"), "{stderr}");
    assert!(
        stderr.contains("the earlier version in broken.yaml cannot be compared with"),
        "{stderr}"
    );
    assert!(!ws.join("out/afpak-opposition.md").exists());

    ws.write("bad.json", "{\"kind\": \"brief\",\n \"id\": 3}\n");
    let out = ws.run(&["diff", "bad.json", "briefs/afpak-opposition.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("bad.json:2:8"), "{stderr}");
    assert!(stderr.contains("not a JSON export of `brief`"), "{stderr}");

    let out = ws.run(&["diff", "missing.yaml", "briefs/afpak-opposition.yaml"]);
    assert_eq!(out.status.code(), Some(2), "{}", describe(&out));
}

/// A brief with `judgments` and `upcoming` (YAML lines) and little else.
fn versioned(date: &str, judgments: &str, upcoming: &str) -> String {
    format!(
        "title: Border\ndate: {date}\nsummary: Summary.\nkey_judgments:\n{judgments}background: Background.\ndevelopments:\n  - date: 2025-08-13\n    title: Something happened\noutlook: Outlook.\nupcoming:\n{upcoming}"
    )
}

#[test]
fn judgments_pair_with_the_most_alike_and_events_keep_their_identity() {
    let ws = Workspace::fixture("since");
    let event = "  - date: 2025-08-20\n    end: 2025-08-22\n    title: Alpha summit\n    status: expected\n    uid: alpha\n";
    ws.write(
        "old.yaml",
        &versioned(
            "2025-08-14",
            "  - text: Kabul will respond to the gathering with border closures at Torkham.\n    likelihood: unlikely\n  - text: Kabul will respond to the gathering with a formal diplomatic protest.\n    likelihood: very likely\n",
            event,
        ),
    );
    // A judgment added above the others, one lightly reworded; the event
    // loses its `uid`, lasts a day longer and is confirmed.
    ws.write(
        "new.yaml",
        &versioned(
            "2025-08-15",
            "  - text: Kabul will respond to the gathering with a suspension of trade at Chaman.\n    likelihood: roughly even chance\n  - text: Kabul will respond to the gathering with brief border closures at Torkham.\n    likelihood: unlikely\n  - text: Kabul will respond to the gathering with a formal diplomatic protest.\n    likelihood: very likely\n",
            "  - date: 2025-08-20\n    end: 2025-08-23\n    title: Alpha summit\n    status: confirmed\n",
        ),
    );
    let out = success(&ws.run(&["diff", "old.yaml", "new.yaml"]));
    assert_eq!(
        out,
        "new: Changes since 14 August 2025\n  \
         Key judgments (added): Kabul will respond to the gathering with a suspension of trade at Chaman.\n  \
         Key judgments (revised): Kabul will respond to the gathering with brief border closures at Torkham.; … the gathering with {+brief+} border closures at …\n  \
         Upcoming dates: 20 August 2025, Alpha summit; Date: 20–22 August 2025 → 20–23 August 2025; Status: expected → confirmed\n"
    );
}

#[test]
fn one_brief_s_file_is_the_earlier_version_of_that_brief_only_among_several() {
    let ws = Workspace::fixture("since");
    ws.write("briefs/other.yaml", &versioned("2025-08-15", "", ""));
    success(&ws.run(&[
        "render",
        "briefs",
        "--since",
        "earlier/afpak-opposition.yaml",
        "-f",
        "md",
        "-o",
        "out",
    ]));
    assert!(
        ws.read("out/afpak-opposition.md")
            .contains("## Changes since 14 August 2025")
    );
    assert!(
        ws.read("out/other.md")
            .contains("## Changes\n\nNo earlier version to compare with.")
    );
}

#[test]
fn an_earlier_edition_is_read_once_per_brief_and_its_missing_items_are_located() {
    let ws = Workspace::fixture("since");
    ws.write(
        "earlier/daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - afpak-opposition.yaml\n",
    );
    let out = success(&ws.run(&["diff", "earlier", "briefs", "--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(json["briefs"].as_array().unwrap().len(), 1, "{out}");

    ws.write(
        "earlier/daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - afpak-opposition.yaml\n  - gone.yaml\n",
    );
    let out = ws.run(&["diff", "earlier/daily.yaml", "briefs"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "error: edition item `gone.yaml` cannot be read\n --> earlier/daily.yaml:5:5"
        ),
        "{stderr}"
    );
}
