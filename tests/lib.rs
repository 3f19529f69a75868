//! Cross-crate and end-to-end tests live beside this file; the library is
//! empty and exists so the package has a home for them.
