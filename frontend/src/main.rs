//! The Lianqiao web app, rendered in the browser (Leptos, client-side rendering).

mod api;
mod app;
mod chain;
mod chart;
mod dashboard;
mod desk;
mod entity;
mod i18n;
mod live;
mod network;
mod projects;
mod router;
mod session;
mod ui;

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
