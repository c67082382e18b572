//! End-to-end tests: the real `brief` binary on fixture workspaces.

mod check;
mod fuzz;
mod render;
mod safety;
mod snapshots;
mod support;
