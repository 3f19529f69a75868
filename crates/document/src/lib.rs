//! The postmortem document: Markdown with YAML front matter, its renderer, its parser and the catalogue of documents.
