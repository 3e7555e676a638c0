//! The Lianqiao web app, rendered in the browser (Leptos, client-side rendering).
//!
//! `app` is the shell and the route switch; `pages/` holds one page per file (the network
//! explorer in `pages/network/`, split by concern); `components/` the widgets pages share;
//! `api`, `codes`, `download`, `format`, `i18n`, `live`, `router` and `session` the pieces under
//! them. Imports run one way: app → pages → components → the rest.

mod api;
mod app;
mod codes;
mod components;
mod download;
mod format;
mod i18n;
mod live;
mod pages;
mod router;
mod session;

fn main() {
    console_error_panic_hook_lite();
    leptos::mount::mount_to_body(app::App);
}

/// Shows panics in the browser console instead of an opaque "unreachable" trap.
fn console_error_panic_hook_lite() {
    std::panic::set_hook(Box::new(|info| {
        leptos::logging::error!("{info}");
    }));
}
