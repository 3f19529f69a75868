//! `postmortem index DIR`: finds every postmortem document under a folder
//! (Markdown files whose front matter declares a `schema_version`; runbooks,
//! ADRs and other pages are left alone) and prints or writes the catalogue
//! by date, service, severity, chain level and fix status.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use postmortem::check::{Form, read};
use postmortem::document::index::{Catalogue, entry};

use crate::files::{Input, write_replacing};
use crate::{Failure, IndexFormat, display};

/// The catalogue files `--write` puts into the folder.
const INDEX_JSON: &str = "index.json";
const INDEX_MARKDOWN: &str = "index.md";

pub(crate) fn run(
    dir: &Path,
    format: IndexFormat,
    write: bool,
    out: &mut dyn Write,
) -> Result<u8, Failure> {
    if !dir.is_dir() {
        return Err(Failure(format!("{}: is not a folder", display(dir))));
    }
    let mut files = Vec::new();
    collect_markdown(dir, &mut files)?;
    files.sort();
    let mut entries = Vec::new();
    let mut unreadable = 0usize;
    for path in files {
        let input = Input::load(&path.to_string_lossy())?;
        if !is_postmortem_document(&input.text) {
            continue;
        }
        match read(Form::Document, &input.text) {
            Ok(read) => {
                let relative = path
                    .strip_prefix(dir)
                    .unwrap_or(&path)
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                entries.push(entry(&relative, &read.postmortem));
            }
            Err(e) => {
                unreadable += 1;
                eprintln!("postmortem: {}: {e}", input.name);
            }
        }
    }
    if unreadable > 0 {
        return Err(Failure(format!(
            "{unreadable} postmortem document(s) under {} could not be read; the index was not written",
            display(dir)
        )));
    }
    let catalogue = Catalogue::new(entries);
    let json = catalogue.to_json();
    let markdown = catalogue.to_markdown();
    if write {
        write_replacing(&dir.join(INDEX_JSON), &json)?;
        write_replacing(&dir.join(INDEX_MARKDOWN), &markdown)?;
    }
    match format {
        IndexFormat::Json => out.write_all(json.as_bytes())?,
        IndexFormat::Markdown => out.write_all(markdown.as_bytes())?,
    }
    Ok(0)
}

/// A postmortem document starts with front matter that declares its schema
/// version; that is how it is told apart from the runbooks beside it.
fn is_postmortem_document(text: &str) -> bool {
    let Some(rest) = text
        .strip_prefix("---\n")
        .or_else(|| text.strip_prefix("---\r\n"))
    else {
        return false;
    };
    rest.lines()
        .take_while(|l| l.trim_end() != "---")
        .any(|l| l.starts_with("schema_version:"))
}

fn collect_markdown(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Failure> {
    let entries = fs::read_dir(dir)
        .map_err(|e| Failure(format!("{}: could not be listed: {e}", display(dir))))?;
    for item in entries {
        let item =
            item.map_err(|e| Failure(format!("{}: could not be listed: {e}", display(dir))))?;
        let path = item.path();
        let name = item.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name == "node_modules" || name == "target" {
            continue;
        }
        let kind = item
            .file_type()
            .map_err(|e| Failure(format!("{}: {e}", display(&path))))?;
        if kind.is_dir() {
            collect_markdown(&path, files)?;
        } else if kind.is_file() && name.ends_with(".md") {
            files.push(path);
        }
    }
    Ok(())
}
