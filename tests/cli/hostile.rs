//! Hostile input: each case gets a located diagnostic and exit code 1, or
//! correct output; never a hang, an abort, a panic message, a lost word or
//! a mixed set of outputs.

use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use crate::support::*;

/// A one-page brief with `extra` lines added at its top level.
fn brief(extra: &str) -> String {
    format!(
        "title: Hostile input\ndate: 2025-08-14\n{extra}summary: Summary.\nbackground: Background.\ndevelopments:\n  - date: 2025-08-13\n    title: Something happened\noutlook: Outlook.\n"
    )
}

/// Runs `brief` in `ws`, killing it and failing the test if it takes more
/// than `limit`. Its output is read as it comes, so a long report never
/// fills a pipe and stalls it.
fn run_within(ws: &Workspace, args: &[&str], limit: Duration) -> Output {
    use std::io::Read;
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(args)
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("brief runs");
    let drain = |mut pipe: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut bytes = Vec::new();
            let _ = pipe.read_to_end(&mut bytes);
            bytes
        })
    };
    let stdout = drain(Box::new(child.stdout.take().unwrap()));
    let stderr = drain(Box::new(child.stderr.take().unwrap()));
    let start = Instant::now();
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("brief {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Output {
        status,
        stdout: stdout.join().unwrap(),
        stderr: stderr.join().unwrap(),
    }
}

