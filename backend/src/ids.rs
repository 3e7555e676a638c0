//! Global object IDs: `base64url("<Type>:<uuid>")`, as Relay's `node(id:)` expects.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use shared::ErrorCode;
use uuid::Uuid;

use crate::error::{AppError, AppResult};

/// The object types that have global IDs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    IndustryChain,
    ChainSegment,
    Enterprise,
    Institution,
    Project,
    StatusChange,
    TrainingSession,
    EmploymentNeed,
    EmploymentPlacement,
    User,
    ApiToken,
    AuditEntry,
    Import,
    RecordChange,
}

impl NodeKind {
    const ALL: [NodeKind; 14] = [
        Self::IndustryChain,
        Self::ChainSegment,
        Self::Enterprise,
        Self::Institution,
        Self::Project,
        Self::StatusChange,
        Self::TrainingSession,
        Self::EmploymentNeed,
        Self::EmploymentPlacement,
        Self::User,
        Self::ApiToken,
        Self::AuditEntry,
        Self::Import,
        Self::RecordChange,
    ];

    /// The GraphQL type name.
    pub const fn type_name(self) -> &'static str {
        match self {
            Self::IndustryChain => "IndustryChain",
            Self::ChainSegment => "ChainSegment",
            Self::Enterprise => "Enterprise",
            Self::Institution => "Institution",
            Self::Project => "Project",
            Self::StatusChange => "StatusChange",
            Self::TrainingSession => "TrainingSession",
            Self::EmploymentNeed => "EmploymentNeed",
            Self::EmploymentPlacement => "EmploymentPlacement",
            Self::User => "User",
            Self::ApiToken => "ApiToken",
            Self::AuditEntry => "AuditEntry",
            Self::Import => "Import",
            Self::RecordChange => "RecordChange",
        }
    }

    /// The kind whose GraphQL type name is `name`.
    pub fn from_type_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|kind| kind.type_name() == name)
    }
}

/// Encodes a global ID.
pub fn encode(kind: NodeKind, id: Uuid) -> String {
    encode_named(kind.type_name(), id)
}

/// Encodes a global ID of the GraphQL type `type_name` (as record declarations name it).
pub fn encode_named(type_name: &str, id: Uuid) -> String {
    URL_SAFE_NO_PAD.encode(format!("{type_name}:{id}"))
}

/// Decodes any global ID into its type and UUID.
pub fn decode(global: &str) -> AppResult<(NodeKind, Uuid)> {
    let bad = || AppError::bad_input(ErrorCode::BadId, format!("{global:?} is not an ID of this API"));
    let text =
        URL_SAFE_NO_PAD.decode(global.trim()).ok().and_then(|bytes| String::from_utf8(bytes).ok()).ok_or_else(bad)?;
    let (type_name, uuid) = text.split_once(':').ok_or_else(bad)?;
    let kind = NodeKind::from_type_name(type_name).ok_or_else(bad)?;
    let uuid = Uuid::parse_str(uuid).map_err(|_| bad())?;
    Ok((kind, uuid))
}

/// Decodes a global ID that must be of one type.
pub fn decode_as(kind: NodeKind, global: &str) -> AppResult<Uuid> {
    let (found, uuid) = decode(global)?;
    if found != kind {
        return Err(AppError::bad_input(
            ErrorCode::BadId,
            format!("{global:?} is an ID of a {}, not of a {}", found.type_name(), kind.type_name()),
        ));
    }
    Ok(uuid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_and_checks_the_type() {
        let id = Uuid::from_u128(7);
        let global = encode(NodeKind::Project, id);
        assert_eq!(decode(&global).unwrap(), (NodeKind::Project, id));
        assert_eq!(decode_as(NodeKind::Enterprise, &global).unwrap_err().code(), ErrorCode::BadId);
        assert_eq!(decode("garbage").unwrap_err().code(), ErrorCode::BadId);
    }
}
