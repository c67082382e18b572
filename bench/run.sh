#!/usr/bin/env bash
# Benchmarks `brief render` as whole processes against the Typst compiler
# (the `typst` package from PyPI) compiling the same generated .typ source.
# Run from the repository root:  bench/run.sh   (see bench/README.md)
set -euo pipefail

BRIEF=${BRIEF:-${CARGO_TARGET_DIR:-target}/release/brief}
PYTHON=${PYTHON:-python3}
TYPST_PY_SPEC=${TYPST_PY_SPEC:-typst==0.15.*}
BRIEF_FILE=${BRIEF_FILE:-briefs/afpak-opposition.yaml}
TEMPLATES=${TEMPLATES:-templates}
WARMUP=${WARMUP:-3}
BATCH_SIZE=${BATCH_SIZE:-200}
BATCH_RUNS=${BATCH_RUNS:-3}
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

# A batch: BATCH_SIZE copies cycling through the example briefs, each with a
# unique file name and id (an `id:` line is rewritten; without one the id
# comes from the file name).
mkdir -p "$TMP/batch"
# Briefs only: an edition names its items by file.
mapfile -t SOURCES < <(grep -L '^edition:' briefs/*.yaml | sort)
for ((i = 0; i < BATCH_SIZE; i++)); do
  src=${SOURCES[i % ${#SOURCES[@]}]}
  name=$(basename "$src" .yaml)-$(printf '%03d' "$i")
  sed "s/^id:.*/id: $name/" "$src" >"$TMP/batch/$name.yaml"
done

# An edition of EDITION_SIZE briefs (copies of the example briefs).
EDITION_SIZE=${EDITION_SIZE:-100}
mkdir -p "$TMP/edition"
{
  echo "edition: Benchmark edition"
  echo "date: 2025-08-14"
  echo "items:"
} >"$TMP/edition/edition.yaml"
for ((i = 0; i < EDITION_SIZE; i++)); do
  src=${SOURCES[i % ${#SOURCES[@]}]}
  name=$(basename "$src" .yaml)-$(printf '%03d' "$i")
  sed "s/^id:.*/id: $name/" "$src" >"$TMP/edition/$name.yaml"
  echo "  - $name.yaml" >>"$TMP/edition/edition.yaml"
done

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

log "batch of $BATCH_SIZE briefs"
"${HF[@]}" --runs "$BATCH_RUNS" --warmup 1 \
  --export-json "$TMP/batch.json" --export-markdown "$TMP/batch.md" \
  -n "brief render batch of $BATCH_SIZE (md,html,pdf)" \
  "$BRIEF render $TMP/batch -o $TMP/batch-out ${TPL[*]}"
log "edition of $EDITION_SIZE briefs"
"${HF[@]}" --runs "$BATCH_RUNS" --warmup 1 \
  --export-json "$TMP/edition.json" --export-markdown "$TMP/edition.md" \
  -n "brief render edition of $EDITION_SIZE (md,html,pdf)" \
  "$BRIEF render $TMP/edition/edition.yaml -o $TMP/edition-out ${TPL[*]}"
n_out=$(find "$TMP/batch-out" -type f | wc -l)
[[ $n_out -eq $((BATCH_SIZE * 3)) ]] || die "batch wrote $n_out files, expected $((BATCH_SIZE * 3))"

# --- peak memory ---------------------------------------------------------------
peak_rss() { # prints the peak RSS in KiB of the command given
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F': ' '/Maximum resident set size/ {print $2}'
}
log "peak memory"
RSS_BATCH=$(peak_rss "$BRIEF" render "$TMP/batch" -o "$TMP/batch-out-mem" "${TPL[@]}")
RSS_ONE=$(peak_rss "$BRIEF" render "$BRIEF_FILE" -o "$TMP/out-mem" "${TPL[@]}")
RSS_EDITION=$(peak_rss "$BRIEF" render "$TMP/edition/edition.yaml" -o "$TMP/edition-out-mem" "${TPL[@]}")
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
"$PYTHON" - "$TMP/brief.json" "$TMP/typst.json" "$TMP/batch.json" "$TMP/edition.json" <<'EOF'
import json, math, sys
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
net("typst-py compile (system fonts)", "python3: import typst", "= typst compile, net of `import typst`")
net("typst-py compile (ignore_system_fonts)", "python3: import typst", "= typst compile w/o system fonts, net of `import typst`")
net("typst-py: scan system fonts only", "python3: import typst", "= system font scan, net of `import typst`")
batch = [r for n, r in rows.items() if n.startswith("brief render batch")]
if batch:
    n = int(batch[0]["command"].split("batch of ")[1].split()[0])
    print(f"| = batch, per brief | {ms(batch[0]['mean'] / n)} | | | |")
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
echo "Peak RSS (/usr/bin/time -v): batch of $BATCH_SIZE: $((RSS_BATCH / 1024)) MiB ($RSS_BATCH KiB);" \
  "one brief: $((RSS_ONE / 1024)) MiB; edition of $EDITION_SIZE: $((RSS_EDITION / 1024)) MiB;" \
  "typst-py compile: $((RSS_TYPST / 1024)) MiB"
echo
echo "Versions: $("$BRIEF" --version) (typst crate ${TYPST_CRATE:-?}); typst (PyPI) $TYPST_PY_VERSION;" \
  "$(hyperfine --version); $("$PYTHON" --version 2>&1)"
echo "Per-group hyperfine exports: $TMP/{brief,typst,batch,edition}.{md,json}"
# Keep only the exports, unless KEEP=1.
if [[ ${KEEP:-0} != 1 ]]; then
  rm -rf "$TMP"/batch "$TMP"/batch-out* "$TMP"/edition "$TMP"/edition-out* "$TMP"/out* "$TMP"/check "$TMP"/typ "$TMP"/templates
fi
