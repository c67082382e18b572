"""Drives `brief preview` in headless Chromium as an analyst would.

Usage: check_preview.py URL BRIEF

Opens URL, waits for the brief's HTML in the page's frame, then saves
BRIEF three times: a change (the frame shows it), a broken save (the page
shows the diagnostics above the last good render) and the fix (the
problems go and the frame shows the fix). Exits 0 when all hold; prints
what failed and exits 1 otherwise (2 when the browser cannot start).
"""

import importlib.util
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
spec = importlib.util.spec_from_file_location("check_html", HERE / "check_html.py")
check_html = importlib.util.module_from_spec(spec)
spec.loader.exec_module(check_html)


def wait(what, test, seconds=20):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            if test():
                return
        except Exception:  # the frame may be reloading
            pass
        time.sleep(0.1)
    print(f"check_preview.py: gave up waiting for {what}", file=sys.stderr)
    sys.exit(1)


def main():
    url, brief = sys.argv[1], Path(sys.argv[2])
    from selenium.webdriver.common.by import By

    driver = check_html.start_browser()
    try:
        driver.get(url)

        def frame_text():
            driver.switch_to.default_content()
            driver.switch_to.frame(driver.find_element(By.ID, "document"))
            text = driver.find_element(By.TAG_NAME, "body").text
            driver.switch_to.default_content()
            return text

        def problem():
            driver.switch_to.default_content()
            panel = driver.find_element(By.ID, "problem")
            return panel.text if panel.is_displayed() else ""

        original = brief.read_text(encoding="utf-8")
        wait("the first render", lambda: "Alpha summary" in frame_text())

        saved = original.replace("Alpha summary", "Alpha summary, as saved")
        brief.write_text(saved, encoding="utf-8")
        wait("the saved text", lambda: "Alpha summary, as saved" in frame_text())

        brief.write_text(saved.replace("title:", "titel:", 1), encoding="utf-8")
        wait("the problems of the broken save", lambda: "unknown field `titel`" in problem())
        if "Alpha summary, as saved" not in frame_text():
            print("check_preview.py: the last good render went away", file=sys.stderr)
            sys.exit(1)

        fixed = saved.replace("Alpha summary, as saved", "Alpha summary, fixed")
        brief.write_text(fixed, encoding="utf-8")
        wait("the fix", lambda: "Alpha summary, fixed" in frame_text() and problem() == "")
    finally:
        driver.quit()


if __name__ == "__main__":
    main()
