#!/usr/bin/env python3
"""Rebuild the CJK font that brief embeds: the Noto Sans CJK SC face, cut
down to the characters a briefing is likely to contain.

The full face holds 65,535 glyphs (some 16 MB); the subset keeps:

* all of CJK Unified Ideographs (U+4E00-U+9FFF): with the compatibility
  ideographs below, every ideograph of GB2312, Big5, JIS X 0208, JIS X 0212
  and KS X 1001, and more (those sets lack characters of well-known names,
  such as the 镕 of 朱镕基);
* the other characters of those national sets that Python's codecs decode,
  from U+2000 on: the CJK Compatibility Ideographs of KS X 1001 and Big5,
  circled numbers, ※, 〒, ■ and the like (their Latin, Greek and Cyrillic
  letters are left to the body font);
* whole blocks: Hangul Syllables (all 11,172), Hangul Jamo, Hangul
  Compatibility Jamo, Hiragana, Katakana, Katakana Phonetic Extensions,
  Bopomofo (and its extension), CJK Symbols and Punctuation, Halfwidth and
  Fullwidth Forms;
* the glyphs that the OpenType features of horizontal text reach from
  those characters: `ccmp`, `liga`, `calt`, the Hangul jamo features,
  `kern` and `locl` for the languages given with --locl (by default
  Japanese and Korean: the compiler selects those forms when the text's
  language is `ja` or `ko`). Vertical-text features and tables go: the
  compiler sets text horizontally only.

The name table is kept whole, so the face keeps its family name, "Noto
Sans CJK SC".

Usage (the source is Debian's package fonts-noto-cjk 1:20220127+repack1-1,
Noto Sans CJK 2.004):

    apt-get download fonts-noto-cjk && dpkg-deb -x fonts-noto-cjk_*.deb x
    python3 -m venv venv && venv/bin/pip install fonttools   # 4.68.0 here
    venv/bin/python fonts/subset-cjk.py \\
        x/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc \\
        -o fonts/NotoSansCJKsc-Regular-subset.otf

It takes about two minutes.
"""

import argparse
import sys

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

# Whole blocks (first, last code point), kept whatever the codecs say.
BLOCKS = [
    (0x1100, 0x11FF),  # Hangul Jamo
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0x3040, 0x309F),  # Hiragana
    (0x30A0, 0x30FF),  # Katakana
    (0x3100, 0x312F),  # Bopomofo
    (0x3130, 0x318F),  # Hangul Compatibility Jamo
    (0x31A0, 0x31BF),  # Bopomofo Extended
    (0x31F0, 0x31FF),  # Katakana Phonetic Extensions
    (0x4E00, 0x9FFF),  # CJK Unified Ideographs
    (0xAC00, 0xD7A3),  # Hangul Syllables
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]

# Horizontal-text features worth keeping (fontTools drops every other one);
# `locl` is added for the languages asked for.
FEATURES = ["ccmp", "liga", "clig", "calt", "rlig", "kern", "mark", "mkmk",
            "ljmo", "vjmo", "tjmo"]

# Tables only vertical text uses.
VERTICAL_TABLES = ["vhea", "vmtx", "VORG"]

# OpenType language systems with `locl` forms in Noto CJK: Japanese,
# Korean, traditional Chinese (Taiwan), traditional Chinese (Hong Kong).
# Simplified Chinese (ZHS) is the SC face's default and needs none.
LOCL_LANGUAGES = ["JAN", "KOR", "ZHT", "ZHH"]


def double_byte(codec, leads, trails):
    """Every character that `codec` decodes from a lead and a trail byte."""
    chars = set()
    for lead in leads:
        for trail in trails:
            try:
                text = bytes([lead, trail]).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(text) == 1:
                chars.add(ord(text))
    return chars


