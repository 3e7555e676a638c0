//! `orderBy` inputs: a list of fields (columns or related counts) and directions. The primary
//! key is always appended as the last key, so that pages never overlap or skip rows.

use async_graphql::{Enum, InputObject};
use sea_orm::{
    EntityTrait, Order,
    sea_query::{Expr, SimpleExpr},
};
use serde::Deserialize;

use super::entities::related_count;
use crate::entity::{
    employment_need, enterprise, institution, project, project_enterprise, project_institution, training_session,
};

/// Sort direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Enum, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

impl SortDirection {
    pub fn order(self) -> Order {
        match self {
            Self::Asc => Order::Asc,
            Self::Desc => Order::Desc,
        }
    }
}

fn col<E: EntityTrait>(entity: E, column: E::Column) -> SimpleExpr {
    Expr::col((entity, column))
}

/// Declares an order input: a field enum whose variants map to SQL expressions, and the input
/// object pairing a field with a direction.
macro_rules! order_input {
    ($input:ident, $field:ident, $doc:literal, { $($variant:ident => $expr:expr),+ $(,)? }) => {
        #[doc = concat!("Fields ", $doc, " can be ordered by.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $field { $($variant),+ }

        impl $field {
            /// The SQL expression sorted on.
            pub fn expr(self) -> SimpleExpr {
                match self { $(Self::$variant => $expr),+ }
            }
        }

        #[doc = concat!("One sort key of ", $doc, ".")]
        #[derive(Debug, Clone, Copy, InputObject, Deserialize)]
        pub struct $input {
            pub field: $field,
            #[graphql(default)]
            #[serde(default)]
            pub direction: SortDirection,
        }

        impl $input {
            pub fn key(&self) -> (SimpleExpr, Order) {
                (self.field.expr(), self.direction.order())
            }
        }
    };
}

order_input!(EnterpriseOrder, EnterpriseOrderField, "enterprises", {
    Name => col(enterprise::Entity, enterprise::Column::Name),
    CreditCode => col(enterprise::Entity, enterprise::Column::CreditCode),
    County => col(enterprise::Entity, enterprise::Column::County),
    Employees => col(enterprise::Entity, enterprise::Column::Employees),
    FoundedYear => col(enterprise::Entity, enterprise::Column::FoundedYear),
    CreatedAt => col(enterprise::Entity, enterprise::Column::CreatedAt),
    ProjectCount => related_count(project_enterprise::Entity, project_enterprise::Column::EnterpriseId, enterprise::Entity, enterprise::Column::Id),
});

order_input!(InstitutionOrder, InstitutionOrderField, "institutions", {
    Name => col(institution::Entity, institution::Column::Name),
    NameEn => col(institution::Entity, institution::Column::NameEn),
    Kind => col(institution::Entity, institution::Column::Kind),
    City => col(institution::Entity, institution::Column::City),
    ProjectCount => related_count(project_institution::Entity, project_institution::Column::InstitutionId, institution::Entity, institution::Column::Id),
});

order_input!(ProjectOrder, ProjectOrderField, "projects", {
    Title => col(project::Entity, project::Column::Title),
    Status => col(project::Entity, project::Column::Status),
    StartDate => col(project::Entity, project::Column::StartDate),
    EndDate => col(project::Entity, project::Column::EndDate),
    FundingCny => col(project::Entity, project::Column::FundingCny),
    Patents => col(project::Entity, project::Column::Patents),
    Trainees => col(project::Entity, project::Column::Trainees),
    UpdatedAt => col(project::Entity, project::Column::UpdatedAt),
    EnterpriseCount => related_count(project_enterprise::Entity, project_enterprise::Column::ProjectId, project::Entity, project::Column::Id),
    InstitutionCount => related_count(project_institution::Entity, project_institution::Column::ProjectId, project::Entity, project::Column::Id),
});

order_input!(TrainingSessionOrder, TrainingSessionOrderField, "training sessions", {
    HeldOn => col(training_session::Entity, training_session::Column::HeldOn),
    Title => col(training_session::Entity, training_session::Column::Title),
    Trainees => col(training_session::Entity, training_session::Column::Trainees),
});

order_input!(EmploymentNeedOrder, EmploymentNeedOrderField, "employment-needs rows", {
    Year => col(employment_need::Entity, employment_need::Column::Year),
    WorkersNeeded => col(employment_need::Entity, employment_need::Column::WorkersNeeded),
    WorkersPlaced => col(employment_need::Entity, employment_need::Column::WorkersPlaced),
});
