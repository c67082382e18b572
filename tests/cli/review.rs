//! The tradecraft review in `check`: coded warnings, `[check] allow`.

use serde_json::Value;

use crate::support::*;

/// A brief with one judgment worded off the scale and unrated, and one of
/// high confidence resting on a single ungraded source.
const HURRIED: &str = "\
title: Ministers meet
date: 2025-08-14
summary: The ministers meet again [@wire].
key_judgments:
  - text: |
      The talks will probably stall over the border.
  - text: |
      Both sides sign a communiqué [@wire].
    likelihood: likely
    confidence: high
background: Talks resumed in May 2025.
developments:
  - date: 2025-08-12
    title: Talks resume
    sources: [wire]
outlook: More talks.
sources:
  - id: wire
    name: A wire service
";

#[test]
fn an_unrated_judgment_off_the_scale_and_thin_high_confidence_are_named() {
    let ws = Workspace::fixture("basic");
    ws.write("review/hurried.yaml", HURRIED);
    let out = ws.run(&["check", "--color", "never", "review/hurried.yaml"]);
    assert_eq!(out.status.code(), Some(0), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let headers: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert_eq!(
        headers,
        [
            "warning[no-likelihood]: a key judgment without a likelihood",
            "warning[unsourced-judgment]: a key judgment that cites no source",
            "warning[estimative-word]: `probably` is not a term of the ICD 203 likelihood scale",
            "warning[single-source]: a key judgment resting on one source (`wire`)",
            "warning[ungraded-sources]: a key judgment resting only on sources without an Admiralty grade",
            "warning[thin-high-confidence]: high confidence resting on a single or ungraded source",
        ],
        "{stderr}"
    );
    // Located at the word itself, with the scale's terms to use instead.
    assert!(
        stderr.contains(" --> review/hurried.yaml:6:22\n"),
        "{stderr}"
    );
    assert!(
        stderr.contains("help: say how likely with a term of the scale"),
        "{stderr}"
    );
    assert!(stderr.ends_with("checked 1 file: 6 warnings\n"), "{stderr}");
    // (May 2025 is a month, not an estimative word.)
    assert!(!stderr.contains("`May`"), "{stderr}");

    // The codes are in the JSON, and warnings fail with --deny-warnings.
    let out = ws.run(&["check", "--format", "json", "review/hurried.yaml"]);
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<&str> = json["diagnostics"]
        .as_array()
        .or_else(|| json.as_array())
        .unwrap_or_else(|| panic!("{json}"))
        .iter()
        .filter_map(|d| d["code"].as_str())
        .collect();
    assert!(codes.contains(&"thin-high-confidence"), "{json}");
    assert_eq!(
        ws.run(&["check", "--deny-warnings", "review/hurried.yaml"])
            .status
            .code(),
        Some(1)
    );
}

#[test]
fn words_that_contradict_the_likelihood_weak_sources_stale_news_and_unsourced_stances() {
    let ws = Workspace::fixture("basic");
    ws.write(
        "review/mixed.yaml",
        "\
title: Mixed
date: 2025-08-14
summary: Summary [@rumour] [@agency].
key_judgments:
  - text: |
      A deal is unlikely this year [@rumour; @agency].
    likelihood: likely
background: Background.
developments:
  - date: 2025-05-01
    title: Old news
    actors: [ministry]
actors:
  - id: ministry
    name: The ministry
    stance: opposed
outlook: Outlook.
sources:
  - id: rumour
    name: A rumour
    reliability: E
    credibility: 5
  - id: agency
    name: An agency
    reliability: B
    credibility: 2
",
    );
    let out = ws.run(&["check", "--color", "never", "review/mixed.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "warning[likelihood-mismatch]: the text says `unlikely` but `likelihood` is `likely`\n --> review/mixed.yaml:6:17",
        "warning[weak-source]: a key judgment resting on `rumour`, graded unreliable or improbable",
        "warning[stance-without-source]: the stance of `ministry` rests on no source",
        "warning[stale-developments]: the newest development is 105 days older than the brief",
    ] {
        assert!(
            stderr.contains(expected),
            "missing {expected:?} in\n{stderr}"
        );
    }
    assert!(stderr.ends_with("checked 1 file: 4 warnings\n"), "{stderr}");
}

#[test]
fn codes_are_switched_off_in_brief_toml_and_a_misspelled_code_is_an_error() {
    let ws = Workspace::fixture("basic");
    ws.write("review/hurried.yaml", HURRIED);
    ws.write(
        "brief.toml",
        "[check]\nallow = [\"single-source\", \"unsourced-judgment\", \"no-likelihood\"]\n",
    );
    let out = ws.run(&["check", "--color", "never", "review/hurried.yaml"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("[single-source]"), "{stderr}");
    assert!(!stderr.contains("[no-likelihood]"), "{stderr}");
    assert!(stderr.contains("[estimative-word]"), "{stderr}");
    assert!(stderr.ends_with("checked 1 file: 3 warnings\n"), "{stderr}");

    ws.write("brief.toml", "[check]\nallow = [\"single-sources\"]\n");
    let out = ws.run(&["check", "--color", "never", "review/hurried.yaml"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("brief.toml:2:"), "{stderr}");
    assert!(stderr.contains("single-source"), "{stderr}");
}