/// Asserts a run failed with exit code 1 and no panic, and returns its
/// standard error.
fn refused(out: &Output) -> String {
    assert_eq!(out.status.code(), Some(1), "{}", describe(out));
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

fn mkfifo(path: &std::path::Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
}

#[test]
fn a_fifo_is_a_located_error_and_the_other_briefs_still_render() {
    let ws = Workspace::fixture("basic");
    mkfifo(&ws.join("briefs/pipe.yaml"));
    ws.write(
        "briefs/daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - full.yaml\n  - pipe.yaml\n",
    );
    let limit = Duration::from_secs(60);
    let out = run_within(&ws, &["render", "briefs", "-f", "md", "-o", "out"], limit);
    let stderr = refused(&out);
    assert!(
        stderr.contains(
            "error: not a regular file: this is a named pipe (FIFO)\n --> briefs/pipe.yaml:1:1"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("edition item `pipe.yaml` has 1 error"),
        "{stderr}"
    );
    assert!(ws.join("out/full.md").exists());

    let out = run_within(&ws, &["check", "briefs/pipe.yaml"], limit);
    let stderr = refused(&out);
    assert!(stderr.contains("briefs/pipe.yaml:1:1"), "{stderr}");
}

#[test]
fn control_characters_in_one_line_fields_are_located_errors() {
    let ws = Workspace::fixture("basic");
    for (name, extra, at, code) in [
        (
            "cr",
            "organization: \"Org\\r# Injected\"\n",
            "3:15",
            "U+000D",
        ),
        ("nul", "subtitle: \"A\\0B\"\n", "3:11", "U+0000"),
        ("esc", "region: \"\\e[31mRed\"\n", "3:9", "U+001B"),
        ("tag", "tags: [\"ok\", \"b\\x07ell\"]\n", "3:14", "U+0007"),
    ] {
        ws.write(&format!("{name}.yaml"), &brief(extra));
        let stderr = refused(&ws.run(&["check", &format!("{name}.yaml")]));
        assert!(
            stderr.contains(&format!(
                "holds a control character ({code})\n --> {name}.yaml:{at}"
            )),
            "{name}: {stderr}"
        );
    }
    // In Markdown fields, line breaks and tabs are text; an escape is not.
    ws.write(
        "md.yaml",
        &brief("").replace("outlook: Outlook.", "outlook: \"Out\\tlook\\r\\n\\e[2J\""),
    );
    let stderr = refused(&ws.run(&["check", "md.yaml"]));
    assert!(
        stderr.contains("`outlook` holds a control character (U+001B)\n --> md.yaml:8:10"),
        "{stderr}"
    );
}

#[test]
fn a_set_of_outputs_is_replaced_whole_or_not_at_all() {
    let ws = Workspace::fixture("basic");
    success(&ws.run(&["render", "briefs/full.yaml", "-o", "out"]));
    let (md, html) = (ws.read("out/full.md"), ws.read("out/full.html"));
    // A stale temporary of a killed run, and a PDF that cannot be replaced.
    ws.write("out/.full.md.4194305-Ab12cd.tmp", "left by a killed run");
    std::fs::remove_file(ws.join("out/full.pdf")).unwrap();
    std::fs::create_dir(ws.join("out/full.pdf")).unwrap();
    let brief = ws.read("briefs/full.yaml");
    ws.write(
        "briefs/full.yaml",
        &brief.replacen("title: Pakistan", "title: Revised, Pakistan", 1),
    );
    let out = ws.run(&["render", "briefs/full.yaml", "-o", "out"]);
    let stderr = refused(&out);
    assert!(
        stderr.contains("nothing was replaced: the previous full.md, full.html are kept"),
        "{stderr}"
    );
    assert!(!stderr.contains("wrote"), "{stderr}");
    assert_eq!(ws.read("out/full.md"), md);
    assert_eq!(ws.read("out/full.html"), html);
    let mut left: Vec<String> = std::fs::read_dir(ws.join("out"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["full.html", "full.md", "full.pdf"]);
}

#[test]
fn an_output_never_replaces_its_own_source() {
    let ws = Workspace::fixture("basic");
    ws.write("foo.json", &brief(""));
    let before = ws.read("foo.json");
    let out = ws.run(&["render", "foo.json", "-f", "json", "-o", "."]);
    let stderr = refused(&out);
    assert!(
        stderr.contains("foo.json is an output of this document and also one of its source files"),
        "{stderr}"
    );
    assert_eq!(ws.read("foo.json"), before);
}

#[test]
fn years_outside_the_calendar_files_are_located_errors() {
    let ws = Workspace::fixture("basic");
    for year in ["0000", "9999"] {
        ws.write(
            "y.yaml",
            &brief(&format!(
                "upcoming:\n  - date: {year}-12-31\n    title: Event\n"
            )),
        );
        let stderr = refused(&ws.run(&["check", "y.yaml"]));
        assert!(
            stderr.contains(&format!(
                "error: invalid date `{year}-12-31`\n --> y.yaml:4:11"
            )) && stderr.contains("the year must be from 1000 to 9998"),
            "{stderr}"
        );
    }
    // The last year allowed writes a valid end in the calendar.
    ws.write(
        "y.yaml",
        &brief("upcoming:\n  - date: 9998-12-31\n    title: Event\n"),
    );
    success(&ws.run(&["render", "y.yaml", "-f", "ics", "-o", "out"]));
    assert!(ws.read("out/y.ics").contains("DTEND;VALUE=DATE:99990101"));
}

#[test]
fn a_very_long_brief_without_aliases_is_not_called_an_alias_bomb() {
    let ws = Workspace::fixture("basic");
    let mut text = brief("");
    for i in 0..20_000 {
        text.push_str(&format!(
            "  - date: 2025-08-13\n    title: Development {i}\n"
        ));
    }
    // The developments above are appended to the list the brief ends with.
    let text = text.replace("outlook: Outlook.\n", "") + "outlook: Outlook.\n";
    ws.write("long.yaml", &text);
    let stderr = refused(&run_within(
        &ws,
        &["check", "long.yaml"],
        Duration::from_secs(60),
    ));
    assert!(
        stderr.contains("error: the document holds too many values to be a brief"),
        "{stderr}"
    );
    assert!(!stderr.contains("aliases"), "{stderr}");
}

#[test]
fn a_long_fence_holding_a_short_one_keeps_its_lines_in_the_markdown() {
    let ws = Workspace::fixture("basic");
    ws.write(
        "fence.yaml",
        &brief("").replace(
            "background: Background.\n",
            "background: |\n  Before.\n\n  ````\n  ```\n\n\n  code\n  ```\n  ````\n\n  After.\n",
        ),
    );
    success(&ws.run(&["render", "fence.yaml", "-f", "md", "-o", "out"]));
    assert!(
        ws.read("out/fence.md")
            .contains("Before.\n\n````\n```\n\n\ncode\n```\n````\n\nAfter."),
        "{}",
        ws.read("out/fence.md")
    );
}

#[test]
fn hebrew_yiddish_dari_and_syriac_run_right_to_left() {
    let ws = Workspace::fixture("basic");
    for lang in ["iw", "ji", "prs", "syr", "he"] {
        ws.write(
            &format!("{lang}.yaml"),
            &brief(&format!("language: {lang}\n")),
        );
        success(&ws.run(&["render", &format!("{lang}.yaml"), "-f", "html", "-o", "out"]));
        let html = ws.read(&format!("out/{lang}.html"));
        assert!(
            html.contains(&format!("<html lang=\"{lang}\" dir=\"rtl\"")),
            "{lang}"
        );
    }
}

#[test]
fn escape_codes_in_names_keys_and_values_never_reach_the_terminal() {
    let ws = Workspace::fixture("basic");
    let name = "briefs/\u{1b}[2Jname.yaml";
    ws.write(
        name,
        &brief("\"ti\\e[31mtle\": x\nmarking: {tlp: \"\\e[8mred\"}\n"),
    );
    ws.write(
        "briefs/daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - \"\\e[5mmissing.yaml\"\n",
    );
    for args in [
        &["check", "briefs"][..],
        &["render", "briefs", "-o", "out"][..],
    ] {
        let out = ws.run(args);
        let stderr = refused(&out);
        assert!(!stderr.contains('\u{1b}'), "{args:?}: {stderr:?}");
        assert!(stderr.contains("\\u{1b}[2Jname.yaml"), "{stderr}");
        assert!(stderr.contains("ti\\u{1b}[31mtle"), "{stderr}");
        assert!(stderr.contains("\\u{1b}[8mred"), "{stderr}");
        assert!(
            stderr.contains("`items` holds a control character (U+001B)"),
            "{stderr}"
        );
    }
    // JSON keeps the name as it is, escaped the JSON way.
    let out = ws.run(&["check", "briefs", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let files: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["file"].as_str().unwrap())
        .collect();
    assert!(files.contains(&name), "{files:?}");
}

#[test]
fn plain_fields_are_text_in_the_markdown_as_another_commonmark_reads_it() {
    let ws = Workspace::fixture("basic");
    let payload = "[Read](javascript:alert(1)) <img src=x onerror=alert(1)> <!-- *b* _i_ `c` ~~s~~ | &amp; \\\\";
    let quoted = payload.replace('\\', "\\\\").replace('"', "\\\"");
    let text = format!(
        "title: \"{quoted}\"\nsubtitle: \"{quoted}\"\ndate: 2025-08-14\nanalysts: [\"{quoted}\"]\norganization: \"<!--\"\nregion: \"# {quoted}\"\ntags: [\"- {quoted}\"]\nmarking:\n  tlp: amber\n  classification: \"{quoted}\"\nsummary: Summary [@s].\nbackground: Background.\ndevelopments:\n  - date: 2025-08-13\n    title: \"1. {quoted}\"\n    actors: [a]\nactors:\n  - id: a\n    name: \"{quoted}\"\n    role: \"> {quoted}\"\n    quote: \"{quoted}\"\n    stance: opposed\n    sources: [s]\noutlook: Outlook.\nupcoming:\n  - date: 2025-09-01\n    title: \"{quoted}\"\n    location: \"{quoted}\"\nimplications:\n  - area: \"{quoted}\"\n    text: Text.\n    horizon: \"{quoted}\"\nsources:\n  - id: s\n    name: \"{quoted}\"\n    title: \"{quoted}\"\n    url: \"https://example.org/a><script>alert(1)</script>\"\n"
    );
    ws.write("briefs/md.yaml", &text);
    success(&ws.run(&["render", "briefs/md.yaml", "-f", "md", "-o", "out"]));
    let html = pdf_tool("md_render.py", &ws.join("out/md.md"));
    for active in [
        "<img",
        "<script",
        "href=\"javascript",
        "<!--",
        "<del>",
        "<em>i</em>",
        "<em>b</em>",
        "<code>c</code>",
    ] {
        assert!(!html.contains(active), "`{active}` is live:\n{html}");
    }
    // Every field's text is there as written, the handling marking at the
    // bottom too.
    let escaped = payload
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let shown = html.matches(escaped.as_str()).count();
    assert!(shown >= 14, "the payload shows {shown} times:\n{html}");
    assert!(html.contains("&lt;!--"), "{html}");
    assert_eq!(html.matches("TLP:AMBER").count(), 2, "{html}");
    assert!(
        html.trim_end().ends_with("</p>")
            && html.contains("https://example.org/a%3E%3Cscript%3Ealert(1)%3C/script%3E"),
        "{html}"
    );
}

#[test]
fn prose_that_mentions_a_tag_loses_only_the_tag_in_every_format() {
    let ws = Workspace::fixture("basic");
    let tags = [
        "script",
        "textarea",
        "iframe",
        "title",
        "noscript",
        "xmp",
        "plaintext",
        "style",
        "template",
    ];
    for tag in tags {
        ws.write(
            &format!("{tag}.yaml"),
            &brief("").replace(
                "summary: Summary.\n",
                &format!(
                    "summary: \"The actor injected a <{tag}> tag into the login page.\\n\\n**Second paragraph** ends here.\"\n"
                ),
            ),
        );
        let out = ws.run(&["render", &format!("{tag}.yaml"), "-o", "out"]);
        success(&out);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!(
                "warning: the HTML tag `<{tag}>` is left out of every format\n --> {tag}.yaml:3:32"
            )),
            "{stderr}"
        );
        let html = ws.read(&format!("out/{tag}.html"));
        assert!(
            html.contains("<p>The actor injected a  tag into the login page.</p>\n<p><strong>Second paragraph</strong> ends here.</p>"),
            "{tag}: {html}"
        );
        let md = ws.read(&format!("out/{tag}.md"));
        assert!(
            md.contains(
                "The actor injected a  tag into the login page.\n\n**Second paragraph** ends here."
            ),
            "{tag}: {md}"
        );
        let pdf = squash(&pdf_text(&ws.join(&format!("out/{tag}.pdf"))));
        assert!(
            pdf.contains(
                "The actor injected a tag into the login page. Second paragraph ends here."
            ),
            "{tag}: {pdf}"
        );
    }
}

#[test]
fn small_inputs_that_would_exhaust_memory_or_time_are_located_errors() {
    let ws = Workspace::fixture("basic");
    let limit = Duration::from_secs(60);
    // Combining marks piled on one letter (the stream-safe limit is 30).
    for (name, marks) in [("marks", 2_000), ("marks-100k", 100_000)] {
        ws.write(
            &format!("{name}.yaml"),
            &brief("").replace(
                "summary: Summary.",
                &format!("summary: \"a{}\"", "\u{301}".repeat(marks)),
            ),
        );
        let out = run_within(
            &ws,
            &["render", &format!("{name}.yaml"), "-o", "out"],
            limit,
        );
        let stderr = refused(&out);
        assert!(
            stderr.contains(&format!(
                "error: more than 30 combining marks in a row\n --> {name}.yaml:3:42"
            )),
            "{stderr}"
        );
    }
    // One unbroken word of 64 KiB.
    ws.write(
        "word.yaml",
        &brief("").replace(
            "background: Background.",
            &format!("background: |\n  Before.\n\n  {}", "é".repeat(32_768)),
        ),
    );
    let stderr = refused(&run_within(
        &ws,
        &["render", "word.yaml", "-o", "out"],
        limit,
    ));
    assert!(
        stderr.contains("error: a run of 64 KiB without a space; one word may be at most 16 KiB\n --> word.yaml:7:3"),
        "{stderr}"
    );
    // An 80 KiB anchor used 64 times comes to 5 MiB.
    let lines = vec![format!("  {}", "x ".repeat(1000)); 40].join("\n\n");
    let aliases = vec!["*a"; 64].join(", ");
    ws.write(
        "alias.yaml",
        &brief("").replace(
            "summary: Summary.",
            &format!("summary: &a |\n{lines}\ngaps: [{aliases}]"),
        ),
    );
    let stderr = refused(&run_within(
        &ws,
        &["render", "alias.yaml", "-o", "out"],
        limit,
    ));
    assert!(
        stderr.contains("error: the document's text comes to more than 4096 KiB here, with its aliases expanded\n  --> alias.yaml:83:"),
        "{stderr}"
    );
    // A picture whose header claims 60000×60000 pixels, in 100 bytes.
    let png = png_header(60_000, 60_000);
    assert!(png.len() < 100);
    std::fs::write(ws.join("huge.png"), &png).unwrap();
    ws.write(
        "picture.yaml",
        &brief("").replace("summary: Summary.", "summary: \"See ![map](huge.png).\""),
    );
    let stderr = refused(&run_within(
        &ws,
        &["render", "picture.yaml", "-o", "out"],
        limit,
    ));
    assert!(
        stderr.contains("error: cannot use image `huge.png`\n --> picture.yaml:3:22")
            && stderr.contains(
                "the picture claims 60000×60000 pixels; a picture may have at most 50 million"
            ),
        "{stderr}"
    );
    assert!(!ws.join("out/picture.pdf").exists());
    // A picture file of 1 GiB (sparse: nothing is written, nor read).
    let big = std::fs::File::create(ws.join("big.png")).unwrap();
    big.set_len(1 << 30).unwrap();
    ws.write(
        "big.yaml",
        &brief("").replace("summary: Summary.", "summary: \"See ![map](big.png).\""),
    );
    let stderr = refused(&run_within(&ws, &["check", "big.yaml"], limit));
    assert!(
        stderr.contains("the picture is 1024.0 MiB; a picture may be at most 16 MiB"),
        "{stderr}"
    );
    // One paragraph of 20,000 lines.
    let lines = vec!["  a line of the one long paragraph"; 20_000].join("\n");
    ws.write(
        "para.yaml",
        &brief("").replace(
            "background: Background.",
            &format!("background: |\n{lines}"),
        ),
    );
    let stderr = refused(&run_within(
        &ws,
        &["render", "para.yaml", "-o", "out"],
        limit,
    ));
    assert!(
        stderr.contains(
            "error: this text is 645 KiB; one value may hold at most 256 KiB\n --> para.yaml:5:3"
        ),
        "{stderr}"
    );
}

/// The first bytes of a PNG of `width`×`height` pixels: enough for its
/// header, not for its pixels.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend(width.to_be_bytes());
    ihdr.extend(height.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((ihdr.len() as u32).to_be_bytes());
    png.extend(b"IHDR");
    png.extend(&ihdr);
    png.extend([0, 0, 0, 0]);
    png
}

#[test]
fn thousands_of_citations_tags_and_pictures_check_in_one_pass() {
    let ws = Workspace::fixture("basic");
    // 16k citations of a source that does not exist, each located.
    let body: Vec<String> = (0..16_000)
        .map(|i| format!("  Claim {i} [@missing]."))
        .collect();
    ws.write(
        "cites.yaml",
        &brief("").replace(
            "background: Background.",
            &format!("background: |\n{}", body.join("\n\n")),
        ),
    );
    let out = run_within(&ws, &["check", "cites.yaml"], Duration::from_secs(60));
    let stderr = refused(&out);
    assert_eq!(
        stderr.matches("unknown source `missing`").count(),
        16_000,
        "{}",
        &stderr[..2000]
    );
    assert!(
        stderr.contains("--> cites.yaml:32003:16"),
        "the last one is located"
    );
}

#[test]
fn an_edition_item_outside_the_edition_s_folder_keeps_its_pictures() {
    let ws = Workspace::fixture("basic");
    // A 4×4 PNG beside a brief in another folder than the edition's.
    let png: &[u8] = include_bytes!("../fixtures/hostile/square.png");
    std::fs::create_dir_all(ws.join("elsewhere")).unwrap();
    std::fs::write(ws.join("elsewhere/square.png"), png).unwrap();
    ws.write(
        "elsewhere/item.yaml",
        &brief("").replace(
            "summary: Summary.",
            "summary: \"See ![a red square](square.png).\"",
        ),
    );
    ws.write(
        "editions/daily.yaml",
        "edition: Daily\ndate: 2025-08-14\nitems:\n  - ../elsewhere/item.yaml\n",
    );
    let out = ws.run(&[
        "render",
        "editions/daily.yaml",
        "-f",
        "pdf,html",
        "-o",
        "out",
    ]);
    success(&out);
    assert!(
        String::from_utf8_lossy(&out.stderr).is_empty(),
        "{}",
        describe(&out)
    );
    assert_eq!(pdf_images(&ws.join("out/daily.pdf")), [(4, 4)]);
    let html = ws.read("out/daily.html");
    assert!(
        html.contains("<img src=\"data:image/png;base64,") && html.contains("alt=\"a red square\""),
        "{html}"
    );
}
