//! `brief watch`: renders again what a save changes, keeps the last good
//! output on a broken save, and stops cleanly on Ctrl-C.

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::support::*;

/// Waits until `done` holds, up to 20 seconds.
fn until(what: &str, mut done: impl FnMut() -> bool) {
    let start = Instant::now();
    while !done() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "gave up waiting: {what}"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The lines `watch` prints, as they come.
struct Lines {
    rx: mpsc::Receiver<String>,
    seen: Vec<String>,
}

impl Lines {
    /// Waits for a line containing `what`, and forgets the lines up to it.
    fn wait(&mut self, what: &str) {
        until(what, || {
            self.seen.extend(self.rx.try_iter());
            let found = self.seen.iter().position(|l| l.contains(what));
            if let Some(at) = found {
                self.seen.drain(..=at);
            }
            found.is_some()
        })
    }

    /// Forgets what was printed so far, once `watch` is quiet: what comes
    /// next is the next save's.
    fn forget(&mut self) {
        std::thread::sleep(Duration::from_millis(300));
        self.seen.clear();
        self.rx.try_iter().for_each(drop);
    }
}

#[test]
fn watch_renders_each_save_keeps_the_last_good_output_and_stops_on_ctrl_c() {
    let ws = Workspace::fixture("editions");
    let mut child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["watch", "briefs", "-f", "md"])
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("brief runs");
    let (tx, rx) = mpsc::channel::<String>();
    let stderr = child.stderr.take().unwrap();
    let lines = tx.clone();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            let _ = lines.send(line);
        }
    });
    let stdout = child.stdout.take().unwrap();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut lines = Lines {
        rx,
        seen: Vec::new(),
    };
    lines.wait("watching for changes");
    assert!(ws.read("output/alpha.md").contains("Alpha summary"));

    // A save in place: the brief and the edition that holds it.
    lines.forget();
    let alpha = ws.read("briefs/alpha.yaml");
    ws.write(
        "briefs/alpha.yaml",
        &alpha.replace("Alpha summary", "Alpha summary, saved"),
    );
    lines.wait("watch: 2 documents in ");
    assert!(ws.read("output/alpha.md").contains("Alpha summary, saved"));
    assert!(ws.read("output/daily.md").contains("Alpha summary, saved"));

    // A save by rename, as many editors do.
    lines.forget();
    let beta = ws.read("briefs/beta.yaml");
    ws.write(
        "briefs/.beta.yaml.tmp",
        &beta.replace("Beta summary", "Beta summary, renamed"),
    );
    std::fs::rename(
        ws.join("briefs/.beta.yaml.tmp"),
        ws.join("briefs/beta.yaml"),
    )
    .unwrap();
    lines.wait("watch: 2 documents in ");
    assert!(ws.read("output/beta.md").contains("Beta summary, renamed"));
    assert!(ws.read("output/daily.md").contains("Beta summary, renamed"));

    // A broken save is reported, and the last good outputs stay.
    lines.forget();
    ws.write("briefs/alpha.yaml", &alpha.replacen("title:", "titel:", 1));
    lines.wait("error: unknown field `titel` in a brief");
    lines.wait("watch: 2 documents in ");
    assert!(ws.read("output/alpha.md").contains("Alpha summary, saved"));

    // Ctrl-C stops it, with success.
    assert_eq!(interrupt(&mut child), Some(0));
}
