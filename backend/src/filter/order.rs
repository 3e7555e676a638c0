//! `orderBy` inputs: a list of fields (columns or related counts) and directions. The primary
//! key is always appended as the last key, so that pages never overlap or skip rows.

use async_graphql::{Enum, InputObject};
use sea_orm::{Order, sea_query::SimpleExpr};
use serde::Deserialize;
use shared::records::{self, Read, Record};

use super::entities::{Fields, RelatedCount};
use crate::{
    auth::columns::{self, Use},
    entity::{employment_need, enterprise, institution, project, training_session},
    error::AppResult,
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

/// `ProjectCount` → `project_count`: the declared column an order field sorts on.
fn column_name(variant: &str) -> String {
    shared::domain::screaming_snake(variant).to_ascii_lowercase()
}

/// Declares an order input: a field enum whose variants are declared orderable columns of a
/// record (the variant's name in snake_case), sorted on the stored column or, for computed
/// columns, on the given expression; and the input object pairing a field with a direction.
/// Every key is checked against the declaration for the caller (`auth::columns`).
macro_rules! order_input {
    ($input:ident, $field:ident, $doc:literal, $record:expr, $entity:ty,
     { $($variant:ident $(=> $expr:expr)?),+ $(,)? }) => {
        #[doc = concat!("Fields ", $doc, " can be ordered by.")]
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, Deserialize)]
        #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
        pub enum $field { $($variant),+ }

        impl $field {
            /// The record whose columns these are.
            pub const RECORD: &'static Record = $record;

            /// The declared column sorted on.
            pub fn column(self) -> String {
                match self { $(Self::$variant => column_name(stringify!($variant))),+ }
            }

            /// The SQL expression sorted on, after checking that a caller reading at `read`
            /// may order by it.
            pub fn expr(self, read: Read) -> AppResult<SimpleExpr> {
                let name = self.column();
                // Stored columns are checked where their expression is made; computed ones here.
                #[allow(unreachable_code)]
                match self {
                    $(Self::$variant => {
                        $(
                            columns::check(read, Self::RECORD, &name, Use::Order)?;
                            return Ok($expr);
                        )?
                        Fields::<$entity>::new(Self::RECORD, read).column(&name, Use::Order)
                    })+
                }
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
            /// The sort key for a caller reading at `read`.
            pub fn key(&self, read: Read) -> AppResult<(SimpleExpr, Order)> {
                Ok((self.field.expr(read)?, self.direction.order()))
            }

            /// The sort keys of a whole `orderBy` list.
            pub fn keys(list: &[Self], read: Read) -> AppResult<Vec<(SimpleExpr, Order)>> {
                list.iter().map(|key| key.key(read)).collect()
            }
        }
    };
}

order_input!(EnterpriseOrder, EnterpriseOrderField, "enterprises", &records::ENTERPRISE, enterprise::Entity, {
    Name,
    CreditCode,
    County,
    Employees,
    FoundedYear,
    CreatedAt,
    ProjectCount => RelatedCount::EnterpriseProjects.expr(),
});

order_input!(InstitutionOrder, InstitutionOrderField, "institutions", &records::INSTITUTION, institution::Entity, {
    Name,
    NameEn,
    Kind,
    City,
    ProjectCount => RelatedCount::InstitutionProjects.expr(),
});

order_input!(ProjectOrder, ProjectOrderField, "projects", &records::PROJECT, project::Entity, {
    Title,
    Status,
    StartDate,
    EndDate,
    FundingCny,
    Patents,
    Trainees,
    UpdatedAt,
    EnterpriseCount => RelatedCount::ProjectEnterprises.expr(),
    InstitutionCount => RelatedCount::ProjectInstitutions.expr(),
});

order_input!(TrainingSessionOrder, TrainingSessionOrderField, "training sessions", &records::TRAINING_SESSION, training_session::Entity, {
    HeldOn,
    Title,
    Trainees,
});

order_input!(EmploymentNeedOrder, EmploymentNeedOrderField, "employment-needs rows", &records::EMPLOYMENT_NEED, employment_need::Entity, {
    Year,
    WorkersNeeded,
    WorkersPlaced,
});
