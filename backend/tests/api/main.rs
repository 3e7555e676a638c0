//! Integration tests of the API: one binary, each test against a fresh database.
//! Tests under `sqlite::` and `postgres::` modules run the same body on both databases.

mod helpers;

mod accounts;
mod aggregates;
mod bi_sql;
mod cli;
mod declarations;
mod errors;
mod export;
mod filters;
mod fuzz;
mod graph;
mod hardening;
mod indexes;
mod indicators;
mod large;
mod layers;
mod observability;
mod pagination;
mod planner;
mod processes;
mod schema;
mod statements;
mod stewardship;
mod transport;
mod websocket;
mod workflow;
