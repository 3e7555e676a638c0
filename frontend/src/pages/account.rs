//! One's own account on the desk: change one's password, and the API tokens one's BI tools
//! use (create one, see its secret once, revoke it).

use leptos::{prelude::*, task::spawn_local};

use crate::{
    api::{self, change_password, create_token, my_tokens, revoke_token},
    components::loader::{self, reason},
    format::short_time,
    i18n::{Text, text, tr, use_lang},
};

#[component]
pub fn Account() -> impl IntoView {
    view! {
        <section class="account" data-testid="account">
            <h3>{tr(Text::MyAccount)}</h3>
            <PasswordForm />
            <Tokens />
        </section>
    }
}

#[component]
fn PasswordForm() -> impl IntoView {
    let lang = use_lang();
    let (current, new, again) =
        (RwSignal::new(String::new()), RwSignal::new(String::new()), RwSignal::new(String::new()));
    let outcome = RwSignal::new(None::<Result<(), String>>);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        if new.get_untracked() != again.get_untracked() {
            outcome.set(Some(Err(text(lang.get_untracked(), Text::PasswordsDiffer).to_owned())));
            return;
        }
        let variables = change_password::Variables { current: current.get_untracked(), new: new.get_untracked() };
        spawn_local(async move {
            let result = api::run::<api::ChangePassword>(variables).await;
            outcome.set(Some(result.map(|_| ()).map_err(|error| reason(lang.get_untracked(), &error))));
            if outcome.get_untracked().is_some_and(|done| done.is_ok()) {
                for field in [current, new, again] {
                    field.set(String::new());
                }
            }
        });
    };
    let field = move |label: Text, value: RwSignal<String>, name: &'static str, autocomplete: &'static str| {
        view! {
            <label>
                {tr(label)}
                <input type="password" name=name autocomplete=autocomplete required=true prop:value=value
                    on:input:target=move |event| value.set(event.target().value()) />
            </label>
        }
    };
    view! {
        <form class="change" data-testid="change-password" on:submit=submit>
            <h4>{tr(Text::ChangePassword)}</h4>
            {field(Text::CurrentPassword, current, "current", "current-password")}
            {field(Text::NewPassword, new, "new", "new-password")}
            {field(Text::RepeatPassword, again, "again", "new-password")}
            <button type="submit">{tr(Text::ChangePassword)}</button>
            {move || outcome.get().map(|result| match result {
                Ok(()) => view! { <p role="status" data-testid="password-changed">{tr(Text::PasswordChanged)}</p> }.into_any(),
                Err(message) => view! { <p class="error" role="alert">{message}</p> }.into_any(),
            })}
        </form>
    }
}

#[component]
fn Tokens() -> impl IntoView {
    let lang = use_lang();
    let refresh = RwSignal::new(0_u32);
    let tokens = loader::load(move || {
        refresh.track();
        api::run::<api::MyTokens>(my_tokens::Variables)
    });
    let name = RwSignal::new(String::new());
    // The new token's secret, shown once.
    let secret = RwSignal::new(None::<String>);
    let failure = RwSignal::new(None::<String>);
    let create = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let variables = create_token::Variables { name: name.get_untracked(), days: Some(365) };
        spawn_local(async move {
            match api::run::<api::CreateToken>(variables).await {
                Ok(data) => {
                    secret.set(Some(data.create_api_token.secret));
                    failure.set(None);
                    name.set(String::new());
                    refresh.update(|n| *n += 1);
                }
                Err(error) => failure.set(Some(reason(lang.get_untracked(), &error))),
            }
        });
    };
    let revoke = move |id: String| {
        spawn_local(async move {
            match api::run::<api::RevokeToken>(revoke_token::Variables { id }).await {
                Ok(_) => refresh.update(|n| *n += 1),
                Err(error) => failure.set(Some(reason(lang.get_untracked(), &error))),
            }
        });
    };
    view! {
        <div data-testid="tokens">
            <h4>{tr(Text::ApiTokens)}</h4>
            <p class="hint">{tr(Text::ApiTokensHint)}</p>
            {loader::loaded(tokens, move |data| {
                let live: Vec<_> = data.my_api_tokens.into_iter().filter(|token| token.revoked_at.is_none()).collect();
                if live.is_empty() {
                    return view! { <p class="hint" data-testid="no-tokens">{tr(Text::NoTokens)}</p> }.into_any();
                }
                view! {
                    <ul class="tokens">
                        {live.into_iter().map(|token| {
                            let id = token.id.clone();
                            let used = token.last_used_at.as_deref().map(short_time);
                            view! {
                                <li data-testid="token">
                                    <strong>{token.name}</strong>
                                    " · " {move || format!("{}{}", text(lang.get(), Text::CreatedOn), short_time(&token.created_at))}
                                    {used.map(|used| view! { " · " {move || format!("{}{}", text(lang.get(), Text::LastUsed), used.clone())} })}
                                    " "
                                    <button type="button" data-testid="revoke-token" on:click=move |_| revoke(id.clone())>{tr(Text::Revoke)}</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                }.into_any()
            })}
            <form class="search" on:submit=create>
                <label>
                    {tr(Text::TokenName)}
                    <input type="text" name="token-name" required=true maxlength="100" prop:value=name
                        on:input:target=move |event| name.set(event.target().value()) />
                </label>
                <button type="submit" data-testid="create-token">{tr(Text::CreateToken)}</button>
            </form>
            {move || secret.get().map(|secret| view! {
                <p class="notice" role="status">
                    {tr(Text::TokenSecretOnce)} <br />
                    <code data-testid="token-secret">{secret}</code>
                </p>
            })}
            {move || failure.get().map(|message| view! { <p class="error" role="alert">{message}</p> })}
        </div>
    }
}
