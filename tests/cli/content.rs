//! Markdown fidelity and content safety: pictures, sanitized HTML, a Typst
//! world that reads nothing it should not, and a brief using every
//! construct, snapshotted.

use std::path::Path;
use std::process::Command;

use crate::dom::{Html, Selector};

use crate::support::*;

fn constructs() -> Workspace {
    let ws = Workspace::fixture("constructs");
    let out = ws.run(&["render", "-f", "md,html,pdf,typ"]);
    assert!(out.status.success(), "{}", describe(&out));
    // The remote picture is reported, not fetched.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("warning: remote image `https://example.org/chart.png` is not fetched"),
        "{stderr}"
    );
    ws
}

#[test]
fn every_construct_snapshot() {
    let ws = constructs();
    insta::assert_snapshot!("constructs.md", ws.read("output/constructs.md"));
    insta::assert_snapshot!("constructs.html", ws.read("output/constructs.html"));
    insta::assert_snapshot!("constructs.typ", ws.read("output/constructs.typ"));
}

#[test]
fn pictures_are_embedded_with_their_description() {
    let ws = constructs();
    let html = ws.read("output/constructs.html");
    let doc = Html::parse_document(&html);
    let imgs: Vec<_> = doc.select(&Selector::parse("img").unwrap()).collect();
    assert_eq!(imgs.len(), 2, "the block and the inline picture");
    assert!(
        imgs[0]
            .attr("src")
            .unwrap()
            .starts_with("data:image/png;base64,iVBORw0KGgo")
    );
    assert_eq!(imgs[0].attr("alt"), Some("A blue map"));
    assert_eq!(imgs[0].attr("title"), Some("The map"));
    assert_eq!(imgs[1].attr("alt"), Some("icon"));
    // The remote picture is a link carrying its description.
    let remote = doc
        .select(&Selector::parse("a[href=\"https://example.org/chart.png\"]").unwrap())
        .next()
        .unwrap();
    assert_eq!(remote.text().collect::<String>(), "remote chart");
    assert_eq!(remote.attr("rel"), Some("noopener noreferrer"));

    let pdf = ws.join("output/constructs.pdf");
    let images = Command::new("pdfimages")
        .args(["-list", pdf.to_str().unwrap()])
        .output()
        .unwrap();
    let list = String::from_utf8_lossy(&images.stdout);
    assert_eq!(list.lines().skip(2).count(), 2, "{list}");
    assert!(pdf_text(&pdf).contains("remote chart"));

    let md = ws.read("output/constructs.md");
    assert!(
        md.contains("![A blue map](../briefs/img/map.png \"The map\")"),
        "{md}"
    );
    assert!(
        md.contains("[remote chart](https://example.org/chart.png)"),
        "{md}"
    );
}

