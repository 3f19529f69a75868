//! Reading inputs and writing outputs without ever losing a person's work:
//! new files are never overwritten, and replaced files are written to a
//! temporary file beside them and renamed into place, so a crash leaves
//! either the old file or the new one, never half of one.

use std::fs;
use std::io::{Read, Write};
use std::path::Path;

use crate::Failure;

/// A text input and the name to report it by.
pub(crate) struct Input {
    /// The file's path, or `<stdin>`.
    pub name: String,
    /// Its contents.
    pub text: String,
}

impl Input {
    /// Reads `path`, or standard input for `-`.
    pub fn load(path: &str) -> Result<Input, Failure> {
        if path == "-" {
            let mut bytes = Vec::new();
            std::io::stdin()
                .read_to_end(&mut bytes)
                .map_err(|e| Failure(format!("<stdin>: could not be read: {e}")))?;
            return Self::decode("<stdin>".to_owned(), bytes);
        }
        let bytes =
            fs::read(path).map_err(|e| Failure(format!("{path}: could not be read: {e}")))?;
        Self::decode(path.to_owned(), bytes)
    }

    fn decode(name: String, bytes: Vec<u8>) -> Result<Input, Failure> {
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Input {
                text: text
                    .strip_prefix('\u{feff}')
                    .map(str::to_owned)
                    .unwrap_or(text),
                name,
            }),
            Err(e) => {
                let good = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = good.iter().filter(|b| **b == b'\n').count() + 1;
                Err(Failure(format!(
                    "{name}: line {line}: the file is not UTF-8 text; save it as UTF-8"
                )))
            }
        }
    }
}

/// Creates `path` with `text`; refuses if it exists.
pub(crate) fn write_new(path: &Path, text: &str) -> Result<(), Failure> {
    let mut file = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Failure(format!(
                    "{} already exists; choose another --output or remove it first",
                    path.display()
                ))
            } else {
                Failure(format!("{}: could not be created: {e}", path.display()))
            }
        })?;
    file.write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
        .map_err(|e| Failure(format!("{}: could not be written: {e}", path.display())))
}

/// Replaces `path` with `text` atomically.
pub(crate) fn write_replacing(path: &Path, text: &str) -> Result<(), Failure> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "postmortem".to_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = fs::File::create(&tmp)
        .and_then(|mut f| {
            f.write_all(text.as_bytes())?;
            f.sync_all()
        })
        .and_then(|()| fs::rename(&tmp, path));
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(Failure(format!(
            "{}: could not be written: {e}",
            path.display()
        )));
    }
    Ok(())
}
