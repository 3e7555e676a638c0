//! Accounts, sessions and API tokens.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, Order, QueryFilter, QueryOrder, Set,
    TransactionTrait,
    sea_query::{Condition, Expr},
};
use shared::{ErrorCode, Role};
use uuid::Uuid;

use crate::{
    auth::{Principal, password, secret},
    entity::{api_token, audit_entry, institution, session, user},
    error::{AppError, AppResult},
    service::{
        list::{self, CountQuery},
        pagination::{Page, PageArgs},
    },
};

/// How long a browser session lasts.
pub const SESSION_DAYS: i64 = 7;
/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "lianqiao_session";
/// The prefix of API tokens, so that leaked tokens are easy to recognise.
pub const TOKEN_PREFIX: &str = "lqt_";

/// A new account.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password: String,
    pub role: Role,
    pub institution_id: Option<Uuid>,
}

fn valid_username(username: &str) -> bool {
    (3..=64).contains(&username.len())
        && username.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '@'))
}

/// Creates an account. A liaison must name an existing institution; other roles must not.
pub async fn create_user(db: &DatabaseConnection, new: NewUser) -> AppResult<user::Model> {
    let username = new.username.trim().to_lowercase();
    if !valid_username(&username) {
        return Err(AppError::bad_input(ErrorCode::BadUserInput, "a username has 3 to 64 letters, digits or -_.@"));
    }
    password::check_strength(&new.password)?;
    match (new.role, new.institution_id) {
        (Role::Liaison, Some(id)) => {
            if institution::Entity::find_by_id(id).one(db).await?.is_none() {
                return Err(AppError::NotFound { kind: "institution", id: id.to_string() });
            }
        }
        (Role::Liaison, None) => {
            return Err(AppError::bad_input(ErrorCode::BadUserInput, "a liaison acts for one institution"));
        }
        (_, Some(_)) => {
            return Err(AppError::bad_input(ErrorCode::BadUserInput, "only liaisons belong to an institution"));
        }
        (_, None) => {}
    }
    if user::Entity::find().filter(user::Column::Username.eq(&username)).one(db).await?.is_some() {
        return Err(AppError::bad_input(ErrorCode::DuplicateUsername, format!("the username {username} is taken")));
    }
    let now = Utc::now();
    let model = user::ActiveModel {
        id: Set(Uuid::new_v4()),
        username: Set(username),
        display_name: Set(new.display_name.trim().to_owned()),
        password_hash: Set(password::hash(new.password).await?),
        role: Set(new.role.code().to_owned()),
        institution_id: Set(new.institution_id),
        disabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
    };
    Ok(model.insert(db).await?)
}

/// Sets a new password and ends every session of the account.
pub async fn reset_password(db: &DatabaseConnection, user_id: Uuid, new_password: String) -> AppResult<user::Model> {
    password::check_strength(&new_password)?;
    let found = user::Entity::find_by_id(user_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound { kind: "user", id: user_id.to_string() })?;
    let hash = password::hash(new_password).await?;
    let now = Utc::now();
    // One transaction: the new password, the end of every session and of every API token (a
    // reset is what an administrator does when an account may be compromised).
    let transaction = db.begin().await?;
    let mut model: user::ActiveModel = found.into();
    model.password_hash = Set(hash);
    model.updated_at = Set(now);
    let updated = model.update(&transaction).await?;
    session::Entity::delete_many().filter(session::Column::UserId.eq(user_id)).exec(&transaction).await?;
    api_token::Entity::update_many()
        .col_expr(api_token::Column::RevokedAt, Expr::value(now))
        .filter(api_token::Column::UserId.eq(user_id))
        .filter(api_token::Column::RevokedAt.is_null())
        .exec(&transaction)
        .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Changes one's own password: the current one must be given; the account's other sessions
/// end (the one in use stays), its API tokens stay.
pub async fn change_password(
    db: &DatabaseConnection,
    user: &user::Model,
    keep_session: &str,
    current: &str,
    new_password: String,
) -> AppResult<user::Model> {
    password::check_strength(&new_password)?;
    if !password::verify(current.to_owned(), Some(user.password_hash.clone())).await {
        return Err(AppError::bad_input(ErrorCode::InvalidCredentials, "the current password is wrong"));
    }
    let hash = password::hash(new_password).await?;
    let transaction = db.begin().await?;
    let mut model: user::ActiveModel = user.clone().into();
    model.password_hash = Set(hash);
    model.updated_at = Set(Utc::now());
    let updated = model.update(&transaction).await?;
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user.id))
        .filter(session::Column::TokenHash.ne(keep_session))
        .exec(&transaction)
        .await?;
    transaction.commit().await?;
    Ok(updated)
}

/// Checks a username and password. Unknown users and wrong passwords look the same.
pub async fn authenticate(db: &DatabaseConnection, username: &str, password: &str) -> AppResult<user::Model> {
    let username = username.trim().to_lowercase();
    let found = user::Entity::find().filter(user::Column::Username.eq(&username)).one(db).await?;
    let stored = found.as_ref().filter(|user| !user.disabled).map(|user| user.password_hash.clone());
    if password::verify(password.to_owned(), stored).await {
        found.ok_or_else(|| AppError::internal("verified a password without a user"))
    } else {
        Err(AppError::bad_input(ErrorCode::InvalidCredentials, "wrong username or password"))
    }
}

