//! SeaORM entities, one per table. Enumerated columns hold the stable codes of the `shared`
//! enums.

pub mod api_token;
pub mod audit_entry;
pub mod chain_segment;
pub mod change_feed;
pub mod employment_need;
pub mod employment_placement;
pub mod enterprise;
pub mod enterprise_segment;
pub mod import;
pub mod industry_chain;
pub mod institution;
pub mod login_attempt;
pub mod project;
pub mod project_enterprise;
pub mod project_institution;
pub mod record_change;
pub mod session;
pub mod status_change;
pub mod training_session;
pub mod user;
