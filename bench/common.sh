# Shared by the benchmark scripts.

# The release build: where cargo puts it (CARGO_TARGET_DIR, or a target-dir
# in cargo's configuration), else ./target.
target_dir() {
  cargo metadata --format-version 1 --no-deps 2>/dev/null |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])' 2>/dev/null ||
    echo "${CARGO_TARGET_DIR:-target}"
}
