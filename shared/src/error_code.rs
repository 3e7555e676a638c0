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

impl ErrorCode {
    /// What the code means to a person, in Chinese and in English (forms and reports show it
    /// beside the server's own message).
    pub const fn explain(self) -> (&'static str, &'static str) {
        match self {
            Self::BadUserInput => ("输入有误", "The input is not valid"),
            Self::InvalidCreditCode => (
                "统一社会信用代码不正确（长度或校验位）",
                "The unified social credit code is wrong (length or check character)",
            ),
            Self::PageSizeOutOfRange => ("每页条数超出范围", "The page size is out of range"),
            Self::BadCursor => ("翻页位置无效", "The page position is not valid"),
            Self::BadId => ("编号无效", "The ID is not valid"),
            Self::NotFound => ("记录不存在", "No such record"),
            Self::BadRequest => ("请求无效", "The request is not valid"),
            Self::Unauthenticated => ("请先登录", "Sign in first"),
            Self::Forbidden => ("当前账号无权进行此操作", "This account may not do this"),
            Self::InvalidCredentials => ("用户名或密码错误", "Wrong username or password"),
            Self::RateLimited => ("尝试次数过多，请稍后再试", "Too many attempts; try again later"),
            Self::IllegalTransition => {
                ("项目当前状态不能变更为所选状态", "The project cannot move to that status from its current one")
            }
            Self::DuplicateUsername => ("用户名已被占用", "The username is taken"),
            Self::WeakPassword => ("密码长度不符合要求", "The password's length is not allowed"),
            Self::Unavailable => ("数据库暂时无法连接，请稍后重试", "The database cannot be reached; retry shortly"),
            Self::DuplicateKey => {
                ("与已有记录（或文件中另一行）重复", "Another record (or another row of the file) has the same key")
            }
            Self::UnknownReference => {
                ("引用的记录不存在或已归档", "The referenced record does not exist or is archived")
            }
            Self::MissingValue => ("必填项为空", "A required value is missing"),
            Self::InvalidValue => ("值的类型或范围不正确", "The value has the wrong type or is out of range"),
            Self::UnknownColumn => ("无法识别的列名", "A column name is not recognised"),
            Self::VersionConflict => ("记录已被他人修改，请重新加载", "Someone else changed the record; reload it"),
            Self::Archived => ("记录已归档，请先恢复", "The record is archived; restore it first"),
            Self::UnreadableFile => ("无法读取该文件", "The file cannot be read"),
            Self::UnknownEncoding => ("文件编码既不是 UTF-8 也不是 GB18030", "The file is neither UTF-8 nor GB18030"),
            Self::FileTooLarge => ("文件过大", "The file is too large"),
            Self::TooManyRows => ("文件行数过多，请拆分", "The file has too many rows; split it"),
            Self::RevertBlocked => {
                ("该导入之后记录已被修改，无法撤销", "Records changed after the import; it cannot be reverted")
            }
            Self::Internal => ("服务器内部错误", "Internal server error"),
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}
