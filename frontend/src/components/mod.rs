//! Widgets the pages share.

pub mod badge;
pub mod chart;
pub mod lists;
pub mod loader;
pub mod timeline;
