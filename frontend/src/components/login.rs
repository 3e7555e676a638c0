//! Signing in: the desks show it to a visitor who is not signed in.

use leptos::{prelude::*, task::spawn_local};
use shared::error_code::ErrorCode;

use crate::{
    api,
    i18n::{Text, text, tr, use_lang},
    session::use_session,
};

/// The sign-in form.
#[component]
pub fn LoginForm() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let (username, set_username) = signal(String::new());
    let (password, set_password) = signal(String::new());
    let (failure, set_failure) = signal(None::<Text>);
    let (busy, set_busy) = signal(false);
    let on_submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        set_busy.set(true);
        spawn_local(async move {
            let result = session.login(username.get_untracked(), password.get_untracked()).await;
            set_busy.set(false);
            set_failure.set(result.err().map(|error| match error.code() {
                Some(ErrorCode::RateLimited) => Text::TooManyAttempts,
                Some(ErrorCode::InvalidCredentials | ErrorCode::Unauthenticated | ErrorCode::BadUserInput) => {
                    Text::WrongPassword
                }
                _ if matches!(error, api::Error::Network(_)) => Text::NetworkFailed,
                _ => Text::SignInFailed,
            }));
        });
    };
    view! {
        <form class="login" on:submit=on_submit data-testid="login">
            <p>{tr(Text::LoginHint)}</p>
            <label>
                {tr(Text::Username)}
                <input name="username" autocomplete="username" required on:input:target=move |event| set_username.set(event.target().value()) />
            </label>
            <label>
                {tr(Text::Password)}
                <input name="password" type="password" autocomplete="current-password" required on:input:target=move |event| set_password.set(event.target().value()) />
            </label>
            <button type="submit" disabled=busy>{tr(Text::SignIn)}</button>
            <p class="error" role="alert">{move || failure.get().map(|key| text(lang.get(), key))}</p>
        </form>
    }
}
