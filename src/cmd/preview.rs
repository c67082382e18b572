//! `brief preview`: a brief or edition in the browser, kept current.
//!
//! The document is rendered to HTML and PDF in a private folder (the
//! workspace's outputs are not touched), watched as `brief watch` does,
//! and served on 127.0.0.1 only by a small HTTP server (tiny_http). The
//! page holds the HTML in a frame, the PDF one click away, and listens for
//! server-sent events: a new render reloads the frame; a broken save shows
//! its diagnostics above the last good render. Four addresses exist and
//! nothing else: no file is served from disk, so no path can reach one.

use std::io::Write;
use std::path::Path;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Duration;

use anyhow::{Context, anyhow, bail};
use tiny_http::{Header, Method, Request, Response, Server};

use super::Status;
use super::render::Show;
use super::watch::Session;
use crate::cli::{PreviewCommand, WorkspaceArgs};
use crate::diag::{Printer, has_errors};
use crate::model::Format;
use crate::pipeline::{self, Batch};

/// How many threads answer requests (each event stream has its own too).
const SERVER_THREADS: usize = 4;
/// The rendered document's kind, marked so its answer gets the strict policy.
const DOCUMENT_HTML: &str = "text/html; charset=utf-8|document";

/// How long an event stream stays silent before a comment keeps it open.
const KEEP_ALIVE: Duration = Duration::from_secs(15);

/// The last good render and the problem since, if any.
#[derive(Default)]
struct State {
    /// Counts every change (a render or a problem).
    generation: u64,
    /// Counts good renders.
    version: u64,
    title: String,
    html: Option<Vec<u8>>,
    pdf: Option<Vec<u8>>,
    problem: Option<String>,
}

/// The state, and a signal for the event streams.
#[derive(Default)]
struct Page {
    state: Mutex<State>,
    changed: Condvar,
}

/// Runs `brief preview`.
pub(crate) fn preview(command: &PreviewCommand) -> anyhow::Result<Status> {
    if !command.path.is_file() {
        bail!("cannot read {}", command.path.display());
    }
    let folder = tempfile::tempdir().context("cannot make a folder for the preview")?;
    let args = WorkspaceArgs {
        output: Some(folder.path().to_path_buf()),
        formats: Some(vec![Format::Html, Format::Pdf]),
        templates: command.templates.clone(),
        config: command.config.clone(),
        pdf_standards: None,
    };
    let options = super::options(&args)?;
    let server = Server::http(("127.0.0.1", command.port))
        .map_err(|e| anyhow!("cannot listen on 127.0.0.1:{}: {e}", command.port))?;
    let address = server
        .server_addr()
        .to_ip()
        .context("the server has no address")?;

    let page = Arc::new(Page::default());
    // A few threads take requests in turn, so a PDF being sent to one tab
    // holds up no other request.
    let server = Arc::new(server);
    for _ in 0..SERVER_THREADS {
        let (server, served) = (server.clone(), page.clone());
        std::thread::Builder::new()
            .name("preview-server".into())
            .spawn(move || serve(&server, &served, address.port()))
            .context("cannot start the server")?;
    }
    println!("preview: http://{address}/");
    let _ = std::io::stdout().flush();

    let target = pipeline::resolved(&command.path);
    let printer = Printer::new(command.output_args.color.for_stderr());
    let session = Session {
        options,
        roots: vec![command.path.clone()],
        printer,
        show: Show {
            verbose: command.output_args.verbose,
            quiet: true,
            bar: false,
        },
        jobs: 1,
    };
    session.run(&mut |batch| update(&page, batch, &target, folder.path()))
}

