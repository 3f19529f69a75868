//! The postmortem core in one place, for the front ends (the CLI, the
//! browser form, the GitHub Action): the [`model`], the [`timeline`]
//! importer, the Markdown [`document`] and the practice's rules in
//! [`lint`], plus [`check`], the one way every front end reads a postmortem
//! and judges it, so that a document is judged the same in a wiki, in the
//! Action and in CI. [`submission`] is the envelope a postmortem travels
//! in from the form to the Action, defined once for both.

pub use postmortem_document as document;
pub use postmortem_lint as lint;
pub use postmortem_model as model;
pub use postmortem_timeline as timeline;

pub mod check;
pub mod submission;
