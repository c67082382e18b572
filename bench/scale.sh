#!/usr/bin/env bash
# Time in proportion to size: `check` and `render` (md, html, pdf) of a
# brief of about 100 KB against one of about 1 MB, the same developments
# repeated; and `check` of 16,000 citations of an unknown source (each
# located). Run from the repository root:  bench/scale.sh
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
BRIEF=${BRIEF:-$(target_dir)/release/brief}
RUNS=${RUNS:-3}
[ -x "$BRIEF" ] || { echo "bench: build first: cargo build --release" >&2; exit 1; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A brief of N developments, each with a two-paragraph detail, a citation
# and a link: about 500 bytes each.
brief_of() {
  python3 - "$1" <<'PY'
import sys
n = int(sys.argv[1])
devs = "".join(
    f"  - date: 2025-08-13\n    title: Development {i} in the north\n    detail: |\n"
    f"      {'word ' * 40}[@s] and <https://example.org/{i}> with **bold** text.\n\n"
    f"      {'more ' * 30}\n"
    for i in range(n)
)
print("title: Scale\ndate: 2025-08-14\nsummary: Summary [@s].\nbackground: Background.\n"
      "outlook: Outlook.\ndevelopments:\n" + devs + "sources:\n  - id: s\n    name: Source")
PY
}

# The best of RUNS wall-clock times of a command, in seconds.
best() {
  local best=""
  for _ in $(seq "$RUNS"); do
    local start end t
    start=$(date +%s.%N)
    "$@" >/dev/null 2>&1 || true
    end=$(date +%s.%N)
    t=$(echo "$end - $start" | bc)
    if [ -z "$best" ] || [ "$(echo "$t < $best" | bc)" = 1 ]; then best=$t; fi
  done
  printf '%.2f' "$best"
}

brief_of 200 > "$work/b100k.yaml"
brief_of 2000 > "$work/b1m.yaml"
printf '| brief | size | check | render md,html,pdf |\n|---|---|---|---|\n'
for b in b100k b1m; do
  size=$(stat -c %s "$work/$b.yaml")
  c=$(best "$BRIEF" check "$work/$b.yaml")
  r=$(best "$BRIEF" render "$work/$b.yaml" -o "$work/out" -q)
  printf '| %s | %d KB | %s s | %s s |\n' "$b" $((size / 1000)) "$c" "$r"
done

python3 - > "$work/cites.yaml" <<'PY'
body = "\n\n".join(f"  Claim {i} [@missing]." for i in range(16000))
print("title: T\ndate: 2025-08-14\nsummary: S.\nbackground: |\n" + body +
      "\noutlook: O.\ndevelopments:\n  - date: 2025-08-13\n    title: D")
PY
printf '\n16,000 unknown citations, each located: check %s s\n' "$(best "$BRIEF" check "$work/cites.yaml")"
