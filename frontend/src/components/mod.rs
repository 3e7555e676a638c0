//! Widgets the pages share.

pub mod badge;
pub mod chart;
pub mod lists;
pub mod loader;
pub mod login;
pub mod record_form;
pub mod timeline;
