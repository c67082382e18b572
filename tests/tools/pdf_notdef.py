"""Lists the characters a PDF draws with glyph 0, the .notdef glyph (the
empty box shown for a character its font has no glyph for), one per line
as `U+XXXX <char>`; prints nothing when there are none. Exits 0 either
way; a test decides what the list means.

Reads the PDF with pdfminer.six (an implementation independent of the
compiler's). The compiler writes its text in composite (Type0) fonts with
the Identity-H encoding, so each two-byte code in a text string is a CID,
and CID 0 is the .notdef glyph:

* CIDFontType2 (TrueType outlines): the CID is the glyph id when
  /CIDToGIDMap is /Identity (or missing); a CIDToGIDMap stream is read to
  turn the CID into a glyph id.
* CIDFontType0 (CFF outlines): CID 0 is glyph 0 in every CID-keyed CFF,
  and the CID is the glyph id in a name-keyed one.

Other fonts (Type3, simple fonts) number their codes freely, so code 0
says nothing there and they are skipped.

Which character a .notdef glyph stands for comes from the marked-content
/ActualText around it, else from the font's ToUnicode map. The compiler
records neither for some .notdef glyphs (a ToUnicode map may not name
glyph 0); such a glyph is listed as U+FFFD.

Usage: python3 pdf_notdef.py FILE.pdf
"""

import sys

from pdfminer.cmapdb import IdentityCMap
from pdfminer.converter import PDFTextDevice
from pdfminer.pdfdocument import PDFDocument
from pdfminer.pdffont import PDFCIDFont
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import PDFStream, resolve1
from pdfminer.utils import decode_text

UNKNOWN = "\ufffd"


def pdf_text(value):
    """A PDF text string (UTF-16BE with a byte-order mark, or
    PDFDocEncoding) as a Python string."""
    value = resolve1(value)
    if isinstance(value, bytes):
        if value.startswith(b"\xfe\xff"):
            return value[2:].decode("utf-16-be", "replace")
        return decode_text(value)
    return str(value)


class Resources(PDFResourceManager):
    """Fonts as pdfminer reads them, each CID font with the CIDToGIDMap
    stream of its dictionary (pdfminer does not keep it) as `cid_to_gid`."""

    def get_font(self, objid, spec):
        font = super().get_font(objid, spec)
        # A Type0 font's descendant comes back through here, its own
        # dictionary as `spec`.
        mapping = resolve1(spec.get("CIDToGIDMap")) if spec else None
        if isinstance(font, PDFCIDFont) and isinstance(mapping, PDFStream):
            font.cid_to_gid = mapping.get_data()
        return font


class NotdefFinder(PDFTextDevice):
    """A device that draws nothing and notes the .notdef glyphs it is given."""

    def __init__(self, rsrcmgr):
        super().__init__(rsrcmgr)
        self.found = []          # characters drawn with glyph 0, in order
        self.spans = []          # open marked content: [ActualText or None, notdef seen]

    # Marked content: the compiler wraps glyphs whose text the ToUnicode map
    # cannot give in a /Span with /ActualText.
    def begin_tag(self, tag, props=None):
        text = None
        if isinstance(props, dict) and "ActualText" in props:
            text = pdf_text(props["ActualText"])
        self.spans.append([text, False])

    def end_tag(self):
        if not self.spans:
            return
        text, notdef = self.spans.pop()
        if notdef and text is not None:
            self.found.extend(text or UNKNOWN)

    def actual_text_span(self):
        """The innermost open span that carries /ActualText, if any."""
        for span in reversed(self.spans):
            if span[0] is not None:
                return span
        return None

    @staticmethod
    def glyph_id(font, cid):
        """The glyph id a CID selects, or None when the font is not one
        whose codes are CIDs of an Identity encoding."""
        if not isinstance(font, PDFCIDFont) or not isinstance(font.cmap, IdentityCMap):
            return None
        table = getattr(font, "cid_to_gid", None)
        if table is None:
            return cid
        if 2 * cid + 1 < len(table):
            return int.from_bytes(table[2 * cid:2 * cid + 2], "big")
        return 0

    def render_char(self, matrix, font, fontsize, scaling, rise, cid, *rest):
        if self.glyph_id(font, cid) == 0:
            span = self.actual_text_span()
            if span is not None:
                span[1] = True   # listed when the span ends
            else:
                try:
                    text = font.to_unichr(cid)
                except Exception:   # no ToUnicode entry for this code
                    text = UNKNOWN
                self.found.extend(text or UNKNOWN)
        # The advance does not matter here: nothing is laid out.
        return 0


def notdef_characters(path):
    with open(path, "rb") as file:
        document = PDFDocument(PDFParser(file))
        resources = Resources()
        device = NotdefFinder(resources)
        interpreter = PDFPageInterpreter(resources, device)
        for page in PDFPage.create_pages(document):
            interpreter.process_page(page)
        while device.spans:   # marked content left open at the end
            device.end_tag()
        return device.found


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: pdf_notdef.py FILE.pdf")
    for char in notdef_characters(sys.argv[1]):
        print(f"U+{ord(char):04X} {char}")


if __name__ == "__main__":
    main()
