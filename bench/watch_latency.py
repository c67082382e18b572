"""Save-to-PDF latency of `brief watch`, measured from outside.

Starts `brief watch BRIEF -o OUT` on a copy of a brief, waits for its first
render, then saves the copy SAVES times each way an editor does (written
in place; written to a new file renamed over it), each save changing the
first words of the bottom line (`summary`), and times from just before the save until the new PDF is in place
(the PDF is written atomically, so a new file takes the old one's name).

Usage: python3 watch_latency.py BRIEF_BINARY BRIEF_FILE WORKDIR [SAVES]
Prints one Markdown table row per way of saving: median, min, max in ms.
"""

import os
import re
import shutil
import statistics
import subprocess
import sys
import time


def wait_for_new(path, old, timeout=10.0):
    """Polls until `path` is a different file than `old` (inode, mtime)."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            st = os.stat(path)
            now = (st.st_ino, st.st_mtime_ns)
            if now != old:
                return time.perf_counter(), now
        except FileNotFoundError:
            pass
        time.sleep(0.0005)
    raise SystemExit(f"no new {path} within {timeout} s")


def identity(path):
    st = os.stat(path)
    return (st.st_ino, st.st_mtime_ns)


def main():
    binary, brief, work = sys.argv[1], sys.argv[2], sys.argv[3]
    saves = int(sys.argv[4]) if len(sys.argv) > 4 else 10
    os.makedirs(work, exist_ok=True)
    target = os.path.join(work, os.path.basename(brief))
    shutil.copy(brief, target)
    text = open(target, encoding="utf-8").read()
    ident = re.search(r"^id:\s*(\S+)", text, re.M)
    name = ident.group(1) if ident else os.path.splitext(os.path.basename(brief))[0]
    out = os.path.join(work, "out")
    pdf = os.path.join(out, name + ".pdf")
    log = open(os.path.join(work, "watch.log"), "w")
    proc = subprocess.Popen(
        [binary, "watch", target, "-o", out],
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_COLOR": "1"},
    )
    try:
        _, current = wait_for_new(pdf, None, timeout=60)
        time.sleep(0.5)
        current = identity(pdf)
        results = {"in place": [], "by rename": []}
        n = 0
        for _ in range(saves):
            for way in results:
                n += 1
                new = re.sub(
                    r"^(summary:[ \t]*[|>][-+]?[ \t]*\n([ \t]+))",
                    rf"\g<1>Update {n}. ",
                    text,
                    count=1,
                    flags=re.M,
                )
                if new == text:
                    raise SystemExit(f"{brief} has no block `summary: |` to change")
                start = time.perf_counter()
                if way == "in place":
                    with open(target, "w", encoding="utf-8") as f:
                        f.write(new)
                else:
                    tmp = os.path.join(work, f".{os.path.basename(target)}.swp")
                    with open(tmp, "w", encoding="utf-8") as f:
                        f.write(new)
                    os.replace(tmp, target)
                end, current = wait_for_new(pdf, current)
                results[way].append((end - start) * 1000)
                # Let the watcher go quiet before the next save.
                time.sleep(0.3)
                current = identity(pdf)
    finally:
        proc.terminate()
        proc.wait(timeout=10)
        log.close()
    for way, times in results.items():
        print(
            f"| watch: save {way} to new PDF ({len(times)} saves) | "
            f"{statistics.median(times):.1f} | {min(times):.1f} | {max(times):.1f} |"
        )


if __name__ == "__main__":
    main()
