//! Machine-readable error codes. The backend puts them in `extensions.code` of every GraphQL
//! error; the frontend matches on them.

use serde::{Deserialize, Serialize};

/// A stable error code sent to clients.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ErrorCode {
    /// An argument is malformed or out of range (generic).
    BadUserInput,
    /// A unified social credit code failed format or check-digit validation.
    InvalidCreditCode,
    /// A page size outside 1..=100 was requested.
    PageSizeOutOfRange,
    /// A pagination cursor could not be decoded.
    BadCursor,
    /// A global ID could not be decoded or names an unknown type.
    BadId,
    /// No record has the given ID.
    NotFound,
    /// The request itself is malformed (syntax, validation, limits).
    BadRequest,
    /// The operation needs a signed-in user.
    Unauthenticated,
    /// The signed-in user (or token) may not do this.
    Forbidden,
    /// Wrong username or password.
    InvalidCredentials,
    /// Too many attempts; try again later.
    RateLimited,
    /// The status change is not allowed by the project state machine.
    IllegalTransition,
    /// A username is taken.
    DuplicateUsername,
    /// A password is too short or too long.
    WeakPassword,
    /// The database cannot be reached right now; retry shortly (HTTP 503 with `Retry-After`
    /// where the whole request fails).
    Unavailable,
    /// Another record already has this natural key (credit code, institution name, external
    /// reference, …), or a file holds it twice.
    DuplicateKey,
    /// A referenced record (an enterprise, institution or chain) does not exist or is archived.
    UnknownReference,
    /// A required value is missing.
    MissingValue,
    /// A value has the wrong type or is out of range.
    InvalidValue,
    /// A header names no column of the table.
    UnknownColumn,
    /// The record changed since the version the client (or the imported row) saw.
    VersionConflict,
    /// The record is archived; restore it first.
    Archived,
    /// A file cannot be read (not a spreadsheet, damaged, unsupported content).
    UnreadableFile,
    /// A file's encoding is neither UTF-8 nor GB18030.
    UnknownEncoding,
    /// A file, once read or decompressed, is over the size limit (HTTP 413).
    FileTooLarge,
    /// A file has more rows than one import takes.
    TooManyRows,
    /// An import cannot be reverted: a later change touched its rows, or it was reverted.
    RevertBlocked,
    /// Something failed on the server; details are logged, not sent.
    Internal,
}

impl ErrorCode {
    /// The code as sent in `extensions.code`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::BadUserInput => "BAD_USER_INPUT",
            Self::InvalidCreditCode => "INVALID_CREDIT_CODE",
            Self::PageSizeOutOfRange => "PAGE_SIZE_OUT_OF_RANGE",
            Self::BadCursor => "BAD_CURSOR",
            Self::BadId => "BAD_ID",
            Self::NotFound => "NOT_FOUND",
            Self::BadRequest => "BAD_REQUEST",
            Self::Unauthenticated => "UNAUTHENTICATED",
            Self::Forbidden => "FORBIDDEN",
            Self::InvalidCredentials => "INVALID_CREDENTIALS",
            Self::RateLimited => "RATE_LIMITED",
            Self::IllegalTransition => "ILLEGAL_TRANSITION",
            Self::DuplicateUsername => "DUPLICATE_USERNAME",
            Self::WeakPassword => "WEAK_PASSWORD",
            Self::Unavailable => "UNAVAILABLE",
            Self::DuplicateKey => "DUPLICATE_KEY",
            Self::UnknownReference => "UNKNOWN_REFERENCE",
            Self::MissingValue => "MISSING_VALUE",
            Self::InvalidValue => "INVALID_VALUE",
            Self::UnknownColumn => "UNKNOWN_COLUMN",
            Self::VersionConflict => "VERSION_CONFLICT",
            Self::Archived => "ARCHIVED",
            Self::UnreadableFile => "UNREADABLE_FILE",
            Self::UnknownEncoding => "UNKNOWN_ENCODING",
            Self::FileTooLarge => "FILE_TOO_LARGE",
            Self::TooManyRows => "TOO_MANY_ROWS",
            Self::RevertBlocked => "REVERT_BLOCKED",
            Self::Internal => "INTERNAL",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}
