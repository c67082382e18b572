//! Snapshots of the Markdown and HTML of a brief that uses every field.
//! A change to either output shows up here as a reviewable diff.

use crate::support::*;

#[test]
fn markdown_and_html_of_the_full_brief() {
    let ws = Workspace::fixture("basic");
    success(&ws.run(&["render", "-f", "md,html"]));
    insta::assert_snapshot!("full.md", ws.read("output/full.md"));
    insta::assert_snapshot!("full.html", ws.read("output/full.html"));
}
