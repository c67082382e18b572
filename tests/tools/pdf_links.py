"""Prints where a PDF's links and bookmarks lead, one per line, sorted:

    link <page> -> page <page> y <y>     an internal link (pages from 1)
    link <page> -> uri <address>         a web link
    bookmark <level> <title> -> page <page>

Named destinations are resolved, so two PDFs that lead to the same places
print the same lines however their links are written. Each distinct line is
printed once (a link broken over several boxes is one line).

Usage: python3 pdf_links.py FILE.pdf
"""

import sys

from pdfminer.pdfdocument import PDFDocument, PDFNoOutlines
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1


def named_destinations(doc):
    names = {}
    catalog_names = resolve1(doc.catalog.get("Names"))
    if not catalog_names or "Dests" not in catalog_names:
        return names

    def walk(node):
        node = resolve1(node)
        pairs = node.get("Names", [])
        for i in range(0, len(pairs), 2):
            names[pairs[i]] = resolve1(pairs[i + 1])
        for kid in node.get("Kids", []):
            walk(kid)

    walk(catalog_names["Dests"])
    return names


def main(path):
    with open(path, "rb") as f:
        doc = PDFDocument(PDFParser(f))
        pages = list(PDFPage.create_pages(doc))
        number = {page.pageid: i + 1 for i, page in enumerate(pages)}
        names = named_destinations(doc)

        def where(dest):
            dest = resolve1(dest)
            if isinstance(dest, (bytes, str)) and dest in names:
                dest = names[dest]
            dest = resolve1(dest)
            if isinstance(dest, dict):
                dest = resolve1(dest.get("D"))
            if isinstance(dest, list) and dest:
                y = dest[3] if len(dest) > 3 and dest[3] is not None else 0
                return f"page {number.get(dest[0].objid, '?')} y {round(float(y))}"
            return f"unresolved {dest!r}"

        lines = set()
        for i, page in enumerate(pages, start=1):
            for annot in resolve1(page.annots) or []:
                annot = resolve1(annot)
                if "Dest" in annot:
                    lines.add(f"link {i} -> {where(annot['Dest'])}")
                    continue
                action = resolve1(annot.get("A"))
                if not action:
                    continue
                if "URI" in action:
                    uri = resolve1(action["URI"])
                    uri = uri.decode("latin-1") if isinstance(uri, bytes) else uri
                    lines.add(f"link {i} -> uri {uri}")
                elif "D" in action:
                    lines.add(f"link {i} -> {where(action['D'])}")
        try:
            for level, title, dest, action, _ in doc.get_outlines():
                target = dest if dest is not None else resolve1(action or {}).get("D")
                lines.add(f"bookmark {level} {title} -> {where(target)}")
        except PDFNoOutlines:
            pass
    for line in sorted(lines):
        print(line)


if __name__ == "__main__":
    main(sys.argv[1])
