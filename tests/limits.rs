//! Resource limits on hostile input: a YAML alias bomb, deep nesting and a
//! 50 MB file are refused within the specification's bounds (a second, 100
//! MB). These tests live in their own test binary, run one at a time, so
//! that the peak memory the kernel reports for `brief` (which inherits the
//! parent's high-water mark across exec) is not inflated by other tests.

// Shared with the main test binary; this one uses only part of it.
#[allow(dead_code)]
#[path = "cli/support.rs"]
mod support;

use std::fs;
use std::io::Write;
use std::process::Command;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use support::*;

/// One measured child at a time.
static SERIAL: Mutex<()> = Mutex::new(());

/// Runs `brief check` on a file and returns its stderr, the time it took and
/// its peak memory, from the kernel's accounting of the child.
fn check_measured(ws: &Workspace, rel: &str) -> (String, i32, Duration, u64) {
    use std::os::unix::process::ExitStatusExt;
    let _serial = SERIAL.lock().unwrap_or_else(|e| e.into_inner());
    let stderr_path = ws.join("stderr.txt");
    let started = Instant::now();
    // Reaped with wait4 below, which also reports the child's resource use.
    #[allow(clippy::zombie_processes)]
    let child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["check", "--color", "never", rel])
        .current_dir(ws.path())
        .stderr(fs::File::create(&stderr_path).unwrap())
        .spawn()
        .unwrap();
    let mut status = 0;
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: waits for our own child; `usage` is a valid out-pointer.
    let pid = unsafe { libc::wait4(child.id() as libc::pid_t, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as libc::pid_t);
    let elapsed = started.elapsed();
    let code = std::process::ExitStatus::from_raw(status)
        .code()
        .unwrap_or(-1);
    // ru_maxrss is in KiB on Linux.
    (
        fs::read_to_string(stderr_path).unwrap(),
        code,
        elapsed,
        usage.ru_maxrss as u64 * 1024,
    )
}

// The bounds below are the specification's (rejected in under a second and
// under 100 MB), far above what the checks take; they catch a hang or a
// blow-up, not a slowdown.
#[test]
fn alias_bomb_is_refused_quickly_and_small() {
    let ws = Workspace::fixture("basic");
    let mut lines =
        vec![r#"a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]"#.to_string()];
    for i in 1..10u8 {
        let (name, prev) = ((b'a' + i) as char, (b'a' + i - 1) as char);
        lines.push(format!(
            "{name}: &{name} [{}]",
            vec![format!("*{prev}"); 9].join(",")
        ));
    }
    ws.write("bomb.yaml", &(lines.join("\n") + "\n"));
    let (stderr, code, elapsed, rss) = check_measured(&ws, "bomb.yaml");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.starts_with("error: the document expands to too many values"),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert!(rss < 100 * 1024 * 1024, "used {rss} bytes");
}

#[test]
fn ten_thousand_levels_of_nesting_are_refused() {
    let ws = Workspace::fixture("basic");
    ws.write(
        "deep.yaml",
        &format!(
            "title: x\ndevelopments: {}{}\n",
            "[".repeat(10_000),
            "]".repeat(10_000)
        ),
    );
    let (stderr, code, elapsed, _) = check_measured(&ws, "deep.yaml");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: the document is nested too deeply\n --> deep.yaml:2:"),
        "{stderr}"
    );
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");

    let mut block = String::from("title: x\n");
    for depth in 0..2_000 {
        block.push_str(&" ".repeat(depth));
        block.push_str("a:\n");
    }
    ws.write("deep-block.yaml", &block);
    let (stderr, code, _, _) = check_measured(&ws, "deep-block.yaml");
    assert_eq!(code, 1);
    assert!(
        stderr.starts_with("error: the document is nested too deeply"),
        "{stderr}"
    );
}

#[test]
fn a_fifty_megabyte_file_is_refused() {
    let ws = Workspace::fixture("basic");
    // Written line by line: a 50 MB string here would inflate the peak
    // memory the kernel reports for the child.
    let mut file = std::io::BufWriter::new(fs::File::create(ws.join("big.yaml")).unwrap());
    file.write_all(b"title: big\nsummary: |\n").unwrap();
    let line = format!("  {}\n", "x".repeat(98));
    for _ in 0..500_000 {
        file.write_all(line.as_bytes()).unwrap();
    }
    file.flush().unwrap();
    drop(file);
    let (stderr, code, elapsed, rss) = check_measured(&ws, "big.yaml");
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: file is too large to be a brief (48.2 MiB)\n --> big.yaml:1:1\n  |\n1 | title: big\n  | ^\n  |\n  = help: a brief may be at most 4.0 MiB\n\nchecked 1 file: 1 error\n"
    );
    assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    assert!(rss < 100 * 1024 * 1024, "used {rss} bytes");
}
