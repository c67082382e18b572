//! `brief preview`: served on loopback only, nothing but its four
//! addresses, and kept current in a real browser
//! (`tests/browser/check_preview.py`, with the Chromium `tests/run`
//! installs).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

use crate::support::*;

/// The status line's code of a raw HTTP request to `port`.
fn status_of(port: u16, request: &str) -> String {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("the server answers");
    stream.write_all(request.as_bytes()).unwrap();
    let mut answer = String::new();
    let _ = stream.read_to_string(&mut answer);
    answer
        .split_whitespace()
        .nth(1)
        .unwrap_or_default()
        .to_string()
}

#[test]
fn preview_serves_on_loopback_only_and_updates_in_the_browser() {
    let ws = Workspace::fixture("editions");
    let child = Command::new(env!("CARGO_BIN_EXE_brief"))
        .args(["preview", "briefs/alpha.yaml", "--port", "0"])
        .current_dir(ws.path())
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("brief runs");
    // Stopped whatever happens to the test.
    struct Stop(std::process::Child);
    impl Drop for Stop {
        fn drop(&mut self) {
            let _ = self.0.kill();
        }
    }
    let mut child = Stop(child);
    let mut first = String::new();
    BufReader::new(child.0.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    let url = first
        .trim()
        .strip_prefix("preview: ")
        .unwrap_or_else(|| panic!("no address: {first:?}"))
        .to_string();
    let port: u16 = url
        .strip_prefix("http://127.0.0.1:")
        .and_then(|rest| rest.strip_suffix('/'))
        .and_then(|p| p.parse().ok())
        .unwrap_or_else(|| panic!("not on 127.0.0.1: {url}"));

    // Bound to the loopback address, not to every interface (Linux's
    // table of listening sockets: 0100007F is 127.0.0.1).
    let table = std::fs::read_to_string("/proc/net/tcp").unwrap();
    let ours: Vec<&str> = table
        .lines()
        .filter_map(|l| l.split_whitespace().nth(1))
        .filter(|local| local.ends_with(&format!(":{port:04X}")))
        .collect();
    assert_eq!(ours, [format!("0100007F:{port:04X}")], "{table}");
    // And not on an IPv6 address either (`[::]` would be every interface).
    if let Ok(table) = std::fs::read_to_string("/proc/net/tcp6") {
        let listening: Vec<&str> = table
            .lines()
            .filter(|l| {
                let fields: Vec<&str> = l.split_whitespace().collect();
                fields
                    .get(1)
                    .is_some_and(|a| a.ends_with(&format!(":{port:04X}")))
                    && fields.get(3) == Some(&"0A")
            })
            .collect();
        assert!(listening.is_empty(), "{listening:?}");
    }

    // Only its own addresses; nothing is read from disk by path.
    for (request, status) in [
        (
            "GET /../brief.toml HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
            "404",
        ),
        (
            "GET /%2e%2e/briefs/alpha.yaml HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
            "404",
        ),
        (
            "GET /briefs/alpha.yaml HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
            "404",
        ),
        (
            "POST / HTTP/1.1\r\nHost: HOST\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
            "405",
        ),
        (
            "GET / HTTP/1.1\r\nHost: HOST\r\nConnection: close\r\n\r\n",
            "200",
        ),
        // Another site's name pointed at 127.0.0.1 gets nothing.
        (
            "GET /document.html HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n",
            "421",
        ),
    ] {
        let request = request.replace("HOST", &format!("127.0.0.1:{port}"));
        assert_eq!(status_of(port, &request), status, "{request}");
    }

    // In the browser: a save shows, a broken save shows its problems
    // above the last good render, the fix clears them.
    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/browser/check_preview.py"
    );
    let out = Command::new("python3")
        .args([script, &url, ws.join("briefs/alpha.yaml").to_str().unwrap()])
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the preview did not keep up in the browser (tests/run installs selenium and Chromium): {}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert_eq!(interrupt(&mut child.0), Some(0));
}
