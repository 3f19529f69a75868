//! The postmortem practice's rules as a linter: one rule per discipline, each with a stable code.