def national_sets():
    """The repertoires of the CJK national character sets, by name."""
    high = range(0xA1, 0xFF)
    return {
        "GB2312": double_byte("gb2312", high, high),
        # Big5's trail bytes are 0x40-0x7E and 0xA1-0xFE.
        "Big5": double_byte("big5", range(0x81, 0xFF),
                            list(range(0x40, 0x7F)) + list(high)),
        "JIS X 0208": double_byte("euc_jp", high, high),
        "KS X 1001": double_byte("euc_kr", high, high),
    }


def in_blocks(cp):
    return any(first <= cp <= last for first, last in BLOCKS)


def wanted_characters():
    """The code points the subset should map."""
    wanted = set()
    for first, last in BLOCKS:
        wanted.update(range(first, last + 1))
    for name, chars in national_sets().items():
        # Below U+2000 are Latin, Greek and Cyrillic letters and Latin-1
        # signs, which the body font has.
        extra = {cp for cp in chars if cp >= 0x2000 and not in_blocks(cp)}
        print(f"{name}: {len(chars)} characters, {len(extra)} outside the "
              f"whole blocks", file=sys.stderr)
        wanted |= extra
    return wanted


def open_face(path, family):
    """The face of family `family` (name ID 1) in a .ttc, or a single font."""
    # The source's timestamp is kept, so that a rebuild is byte-identical.
    if not path.endswith((".ttc", ".otc")):
        return TTFont(path, recalcTimestamp=False)
    for index, font in enumerate(TTCollection(path).fonts):
        if font["name"].getDebugName(1) == family:
            # Opened on its own, the face is subset without its siblings.
            return TTFont(path, fontNumber=index, recalcTimestamp=False)
    sys.exit(f"{path} has no face of the family {family!r}")


def keep_locl_only_for(font, languages):
    """Unhook `locl` from every language system not in `languages`, so that
    the subsetter neither follows its lookups nor keeps their glyphs."""
    gsub = font["GSUB"].table
    features = gsub.FeatureList.FeatureRecord
    for script in gsub.ScriptList.ScriptRecord:
        systems = [(record.LangSysTag.strip(), record.LangSys)
                   for record in script.Script.LangSysRecord]
        if script.Script.DefaultLangSys is not None:
            systems.append(("", script.Script.DefaultLangSys))
        for tag, system in systems:
            if tag in languages:
                continue
            system.FeatureIndex = [i for i in system.FeatureIndex
                                   if features[i].FeatureTag != "locl"]
            system.FeatureCount = len(system.FeatureIndex)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", help="NotoSansCJK-Regular.ttc (or one face's .otf)")
    parser.add_argument("--family", default="Noto Sans CJK SC",
                        help="the face to take from a collection")
    parser.add_argument("-o", "--output", required=True, help="the .otf to write")
    parser.add_argument("--locl", default="JAN,KOR",
                        help="comma-separated OpenType language systems whose "
                             "locl forms to keep, out of "
                             f"{','.join(LOCL_LANGUAGES)}; 'none' for none "
                             "(default: JAN,KOR)")
    args = parser.parse_args()

    languages = set() if args.locl == "none" else set(args.locl.split(","))
    if not languages <= set(LOCL_LANGUAGES):
        parser.error(f"--locl: not among {','.join(LOCL_LANGUAGES)}: "
                     f"{','.join(sorted(languages - set(LOCL_LANGUAGES)))}")

    font = open_face(args.source, args.family)
    # Map only what the face has: a code point it lacks would add nothing.
    unicodes = wanted_characters() & set(font.getBestCmap())
    keep_locl_only_for(font, languages)

    options = subset.Options()
    options.layout_features = FEATURES + (["locl"] if languages else [])
    options.drop_tables += VERTICAL_TABLES
    options.name_IDs = ["*"]          # keep the whole name table:
    options.name_languages = ["*"]    # the family name must not change
    options.name_legacy = True
    options.notdef_outline = True     # glyph 0 stays the usual empty box

    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=unicodes)
    subsetter.subset(font)
    font.save(args.output)
    print(f"{args.output}: {len(unicodes)} characters, "
          f"{font['maxp'].numGlyphs} glyphs", file=sys.stderr)


if __name__ == "__main__":
    main()