/// Starts a session; returns the cookie's secret (stored only as a digest).
pub async fn create_session(db: &DatabaseConnection, user_id: Uuid) -> AppResult<String> {
    let token = secret::generate("");
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(secret::digest(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
    }
    .insert(db)
    .await?;
    Ok(token)
}

/// Ends a session.
pub async fn delete_session(db: &DatabaseConnection, token_hash: &str) -> AppResult<()> {
    session::Entity::delete_by_id(token_hash.to_owned()).exec(db).await?;
    Ok(())
}

/// Resolves the caller from a session cookie or a bearer token. An unknown or expired cookie
/// counts as anonymous; an unknown, expired or revoked bearer token is an error.
pub async fn resolve_principal(
    db: &DatabaseConnection,
    cookie: Option<&str>,
    bearer: Option<&str>,
) -> AppResult<Principal> {
    let now = Utc::now();
    if let Some(bearer) = bearer {
        let unauthenticated =
            || AppError::bad_input(ErrorCode::Unauthenticated, "the bearer token is unknown, expired or revoked");
        let token = api_token::Entity::find()
            .filter(api_token::Column::TokenHash.eq(secret::digest(bearer)))
            .one(db)
            .await?
            .filter(|token| token.revoked_at.is_none() && token.expires_at.is_none_or(|at| at > now))
            .ok_or_else(unauthenticated)?;
        let owner = active_user(db, token.user_id).await?.ok_or_else(unauthenticated)?;
        api_token::Entity::update_many()
            .col_expr(api_token::Column::LastUsedAt, Expr::value(now))
            .filter(api_token::Column::Id.eq(token.id))
            .exec(db)
            .await?;
        return Ok(Principal::Token { user: owner, token_id: token.id });
    }
    if let Some(cookie) = cookie {
        let token_hash = secret::digest(cookie);
        let found =
            session::Entity::find_by_id(token_hash.clone()).one(db).await?.filter(|session| session.expires_at > now);
        if let Some(found) = found
            && let Some(owner) = active_user(db, found.user_id).await?
        {
            return Ok(Principal::Session { user: owner, token_hash });
        }
    }
    Ok(Principal::Anonymous)
}

async fn active_user(db: &DatabaseConnection, id: Uuid) -> AppResult<Option<user::Model>> {
    Ok(user::Entity::find_by_id(id).one(db).await?.filter(|user| !user.disabled))
}

/// Creates a read-only API token for the caller; returns it with its secret (shown once).
pub async fn create_api_token(
    db: &DatabaseConnection,
    owner: &user::Model,
    name: &str,
    expires_in_days: Option<i32>,
) -> AppResult<(api_token::Model, String)> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(AppError::bad_input(ErrorCode::BadUserInput, "a token name has 1 to 100 characters"));
    }
    let expires_at = match expires_in_days {
        Some(days) if (1..=3650).contains(&days) => Some(Utc::now() + Duration::days(i64::from(days))),
        Some(_) => return Err(AppError::bad_input(ErrorCode::BadUserInput, "a token lasts 1 to 3650 days")),
        None => None,
    };
    let secret_value = secret::generate(TOKEN_PREFIX);
    let model = api_token::ActiveModel {
        id: Set(Uuid::new_v4()),
        user_id: Set(owner.id),
        name: Set(name.to_owned()),
        token_hash: Set(secret::digest(&secret_value)),
        scopes: Set("read".to_owned()),
        created_at: Set(Utc::now()),
        expires_at: Set(expires_at),
        revoked_at: Set(None),
        last_used_at: Set(None),
    }
    .insert(db)
    .await?;
    Ok((model, secret_value))
}

/// Revokes a token. Owners revoke their own tokens; administrators any token.
pub async fn revoke_api_token(
    db: &DatabaseConnection,
    caller: &user::Model,
    token_id: Uuid,
) -> AppResult<api_token::Model> {
    let token = api_token::Entity::find_by_id(token_id)
        .one(db)
        .await?
        .ok_or_else(|| AppError::NotFound { kind: "API token", id: token_id.to_string() })?;
    if token.user_id != caller.id && Role::from_code(&caller.role) != Some(Role::Admin) {
        return Err(AppError::bad_input(ErrorCode::Forbidden, "only the owner or an administrator may revoke a token"));
    }
    let mut model: api_token::ActiveModel = token.into();
    model.revoked_at = Set(Some(Utc::now()));
    Ok(model.update(db).await?)
}

/// The API tokens of an account, newest first.
pub async fn api_tokens_of(db: &DatabaseConnection, owner: Uuid) -> AppResult<Vec<api_token::Model>> {
    Ok(api_token::Entity::find()
        .filter(api_token::Column::UserId.eq(owner))
        .order_by_desc(api_token::Column::CreatedAt)
        .all(db)
        .await?)
}

/// A page of accounts, by username.
pub async fn users(db: &DatabaseConnection, args: &PageArgs) -> AppResult<(Page<user::Model>, CountQuery)> {
    let order = vec![(Expr::col((user::Entity, user::Column::Username)), Order::Asc)];
    list::list::<user::Entity>(db, Condition::all(), order, user::Column::Id, args).await
}

/// A page of the audit log, newest first.
pub async fn audit_log(db: &DatabaseConnection, args: &PageArgs) -> AppResult<(Page<audit_entry::Model>, CountQuery)> {
    let order = vec![(Expr::col((audit_entry::Entity, audit_entry::Column::At)), Order::Desc)];
    list::list::<audit_entry::Entity>(db, Condition::all(), order, audit_entry::Column::Id, args).await
}
