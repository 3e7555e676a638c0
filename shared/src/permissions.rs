//! Who may change what: the one permission table. The backend asks it before every change;
//! the web app asks it which actions to offer. Reading is governed by the column declarations
//! (`records::Read`); API tokens are read-only whatever their owner's role.

use crate::Role;

/// A kind of change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Create, edit, archive and restore enterprises, institutions, training sessions and
    /// ledger rows, and projects in every field.
    EditRecords,
    /// Import files and revert imports.
    Import,
    /// Propose a new project (it starts as `PROPOSED`).
    ProposeProject,
    /// Change a project's status, dates, outcomes and participants.
    EditProjectProgress,
    /// Read archived records and every record's history.
    ReadArchive,
    /// Create, disable and reset accounts; read the audit log.
    ManageAccounts,
}

impl Action {
    pub const ALL: &'static [Action] = &[
        Self::EditRecords,
        Self::Import,
        Self::ProposeProject,
        Self::EditProjectProgress,
        Self::ReadArchive,
        Self::ManageAccounts,
    ];
}

/// The project columns a liaison sets on their institution's projects (`EditProjectProgress`
/// with the scope `OwnInstitution`): dates and outcomes, besides participants and status.
pub const LIAISON_PROJECT_COLUMNS: &[&str] = &["start_date", "end_date", "patents", "papers", "products", "trainees"];

/// How far a role may take an action.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    Nothing,
    /// Only projects the account's own institution takes part in.
    OwnInstitution,
    Everything,
}

/// The permission table. `None` is an anonymous caller.
pub const fn scope(role: Option<Role>, action: Action) -> Scope {
    use Action::*;
    match (role, action) {
        (Some(Role::Admin), _) => Scope::Everything,
        (Some(Role::Editor), EditRecords | Import | ProposeProject | EditProjectProgress | ReadArchive) => {
            Scope::Everything
        }
        (Some(Role::Liaison), ProposeProject | EditProjectProgress) => Scope::OwnInstitution,
        _ => Scope::Nothing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn least_privilege() {
        for action in Action::ALL {
            assert_eq!(scope(None, *action), Scope::Nothing);
            assert_eq!(scope(Some(Role::Viewer), *action), Scope::Nothing);
            assert_eq!(scope(Some(Role::Admin), *action), Scope::Everything);
        }
        assert_eq!(scope(Some(Role::Editor), Action::ManageAccounts), Scope::Nothing);
        assert_eq!(scope(Some(Role::Liaison), Action::EditRecords), Scope::Nothing);
        assert_eq!(scope(Some(Role::Liaison), Action::ProposeProject), Scope::OwnInstitution);
    }
}
