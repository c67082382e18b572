//! User text is data: a brief whose every text field carries Typst, HTML
//! and template syntax renders all of it literally in every format.

use crate::dom::{Html, Selector};

use crate::support::*;

/// The text each field of `hostile/briefs/hostile.yaml` carries after its tag.
const PAYLOAD: &str = r#"#read("/etc/passwd") #include "/etc/hostname" $x$ * _ @ref <label> // /* {{ x }} {% if true %}x{% endif %} <script>alert(1)</script> <img src=x onerror=alert(1)> #image("/etc/passwd") #json("/etc/passwd") javascript:alert(1)"#;

/// Fragments that would be eaten, evaluated or turned into markup if any
/// layer treated user text as code.
const FRAGMENTS: [&str; 14] = [
    r#"#read("/etc/passwd")"#,
    r#"#include "/etc/hostname""#,
    "$x$",
    "* _ @ref",
    "<label>",
    "// /*",
    "{{ x }}",
    "{% if true %}x{% endif %}",
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    r#"#image("/etc/passwd")"#,
    r#"#json("/etc/passwd")"#,
    "javascript:alert(1)",
    "\\",
];

/// Fields set in running text, where the whole payload stays on one flow.
const FLOW_FIELDS: [&str; 9] = [
    "TITLE",
    "SUBTITLE",
    "SUMMARY",
    "JUDGMENT",
    "BACKGROUND",
    "DEVTITLE",
    "DETAIL",
    "OUTLOOK",
    "AREA",
];

fn rendered() -> Workspace {
    let ws = Workspace::fixture("hostile");
    let stdout = success(&ws.run(&["render", "-f", "md,html,pdf,typ"]));
    assert_eq!(
        stdout,
        "wrote output/hostile.md, output/hostile.html, output/hostile.pdf, output/hostile.typ, output/brief-style.typ, output/theme.typ\n"
    );
    ws
}

#[test]
fn pdf_shows_every_payload_as_text_and_reads_no_file() {
    let ws = rendered();
    let pdf = ws.join("output/hostile.pdf");
    let text = pdf_text(&pdf);
    // Lines may break after a slash, which the extracted text shows as a
    // space: compare the characters, not the spacing.
    // The PDF sets straight quotes as curly ones.
    let compact = |s: &str| {
        s.chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{201c}' | '\u{201d}' => '"',
                c => c,
            })
            .collect::<String>()
    };
    let all = compact(&text);
    for field in FLOW_FIELDS {
        // Markdown fields leave raw HTML tags out of the PDF, keeping
        // their text; plain fields show them.
        let payload = if MARKDOWN_FIELDS.contains(&field) {
            [
                "<label>",
                "<script>",
                "</script>",
                "<img src=x onerror=alert(1)>",
            ]
            .iter()
            .fold(PAYLOAD.to_string(), |p, tag| p.replace(tag, ""))
        } else {
            PAYLOAD.to_string()
        };
        let expected = compact(&format!("{field} {payload}"));
        assert!(
            all.contains(&expected),
            "{field} is not literal in the PDF\n{text}"
        );
    }
    for field in PLAIN_FIELDS
        .iter()
        .chain(&MARKDOWN_FIELDS)
        .filter(|f| !["ORG", "CLASSIFICATION"].contains(f))
    {
        assert!(text.contains(field), "{field} missing from the PDF");
    }
    for fragment in FRAGMENTS {
        let count = all.matches(&compact(fragment)).count();
        assert!(
            count >= FLOW_FIELDS.len(),
            "`{fragment}` appears only {count} times\n{text}"
        );
    }
    // Neither file named in the payload was read into the document.
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap_or_default();
    let first_line = passwd.lines().next().unwrap_or("root:x:0:0");
    assert!(!text.contains(first_line), "the PDF contains /etc/passwd");
    let info = pdf_info(&pdf);
    assert!(
        info.replace(['\u{201c}', '\u{201d}'], "\"")
            .contains(&format!("Title:           TITLE {PAYLOAD}")),
        "{info}"
    );
}

