#!/usr/bin/env bash
# Benchmarks `brief render` as whole processes against the Typst compiler
# (the `typst` package from PyPI) compiling the same generated .typ source.
# Run from the repository root:  bench/run.sh   (see bench/README.md)
set -euo pipefail

# shellcheck source=bench/common.sh
. "$(dirname "$0")/common.sh"
BRIEF=${BRIEF:-$(target_dir)/release/brief}
PYTHON=${PYTHON:-python3}
TYPST_PY_SPEC=${TYPST_PY_SPEC:-typst==0.15.*}
BRIEF_FILE=${BRIEF_FILE:-briefs/afpak-opposition.yaml}
TEMPLATES=${TEMPLATES:-templates}
WARMUP=${WARMUP:-3}
# Batches of each size (copies of the example briefs); memory should not
# grow with the size, so two sizes are compared.
BATCH_SIZES=${BATCH_SIZES:-200 800}
BATCH_RUNS=${BATCH_RUNS:-3}
# Saves timed by bench/watch_latency.py, each way of saving.
SAVES=${SAVES:-10}
# KEEP=1 keeps the generated files in the temporary folder.
# Extra hyperfine options for the single-brief groups, e.g. RUNS_OPTS="--runs 50".
RUNS_OPTS=${RUNS_OPTS:-}

die() { echo "bench: $*" >&2; exit 1; }
log() { echo "== $*" >&2; }

[[ -d briefs && -f "$BRIEF_FILE" ]] || die "run me from the repository root (no $BRIEF_FILE here)"
[[ -x "$BRIEF" ]] || die "no executable brief at $BRIEF (build it, or set BRIEF=...)"
[[ -f "$TEMPLATES/brief-style.typ" ]] || die "no $TEMPLATES/brief-style.typ"
BRIEF=$(realpath "$BRIEF")

# --- prerequisites -----------------------------------------------------------
apt_install() {
  apt-get install -y "$@" >/dev/null 2>&1 ||
    { apt-get update >/dev/null 2>&1 && apt-get install -y "$@" >/dev/null; }
}
command -v hyperfine >/dev/null || { log "installing hyperfine"; apt_install hyperfine; }
[[ -x /usr/bin/time ]] || { log "installing time"; apt_install time; }
command -v "$PYTHON" >/dev/null || die "no $PYTHON"
if ! "$PYTHON" -c 'import typst' 2>/dev/null; then
  log "installing $TYPST_PY_SPEC from PyPI"
  "$PYTHON" -m pip install --quiet "$TYPST_PY_SPEC"
fi
# The interpreter itself, not a wrapper (a pyenv shim adds ~100 ms per start).
PYTHON=$("$PYTHON" -c 'import sys; print(sys.executable)')

TMP=$(mktemp -d "${TMPDIR:-/tmp}/brief-bench.XXXXXX")
log "working in $TMP"
ID=$(basename "$BRIEF_FILE" .yaml)

# Freeze the templates for the whole run: brief uses ./templates when it
# exists, and the reference compile must see the very same brief-style.typ.
cp -r "$TEMPLATES" "$TMP/templates"
TPL=(--templates "$TMP/templates")

# --- inputs ------------------------------------------------------------------
# The Typst source brief compiles for the PDF; brief writes the modules it
# imports (the style module and the theme) beside it.
"$BRIEF" render "$BRIEF_FILE" -f typ -o "$TMP/typ" "${TPL[@]}" >/dev/null
[[ -f "$TMP/typ/$ID.typ" && -f "$TMP/typ/theme.typ" ]] || die "brief wrote no $TMP/typ/$ID.typ and theme.typ"

# Batches of copies of the example briefs, each with a unique file name and
# id (an `id:` line is rewritten; without one the id comes from the file name).
# Briefs only: an edition names its items by file.
mapfile -t SOURCES < <(grep -L '^edition:' briefs/*.yaml | sort)
# copies DIR N: N briefs cycling through the examples, each with its own
# id, title and first words in the bottom line, so that no two lay out
# alike (a title is in every page's metadata: copies that kept theirs
# would share most of their layout in the compiler's memoization, which
# real briefs do not).
copies() {
  mkdir -p "$1"
  for ((i = 0; i < $2; i++)); do
    local src=${SOURCES[i % ${#SOURCES[@]}]}
    local name
    name=$(basename "$src" .yaml)-$(printf '%04d' "$i")
    sed -e "s/^id:.*/id: $name/" -e "s/^title: .*/&, copy $i/" \
      -e "/^summary: |/{n;s/^\( *\)/\1Copy $i. /}" "$src" >"$1/$name.yaml"
  done
}
for size in $BATCH_SIZES; do copies "$TMP/batch-$size" "$size"; done

