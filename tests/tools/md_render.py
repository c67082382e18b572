"""Renders a Markdown file to HTML with markdown-it-py, a CommonMark
implementation independent of brief's, with the GitHub tables and
strikethrough brief's Markdown uses. Prints the HTML."""

import sys

from markdown_it import MarkdownIt

md = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
with open(sys.argv[1], encoding="utf-8") as f:
    sys.stdout.write(md.render(f.read()))
