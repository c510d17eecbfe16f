//! icp-review: the rule engine, queue store, server and TUI for ICP filing first review.
pub mod agenda;
pub mod check;
pub mod cli;
pub mod config;
pub mod domain;
pub mod material;
pub mod queue;
pub mod report;
pub mod rules;
pub mod server;
pub mod tui;
