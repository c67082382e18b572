//! End-to-end tests: the real `brief` binary on fixture workspaces.

mod browser;
mod check;
mod content;
mod dom;
mod editions;
mod fuzz;
mod hostile;
mod preview;
mod publishing;
mod render;
mod review;
mod safety;
mod since;
mod snapshots;
mod stix;
mod support;
mod vocabulary;
mod watch;
mod workspace;
