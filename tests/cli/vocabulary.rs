//! The JSON Schema an editor validates briefs with agrees with `check` on
//! every vocabulary: each spelling, in other cases and with other
//! separators, is accepted by both or refused by both.

use std::collections::BTreeSet;
use std::process::Command;

use serde_json::{Value, json};

use crate::support::*;

/// Every vocabulary field of a brief, with the spellings the format
/// documents (docs/format.md) and near misses.
const FIELDS: &[(&str, &[&str])] = &[
    (
        "tlp",
        &[
            "clear",
            "green",
            "amber",
            "amber+strict",
            "red",
            "tlp:clear",
            "tlp:green",
            "tlp:amber",
            "tlp:amber+strict",
            "tlp:red",
            "amber strict",
            "white",
            "tlp amber",
            "amber + strict",
            "amber-strictly",
        ],
    ),
    (
        "likelihood",
        &[
            "almost no chance",
            "very unlikely",
            "unlikely",
            "roughly even chance",
            "likely",
            "very likely",
            "almost certain",
            "almost certainly",
            "remote",
            "highly improbable",
            "improbable",
            "roughly even odds",
            "probable",
            "highly probable",
            "nearly certain",
            "possible",
            "likelyy",
            "very  very likely",
        ],
    ),
    (
        "confidence",
        &["low", "moderate", "medium", "high", "none", "highest"],
    ),
    (
        "kind",
        &[
            "person",
            "state",
            "government",
            "organization",
            "organisation",
            "armed-group",
            "media",
            "other",
            "armed groups",
            "people",
        ],
    ),
    (
        "stance",
        &[
            "supportive",
            "opposed",
            "neutral",
            "mixed",
            "unclear",
            "oppose",
            "hostile",
        ],
    ),
    (
        "status",
        &["confirmed", "expected", "tentative", "cancelled", "confirm"],
    ),
    ("reliability", &["A", "B", "C", "D", "E", "F", "G", "AB"]),
];

/// The forms of a spelling an analyst may type: as written, in upper
/// case, capitalized, with its spaces as hyphens or underscores or doubled,
/// and with spaces around it.
fn variants(spelling: &str) -> Vec<String> {
    let mut capitalized = spelling.to_string();
    if let Some(first) = capitalized.get_mut(0..1) {
        first.make_ascii_uppercase();
    }
    let forms = [
        spelling.to_string(),
        spelling.to_uppercase(),
        capitalized,
        spelling.replace(' ', "-"),
        spelling.replace(' ', "_"),
        spelling.replace([' ', '-'], "  "),
        spelling.replace('-', " "),
        format!(" {spelling} "),
    ];
    forms
        .into_iter()
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

/// A brief with `value` in the vocabulary field `field`.
fn brief_with(field: &str, value: &str) -> Value {
    let mut brief = json!({
        "title": "Vocabulary",
        "date": "2025-08-14",
        "summary": "s",
        "background": "b",
        "developments": [{"date": "2025-08-13", "title": "t", "actors": ["a"], "sources": ["s"]}],
        "outlook": "o",
        "key_judgments": [{"text": "k"}],
        "actors": [{"id": "a", "name": "A"}],
        "upcoming": [{"date": "2025-09-01", "title": "u"}],
        "sources": [{"id": "s", "name": "S"}],
    });
    let slot = match field {
        "tlp" => &mut brief["marking"],
        "likelihood" | "confidence" => &mut brief["key_judgments"][0],
        "kind" | "stance" => &mut brief["actors"][0],
        "status" => &mut brief["upcoming"][0],
        "reliability" => &mut brief["sources"][0],
        other => panic!("no field {other}"),
    };
    if field == "tlp" {
        *slot = json!({ "tlp": value });
    } else {
        slot[field] = json!(value);
    }
    brief
}

#[test]
fn the_schema_and_check_accept_the_same_vocabulary() {
    let ws = Workspace::fixture("publishing");
    // Each case as a file: JSON is YAML, so `check` reads the very text
    // the schema validates.
    let mut cases = Vec::new();
    for (field, spellings) in FIELDS {
        for spelling in *spellings {
            for value in variants(spelling) {
                let name = format!("cases/{}.yaml", cases.len());
                ws.write(&name, &brief_with(field, &value).to_string());
                cases.push((name, field.to_string(), value));
            }
        }
    }
    let out = ws.run(&["check", "--format", "json", "cases"]);
    let report: Value = serde_json::from_slice(&out.stdout).expect("a JSON report");
    let refused: BTreeSet<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| d["file"].as_str().unwrap().to_string())
        .collect();

    let schema = concat!(env!("CARGO_MANIFEST_DIR"), "/schema/brief.schema.json");
    let files: Vec<String> = cases
        .iter()
        .map(|(n, _, _)| ws.join(n).display().to_string())
        .collect();
    let script = "import json, sys, jsonschema\n\
        schema = json.load(open(sys.argv[1]))\n\
        validator = jsonschema.Draft7Validator(schema)\n\
        print(json.dumps([validator.is_valid(json.load(open(f))) for f in sys.argv[2:]]))";
    let python = Command::new("python3")
        .args(["-c", script, schema])
        .args(&files)
        .output()
        .expect("python3 runs");
    assert!(
        python.status.success(),
        "jsonschema is needed (tests/run installs it): {}",
        String::from_utf8_lossy(&python.stderr)
    );
    let valid: Vec<bool> = serde_json::from_slice(&python.stdout).unwrap();

    let mut disagreements = Vec::new();
    let mut accepted = 0;
    for ((name, field, value), schema_ok) in cases.iter().zip(valid) {
        let check_ok = !refused.contains(name);
        accepted += usize::from(check_ok);
        if check_ok != schema_ok {
            disagreements.push(format!(
                "{field} = {value:?}: check {}, schema {}",
                if check_ok { "accepts" } else { "refuses" },
                if schema_ok { "accepts" } else { "refuses" }
            ));
        }
    }
    assert!(disagreements.is_empty(), "{}", disagreements.join("\n"));
    // Both sides were exercised.
    assert!(
        accepted > 100 && accepted < cases.len(),
        "{accepted} of {}",
        cases.len()
    );
    for name in [
        "AMBER",
        "TLP:AMBER",
        "TLP:AMBER+STRICT",
        "amber-strict",
        "Opposed",
        "High",
    ] {
        assert!(
            cases
                .iter()
                .any(|(n, _, v)| v == name && !refused.contains(n)),
            "{name} should be accepted"
        );
    }
}
