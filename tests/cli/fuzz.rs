//! Property test: whatever text arrives, loading, checking and every
//! renderer finish without a panic; and every brief that passes the checks
//! renders in every format (the converters never produce Typst that does not
//! compile). Bounded and seeded, so it runs the same in CI every time.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use brief::Format;

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const SEEDS: [&str; 3] = [
    include_str!("../../briefs/afpak-opposition.yaml"),
    include_str!("../../briefs/netscaler-hospital-ransomware.yaml"),
    include_str!("../fixtures/hostile/briefs/hostile.yaml"),
];

/// Characters and fragments that mean something to YAML, Markdown, Typst,
/// HTML or the template engine.
const NOISE: &[&str] = &[
    ":",
    "- ",
    "[",
    "]",
    "{",
    "}",
    "#",
    "&a",
    "*a",
    "!",
    "|",
    ">",
    "'",
    "\"",
    "%",
    "@",
    "`",
    "\\",
    "\n",
    "\t",
    "  ",
    "---",
    "...",
    "~",
    "$",
    "<",
    "/>",
    "//",
    "/*",
    "{{",
    "}}",
    "{%",
    "%}",
    "é",
    "\u{202e}",
    "\u{0}",
    "\u{feff}",
    "🙂",
    "2025-02-30",
    "null",
    "~",
    "yes",
    "1e999",
    "0x1F",
    "[@",
    "[^1]",
    "<!--",
    "\r\n",
];

const MARKDOWN: &[&str] = &[
    "plain words ",
    "*em* ",
    "**strong** ",
    "~~gone~~ ",
    "`code` ",
    "``a ` b`` ",
    "[link](https://example.org) ",
    "[bad](javascript:alert(1)) ",
    "<https://example.org> ",
    "![alt](https://example.org/pic.png) ",
    "[@a] ",
    "[@a; @b, p. 4] ",
    "note[^n] ",
    "\n\n[^n]: The note.\n\n",
    "\n\n# Heading\n\n",
    "\n\n## Sub *heading*\n\n",
    "\n\n- item\n- item\n  - nested\n\n",
    "\n\n3. three\n4. four\n\n",
    "\n\n- [ ] task\n- [x] done\n\n",
    "\n\n> quoted\n> text\n\n",
    "\n\n```rust\nfn main() {}\n```\n\n",
    "\n\n    indented code\n\n",
    "\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n\n",
    "\n\n---\n\n",
    "line\\\nbreak ",
    "&amp; &#35; &nbsp; ",
    "<b>raw</b> ",
    "<script>alert(1)</script> ",
    "#read(\"/etc/passwd\") ",
    "$x^2$ ",
    "@ref <label> ",
    "= not heading ",
    "+ not list ",
    "/ term: x ",
    "1. ",
    "\\",
    "_a_b_ ",
    "***x*** ",
    "**a*b** ",
    "[[x]] ",
    "{{ x }} ",
    "{% raw %} ",
    "\u{202e}rtl ",
    "مرحبا ",
    "中文 ",
    "\t",
    "(paren) ",
    "#emph[x].len() ",
];

fn markdown(rng: &mut Rng) -> String {
    // A first line without leading spaces, so YAML takes the block's
    // indentation from it.
    let mut text = String::from("Start ");
    for _ in 0..1 + rng.below(12) {
        text.push_str(rng.pick(MARKDOWN));
    }
    text
}

/// A YAML block scalar holding `text`, indented for a field at `indent`.
fn block(text: &str, indent: usize) -> String {
    let pad = " ".repeat(indent + 2);
    let mut out = String::from("|-\n");
    for line in text.lines() {
        if line.trim().is_empty() {
            out.push('\n');
        } else {
            out.push_str(&pad);
            out.push_str(line);
            out.push('\n');
        }
    }
    if text.lines().all(|l| l.trim().is_empty()) {
        out.push_str(&pad);
        out.push_str("x\n");
    }
    out
}

/// A brief that passes the checks, with generated Markdown in every field.
fn generated_brief(rng: &mut Rng) -> String {
    format!(
        "title: 'Generated #{n} [x] $y$ <z>'\ndate: 2025-08-14\nid: gen\nlanguage: {lang}\nmarking:\n  tlp: {tlp}\n  classification: 'C // {n}'\nsummary: {summary}key_judgments:\n  - text: {kj}    likelihood: likely\nbackground: {background}developments:\n  - date: 2025-08\n    title: 'Dev \\ {n}'\n    detail: {detail}    sources: [a]\nactors:\n  - id: x\n    name: '*X*'\n    position: {position}outlook: {outlook}upcoming:\n  - date: 2025-09-01\n    title: Event\n    actors: [x]\n    significance: {significance}indicators:\n  - {indicator}gaps:\n  - {gap}sources:\n  - id: a\n    name: A\n    url: 'https://example.org/?q=\"<>'\n  - id: b\n    name: B\n",
        n = rng.below(1000),
        lang = ["en", "ar", "fr", "de-AT", "zz"][rng.below(5)],
        tlp = ["clear", "green", "amber", "amber+strict", "red"][rng.below(5)],
        summary = block(&markdown(rng), 0),
        kj = block(&markdown(rng), 4),
        background = block(&markdown(rng), 0),
        detail = block(&markdown(rng), 4),
        position = block(&markdown(rng), 4),
        outlook = block(&markdown(rng), 0),
        significance = block(&markdown(rng), 4),
        indicator = block(&markdown(rng), 2),
        gap = block(&markdown(rng), 2),
    )
}

