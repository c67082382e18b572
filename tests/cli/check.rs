//! `brief check` and the authoring commands: every mistake reported, where
//! it is, and how to fix it; bad input refused quickly, never a panic.

use std::fs;
use std::process::Command;

use crate::support::*;

/// Each invalid fixture's diagnostics, pinned word for word.
#[test]
fn diagnostics_are_pinned_word_for_word() {
    let ws = Workspace::fixture("invalid");
    let mut names: Vec<String> = fs::read_dir(ws.join("briefs"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    for name in names {
        let stem = name.trim_end_matches(".yaml");
        let out = ws.run(&["check", "--color", "never", &format!("briefs/{name}")]);
        let expected = ws.read(&format!("expected/{stem}.txt"));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(stderr, expected, "diagnostics of {name} changed");
        let code = if stem == "warnings" { 0 } else { 1 };
        assert_eq!(out.status.code(), Some(code), "exit code for {name}");
        assert!(out.stdout.is_empty());
    }
}

#[test]
fn every_problem_in_every_file_at_once() {
    let ws = Workspace::fixture("invalid");
    let out = ws.run(&["check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.ends_with("checked 12 files: 30 errors, 9 warnings\n"),
        "{stderr}"
    );
    for name in [
        "bad-dates",
        "duplicates",
        "one-pass",
        "tabs",
        "vocabulary",
        "wrong-types",
    ] {
        assert!(
            stderr.contains(&format!("--> briefs/{name}.yaml:")),
            "{name} missing"
        );
    }
}

#[test]
fn warnings_fail_only_when_denied() {
    let ws = Workspace::fixture("invalid");
    assert_eq!(
        ws.run(&["check", "briefs/warnings.yaml"]).status.code(),
        Some(0)
    );
    let denied = ws.run(&["check", "--deny-warnings", "briefs/warnings.yaml"]);
    assert_eq!(denied.status.code(), Some(1));
}

#[test]
fn clean_briefs_pass() {
    let ws = Workspace::fixture("basic");
    let out = ws.run(&["check", "--deny-warnings"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 1 file: no problems\n"
    );
}

/// A file with errors is checked whole, its unreadable values stood in
/// for, but nothing of it is rendered.
#[test]
fn a_brief_with_errors_is_checked_whole_and_never_rendered() {
    let ws = Workspace::fixture("invalid");
    let out = ws.run(&["render", "-f", "md,html,pdf", "briefs/one-pass.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for problem in [
        "missing required field `background`",
        "unknown source `reuters` in citation",
        "unknown actor `ministry`",
        "unknown likelihood term `probablyish`",
    ] {
        assert!(stderr.contains(problem), "{problem} missing: {stderr}");
    }
    let written: Vec<_> = fs::read_dir(ws.join("output"))
        .map(|dir| dir.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(written.is_empty(), "written: {written:?}");
}

/// What cannot be read raises no warnings of its own: a source cited only
/// in an unreadable value is not "never referenced", and an unreadable
/// `id:` does not fall back to the file name.
#[test]
fn an_unreadable_value_causes_no_follow_on_problems() {
    let ws = Workspace::fixture("publishing");
    let text = "title: T\nid: Not An Id\ndate: 2025-08-14\nsummary: s\nbackground: b\noutlook: o\ndevelopments:\n  - date: 2025-08-13\n    title: t\n    sources: geo\nsources:\n  - id: geo\n    name: Geo\n";
    ws.write("one.yaml", text);
    // Another brief whose id is the first one's file name.
    ws.write(
        "two.yaml",
        &text
            .replace("id: Not An Id", "id: one")
            .replace("sources: geo", "sources: [geo]"),
    );
    let out = ws.run(&["check", "one.yaml", "two.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("error: invalid id `Not An Id`"), "{stderr}");
    assert!(
        stderr.contains("error: `sources` must be a list, found text"),
        "{stderr}"
    );
    assert!(!stderr.contains("never referenced"), "{stderr}");
    assert!(!stderr.contains("also the id of"), "{stderr}");
    assert!(stderr.ends_with("checked 2 files: 2 errors\n"), "{stderr}");
}

#[test]
fn json_diagnostics_for_editors() {
    let ws = Workspace::fixture("invalid");
    let out = ws.run(&["check", "--format", "json", "briefs/duplicates.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON on stdout");
    assert_eq!(
        report["summary"],
        serde_json::json!({"files": 1, "errors": 5, "warnings": 1})
    );
    let first = &report["diagnostics"][0];
    assert_eq!(
        first,
        &serde_json::json!({
            "severity": "error",
            "file": "briefs/duplicates.yaml",
            "line": 3,
            "column": 33,
            "end_line": 3,
            "end_column": 41,
            "message": "unknown source `geonews` in citation",
            "help": ["did you mean `geo-news`?", "defined sources: geo-news, deeyar"],
        })
    );
    let severities: Vec<&str> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["severity"].as_str().unwrap())
        .collect();
    assert_eq!(
        severities,
        ["error", "error", "error", "error", "warning", "error"]
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let ws = Workspace::fixture("invalid");
    // Piped (as in every test): plain.
    let plain = ws.run(&["check", "briefs/tabs.yaml"]);
    assert!(!plain.stderr.contains(&0x1b));
    let coloured = ws.run(&["check", "--color", "always", "briefs/tabs.yaml"]);
    assert!(
        String::from_utf8_lossy(&coloured.stderr).contains("\x1b[1m\x1b[31merror"),
        "{}",
        describe(&coloured)
    );
}

#[test]
fn usage_errors_exit_with_two() {
    let ws = Workspace::fixture("invalid");
    assert_eq!(ws.run(&["check", "--format", "xml"]).status.code(), Some(2));
    assert_eq!(
        ws.run(&["check", "no-such-file.yaml"]).status.code(),
        Some(2)
    );
    assert_eq!(ws.run(&["frobnicate"]).status.code(), Some(2));
}

#[test]
fn new_edition_lists_the_current_briefs_of_a_folder() {
    let ws = Workspace::fixture("editions");
    let out = ws.run(&[
        "new",
        "today",
        "--edition",
        "--title",
        "Test Daily",
        "--date",
        "2025-08-20",
        "--dir",
        "briefs",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "wrote briefs/today.yaml (2 items)\n",
        "{}",
        describe(&out)
    );
    let text = ws.read("briefs/today.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=../schema/brief.schema.json\n"));
    assert!(text.contains("\nedition: \"Test Daily\"\n"), "{text}");
    assert!(text.contains("\ndate: 2025-08-20\n"), "{text}");
    // The briefs, not the edition already in the folder.
    assert!(
        text.ends_with(
            "items:\n  - alpha.yaml  # 2025-08-14 · Alpha situation\n  - beta.yaml  # 2025-08-14 · Beta situation\n"
        ),
        "{text}"
    );
    let out = success(&ws.run(&["render", "briefs/today.yaml", "-f", "md"]));
    assert_eq!(out, "wrote output/today.md\n");
    assert!(
        ws.read("output/today.md")
            .contains("1. Alpha situation\n2. Beta situation\n")
    );

    // Weeks later the same briefs are stale: listed, but commented out.
    let out = success(&ws.run(&[
        "new",
        "later",
        "--edition",
        "--date",
        "2025-10-01",
        "--dir",
        "briefs",
    ]));
    assert_eq!(
        out,
        "wrote briefs/later.yaml (no current briefs; 2 commented out)\n"
    );
    let text = ws.read("briefs/later.yaml");
    assert!(
        text.contains("  # - alpha.yaml  # 2025-08-14, 48 days old · Alpha situation\n"),
        "{text}"
    );
    assert!(text.contains("\nedition:\n"), "{text}");
    // Never over an existing file.
    let before = ws.read("briefs/today.yaml");
    let again = ws.run(&["new", "today", "--edition", "--dir", "briefs"]);
    assert_eq!(again.status.code(), Some(2), "{}", describe(&again));
    assert_eq!(ws.read("briefs/today.yaml"), before);
}

#[test]
fn new_writes_a_skeleton_and_never_overwrites() {
    let ws = Workspace::fixture("basic");
    let out = ws.run(&[
        "new",
        "red-sea",
        "--title",
        "Houthis widen: \"phase four\"",
        "--date",
        "2025-08-01",
    ]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "wrote briefs/red-sea.yaml\n",
        "{}",
        describe(&out)
    );
    let text = ws.read("briefs/red-sea.yaml");
    assert!(text.starts_with("# yaml-language-server: $schema=../schema/brief.schema.json\n"));
    assert!(text.contains("title: \"Houthis widen: \\\"phase four\\\"\"\n"));
    assert!(text.contains("date: 2025-08-01\n"));
    for field in [
        "title",
        "subtitle",
        "date",
        "id",
        "analysts",
        "organization",
        "region",
        "tags",
        "language",
        "marking",
        "summary",
        "key_judgments",
        "background",
        "developments",
        "actors",
        "outlook",
        "upcoming",
        "implications",
        "indicators",
        "gaps",
        "sources",
    ] {
        let at = text
            .find(&format!("\n{field}:"))
            .unwrap_or_else(|| panic!("{field} missing"));
        let comment = text[..at].rsplit('\n').next().unwrap();
        assert!(comment.starts_with("# "), "{field} has no comment above it");
    }
    // It parses, and check names exactly what is left to write.
    let check = ws.run(&["check", "--color", "never", "briefs/red-sea.yaml"]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(stderr.contains("error: `summary` has no value"), "{stderr}");
    assert!(
        stderr.contains("error: `developments` needs at least one entry"),
        "{stderr}"
    );
    assert!(stderr.ends_with("checked 1 file: 4 errors\n"), "{stderr}");

    let again = ws.run(&["new", "red-sea"]);
    assert_eq!(again.status.code(), Some(2));
    assert_eq!(
        String::from_utf8_lossy(&again.stderr),
        "error: briefs/red-sea.yaml already exists; not overwriting it\n"
    );
    assert!(ws.read("briefs/red-sea.yaml").contains("phase four"));

    let bad = ws.run(&["new", "Red Sea"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("(for example `red-sea`)"));
}

#[test]
fn init_makes_a_workspace_that_renders() {
    let ws = Workspace::fixture("basic");
    let out = ws.run(&["init", "desk"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "wrote desk/brief.toml\nwrote desk/briefs/afpak-opposition.yaml\nwrote desk/README.md\nwrote desk/.gitignore\nwrote desk/schema/brief.schema.json\nwrote desk/schema/brief-toml.schema.json\n"
    );
    assert!(
        ws.read("desk/brief.toml")
            .starts_with("#:schema ./schema/brief-toml.schema.json\n")
    );
    assert_eq!(ws.read("desk/.gitignore"), "/output/\n");
    assert!(ws.join("desk/output").is_dir());
    let render = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["render", "-f", "md"])
        .current_dir(ws.join("desk"))
        .output()
        .unwrap();
    assert!(render.status.success(), "{}", describe(&render));
    assert!(ws.join("desk/output/afpak-opposition.md").is_file());
    let again = ws.run(&["init", "desk"]);
    assert_eq!(again.status.code(), Some(2));
}

#[test]
fn templates_are_written_out_and_kept_unless_forced() {
    let ws = Workspace::fixture("basic");
    let out = success(&ws.run(&["templates"]));
    assert!(out.contains("wrote templates/brief.typ\n"), "{out}");
    assert_eq!(
        ws.read("templates/brief-style.typ"),
        include_str!("../../templates/brief-style.typ")
    );
    ws.write("templates/brief.md", "mine\n");
    let refused = ws.run(&["templates"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("use --force"));
    assert_eq!(ws.read("templates/brief.md"), "mine\n");
    success(&ws.run(&["templates", "--force"]));
    assert_eq!(
        ws.read("templates/brief.md"),
        include_str!("../../templates/brief.md")
    );
}

#[test]
fn yaml_slips_are_explained_at_their_cause_with_what_to_type() {
    let ws = Workspace::fixture("publishing");
    let rest = "date: 2025-08-14\nsummary: s\nbackground: |\n  b\ndevelopments:\n  - date: 2025-08-13\n    title: t\noutlook: o\n";
    let cases: [(&str, String, &str); 16] = [
        (
            "colon",
            format!("title: T\nsubtitle: Update: rolling coverage\n{rest}"),
            "error: a colon followed by a space inside a value that is not in quotes\n --> colon.yaml:2:17\n  |\n2 | subtitle: Update: rolling coverage\n  |                 ^\n  |\n  = help: put the value in quotes: `subtitle: \"Update: rolling coverage\"`\n",
        ),
        (
            "tab",
            format!("title: T\n{}", rest.replace("  b\n", "  b\n\tmore\n")),
            "error: tab character in indentation\n --> tab.yaml:6:1\n",
        ),
        (
            "at",
            format!("title: T\nsubtitle: @src says so\n{rest}"),
            "error: a value that starts with `@` must be in quotes\n --> at.yaml:2:11\n  |\n2 | subtitle: @src says so\n  |           ^\n  |\n  = help: write `subtitle: \"@src says so\"`\n",
        ),
        (
            "bracket",
            format!("title: T\nsubtitle: [@src] says so\n{rest}"),
            "error: a value that starts with `[@` must be in quotes\n --> bracket.yaml:2:11\n",
        ),
        (
            "ids",
            format!(
                "title: T\n{}",
                rest.replace("    title: t\n", "    title: t\n    sources: [@geo]\n")
            ),
            "error: ids in `sources` are written without `@`\n --> ids.yaml:9:14\n  |\n9 |     sources: [@geo]\n  |              ^\n  |\n  = help: write `sources: [geo]`\n",
        ),
        (
            "space",
            format!("title:T\n{rest}"),
            "error: no space after the colon of `title`\n --> space.yaml:1:6\n  |\n1 | title:T\n  |      ^\n  |\n  = help: a key is followed by a colon and a space: `title: T`\n",
        ),
        (
            "quote",
            format!("title: \"T\n{rest}"),
            "error: unclosed quote\n --> quote.yaml:1:8\n  |\n1 | title: \"T\n  |        ^\n  |\n  = help: close the quoted text with the same quote mark it starts with: `title: \"T\"`\n",
        ),
        (
            "after-quote",
            format!("title: \"Strike\" called\n{rest}"),
            "error: text after the quote that closes the value\n --> after-quote.yaml:1:17\n  |\n1 | title: \"Strike\" called\n  |                 ^\n  |\n  = help: a value that starts with a quote ends at the next one; to keep the quotes as part of the text, put the whole value in quotes: `title: '\"Strike\" called'`\n",
        ),
        (
            "dash",
            format!(
                "title: T\n{}",
                rest.replace("  - date: 2025-08-13\n", "  -date: 2025-08-13\n")
            ),
            "error: no space after the `-` of a list item\n --> dash.yaml:7:3\n  |\n7 |   -date: 2025-08-13\n  |   ^\n  |\n  = help: a list item is a dash and a space: `- date: 2025-08-13`\n",
        ),
        (
            "item-colon",
            format!(
                "title: T\n{}",
                rest.replace("  - date: 2025-08-13\n", "  - date:2025-08-13\n")
            ),
            "error: no space after the colon of `date`\n --> item-colon.yaml:7:9\n",
        ),
        (
            "item-indent",
            format!(
                "title: T\n{}",
                rest.replace(
                    "    title: t\n",
                    "    title: t\n   - date: 2025-08-12\n     title: u\n"
                )
            ),
            "error: this list item is not lined up with the one above it\n --> item-indent.yaml:9:4\n  |\n9 |    - date: 2025-08-12\n  |    ^\n  |\n  = help: line its `-` up with the `-` on line 7: indent it by 2 spaces\n",
        ),
        (
            "key-indent",
            format!(
                "title: T\n{}",
                rest.replace("    title: t\n", "     title: t\n")
            ),
            "error: `title` is not lined up with `date` above it\n --> key-indent.yaml:8:6\n  |\n8 |      title: t\n  |      ^^^^^\n  |\n  = help: indent `title` by 4 spaces, like `date` on line 7\n",
        ),
        (
            "item-value-colon",
            format!(
                "title: T\n{}",
                rest.replace(
                    "    title: t\n",
                    "    title: t\n    sources:\n      - afp\n  - title: Strike: called\n    date: 2025-08-12\n"
                )
            ),
            "error: a colon followed by a space inside a value that is not in quotes\n  --> item-value-colon.yaml:11:18\n   |\n11 |   - title: Strike: called\n   |                  ^\n   |\n   = help: put the value in quotes: `  - title: \"Strike: called\"`\n",
        ),
        (
            "url-above",
            format!(
                "title: T\n{}",
                rest.replace("    title: t\n", "    title: see\n      https://example.org\n    detail: a: b\n")
            ),
            "error: a colon followed by a space inside a value that is not in quotes\n  --> url-above.yaml:10:14\n",
        ),
        (
            "at-item",
            format!(
                "title: T\n{}",
                rest.replace("    title: t\n", "    title: t\n    sources:\n      - @geo\n")
            ),
            "error: ids in `sources` are written without `@`\n  --> at-item.yaml:10:9\n   |\n10 |       - @geo\n   |         ^\n   |\n   = help: write `- geo`\n",
        ),
        (
            "tags",
            format!("title: T\ntags:\n  -asia\n  -trade\n{rest}"),
            "error: `tags` must be a list, found text\n --> tags.yaml:3:3\n  |\n3 |   -asia\n  |   ^^^^^ expected a list\n  |\n  = help: a list item is a dash and a space: `- asia`\n",
        ),
    ];
    for (name, text, expected) in cases {
        let file = format!("{name}.yaml");
        ws.write(&file, &text);
        let out = ws.run(&["check", &file]);
        assert_eq!(out.status.code(), Some(1), "{name}: {}", describe(&out));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.starts_with(expected), "{name}:\n{stderr}");
    }
}

#[test]
fn a_new_brief_in_a_subfolder_finds_the_schema_from_its_own_folder() {
    let ws = Workspace::fixture("publishing");
    success(&ws.run(&["init", "."]));
    success(&ws.run(&["new", "baltic", "--dir", "briefs/europe"]));
    let text = ws.read("briefs/europe/baltic.yaml");
    let modeline = text.lines().next().unwrap();
    assert_eq!(
        modeline,
        "# yaml-language-server: $schema=../../schema/brief.schema.json"
    );
    // The path resolves from the file's folder to the schema init wrote.
    let target = modeline.split("$schema=").nth(1).unwrap();
    assert!(ws.join("briefs/europe").join(target).is_file());
}

#[test]
fn a_copied_brief_that_keeps_the_id_stops_both_and_says_which_to_change() {
    let ws = Workspace::fixture("publishing");
    let farsi = ws.read("farsi.yaml");
    ws.write("farsi-copy.yaml", &farsi);
    let out = ws.run(&[
        "render",
        "farsi.yaml",
        "farsi-copy.yaml",
        "-f",
        "md",
        "-o",
        "out",
    ]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: id `farsi` is also the id of farsi.yaml\n --> farsi-copy.yaml:"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "= help: change the `id:` of this file (to `farsi-copy`, its file name, say)"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("= help: keep this one's id and change the `id:` of farsi-copy.yaml"),
        "{stderr}"
    );
    // Neither replaces the other's output.
    assert!(!ws.join("out/farsi.md").exists());
}

#[test]
fn a_brief_dated_far_from_today_is_a_warning_with_the_right_advice() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "far.yaml",
        "title: T\ndate: 2031-08-14\nsummary: s\nbackground: b\ndevelopments:\n  - date: 2031-08-13\n    title: t\noutlook: o\nupcoming:\n  - date: 2039-01-01\n    title: far\n",
    );
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .current_dir(ws.path())
        .env("BRIEF_TODAY", "2026-11-26")
        .args(["check", "far.yaml"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: the brief is dated 2031-08-14, 1722 days after today (2026-11-26)
 --> far.yaml:2:7
  |
2 | date: 2031-08-14
  |       ^^^^^^^^^^ more than a year ahead
  |
  = help: a brief's `date` is the day it is current as of, usually today: check the year

warning: upcoming event dated 2039-01-01, 7 years after the brief
  --> far.yaml:10:11
   |
10 |   - date: 2039-01-01
   |           ^^^^^^^^^^ years away
   |
   = help: check the year; an event this far off is rarely one to watch for yet

checked 1 file: 2 warnings
"
    );
    // As of a day in 2031, only the event is far.
    let out = Command::new(env!("CARGO_BIN_EXE_brief"))
        .current_dir(ws.path())
        .env("BRIEF_TODAY", "2031-08-01")
        .args(["check", "far.yaml"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).ends_with("checked 1 file: 1 warning\n"));
}

#[test]
fn a_misspelled_key_is_one_error_not_also_a_missing_field() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "slip.yaml",
        "title: T\ndate: 2025-08-14\nsummary: s\nbackgound: b\ndevelopments:\n  - date: 2025-08-13\n    title: t\noutlook: o\n",
    );
    let out = ws.run(&["check", "slip.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "error: unknown field `backgound` in a brief
 --> slip.yaml:4:1
  |
4 | backgound: b
  | ^^^^^^^^^ not a field of the brief format
  |
  = help: did you mean `background`?

checked 1 file: 1 error
"
    );
}

#[test]
fn a_list_item_indented_too_deep_is_a_warning_at_its_dash() {
    let ws = Workspace::fixture("publishing");
    ws.write(
        "tags.yaml",
        "title: T\ndate: 2025-08-14\ntags:\n  - shipping\n   - Red Sea\nsummary: s\nbackground: b\ndevelopments:\n  - date: 2025-08-13\n    title: t\noutlook: o\n",
    );
    let out = ws.run(&["check", "tags.yaml"]);
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "warning: this `- ` line is read as more text of the line above, not as a list item
 --> tags.yaml:5:4
  |
5 |    - Red Sea
  |    ^ indented deeper than the item above
  |
  = help: line its `-` up with the `-` of the items above it

checked 1 file: 1 warning
"
    );
}
