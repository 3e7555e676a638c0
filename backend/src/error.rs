//! The one error type of the service layer and how it reaches GraphQL clients.

use async_graphql::ErrorExtensions;
use sea_orm::DbErr;
use shared::ErrorCode;

/// An error of the service layer.
///
/// It deliberately does not implement `Display`, so that async-graphql's blanket conversion
/// from displayable errors cannot leak a database message: the only way to a client is
/// `From<AppError> for async_graphql::Error` below, which masks internal causes.
#[derive(Debug)]
pub enum AppError {
    /// The client sent an argument that is malformed or out of range.
    BadInput { code: ErrorCode, message: String },
    /// No record of this kind has this ID.
    NotFound { kind: &'static str, id: String },
    /// The database failed; logged in full, reported to clients as `INTERNAL`.
    Database(DbErr),
}

impl AppError {
    /// A bad-input error with a specific code.
    pub fn bad_input(code: ErrorCode, message: impl Into<String>) -> Self {
        Self::BadInput { code, message: message.into() }
    }

    /// An internal failure that is not a database error; logged, reported as `INTERNAL`.
    pub fn internal(message: impl Into<String>) -> Self {
        Self::Database(DbErr::Custom(message.into()))
    }

    /// The machine-readable code of this error: a database that cannot be reached is
    /// `UNAVAILABLE` (the client may retry), any other database failure `INTERNAL`.
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::BadInput { code, .. } => *code,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::Database(error) if is_unavailable(error) => ErrorCode::Unavailable,
            Self::Database(_) => ErrorCode::Internal,
        }
    }
}

/// Whether a database error means the database cannot be reached now (the client may retry):
/// no connection could be had, the connection broke, or the server is shutting down,
/// restarting or terminated the connection (SQLSTATE classes 08 and 57).
pub fn is_unavailable(error: &DbErr) -> bool {
    use sea_orm::{RuntimeErr, sqlx::Error};
    match error {
        DbErr::ConnectionAcquire(_) | DbErr::Conn(_) => true,
        DbErr::Exec(RuntimeErr::SqlxError(cause)) | DbErr::Query(RuntimeErr::SqlxError(cause)) => match &**cause {
            Error::Io(_) | Error::PoolTimedOut | Error::PoolClosed | Error::WorkerCrashed | Error::Protocol(_) => true,
            Error::Database(database) => {
                database.code().is_some_and(|code| code.starts_with("08") || code.starts_with("57"))
            }
            _ => false,
        },
        _ => false,
    }
}

impl From<DbErr> for AppError {
    fn from(error: DbErr) -> Self {
        Self::Database(error)
    }
}

impl From<AppError> for async_graphql::Error {
    fn from(error: AppError) -> Self {
        let code = error.code();
        let message = match error {
            AppError::BadInput { message, .. } => message,
            AppError::NotFound { kind, id } => format!("no {kind} has the ID {id}"),
            AppError::Database(cause) if code == ErrorCode::Unavailable => {
                tracing::warn!(error = %cause, "database unavailable");
                "the database cannot be reached right now; retry shortly".to_owned()
            }
            AppError::Database(cause) => {
                tracing::error!(error = %cause, "database error");
                "internal server error".to_owned()
            }
        };
        async_graphql::Error::new(message).extend_with(|_, extensions| extensions.set("code", code.as_str()))
    }
}

/// The result type of the service layer.
pub type AppResult<T> = Result<T, AppError>;

/// Converts a service result for a resolver.
pub trait IntoGraphqlResult<T> {
    fn graphql(self) -> async_graphql::Result<T>;
}

impl<T> IntoGraphqlResult<T> for AppResult<T> {
    fn graphql(self) -> async_graphql::Result<T> {
        self.map_err(Into::into)
    }
}

/// Gives an error that async-graphql raised itself (for example an input value it could not
/// parse) the generic bad-input code, so that every error a client sees carries a code.
pub fn ensure_code(mut error: async_graphql::ServerError, default: ErrorCode) -> async_graphql::ServerError {
    let has_code = error.extensions.as_ref().is_some_and(|extensions| extensions.get("code").is_some());
    if !has_code {
        error.extensions.get_or_insert_with(Default::default).set("code", default.as_str());
    }
    error
}

/// Extends an async-graphql error with a code (for errors raised in resolvers directly).
pub fn graphql_error(code: ErrorCode, message: impl Into<String>) -> async_graphql::Error {
    async_graphql::Error::new(message.into()).extend_with(|_, extensions| extensions.set("code", code.as_str()))
}
