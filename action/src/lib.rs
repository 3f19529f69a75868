//! The decision core of the postmortem GitHub Action.
//!
//! Functional core, imperative shell: every decision here is a pure
//! function from the run's event, its configuration and a snapshot of the
//! repository to a [`plan::Plan`], a list of operations that a thin layer
//! applies on GitHub (or prints, with `--dry-run`). Nothing in this
//! library reads the environment, the clock, the network or the disk.
//!
//! - [`config`]: the Action's inputs, from an environment map.
//! - [`event`]: the event JSON into a typed [`event::Trigger`].
//! - [`fixissue`]: the fix issue's body and its sealed block.
//! - [`files`]: document path, runbook update, ADR back-references.
//! - [`open`]: the opener's plan (PR, commit, fix issue).
//! - [`sync`]: a merged change to a document brings its fix issue in line.
//! - [`check`]: the checker's plan (verified, late, overdue, reminders).
//! - [`evidence`]: what a CI result must be to prove a fix shipped.
//! - [`commands`]: annotations, outputs and the step summary.
//! - [`text`]: neutralising people's text for GitHub bodies.
//!
//! The shell is the `postmortem-action` binary (`src/main.rs`,
//! `src/shell/`): it reads the inputs and the event, reads GitHub into the
//! snapshots above through octocrab, runs a planner, and applies the plan
//! (or prints it with `--dry-run`).

pub mod check;
pub mod commands;
pub mod config;
pub mod event;
pub mod evidence;
pub mod files;
pub mod fixissue;
pub mod open;
pub mod plan;
pub mod sync;
pub mod text;