/// Takes in a round of renders: the document's new outputs, or its
/// problems (the last good outputs stay).
fn update(page: &Page, batch: &Batch, target: &Path, folder: &Path) {
    let reports = batch.item_reports();
    let Some((index, (_, checked))) = batch
        .documents
        .iter()
        .enumerate()
        .find(|(_, (path, _))| pipeline::resolved(path) == target)
    else {
        return;
    };
    let problem = match checked {
        Err(err) => Some(format!("{err:#}")),
        Ok(checked) => {
            let mut text = Printer::render_plain(&checked.file, &checked.diagnostics);
            for (file, diags) in &reports[index] {
                text.push_str(&Printer::render_plain(file, diags));
            }
            // Each render's files are taken away once read, so that a render
            // that fails after its checks passed (a template or compiler
            // error) leaves nothing to be mistaken for a new one.
            let read = |format: Format| -> Option<Vec<u8>> {
                let id = checked.id.as_deref()?;
                let path = folder.join(format!("{id}.{}", format.extension()));
                let bytes = std::fs::read(&path).ok();
                let _ = std::fs::remove_file(&path);
                bytes
            };
            let outputs = (checked.is_ok() && !has_errors(&checked.diagnostics))
                .then(|| read(Format::Html).zip(read(Format::Pdf)))
                .flatten();
            let Ok(mut state) = page.state.lock() else {
                return;
            };
            match outputs {
                Some((html, pdf)) => {
                    state.html = Some(html);
                    state.pdf = Some(pdf);
                    state.title = checked.file.name();
                    state.version += 1;
                    None
                }
                None if text.trim().is_empty() => {
                    Some("the document could not be rendered; the terminal says why".to_string())
                }
                None => Some(text),
            }
        }
    };
    let Ok(mut state) = page.state.lock() else {
        return;
    };
    state.problem = problem;
    state.generation += 1;
    page.changed.notify_all();
}

/// Answers requests until the process ends.
fn serve(server: &Server, page: &Arc<Page>, port: u16) {
    let hosts = [format!("127.0.0.1:{port}"), format!("localhost:{port}")];
    for request in server.incoming_requests() {
        // A page of another site whose name was pointed at 127.0.0.1 (DNS
        // rebinding) sends its own name: it gets nothing.
        let host = request
            .headers()
            .iter()
            .find(|h| h.field.equiv("Host"))
            .map(|h| h.value.as_str().to_ascii_lowercase());
        if !host.is_some_and(|h| hosts.contains(&h)) {
            let _ = request.respond(Response::from_string("unknown host").with_status_code(421));
            continue;
        }
        let head = *request.method() == Method::Head;
        if *request.method() != Method::Get && !head {
            let _ = request.respond(Response::from_string("only GET").with_status_code(405));
            continue;
        }
        let path = request.url().split('?').next().unwrap_or("").to_string();
        match path.as_str() {
            "/" => respond(
                request,
                200,
                "text/html; charset=utf-8",
                shell().into_bytes(),
            ),
            "/document.html" => {
                let html = page.state.lock().ok().and_then(|s| s.html.clone());
                match html {
                    Some(html) => respond(request, 200, DOCUMENT_HTML, html),
                    None => respond(request, 503, "text/plain", b"not rendered yet".to_vec()),
                }
            }
            "/document.pdf" => {
                let pdf = page.state.lock().ok().and_then(|s| s.pdf.clone());
                match pdf {
                    Some(pdf) => respond(request, 200, "application/pdf", pdf),
                    None => respond(request, 503, "text/plain", b"not rendered yet".to_vec()),
                }
            }
            "/events" if head => respond(request, 200, "text/event-stream", Vec::new()),
            "/events" => {
                let page = page.clone();
                // A stream lasts as long as its page is open.
                let _ = std::thread::Builder::new()
                    .name("preview-events".into())
                    .spawn(move || events(request, &page));
            }
            _ => respond(request, 404, "text/plain", b"not found".to_vec()),
        }
    }
}