/// Fields of plain text, shown exactly as written.
const PLAIN_FIELDS: [&str; 17] = [
    "TITLE",
    "SUBTITLE",
    "ANALYST",
    "ORG",
    "REGION",
    "TAG",
    "CLASSIFICATION",
    "DEVTITLE",
    "ACTORNAME",
    "ROLE",
    "QUOTE",
    "EVENT",
    "LOCATION",
    "AREA",
    "HORIZON",
    "SOURCENAME",
    "SOURCETITLE",
];

/// Markdown fields: raw HTML in them is HTML, which the sanitizer reduces to
/// harmless markup; everything else is text.
const MARKDOWN_FIELDS: [&str; 10] = [
    "SUMMARY",
    "JUDGMENT",
    "BACKGROUND",
    "DETAIL",
    "POSITION",
    "OUTLOOK",
    "SIGNIFICANCE",
    "IMPLICATION",
    "INDICATOR",
    "GAP",
];

#[test]
fn html_has_no_script_handler_or_javascript_url() {
    let ws = rendered();
    let text = ws.read("output/hostile.html");
    let doc = Html::parse_document(&text);
    assert!(
        doc.select(&Selector::parse("script, head link, head base").unwrap())
            .next()
            .is_none()
    );
    let all = Selector::parse("body *").unwrap();
    for el in doc.select(&all) {
        let name = el.value().name();
        let forbidden = [
            "script", "style", "iframe", "object", "embed", "frame", "link", "meta", "base", "form",
        ];
        assert!(!forbidden.contains(&name), "<{name}> reached the HTML");
        for (attr, value) in el.value().attrs() {
            assert!(
                !attr.starts_with("on"),
                "event handler `{attr}` on <{name}>"
            );
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace() && !c.is_control())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(
                !v.starts_with("javascript:"),
                "javascript URL in {attr} on <{name}>"
            );
            if attr == "src" {
                assert!(
                    v.starts_with("data:image/"),
                    "<{name} src> may only embed a picture: {value}"
                );
            }
            if attr == "href" {
                assert!(
                    v.starts_with('#')
                        || v.starts_with("https://")
                        || v.starts_with("http://")
                        || v.starts_with("mailto:"),
                    "unexpected link target {value}"
                );
            }
        }
    }
    let h1 = doc.select(&Selector::parse("h1").unwrap()).next().unwrap();
    assert_eq!(h1.text().collect::<String>(), format!("TITLE {PAYLOAD} \\"));
    let visible: String = doc
        .select(&Selector::parse("body").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    let visible = squash(&visible);
    for field in PLAIN_FIELDS {
        assert!(
            visible.contains(&format!("{field} {PAYLOAD}")),
            "{field} is not literal in the HTML"
        );
    }
    for field in MARKDOWN_FIELDS {
        let head = format!(r#"{field} #read("/etc/passwd") #include "/etc/hostname" $x$ * _ @ref"#);
        assert!(visible.contains(&head), "{field} lost its text in the HTML");
    }
    assert!(
        visible
            .matches("// /* {{ x }} {% if true %}x{% endif %}")
            .count()
            >= 27
    );
    // The link whose URL carries markup stays one escaped attribute.
    let source = doc
        .select(&Selector::parse("#source-1 a").unwrap())
        .next()
        .unwrap();
    assert_eq!(
        source.attr("href"),
        Some(r#"https://example.org/a"><script>alert(1)</script>"#)
    );
}

#[test]
fn markdown_and_typst_keep_the_text() {
    let ws = rendered();
    let md = ws.read("output/hostile.md");
    // Read by another CommonMark implementation, the title is its text.
    let html = pdf_tool("md_render.py", &ws.join("output/hostile.md"));
    let escaped = PAYLOAD
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;");
    assert!(
        html.contains(&format!("<h1>TITLE {escaped} \\</h1>")),
        "{html}"
    );
    assert!(
        !md.contains("](javascript:"),
        "a javascript link survived:\n{md}"
    );

    let typ = ws.read("output/hostile.typ");
    assert!(typ.contains(r#"TITLE \#read(#smartquote(double: true)\/etc\/passwd#smartquote(double: true)) \#include #smartquote(double: true)\/etc\/hostname#smartquote(double: true) \$x\$ \* \_ \@ref \<label\> \/\/ \/\*"#), "{typ}");
    assert!(!typ.contains("#read(\"/etc/passwd\")"));
}
