//! The mapping between the enums `graphql_client` generates from the schema and the `shared`
//! enums: the app reads and writes generated enums only through these functions, never by
//! string literals of its own.

use serde::de::DeserializeOwned;
use shared::domain::ProjectStatus;

/// A generated GraphQL enum's name (`IN_PROGRESS`): its `Debug` form.
fn name_of<S: std::fmt::Debug>(value: &S) -> String {
    format!("{value:?}")
}

/// A generated GraphQL enum from its name.
fn enum_named<S: DeserializeOwned>(name: &str) -> Option<S> {
    S::deserialize(serde::de::value::StrDeserializer::<serde::de::value::Error>::new(name)).ok()
}

/// Reads a generated GraphQL enum (`IN_PROGRESS`) as the shared status (`in_progress`).
pub fn status_of<S: std::fmt::Debug>(value: &S) -> Option<ProjectStatus> {
    ProjectStatus::from_code(&code_of(value))
}

/// Writes a shared status as a generated GraphQL enum.
pub fn status_to<S: DeserializeOwned>(status: ProjectStatus) -> Option<S> {
    enum_named(&status.code().to_ascii_uppercase())
}

/// Reads any generated GraphQL enum as its shared counterpart's stable code (`IN_PROGRESS` →
/// `in_progress`), for lookups with the shared `from_code`.
pub fn code_of<S: std::fmt::Debug>(value: &S) -> String {
    name_of(value).to_ascii_lowercase()
}

/// The GraphQL name of a shared enum's variant: `HuoqiuCounty` → `HUOQIU_COUNTY` (the API's
/// enums are derived from the shared ones, so the names match).
pub fn graphql_name<T: std::fmt::Debug>(value: T) -> String {
    shared::domain::screaming_snake(&name_of(&value))
}

/// Reads a generated GraphQL enum as one of the shared enum's values.
pub fn from_graphql<T: std::fmt::Debug + Copy, S: std::fmt::Debug>(all: &[T], value: &S) -> Option<T> {
    let name = name_of(value);
    all.iter().copied().find(|candidate| graphql_name(*candidate) == name)
}

/// Writes a shared enum's value as a generated GraphQL enum.
pub fn to_graphql<S: DeserializeOwned, T: std::fmt::Debug>(value: T) -> Option<S> {
    enum_named(&graphql_name(value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_enums_map_to_the_shared_state_machine() {
        #[derive(serde::Deserialize, Debug, PartialEq)]
        #[allow(non_camel_case_types, clippy::upper_case_acronyms)]
        enum Generated {
            IN_PROGRESS,
            COMPLETED,
        }
        assert_eq!(status_of(&Generated::IN_PROGRESS), Some(ProjectStatus::InProgress));
        assert_eq!(status_to::<Generated>(ProjectStatus::Completed), Some(Generated::COMPLETED));
        assert_eq!(status_to::<Generated>(ProjectStatus::Proposed), None);
        assert_eq!(code_of(&Generated::IN_PROGRESS), "in_progress");
        assert_eq!(graphql_name(shared::domain::County::HuoqiuCounty), "HUOQIU_COUNTY");
        assert_eq!(from_graphql(ProjectStatus::ALL, &Generated::IN_PROGRESS), Some(ProjectStatus::InProgress));
        assert_eq!(to_graphql::<Generated, _>(ProjectStatus::Completed), Some(Generated::COMPLETED));
    }
}
