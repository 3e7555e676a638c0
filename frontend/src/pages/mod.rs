//! The app's pages, one per file; `app` routes to them.

pub mod account;
pub mod chain;
pub mod chains;
pub mod dashboard;
pub mod data;
pub mod desk;
pub mod enterprise;
pub mod institution;
pub mod lab;
pub mod network;
pub mod not_found;
pub mod project;
pub mod projects;
pub mod proposals;