#[test]
fn pictures_outside_the_brief_folder_are_refused() {
    let ws = Workspace::fixture("basic");
    std::fs::create_dir_all(ws.join("briefs/img")).unwrap();
    std::fs::write(ws.join("secret.png"), b"not for the brief").unwrap();
    #[cfg(unix)]
    std::os::unix::fs::symlink(ws.join("secret.png"), ws.join("briefs/img/link.png")).unwrap();
    let brief = ws.read("briefs/full.yaml").replace(
        "background: |\n",
        "background: |\n  ![up](../secret.png) ![abs](/etc/passwd.png) ![link](img/link.png) ![text](notes.txt)\n\n",
    );
    ws.write("briefs/full.yaml", &brief);
    let brief = brief.replace(
        "![text](notes.txt)",
        "![text](notes.txt) ![js](javascript:alert(1))",
    );
    ws.write("briefs/full.yaml", &brief);
    let out = ws.run(&["check", "briefs/full.yaml"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("error: cannot use image `javascript:alert(1)`")
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    for (url, why) in [
        (
            "../secret.png",
            "the image must be inside the brief's folder",
        ),
        (
            "/etc/passwd.png",
            "the image must be inside the brief's folder",
        ),
        (
            "img/link.png",
            "the image must be inside the brief's folder",
        ),
        ("notes.txt", "use a PNG, JPEG, GIF, WebP or SVG picture"),
    ] {
        assert!(
            stderr.contains(&format!("error: cannot use image `{url}`")),
            "{url}\n{stderr}"
        );
        assert!(stderr.contains(why), "{why}\n{stderr}");
    }
}

/// Classic attacks on HTML sanitizers, pasted into a Markdown field.
const XSS: &[&str] = &[
    "<script>alert(1)</script>",
    "<svg onload=alert(1)><circle r=1></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)></style></mglyph></table></mtext></math>",
    "<a href=\"jav&#x09;ascript:alert(1)\">tab</a>",
    "<a href=\"JaVaScRiPt:alert(1)\">case</a>",
    "<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">data</a>",
    "<iframe srcdoc=\"<script>alert(1)</script>\"></iframe>",
    "<object data=\"javascript:alert(1)\"></object>",
    "<embed src=\"https://example.org/x.swf\">",
    "<form action=\"javascript:alert(1)\"><button>go</button></form>",
    "<base href=\"https://evil.example/\">",
    "<meta http-equiv=\"refresh\" content=\"0;url=https://evil.example\">",
    "<link rel=\"stylesheet\" href=\"https://evil.example/x.css\">",
    "<style>@import url(https://evil.example/x.css); body{background:url(https://evil.example/t)}</style>",
    "<div style=\"background:url(https://evil.example/track.png)\">styled</div>",
    "<img src=\"https://evil.example/track.png\" srcset=\"https://evil.example/2x.png 2x\">",
    "<video><source onerror=\"alert(1)\"></video>",
    "<details open ontoggle=alert(1)>d</details>",
    "<svg><a xlink:href=\"javascript:alert(1)\"><text>x</text></a></svg>",
    "<input autofocus onfocus=alert(1)>",
    "<body onload=alert(1)>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>",
    "[md link](javascript:alert(1)) [md data](data:text/html,x)",
];

#[test]
fn raw_html_attacks_are_sanitized_in_html_and_left_out_of_the_pdf() {
    let ws = Workspace::fixture("basic");
    let corpus: String = XSS.iter().map(|x| format!("  {x}\n\n")).collect();
    let brief = ws
        .read("briefs/full.yaml")
        .replace("background: |\n", &format!("background: |\n{corpus}"));
    ws.write("briefs/full.yaml", &brief);
    let out = ws.run(&["render", "-f", "html,pdf"]);
    assert!(out.status.success(), "{}", describe(&out));

    let html = ws.read("output/full.html");
    let doc = Html::parse_document(&html);
    for el in doc.select(&Selector::parse("body *").unwrap()) {
        let name = el.value().name();
        let forbidden = [
            "script", "style", "iframe", "object", "embed", "form", "base", "meta", "link", "svg",
            "math", "video", "source", "noscript",
        ];
        assert!(!forbidden.contains(&name), "<{name}> reached the HTML");
        for (attr, value) in el.value().attrs() {
            // The template's own TLP label is the only styled element.
            let own_style = attr == "style" && el.value().classes().any(|c| c == "tlp");
            assert!(
                !attr.starts_with("on") && attr != "srcdoc" && attr != "srcset",
                "{attr} on <{name}>"
            );
            assert!(attr != "style" || own_style, "style on <{name}>");
            let v: String = value
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase();
            assert!(!v.contains("javascript:"), "{attr}={value}");
            assert!(
                !v.contains("evil.example"),
                "external reference {attr}={value}"
            );
            if attr == "href" {
                assert!(!v.starts_with("data:"), "{attr}={value}");
            }
        }
    }
    // The words around the markup survive.
    let text: String = doc
        .select(&Selector::parse("#background").unwrap())
        .next()
        .unwrap()
        .text()
        .collect();
    for word in ["tab", "case", "styled", "md link", "md data"] {
        assert!(text.contains(word), "{word} missing from {text}");
    }

    // The PDF leaves the tags out and keeps the text between them.
    let pdf = pdf_text(&ws.join("output/full.pdf"));
    for x in ["<script", "<svg", "<details", "onload", "ontoggle"] {
        assert!(!pdf.contains(x), "{x} in the PDF:\n{pdf}");
    }
    assert!(pdf.contains("alert(1)"), "{pdf}");
}

#[test]
fn typst_templates_can_read_only_pictures_and_fonts_of_the_workspace() {
    let ws = Workspace::fixture("basic");
    ws.write("briefs/notes.txt", "inside the folder");
    ws.write("secret.txt", "outside the folder");
    let attempts = [
        r#"#read("/etc/passwd")"#,
        r#"#read("../../../../../../etc/passwd")"#,
        r#"#read("../secret.txt")"#,
        r#"#include "/etc/hostname""#,
        r#"#image("/etc/passwd")"#,
        r#"#json("/etc/passwd")"#,
        r#"#read("@preview/cetz:0.3.0/lib.typ")"#,
        r#"#import "@preview/cetz:0.3.0": *"#,
    ];
    for attempt in attempts {
        ws.write("templates/brief.typ", &format!("{attempt}\nbody\n"));
        let out = ws.run(&["render", "-f", "pdf"]);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{attempt} was allowed\n{}",
            describe(&out)
        );
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("was not rendered: pdf: 1 error in the templates"),
            "{attempt}: {stderr}"
        );
        // The error points into the template, at the attempt.
        assert!(
            stderr.contains("(the Typst rendered from templates/brief.typ):1:"),
            "{attempt}: {stderr}"
        );
        assert!(
            !ws.join("output/full.pdf").exists(),
            "{attempt} produced a PDF"
        );
    }
    // Text files are not readable even inside the folder; pictures are.
    ws.write("templates/brief.typ", "#read(\"/notes.txt\")\n");
    let out = ws.run(&["render", "-f", "pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("access denied"));
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/constructs/briefs/img/map.png"),
        ws.join("briefs/map.png"),
    )
    .unwrap();
    ws.write(
        "templates/brief.typ",
        "#image(\"/map.png\", alt: \"map\")\n",
    );
    success(&ws.run(&["render", "-f", "pdf"]));
}

#[test]
fn a_text_file_named_like_a_picture_is_not_readable() {
    // See: the sandbox once checked only the extension.
    let ws = Workspace::fixture("basic");
    ws.write("briefs/fake.png", "secret text, not a picture");
    ws.write("templates/brief.typ", "#read(\"/fake.png\")\n");
    let out = ws.run(&["render", "-f", "pdf"]);
    assert_eq!(out.status.code(), Some(1), "{}", describe(&out));
    assert!(String::from_utf8_lossy(&out.stderr).contains("access denied"));
}