# An edition of EDITION_SIZE briefs (copies of the example briefs).
# The same briefs one by one: a folder of their own.
EDITION_SIZE=${EDITION_SIZE:-100}
copies "$TMP/edition-briefs" "$EDITION_SIZE"
cp -r "$TMP/edition-briefs" "$TMP/edition"
{
  echo "edition: Benchmark edition"
  echo "date: 2025-08-14"
  echo "items:"
  for f in "$TMP"/edition-briefs/*.yaml; do echo "  - $(basename "$f")"; done
} >"$TMP/edition/edition.yaml"

# --- sanity: every command works once ------------------------------------------
"$BRIEF" render "$BRIEF_FILE" -o "$TMP/check" "${TPL[@]}" >/dev/null
for ext in md html pdf; do [[ -s "$TMP/check/$ID.$ext" ]] || die "brief wrote no $ID.$ext"; done
(cd "$TMP/typ" && "$PYTHON" -c "import typst; typst.compile('$ID.typ', output='$ID.pdf')") ||
  die "typst-py cannot compile $TMP/typ/$ID.typ"

# --- timings -----------------------------------------------------------------
HF=(hyperfine -N --style basic)

log "brief, one brief ($BRIEF_FILE)"
# shellcheck disable=SC2086
"${HF[@]}" --warmup "$WARMUP" $RUNS_OPTS \
  --export-json "$TMP/brief.json" --export-markdown "$TMP/brief.md" \
  -n "brief render (md,html,pdf)" "$BRIEF render $BRIEF_FILE -o $TMP/out ${TPL[*]}" \
  -n "brief render -f pdf" "$BRIEF render $BRIEF_FILE -f pdf -o $TMP/out-pdf ${TPL[*]}" \
  -n "brief render -f md,html" "$BRIEF render $BRIEF_FILE -f md,html -o $TMP/out-mdhtml ${TPL[*]}" \
  -n "brief render -f typ" "$BRIEF render $BRIEF_FILE -f typ -o $TMP/out-typ ${TPL[*]}"

log "reference: typst-py compiling $ID.typ (in $TMP/typ)"
(
  cd "$TMP/typ"
  # shellcheck disable=SC2086
  "${HF[@]}" --warmup "$WARMUP" $RUNS_OPTS \
    --export-json "$TMP/typst.json" --export-markdown "$TMP/typst.md" \
    -n "python3 -c pass" "$PYTHON -c pass" \
    -n "python3: import typst" "$PYTHON -c 'import typst'" \
    -n "typst-py: scan system fonts only" \
    "$PYTHON -c 'import typst; typst.Fonts(include_system_fonts=True, include_embedded_fonts=False)'" \
    -n "typst-py compile (system fonts)" \
    "$PYTHON -c 'import typst; typst.compile(\"$ID.typ\", output=\"ref.pdf\")'" \
    -n "typst-py compile (ignore_system_fonts)" \
    "$PYTHON -c 'import typst; typst.compile(\"$ID.typ\", output=\"ref.pdf\", ignore_system_fonts=True)'"
)

for size in $BATCH_SIZES; do
  log "batch of $size briefs"
  "${HF[@]}" --runs "$BATCH_RUNS" --warmup 1 \
    --export-json "$TMP/batch-$size.json" --export-markdown "$TMP/batch-$size.md" \
    -n "brief render batch of $size (md,html,pdf)" \
    "$BRIEF render $TMP/batch-$size -o $TMP/batch-$size-out ${TPL[*]}"
  n_out=$(find "$TMP/batch-$size-out" -type f | wc -l)
  [[ $n_out -eq $((size * 3)) ]] || die "batch wrote $n_out files, expected $((size * 3))"
done
log "edition of $EDITION_SIZE briefs, and the same briefs one by one"
"${HF[@]}" --runs "$BATCH_RUNS" --warmup 1 \
  --export-json "$TMP/edition.json" --export-markdown "$TMP/edition.md" \
  -n "brief render edition of $EDITION_SIZE (md,html,pdf)" \
  "$BRIEF render $TMP/edition/edition.yaml -o $TMP/edition-out ${TPL[*]}" \
  -n "brief render its $EDITION_SIZE briefs one by one (md,html,pdf)" \
  "$BRIEF render $TMP/edition-briefs -o $TMP/edition-briefs-out ${TPL[*]}"

log "watch: save to new PDF ($SAVES saves each way)"
WATCH_ROWS=$("$PYTHON" bench/watch_latency.py "$BRIEF" "$BRIEF_FILE" "$TMP/watch" "$SAVES")

# --- peak memory ---------------------------------------------------------------
peak_rss() { # prints the peak RSS in KiB of the command given
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}
log "peak memory"
declare -A RSS_BATCH
for size in $BATCH_SIZES; do
  RSS_BATCH[$size]=$(peak_rss "$BRIEF" render "$TMP/batch-$size" -o "$TMP/batch-$size-out-mem" "${TPL[@]}")
done
RSS_ONE=$(peak_rss "$BRIEF" render "$BRIEF_FILE" -o "$TMP/out-mem" "${TPL[@]}")
RSS_EDITION=$(peak_rss "$BRIEF" render "$TMP/edition/edition.yaml" -o "$TMP/edition-out-mem" "${TPL[@]}")
RSS_EDITION_BRIEFS=$(peak_rss "$BRIEF" render "$TMP/edition-briefs" -o "$TMP/edition-briefs-out-mem" "${TPL[@]}")
RSS_TYPST=$(cd "$TMP/typ" && peak_rss "$PYTHON" -c "import typst; typst.compile('$ID.typ', output='ref.pdf')")

# --- instruction counts --------------------------------------------------------
# Wall-clock times on a shared 2-core machine move by 20-40% between runs;
# the number of instructions executed does not. COUNT=0 skips this.
INSTR=()
if [[ ${COUNT:-1} == 1 ]]; then
  command -v valgrind >/dev/null || { log "installing valgrind"; apt_install valgrind; }
  instructions() { # prints the instructions executed by the command given
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null |
      awk '/Collected :/ {print $NF}'
  }
  log "instruction counts (valgrind)"
  I_ALL=$(instructions "$BRIEF" render "$BRIEF_FILE" -o "$TMP/out-i" "${TPL[@]}")
  I_PDF=$(instructions "$BRIEF" render "$BRIEF_FILE" -f pdf -o "$TMP/out-i" "${TPL[@]}")
  I_IMPORT=$(cd "$TMP/typ" && instructions "$PYTHON" -c 'import typst')
  I_TYPST=$(cd "$TMP/typ" && instructions "$PYTHON" -c "import typst; typst.compile('$ID.typ', output='ref.pdf', ignore_system_fonts=True)")
  INSTR=("$I_ALL" "$I_PDF" "$I_IMPORT" "$I_TYPST")
fi

# --- report ------------------------------------------------------------------
TYPST_PY_VERSION=$("$PYTHON" -c 'import importlib.metadata as m; print(m.version("typst"))')
TYPST_CRATE=$(awk '/^name = "typst"$/ {getline; gsub(/[^0-9.]/, ""); print; exit}' Cargo.lock 2>/dev/null || true)

echo
echo "## Results ($(nproc) cores, $(date -u +%Y-%m-%dT%H:%MZ))"
echo
RSS_LINES=""
for size in $BATCH_SIZES; do RSS_LINES+="batch-$size ${RSS_BATCH[$size]}"$'\n'; done
RSS_LINES+="one $RSS_ONE"$'\n'"edition $RSS_EDITION"$'\n'"edition-briefs $RSS_EDITION_BRIEFS"$'\n'"typst $RSS_TYPST"
export RSS_LINES WATCH_ROWS EDITION_SIZE
"$PYTHON" - "$TMP"/brief.json "$TMP"/typst.json "$TMP"/batch-*.json "$TMP"/edition.json <<'EOF'
import json, math, os, re, sys
rows = {}
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        rows[r["command"]] = r
ms = lambda s: f"{s * 1000:.1f}"
print("| command | mean ± σ [ms] | min [ms] | max [ms] | runs |")
print("|:---|---:|---:|---:|---:|")
for name, r in rows.items():
    print(f"| {name} | {ms(r['mean'])} ± {ms(r['stddev'] or 0)} | {ms(r['min'])} | {ms(r['max'])} | {len(r['times'])} |")
def net(a, b, label):
    if a in rows and b in rows:
        ra, rb = rows[a], rows[b]
        sd = math.hypot(ra["stddev"] or 0, rb["stddev"] or 0)
        print(f"| {label} | {ms(ra['mean'] - rb['mean'])} ± {ms(sd)} | | | (difference of means) |")
        return ra["mean"] - rb["mean"]
compile_net = net("typst-py compile (ignore_system_fonts)", "python3: import typst", "= typst compile w/o system fonts, net of `import typst`")
net("typst-py compile (system fonts)", "python3: import typst", "= typst compile, net of `import typst`")
net("typst-py: scan system fonts only", "python3: import typst", "= system font scan, net of `import typst`")
print("| median save-to-PDF [ms] of `brief watch` | median | min | max |")
print(os.environ["WATCH_ROWS"])

rss = dict(line.split() for line in os.environ["RSS_LINES"].splitlines() if line.strip())
mib = lambda k: int(rss[k]) / 1024
print()
print("| peak RSS (/usr/bin/time -v) | MiB |")
print("|:---|---:|")
for key, value in rss.items():
    print(f"| {key} | {mib(key):.0f} |")

# The targets of the speed work, each as measured in this run.
targets = []
batches = {}
for name, r in rows.items():
    m = re.match(r"brief render batch of (\d+)", name)
    if m:
        batches[int(m.group(1))] = r
for n, r in sorted(batches.items()):
    rate = n / r["mean"]
    targets.append((f"batch of {n}: briefs a second (md,html,pdf)", f"{rate:.0f}", ">= 150", rate >= 150))
if len(batches) >= 2:
    small, large = min(batches), max(batches)
    ratio = mib(f"batch-{large}") / mib(f"batch-{small}")
    targets.append((f"peak memory, batch of {large} / batch of {small}", f"{ratio:.2f}", "<= 1.25", ratio <= 1.25))
single = rows.get("brief render (md,html,pdf)")
if single and compile_net:
    ratio = single["mean"] / compile_net
    targets.append(("one brief md+html+pdf / the typst compile of its PDF alone", f"{ratio:.2f}", "<= 0.6", ratio <= 0.6))
size = os.environ["EDITION_SIZE"]
edition = rows.get(f"brief render edition of {size} (md,html,pdf)")
apart = rows.get(f"brief render its {size} briefs one by one (md,html,pdf)")
if edition and apart:
    ratio = edition["mean"] / apart["mean"]
    targets.append((f"edition of {size} / its briefs one by one (time)", f"{ratio:.2f}", "<= 1.5", ratio <= 1.5))
targets.append((f"edition of {size}: peak memory (MiB)", f"{mib('edition'):.0f}", "<= 400", mib("edition") <= 400))
watch = [float(line.split("|")[2]) for line in os.environ["WATCH_ROWS"].splitlines() if line.startswith("|")]
if watch and single:
    worst = max(watch)
    targets.append(("watch: median save-to-PDF (ms), worst way of saving", f"{worst:.0f}", f"< cold render ({single['mean'] * 1000:.0f}); aim < 50", worst < single["mean"] * 1000))
print()
print("| target | measured | wanted | met |")
print("|:---|---:|:---|:---|")
for what, value, wanted, met in targets:
    print(f"| {what} | {value} | {wanted} | {'yes' if met else 'no'} |")
EOF
if [[ ${#INSTR[@]} -eq 4 ]]; then
  m() { awk -v n="$1" 'BEGIN { printf "%.0f", n / 1e6 }'; }
  echo
  echo "| instructions (valgrind) | millions |"
  echo "|:---|---:|"
  echo "| brief render (md,html,pdf) | $(m "${INSTR[0]}") |"
  echo "| brief render -f pdf | $(m "${INSTR[1]}") |"
  echo "| typst-py compile (ignore_system_fonts), net of \`import typst\` | $(m $((INSTR[3] - INSTR[2]))) |"
fi
echo
echo "Versions: $("$BRIEF" --version) (typst crate ${TYPST_CRATE:-?}); typst (PyPI) $TYPST_PY_VERSION;" \
  "$(hyperfine --version); $("$PYTHON" --version 2>&1)"
echo "Per-group hyperfine exports: $TMP/{brief,typst,batch-*,edition}.{md,json}"
# Keep only the exports, unless KEEP=1.
if [[ ${KEEP:-0} != 1 ]]; then
  find "$TMP" -mindepth 1 -maxdepth 1 -type d -exec rm -rf {} +
fi
