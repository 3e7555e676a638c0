//! The core tables: industry chains and segments, enterprises, institutions, cooperation
//! projects with participants and status history, training sessions and the
//! employment-needs ledger.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum IndustryChains {
    Table,
    Id,
    Code,
    NameZh,
    NameEn,
    Position,
}

#[derive(DeriveIden)]
enum ChainSegments {
    Table,
    Id,
    ChainId,
    Position,
    Stage,
    NameZh,
    NameEn,
}

#[derive(DeriveIden)]
enum Enterprises {
    Table,
    Id,
    Name,
    CreditCode,
    County,
    AboveScale,
    IsKey,
    Employees,
    FoundedYear,
    IsDemo,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum EnterpriseSegments {
    Table,
    EnterpriseId,
    SegmentId,
}

#[derive(DeriveIden)]
enum Institutions {
    Table,
    Id,
    Name,
    NameEn,
    Kind,
    Province,
    City,
    IsKey,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Projects {
    Table,
    Id,
    Title,
    Programme,
    Kind,
    Status,
    StartDate,
    EndDate,
    FundingCny,
    Patents,
    Papers,
    Products,
    Trainees,
    Version,
    IsDemo,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ProjectEnterprises {
    Table,
    ProjectId,
    EnterpriseId,
}

#[derive(DeriveIden)]
enum ProjectInstitutions {
    Table,
    InstitutionId,
}

#[derive(DeriveIden)]
enum ProjectStatusHistory {
    Table,
    Id,
    ProjectId,
    FromStatus,
    ToStatus,
    Actor,
    Note,
    ChangedAt,
}

#[derive(DeriveIden)]
enum TrainingSessions {
    Table,
    Id,
    HeldOn,
    Title,
    ChainId,
    Format,
    Trainees,
    IsDemo,
}

#[derive(DeriveIden)]
enum EmploymentNeeds {
    Table,
    Id,
    EnterpriseId,
    Year,
    WorkersNeeded,
    WorkersPlaced,
    Surveyed,
    IsDemo,
}

fn foreign_key(
    from_table: impl IntoIden,
    from_column: impl IntoIden,
    to_table: impl IntoIden,
    to_column: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(from_table, from_column)
        .to(to_table, to_column)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

fn index(name: &str, table: impl IntoIden, column: impl IntoIden) -> IndexCreateStatement {
    Index::create().name(name).table(table).col(column).to_owned()
}

// The trait's signature elides the manager's lifetime; naming it here would not match.
#[allow(elided_lifetimes_in_paths)]
#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IndustryChains::Table)
                    .col(pk_uuid(IndustryChains::Id))
                    .col(string_uniq(IndustryChains::Code))
                    .col(string(IndustryChains::NameZh))
                    .col(string(IndustryChains::NameEn))
                    .col(integer(IndustryChains::Position))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ChainSegments::Table)
                    .col(pk_uuid(ChainSegments::Id))
                    .col(uuid(ChainSegments::ChainId))
                    .col(integer(ChainSegments::Position))
                    .col(string(ChainSegments::Stage))
                    .col(string(ChainSegments::NameZh))
                    .col(string(ChainSegments::NameEn))
                    .foreign_key(&mut foreign_key(
                        ChainSegments::Table,
                        ChainSegments::ChainId,
                        IndustryChains::Table,
                        IndustryChains::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Enterprises::Table)
                    .col(pk_uuid(Enterprises::Id))
                    .col(string(Enterprises::Name))
                    .col(string_len_uniq(Enterprises::CreditCode, 18))
                    .col(string(Enterprises::County))
                    .col(boolean(Enterprises::AboveScale))
                    .col(boolean(Enterprises::IsKey))
                    .col(integer(Enterprises::Employees))
                    .col(integer_null(Enterprises::FoundedYear))
                    .col(boolean(Enterprises::IsDemo))
                    .col(timestamp_with_time_zone(Enterprises::CreatedAt))
                    .col(timestamp_with_time_zone(Enterprises::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EnterpriseSegments::Table)
                    .col(uuid(EnterpriseSegments::EnterpriseId))
                    .col(uuid(EnterpriseSegments::SegmentId))
                    .primary_key(
                        Index::create().col(EnterpriseSegments::EnterpriseId).col(EnterpriseSegments::SegmentId),
                    )
                    .foreign_key(&mut foreign_key(
                        EnterpriseSegments::Table,
                        EnterpriseSegments::EnterpriseId,
                        Enterprises::Table,
                        Enterprises::Id,
                    ))
                    .foreign_key(&mut foreign_key(
                        EnterpriseSegments::Table,
                        EnterpriseSegments::SegmentId,
                        ChainSegments::Table,
                        ChainSegments::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Institutions::Table)
                    .col(pk_uuid(Institutions::Id))
                    .col(string_uniq(Institutions::Name))
                    .col(string(Institutions::NameEn))
                    .col(string(Institutions::Kind))
                    .col(string(Institutions::Province))
                    .col(string(Institutions::City))
                    .col(boolean(Institutions::IsKey))
                    .col(timestamp_with_time_zone(Institutions::CreatedAt))
                    .col(timestamp_with_time_zone(Institutions::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Projects::Table)
                    .col(pk_uuid(Projects::Id))
                    .col(string(Projects::Title))
                    .col(string(Projects::Programme))
                    .col(string(Projects::Kind))
                    .col(string(Projects::Status))
                    .col(date_null(Projects::StartDate))
                    .col(date_null(Projects::EndDate))
                    .col(big_integer(Projects::FundingCny))
                    .col(integer(Projects::Patents))
                    .col(integer(Projects::Papers))
                    .col(integer(Projects::Products))
                    .col(integer(Projects::Trainees))
                    .col(integer(Projects::Version))
                    .col(boolean(Projects::IsDemo))
                    .col(timestamp_with_time_zone(Projects::CreatedAt))
                    .col(timestamp_with_time_zone(Projects::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (table, column, other_table, name) in [
            (
                ProjectEnterprises::Table.into_iden(),
                ProjectEnterprises::EnterpriseId.into_iden(),
                Enterprises::Table.into_iden(),
                "project_enterprises",
            ),
            (
                ProjectInstitutions::Table.into_iden(),
                ProjectInstitutions::InstitutionId.into_iden(),
                Institutions::Table.into_iden(),
                "project_institutions",
            ),
        ] {
            manager
                .create_table(
                    Table::create()
                        .table(table.clone())
                        .col(uuid(ProjectEnterprises::ProjectId))
                        .col(uuid(column.clone()))
                        .primary_key(Index::create().col(ProjectEnterprises::ProjectId).col(column.clone()))
                        .foreign_key(&mut foreign_key(
                            table.clone(),
                            ProjectEnterprises::ProjectId,
                            Projects::Table,
                            Projects::Id,
                        ))
                        .foreign_key(&mut foreign_key(table.clone(), column.clone(), other_table, Alias::new("id")))
                        .to_owned(),
                )
                .await?;
            manager.create_index(index(&format!("idx_{name}_participant"), table, column)).await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(ProjectStatusHistory::Table)
                    .col(pk_uuid(ProjectStatusHistory::Id))
                    .col(uuid(ProjectStatusHistory::ProjectId))
                    .col(string_null(ProjectStatusHistory::FromStatus))
                    .col(string(ProjectStatusHistory::ToStatus))
                    .col(string_null(ProjectStatusHistory::Actor))
                    .col(text(ProjectStatusHistory::Note))
                    .col(timestamp_with_time_zone(ProjectStatusHistory::ChangedAt))
                    .foreign_key(&mut foreign_key(
                        ProjectStatusHistory::Table,
                        ProjectStatusHistory::ProjectId,
                        Projects::Table,
                        Projects::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(TrainingSessions::Table)
                    .col(pk_uuid(TrainingSessions::Id))
                    .col(date(TrainingSessions::HeldOn))
                    .col(string(TrainingSessions::Title))
                    .col(uuid_null(TrainingSessions::ChainId))
                    .col(string(TrainingSessions::Format))
                    .col(integer(TrainingSessions::Trainees))
                    .col(boolean(TrainingSessions::IsDemo))
                    .foreign_key(
                        ForeignKey::create()
                            .from(TrainingSessions::Table, TrainingSessions::ChainId)
                            .to(IndustryChains::Table, IndustryChains::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmploymentNeeds::Table)
                    .col(pk_uuid(EmploymentNeeds::Id))
                    .col(uuid(EmploymentNeeds::EnterpriseId))
                    .col(integer(EmploymentNeeds::Year))
                    .col(integer(EmploymentNeeds::WorkersNeeded))
                    .col(integer(EmploymentNeeds::WorkersPlaced))
                    .col(boolean(EmploymentNeeds::Surveyed))
                    .col(boolean(EmploymentNeeds::IsDemo))
                    .foreign_key(&mut foreign_key(
                        EmploymentNeeds::Table,
                        EmploymentNeeds::EnterpriseId,
                        Enterprises::Table,
                        Enterprises::Id,
                    ))
                    .to_owned(),
            )
            .await?;

        let indexes = [
            index("idx_chain_segments_chain", ChainSegments::Table, ChainSegments::ChainId),
            index("idx_enterprise_segments_segment", EnterpriseSegments::Table, EnterpriseSegments::SegmentId),
            index("idx_enterprises_county", Enterprises::Table, Enterprises::County),
            index("idx_projects_status", Projects::Table, Projects::Status),
            index("idx_projects_start_date", Projects::Table, Projects::StartDate),
            index("idx_status_history_project", ProjectStatusHistory::Table, ProjectStatusHistory::ProjectId),
            index("idx_training_sessions_held_on", TrainingSessions::Table, TrainingSessions::HeldOn),
            index("idx_training_sessions_chain", TrainingSessions::Table, TrainingSessions::ChainId),
            Index::create()
                .name("idx_employment_needs_enterprise_year")
                .table(EmploymentNeeds::Table)
                .col(EmploymentNeeds::EnterpriseId)
                .col(EmploymentNeeds::Year)
                .unique()
                .to_owned(),
            index("idx_employment_needs_year", EmploymentNeeds::Table, EmploymentNeeds::Year),
        ];
        for statement in indexes {
            manager.create_index(statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            EmploymentNeeds::Table.into_iden(),
            TrainingSessions::Table.into_iden(),
            ProjectStatusHistory::Table.into_iden(),
            ProjectInstitutions::Table.into_iden(),
            ProjectEnterprises::Table.into_iden(),
            Projects::Table.into_iden(),
            Institutions::Table.into_iden(),
            EnterpriseSegments::Table.into_iden(),
            Enterprises::Table.into_iden(),
            ChainSegments::Table.into_iden(),
            IndustryChains::Table.into_iden(),
        ] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
