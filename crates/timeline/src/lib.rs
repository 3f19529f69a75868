//! Imports the on-call's during-the-incident notes into timeline entries, reporting every line it cannot read.