/// Sends `body` with the headers every answer carries.
fn respond(request: Request, status: u16, kind: &str, body: Vec<u8>) {
    let mut response = Response::from_data(body).with_status_code(status);
    // The rendered document runs no script and embeds its pictures; only
    // the page around it has a script, and no other site may frame either.
    let policy = if kind == DOCUMENT_HTML {
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src data:; script-src 'none'; frame-ancestors 'self'"
    } else {
        "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; connect-src 'self'; frame-src 'self'; frame-ancestors 'self'"
    };
    let kind = kind.split('|').next().unwrap_or(kind);
    for (name, value) in [
        ("Content-Type", kind),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Content-Security-Policy", policy),
    ] {
        if let Ok(header) = Header::from_bytes(name.as_bytes(), value.as_bytes()) {
            response.add_header(header);
        }
    }
    let _ = request.respond(response);
}

/// A stream of server-sent events: `update` (with the render's number)
/// after each good render, `problem` (with the diagnostics as a JSON
/// string) after a broken save.
fn events(request: Request, page: &Page) {
    let mut out = request.into_writer();
    let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n";
    if out
        .write_all(head.as_bytes())
        .and_then(|()| out.flush())
        .is_err()
    {
        return;
    }
    let mut sent = 0;
    loop {
        let message = {
            let Ok(state) = page.state.lock() else { return };
            let Ok((state, timeout)) = page
                .changed
                .wait_timeout_while(state, KEEP_ALIVE, |s| s.generation == sent)
            else {
                return;
            };
            if timeout.timed_out() {
                ":\n\n".to_string()
            } else {
                // A page opened after a broken save gets the last good
                // render first, then the problem.
                let update = format!("event: update\ndata: {}\n\n", state.version);
                let first = sent == 0;
                sent = state.generation;
                match &state.problem {
                    Some(problem) => format!(
                        "{}event: problem\ndata: {}\n\n",
                        if first && state.version > 0 {
                            update.as_str()
                        } else {
                            ""
                        },
                        serde_json::Value::from(problem.as_str())
                    ),
                    None => update,
                }
            }
        };
        if out
            .write_all(message.as_bytes())
            .and_then(|()| out.flush())
            .is_err()
        {
            return;
        }
    }
}

/// The page around the document: a bar with the PDF link, the problems
/// of a broken save, and the document in a frame.
fn shell() -> String {
    r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>brief preview</title>
<style>
  html, body { margin: 0; height: 100%; font-family: system-ui, sans-serif; }
  body { display: flex; flex-direction: column; }
  header { display: flex; gap: 1rem; align-items: center; padding: .4rem .8rem; background: #1f2933; color: #fff; font-size: .9rem; }
  header a { color: #fff; }
  #status { margin-left: auto; }
  #problem { margin: 0; padding: .8rem; background: #fde8e8; color: #611a15; border-bottom: 2px solid #c81e1e; white-space: pre-wrap; font: .85rem/1.4 ui-monospace, monospace; max-height: 40vh; overflow: auto; }
  iframe { flex: 1; border: 0; width: 100%; }
</style>
</head>
<body>
<header><strong>brief preview</strong><a href="/document.pdf" target="_blank" rel="noopener">PDF</a><span id="status" role="status">rendering…</span></header>
<pre id="problem" role="alert" hidden></pre>
<iframe id="document" title="The rendered document" src="about:blank" sandbox="allow-same-origin allow-popups"></iframe>
<script>
  const frame = document.getElementById("document");
  const problem = document.getElementById("problem");
  const status = document.getElementById("status");
  const events = new EventSource("/events");
  events.addEventListener("update", (e) => {
    frame.src = "/document.html?v=" + e.data;
    problem.hidden = true;
    problem.textContent = "";
    status.textContent = "render " + e.data;
  });
  events.addEventListener("problem", (e) => {
    problem.textContent = JSON.parse(e.data);
    problem.hidden = false;
    status.textContent = "the last save has problems";
  });
</script>
</body>
</html>
"#
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shell_names_every_address_it_uses() {
        let page = shell();
        for address in ["/document.pdf", "/document.html?v=", "/events"] {
            assert!(page.contains(address), "{address}");
        }
    }
}
