//! Strategies for arbitrary postmortems, shared by the property tests.
//! Prose mixes arbitrary Unicode with the fragments most likely to break a
//! Markdown document: headings, fences, table pipes, HTML, comments,
//! mentions, backslashes, entities, line endings and the document's own
//! labels and placeholders. Every other value is valid, as the model's
//! [`Parts::with_prose`] makes it, so that a rendered postmortem parses.

use postmortem_model::Postmortem;
use postmortem_model::arbitrary::{Parts, postmortem as postmortem_from};
use proptest::prelude::*;
use proptest::sample::select;

const TRICKY: &[&str] = &[
    "#",
    "# ",
    "## Incident",
    "### L3 Scope",
    "---",
    "***",
    "===",
    "|",
    "| a | b |",
    "|---|",
    "`",
    "```",
    "~~~",
    "<!--",
    "-->",
    "<b>",
    "</div>",
    "<br>",
    "@alice",
    "@acme/leadership",
    "@",
    "\\",
    "\\\\",
    "\r\n",
    "\n",
    "\r",
    "\n\n\n",
    "  ",
    "    ",
    "\t",
    "1. ",
    "2) ",
    "- ",
    "* ",
    "+ ",
    "> ",
    "=",
    "_",
    "_Not written yet._",
    "_not set_",
    "_None._",
    "_blank_",
    "_Untitled_",
    "&amp;",
    "&#8203;",
    "&nbsp;",
    "&",
    ";",
    "**",
    "- **Owner:** x",
    "- **Checked by:** workflow a.yml on main",
    "**Was a story missing, cut or slipped?** Yes.",
    "[x]: http://e",
    "[^1]: n",
    "$$",
    " on ",
    ":",
    ": ",
    " #",
    "\"",
    "'",
    "[",
    "]",
    ",",
    "{",
    "~",
    "null",
    "yes",
    "1e3",
    "\u{200B}",
    "\u{a0}",
    "\u{2028}",
    "\u{feff}",
    "é",
    "中文",
    "🦀",
    "\u{0}",
    "\u{7f}",
    "\u{85}",
];

/// Arbitrary text, most of it hostile to Markdown.
pub fn prose() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![
            4 => select(TRICKY).prop_map(str::to_owned),
            2 => "[a-zA-Z0-9 .]{0,12}",
            1 => any::<String>(),
        ],
        0..10,
    )
    .prop_map(|parts| parts.concat())
}

/// An arbitrary postmortem with hostile prose in every text and name.
pub fn postmortem() -> impl Strategy<Value = Postmortem> {
    postmortem_from(&Parts::with_prose(prose()))
}
