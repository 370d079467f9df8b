//! Small browser helpers that the dialogs and the embed layer both use; they
//! depend on nothing else in the crate.

pub mod clipboard;
pub mod download;
