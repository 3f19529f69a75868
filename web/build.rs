//! Minifies the form's stylesheet (`src/style.css`, which stays commented
//! and readable) into `$OUT_DIR/style.css`, the copy compiled into the
//! module: comments and indentation would otherwise ship in every download.
//! Only what is certainly safe is removed: comments, runs of whitespace,
//! and whitespace next to `{`, `}`, `;` and `,` (the sheet has no strings in
//! which that whitespace would matter).

use std::{env, fs, path::Path};

fn main() {
    println!("cargo:rerun-if-changed=src/style.css");
    let css = fs::read_to_string("src/style.css").expect("web/src/style.css is readable");
    let out = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("style.css");
    fs::write(out, minify(&css)).expect("OUT_DIR is writable");
}

fn minify(css: &str) -> String {
    let mut without_comments = String::with_capacity(css.len());
    let mut rest = css;
    while let Some(start) = rest.find("/*") {
        without_comments.push_str(&rest[..start]);
        rest = rest[start + 2..]
            .find("*/")
            .map_or("", |end| &rest[start + 2 + end + 2..]);
        without_comments.push(' ');
    }
    without_comments.push_str(rest);
    let mut out = String::with_capacity(without_comments.len());
    for word in without_comments.split_whitespace() {
        let joins = |c: char| matches!(c, '{' | '}' | ';' | ',');
        if !out.is_empty() && !out.ends_with(joins) && !word.starts_with(joins) {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}
