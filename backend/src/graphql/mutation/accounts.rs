//! Signing in and out, accounts (administrators) and API tokens.

use async_graphql::{Context, ID, InputObject, Object, SimpleObject};
use axum::http::header::SET_COOKIE;
use cookie::{Cookie, SameSite, time::Duration as CookieDuration};
use sea_orm::DatabaseConnection;
use shared::{ErrorCode, Role};

use crate::graphql::{principal, request_meta};
use crate::{
    auth::{
        Principal,
        rate_limit::{LoginLimiter, Refusal},
    },
    error::{AppError, IntoGraphqlResult},
    graphql::objects::{ApiToken, User},
    ids::{self, NodeKind},
    service::accounts::{self, NewUser, SESSION_COOKIE, SESSION_DAYS},
};

/// Cookie settings, from the server's settings.
#[derive(Debug, Clone, Copy, Default)]
pub struct CookiePolicy {
    /// Mark cookies `Secure` (serve over HTTPS, or behind a TLS proxy).
    pub secure: bool,
}

fn session_cookie(ctx: &Context<'_>, value: String, max_age: CookieDuration) -> String {
    let policy = ctx.data_opt::<CookiePolicy>().copied().unwrap_or_default();
    Cookie::build((SESSION_COOKIE, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Strict)
        .secure(policy.secure)
        .max_age(max_age)
        .build()
        .to_string()
}

/// A new account.
#[derive(InputObject)]
pub struct CreateUserInput {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    /// Required for liaisons: the institution they act for.
    pub institution_id: Option<ID>,
}

/// A new API token; its secret is shown only here, once.
#[derive(SimpleObject)]
pub struct CreatedApiToken {
    pub token: ApiToken,
    /// Send as `Authorization: Bearer <secret>`. Not retrievable later.
    pub secret: String,
}

/// Usernames are short; a longer one is refused before any work.
const MAX_USERNAME_CHARS: usize = 100;

#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Signs in and sets an HttpOnly, SameSite=Strict session cookie. Failed attempts are
    /// limited per username and client address (code `RATE_LIMITED`).
    async fn login(&self, ctx: &Context<'_>, username: String, password: String) -> async_graphql::Result<User> {
        let db = ctx.data::<DatabaseConnection>()?;
        let limiter = ctx.data::<LoginLimiter>()?;
        if username.chars().count() > MAX_USERNAME_CHARS {
            return Err(AppError::bad_input(ErrorCode::InvalidCredentials, "wrong username or password").into());
        }
        let address = request_meta(ctx).map(|meta| meta.client_address.clone()).unwrap_or_default();
        // Counted before the password is checked, so parallel guesses are all counted.
        let attempt = limiter.begin(&username, &address).await.graphql()?.map_err(|refusal| {
            let message = match refusal {
                Refusal::TooManyFailures => "too many failed sign-ins; try again in 15 minutes",
                Refusal::Busy => "too many sign-ins at once; try again in a minute",
            };
            AppError::bad_input(ErrorCode::RateLimited, message)
        })?;
        // An attempt that fails (for any reason) stays counted.
        let user = accounts::authenticate(db, &username, &password).await.graphql()?;
        attempt.succeeded().await.graphql()?;
        let token = accounts::create_session(db, user.id).await.graphql()?;
        ctx.insert_http_header(SET_COOKIE, session_cookie(ctx, token, CookieDuration::days(SESSION_DAYS)));
        Ok(User(user))
    }

    /// Ends the current session and clears the cookie. Harmless when not signed in.
    async fn logout(&self, ctx: &Context<'_>) -> async_graphql::Result<bool> {
        if let Principal::Session { token_hash, .. } = principal(ctx) {
            accounts::delete_session(ctx.data::<DatabaseConnection>()?, token_hash).await.graphql()?;
        }
        ctx.insert_http_header(SET_COOKIE, session_cookie(ctx, String::new(), CookieDuration::ZERO));
        Ok(true)
    }

    /// Changes the signed-in user's own password (the current one is asked for, and wrong
    /// attempts count toward the sign-in limit); the account's other sessions end. Codes:
    /// `INVALID_CREDENTIALS`, `WEAK_PASSWORD`, `RATE_LIMITED`, `UNAUTHENTICATED`, `FORBIDDEN`
    /// (an API token cannot change a password).
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> async_graphql::Result<User> {
        let caller = principal(ctx);
        caller.require_session().graphql()?;
        let Principal::Session { user, token_hash } = caller else {
            return Err(AppError::internal("a session without its token").into());
        };
        // A weak new password is refused before anything counts toward the limit.
        crate::auth::password::check_strength(&new_password).graphql()?;
        let limiter = ctx.data::<LoginLimiter>()?;
        let address = request_meta(ctx).map(|meta| meta.client_address.clone()).unwrap_or_default();
        let attempt = limiter.begin(&user.username, &address).await.graphql()?.map_err(|_| {
            AppError::bad_input(ErrorCode::RateLimited, "too many failed attempts; try again in 15 minutes")
        })?;
        let db = ctx.data::<DatabaseConnection>()?;
        let updated =
            accounts::change_password(db, user, token_hash, &current_password, new_password).await.graphql()?;
        attempt.succeeded().await.graphql()?;
        Ok(User(updated))
    }

    /// Creates an account (administrators only).
    async fn create_user(&self, ctx: &Context<'_>, input: CreateUserInput) -> async_graphql::Result<User> {
        principal(ctx).require_admin().graphql()?;
        let institution_id =
            input.institution_id.map(|id| ids::decode_as(NodeKind::Institution, &id)).transpose().graphql()?;
        let new = NewUser {
            username: input.username,
            display_name: input.display_name,
            password: input.password,
            role: input.role,
            institution_id,
        };
        Ok(User(accounts::create_user(ctx.data::<DatabaseConnection>()?, new).await.graphql()?))
    }

    /// Sets a new password for an account and ends its sessions and API tokens (administrators
    /// only).
    async fn reset_password(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        new_password: String,
    ) -> async_graphql::Result<User> {
        principal(ctx).require_admin().graphql()?;
        let id = ids::decode_as(NodeKind::User, &user_id).graphql()?;
        Ok(User(accounts::reset_password(ctx.data::<DatabaseConnection>()?, id, new_password).await.graphql()?))
    }

    /// Creates a read-only API token for the signed-in user (for BI tools and scripts).
    async fn create_api_token(
        &self,
        ctx: &Context<'_>,
        name: String,
        expires_in_days: Option<i32>,
    ) -> async_graphql::Result<CreatedApiToken> {
        let owner = principal(ctx).require_session().graphql()?;
        let (token, secret) =
            accounts::create_api_token(ctx.data::<DatabaseConnection>()?, owner, &name, expires_in_days)
                .await
                .graphql()?;
        Ok(CreatedApiToken { token: ApiToken(token), secret })
    }

    /// Revokes an API token (its owner, or an administrator).
    async fn revoke_api_token(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<ApiToken> {
        let caller = principal(ctx).require_session().graphql()?;
        let token_id = ids::decode_as(NodeKind::ApiToken, &id).graphql()?;
        Ok(ApiToken(accounts::revoke_api_token(ctx.data::<DatabaseConnection>()?, caller, token_id).await.graphql()?))
    }
}
