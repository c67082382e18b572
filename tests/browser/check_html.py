#!/usr/bin/env python3
"""Loads HTML pages in headless Chromium the way a reader's browser would,
and reports what a reader would notice, as JSON on standard output.

    check_html.py [--screenshots DIR] PAGE.html...

For each page: the serious and critical accessibility violations axe-core
finds, whether the page fits a 390 px wide phone screen (the width of
the document, and the widest element when it is wider), and how the
heading of each bottom line looks at 1000 px (its computed font, case,
spacing and colours), so a brief's and an edition's can be compared. With
--screenshots DIR (or BRIEF_SCREENSHOTS=DIR), a picture of each page at
390 px and at 1000 px is saved there as NAME-390.png and NAME-1000.png.

axe-core is read from BRIEF_AXE_JS (tests/run installs it and sets it),
else from ~/.cache/brief/node/node_modules/axe-core/axe.min.js. Chromium
and its driver come from the system (chromium, chromium-driver); set
BRIEF_CHROMEDRIVER or BRIEF_CHROMIUM to use others.

Exits 0 when every page was checked, whatever was found (the tests judge
the JSON); 2 when the checks could not run, with the reason on standard
error.
"""

import argparse
import base64
import json
import os
import shutil
import sys
from pathlib import Path

PHONE = 390
DESKTOP = 1000

# The widest element: the deepest one reaching furthest past the viewport's
# edges, named by a short CSS-like path so a failure says where to look.
WIDEST_JS = """
const limit = arguments[0];
const docWidth = document.documentElement.scrollWidth;
let best = null;
for (const el of document.body.querySelectorAll('*')) {
  const r = el.getBoundingClientRect();
  const over = Math.max(r.right - limit, -r.left);
  if (over <= 0.5) continue;
  if (!best || over > best.over + 0.5 ||
      (Math.abs(over - best.over) <= 0.5 && best.el.contains(el))) {
    best = {el, over};
  }
}
if (!best) return null;
const name = (el) => {
  let s = el.tagName.toLowerCase();
  if (el.id) s += '#' + el.id;
  for (const c of el.classList) s += '.' + c;
  return s;
};
const path = [];
for (let el = best.el; el && el !== document.body; el = el.parentElement) {
  path.unshift(name(el));
}
const r = best.el.getBoundingClientRect();
return {
  selector: path.join(' > '),
  left: Math.round(r.left),
  right: Math.round(r.right),
  text: (best.el.textContent || '').trim().slice(0, 80),
  document_width: docWidth,
};
"""

# The look of every bottom line's heading, whatever its level.
BOTTOM_LINE_JS = """
return [...document.querySelectorAll('.bottom-line > :is(h1, h2, h3, h4, h5, h6)')]
  .map((h) => {
    const s = getComputedStyle(h);
    return {
      font_size: s.fontSize, font_weight: s.fontWeight,
      text_transform: s.textTransform, letter_spacing: s.letterSpacing,
      color: s.color, border_bottom: s.borderBottomStyle,
    };
  });
"""

AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations']})
  .then((r) => done({ok: r.violations.map((v) => ({
      id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map((n) => n.target.join(' ')),
  }))}))
  .catch((e) => done({error: String(e)}));
"""


def fail(message):
    print(f"check_html.py: {message}", file=sys.stderr)
    sys.exit(2)


def axe_source():
    path = os.environ.get("BRIEF_AXE_JS") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
        "brief/node/node_modules/axe-core/axe.min.js",
    )
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as e:
        fail(f"cannot read axe-core at {path} ({e.strerror}); tests/run installs it")


def start_browser():
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        fail("the selenium package is missing (tests/run installs it)")
    driver_path = os.environ.get("BRIEF_CHROMEDRIVER") or shutil.which("chromedriver")
    if not driver_path:
        fail("chromedriver is missing (apt-get install chromium-driver)")
    options = webdriver.ChromeOptions()
    browser = os.environ.get("BRIEF_CHROMIUM") or shutil.which("chromium")
    if browser:
        options.binary_location = browser
    for arg in [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={DESKTOP},800",
        "--lang=en-GB",
    ]:
        options.add_argument(arg)
    try:
        return webdriver.Chrome(service=Service(driver_path), options=options)
    except Exception as e:  # selenium raises many kinds; all mean "no browser"
        fail(f"cannot start headless Chromium: {e}")


def set_width(driver, width):
    # The CSS viewport exactly `width` px wide, as on a phone held upright;
    # the window's own size includes nothing the page can see.
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 844, "deviceScaleFactor": 1, "mobile": False},
    )


def screenshot(driver, path, width):
    # The whole page, in a viewport as tall as the page: capturing beyond
    # the viewport instead shifts right-to-left pages sideways.
    set_width(driver, width)
    height = driver.execute_script(
        "return Math.min(document.documentElement.scrollHeight, 30000)"
    )
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": height, "deviceScaleFactor": 1, "mobile": False},
    )
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {"format": "png"})
    path.write_bytes(base64.b64decode(shot["data"]))


def run_axe(driver, page, found):
    """Adds the serious and critical violations axe-core finds in the page
    as it is laid out now to `found`, by rule."""
    result = driver.execute_async_script(AXE_RUN_JS)
    if "error" in result:
        fail(f"axe-core failed on {page}: {result['error']}")
    for v in result["ok"]:
        if v["impact"] not in ("serious", "critical"):
            continue
        seen = found.setdefault(v["id"], {**v, "nodes": []})
        seen["nodes"] += [n for n in v["nodes"] if n not in seen["nodes"]]


def check(driver, axe, page, shots):
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    set_width(driver, DESKTOP)
    driver.get(page.resolve().as_uri())
    driver.execute_script(axe)
    # Some rules depend on the layout (a table scrolls only when the
    # screen is narrow), so axe runs at both widths.
    found = {}
    run_axe(driver, page, found)
    bottom_lines = driver.execute_script(BOTTOM_LINE_JS)

    set_width(driver, PHONE)
    run_axe(driver, page, found)
    violations = list(found.values())
    scroll_width = driver.execute_script(
        "return document.documentElement.scrollWidth"
    )
    inner = driver.execute_script("return window.innerWidth")
    if inner != PHONE:
        fail(f"the viewport is {inner} px wide, not {PHONE}")
    widest = None
    if scroll_width > PHONE:
        widest = driver.execute_script(WIDEST_JS, PHONE)

    if shots:
        stem = page.stem
        screenshot(driver, shots / f"{stem}-{PHONE}.png", PHONE)
        screenshot(driver, shots / f"{stem}-{DESKTOP}.png", DESKTOP)
    return {
        "violations": violations,
        "scroll_width": scroll_width,
        "widest": widest,
        "bottom_lines": bottom_lines,
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("pages", nargs="+", type=Path)
    parser.add_argument(
        "--screenshots",
        type=Path,
        default=os.environ.get("BRIEF_SCREENSHOTS") or None,
        help="save a 390 px and a 1000 px picture of each page here",
    )
    args = parser.parse_args()
    for page in args.pages:
        if not page.is_file():
            fail(f"no such page: {page}")
    if args.screenshots:
        args.screenshots.mkdir(parents=True, exist_ok=True)

    axe = axe_source()
    driver = start_browser()
    try:
        driver.set_script_timeout(30)
        report = {str(p): check(driver, axe, p, args.screenshots) for p in args.pages}
    finally:
        driver.quit()
    json.dump(report, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