/// A seed brief with random edits.
fn mutated(rng: &mut Rng) -> String {
    let mut chars: Vec<char> = SEEDS[rng.below(SEEDS.len())].chars().collect();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(chars.len() + 1);
        match rng.below(5) {
            0 => {
                let noise: Vec<char> = rng.pick(NOISE).chars().collect();
                chars.splice(at..at, noise);
            }
            1 => {
                let end = (at + rng.below(40)).min(chars.len());
                chars.drain(at..end);
            }
            2 => chars.truncate(at),
            3 => {
                let end = (at + rng.below(80)).min(chars.len());
                let copy: Vec<char> = chars[at..end].to_vec();
                let to = rng.below(chars.len() + 1);
                chars.splice(to..to, copy);
            }
            _ => {
                if at < chars.len() {
                    chars[at] = char::from_u32(rng.next() as u32 % 0x3000).unwrap_or('?');
                }
            }
        }
    }
    chars.into_iter().collect()
}

/// Pure noise.
fn noise(rng: &mut Rng) -> String {
    (0..rng.below(300)).map(|_| rng.pick(NOISE)).collect()
}

/// Loads, checks and renders one text; returns whether it passed the checks.
fn exercise(text: &str, with_pdf: bool) -> Result<bool, String> {
    let checked = brief::check_text(Path::new("fuzz.yaml"), text.to_string());
    // Diagnostics must render too.
    let report = checked.report();
    if !checked.is_ok() {
        if std::env::var_os("FUZZ_DEBUG").is_some() {
            eprintln!("{report}");
        }
        return Ok(false);
    }
    for &format in brief::formats() {
        if format == Format::Pdf && !with_pdf {
            continue;
        }
        brief::render(&checked, format).map_err(|e| format!("{format} failed: {e:#}"))?;
    }
    Ok(true)
}

fn run_cases(name: &str, count: u64, with_pdf: bool, generate: fn(&mut Rng) -> String) -> usize {
    let mut valid = 0;
    for seed in 1..=count {
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let text = generate(&mut rng);
        let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&text, with_pdf)));
        match outcome {
            Ok(Ok(true)) => valid += 1,
            Ok(Ok(false)) => {}
            Ok(Err(e)) => panic!(
                "{name} case {seed}: a valid brief failed to render: {e}\n--- input ---\n{text}"
            ),
            Err(_) => panic!("{name} case {seed}: panicked\n--- input ---\n{text}"),
        }
    }
    valid
}

#[test]
fn mutated_briefs_never_panic() {
    run_cases("mutated", 400, false, mutated);
}

#[test]
fn noise_never_panics() {
    run_cases("noise", 300, false, noise);
}

#[test]
fn generated_markdown_renders_in_every_format() {
    let valid = run_cases("generated", 60, true, generated_brief);
    assert_eq!(valid, 60, "every generated brief should pass the checks");
}

/// A one-page brief with `summary` as its bottom line and `extra` lines
/// at its top level.
fn small(summary: &str, extra: &str) -> String {
    format!(
        "title: Limits\ndate: 2025-08-14\n{extra}summary: {summary}\nbackground: Background.\ndevelopments:\n  - date: 2025-08-13\n    title: Something happened\noutlook: Outlook.\n"
    )
}

