//! Who is calling: accounts, roles, sessions, API tokens, password hashing and login rate
//! limiting. Least privilege: anonymous visitors read published data; viewers also read
//! restricted fields; liaisons propose and change the projects of their own institution;
//! editors keep every record; admins do everything (the table is `shared::permissions`).
//! API tokens are read-only whatever their owner's role.

pub mod columns;
pub mod password;
pub mod rate_limit;
pub mod secret;

use shared::{
    ErrorCode, Role,
    permissions::{self, Action, Scope},
    records::Read,
};
use uuid::Uuid;

use crate::{
    entity::user,
    error::{AppError, AppResult},
};

/// The caller of one request.
#[derive(Debug, Clone, Default)]
pub enum Principal {
    /// No credentials: reads published data only.
    #[default]
    Anonymous,
    /// A browser session (cookie); may write within the user's role.
    Session { user: user::Model, token_hash: String },
    /// A bearer API token; read-only.
    Token { user: user::Model, token_id: Uuid },
}

/// Where a request came from, for the audit log and rate limiting.
#[derive(Debug, Clone, Default)]
pub struct RequestMeta {
    pub client_address: String,
    pub request_id: String,
}

impl Principal {
    /// The account behind the credentials, if any.
    pub fn user(&self) -> Option<&user::Model> {
        match self {
            Self::Anonymous => None,
            Self::Session { user, .. } | Self::Token { user, .. } => Some(user),
        }
    }

    /// The account's role, if any.
    pub fn role(&self) -> Option<Role> {
        self.user().and_then(|user| Role::from_code(&user.role))
    }

    /// How the audit log names the caller.
    pub fn label(&self) -> String {
        match self {
            Self::Anonymous => "anonymous".to_owned(),
            Self::Session { user, .. } => format!("user:{}", user.username),
            Self::Token { user, token_id } => format!("token:{token_id} of user:{}", user.username),
        }
    }

    /// Which columns this caller may read (and so filter, order, group, sum and export by):
    /// see [`columns::check`].
    pub fn read_level(&self) -> Read {
        match self.role() {
            None => Read::Public,
            Some(role) if permissions::scope(Some(role), Action::ReadArchive) == Scope::Everything => Read::Staff,
            Some(_) => Read::SignedIn,
        }
    }

    /// A browser session whose role may take `action` (see `shared::permissions`), and how far.
    pub fn require(&self, action: Action) -> AppResult<(&user::Model, Scope)> {
        let user = self.require_session()?;
        match permissions::scope(self.role(), action) {
            Scope::Nothing => Err(AppError::bad_input(
                ErrorCode::Forbidden,
                format!("the role {} may not do this", self.role().map_or("?", Role::code)),
            )),
            scope => Ok((user, scope)),
        }
    }

    /// Any signed-in account or token: needed for restricted fields.
    pub fn require_reader(&self) -> AppResult<&user::Model> {
        self.user().ok_or_else(|| AppError::bad_input(ErrorCode::Unauthenticated, "sign in to read this field"))
    }

    /// A browser session: needed for every change. Tokens are read-only.
    pub fn require_session(&self) -> AppResult<&user::Model> {
        match self {
            Self::Session { user, .. } => Ok(user),
            Self::Token { .. } => Err(AppError::bad_input(ErrorCode::Forbidden, "API tokens are read-only")),
            Self::Anonymous => Err(AppError::bad_input(ErrorCode::Unauthenticated, "sign in first")),
        }
    }

    /// A browser session of an administrator.
    pub fn require_admin(&self) -> AppResult<&user::Model> {
        self.require(Action::ManageAccounts).map(|(user, _)| user).map_err(|error| match error.code() {
            ErrorCode::Forbidden => AppError::bad_input(ErrorCode::Forbidden, "only administrators may do this"),
            _ => error,
        })
    }
}
