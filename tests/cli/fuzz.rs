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