fn messages(checked: &brief::Checked) -> String {
    checked
        .diagnostics()
        .iter()
        .map(|d| d.message.clone())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Runs of combining marks on a letter (each of a few marks, in random
/// order): refused exactly when a run is longer than 30.
#[test]
fn combining_runs_are_refused_exactly_beyond_thirty() {
    const MARKS: [char; 5] = ['\u{301}', '\u{308}', '\u{323}', '\u{64b}', '\u{5b4}'];
    let mut rng = Rng(0x00C0_FFEE);
    for case in 0..40 {
        let run = rng.below(61);
        let marks: String = (0..run).map(|_| MARKS[rng.below(MARKS.len())]).collect();
        let text = small(&format!("\"Text a{marks} more.\""), "");
        let checked = brief::check_text(Path::new("marks.yaml"), text);
        let refused = messages(&checked).contains("combining marks in a row");
        assert_eq!(refused, run > 30, "case {case}: {run} marks");
        assert_eq!(
            checked.is_ok(),
            run <= 30,
            "case {case}: {}",
            checked.report()
        );
        if checked.is_ok() {
            brief::render(&checked, Format::Html).unwrap();
        }
    }
}

/// Pictures whose header claims random sizes: refused exactly beyond 50
/// million pixels, without reading more than the header.
#[test]
fn picture_headers_are_refused_exactly_beyond_fifty_megapixels() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(0x0BAD_F00D);
    for case in 0..40 {
        let (w, h) = (1 + rng.below(20_000) as u32, 1 + rng.below(20_000) as u32);
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend(w.to_be_bytes());
        png.extend(h.to_be_bytes());
        png.extend([8, 2, 0, 0, 0, 0, 0, 0, 0]);
        std::fs::write(dir.path().join("p.png"), &png).unwrap();
        let path = dir.path().join("p.yaml");
        std::fs::write(&path, small("\"See ![map](p.png).\"", "")).unwrap();
        let checked = brief::check(&path).unwrap();
        let too_many = u64::from(w) * u64::from(h) > 50_000_000;
        assert_eq!(
            messages(&checked).contains("cannot use image"),
            too_many,
            "case {case}: {w}x{h}: {}",
            checked.report()
        );
    }
}

/// An anchor of random size used a random number of times: refused when
/// the text comes to well over 4 MiB, accepted when well under, and never
/// slow to decide.
#[test]
fn alias_fan_out_is_bounded_by_the_expanded_text() {
    let mut rng = Rng(0x5EED_A11A);
    let mut refused_cases = 0;
    for case in 0..12 {
        let paragraphs = 1 + rng.below(30);
        let uses = 1 + rng.below(150);
        let anchor = vec![format!("  {}", "x ".repeat(1000)); paragraphs].join("\n\n");
        let bytes = anchor.len() * (uses + 1);
        let aliases = vec!["*a"; uses].join(", ");
        let text = small(&format!("&a |\n{anchor}"), "").replace(
            "outlook: Outlook.\n",
            &format!("outlook: Outlook.\ngaps: [{aliases}]\n"),
        );
        let checked = brief::check_text(Path::new("alias.yaml"), text);
        // Refused by the limit on expanded text, or earlier by the YAML
        // parser's own budget for what aliases replay.
        let all = messages(&checked);
        let refused =
            all.contains("with its aliases expanded") || all.contains("expands to too many values");
        if bytes > 4_300_000 {
            assert!(refused, "case {case}: {bytes} bytes expanded");
            refused_cases += 1;
        } else if bytes < 4_000_000 {
            // (The parser's budget may refuse many replays of a large
            // anchor sooner; the limit on expanded text does not.)
            assert!(
                !all.contains("with its aliases expanded"),
                "case {case}: {bytes} bytes expanded: {all}"
            );
        }
    }
    assert!(refused_cases > 0, "the cases should reach the limit");
}

/// A control character in any one-line field is a located error; in a
/// Markdown field only line breaks and tabs pass.
#[test]
fn control_characters_in_every_plain_field_are_refused() {
    let fields: [(&str, &str); 7] = [
        ("title", "title: \"A{c}B\"\n"),
        ("subtitle", "subtitle: \"A{c}B\"\n"),
        ("organization", "organization: \"A{c}B\"\n"),
        ("region", "region: \"A{c}B\"\n"),
        ("analysts", "analysts: [\"A{c}B\"]\n"),
        ("tags", "tags: [\"A{c}B\"]\n"),
        ("classification", "marking: {classification: \"A{c}B\"}\n"),
    ];
    let mut rng = Rng(0xC0_7701);
    for case in 0..60 {
        let code = match rng.below(3) {
            0 => rng.below(32) as u32,
            1 => 0x7f,
            _ => 0x80 + rng.below(32) as u32,
        };
        let c = char::from_u32(code).unwrap();
        let escaped = format!("\\u{code:04X}");
        let (field, line) = fields[rng.below(fields.len())];
        let extra = line.replace("{c}", &escaped);
        let text = if field == "title" {
            small("Summary.", "").replace("title: Limits\n", &extra)
        } else {
            small("Summary.", &extra)
        };
        let checked = brief::check_text(Path::new("control.yaml"), text);
        let all = messages(&checked);
        assert!(
            all.contains(&format!("holds a control character (U+{code:04X})")),
            "case {case}: {field} with {c:?}: {all}"
        );
        // The same character in a Markdown field.
        let markdown = small(&format!("\"Summary {escaped} here.\""), "");
        let checked = brief::check_text(Path::new("control.yaml"), markdown);
        assert_eq!(
            checked.is_ok(),
            matches!(c, '\t' | '\n' | '\r'),
            "case {case}: summary with {c:?}: {}",
            checked.report()
        );
    }
}
