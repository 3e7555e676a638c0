//! The documented demo accounts: one administrator and one liaison per key university.
//! Their passwords are public (README), so they exist only in demo databases.

use chrono::Utc;
use sea_orm::{ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, Set};
use shared::Role;
use uuid::Uuid;

use crate::{
    auth::password,
    entity::{institution, user},
};

/// The demo administrator's username and password.
pub const ADMIN: (&str, &str) = ("admin", "lianqiao-admin-demo");
/// The demo data editor's username and password.
pub const EDITOR: (&str, &str) = ("editor", "lianqiao-editor-demo");
/// The password of every demo liaison.
pub const LIAISON_PASSWORD: &str = "lianqiao-liaison-demo";
/// Demo liaisons: username and the key university they act for.
pub const LIAISONS: [(&str, &str); 7] = [
    ("liaison-wxu", "皖西学院"),
    ("liaison-hfut", "合肥工业大学"),
    ("liaison-ustc", "中国科学技术大学"),
    ("liaison-ahu", "安徽大学"),
    ("liaison-ahau", "安徽农业大学"),
    ("liaison-aust", "安徽理工大学"),
    ("liaison-ahut", "安徽工业大学"),
];

/// The demo passwords' hashes: the administrator's, the editor's, the liaisons'.
pub struct Hashes {
    pub admin: String,
    pub editor: String,
    pub liaison: String,
}

/// Hashes the demo passwords (once each: the demo liaisons share a documented password).
pub async fn hashed_passwords() -> Result<Hashes, DbErr> {
    let hash = |password: &str| {
        let password = password.to_owned();
        async move { password::hash(password).await.map_err(|_| DbErr::Custom("cannot hash a demo password".into())) }
    };
    Ok(Hashes { admin: hash(ADMIN.1).await?, editor: hash(EDITOR.1).await?, liaison: hash(LIAISON_PASSWORD).await? })
}

/// Inserts the demo accounts.
pub async fn insert(db: &impl ConnectionTrait, hashes: Hashes) -> Result<(), DbErr> {
    let now = Utc::now();
    let account = |username: &str, display_name: String, hash: &str, role: Role, institution_id: Option<Uuid>| {
        user::ActiveModel {
            id: Set(Uuid::new_v4()),
            username: Set(username.to_owned()),
            display_name: Set(display_name),
            password_hash: Set(hash.to_owned()),
            role: Set(role.code().to_owned()),
            institution_id: Set(institution_id),
            disabled: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
        }
    };
    let mut accounts = vec![
        account(ADMIN.0, "演示管理员".to_owned(), &hashes.admin, Role::Admin, None),
        account(EDITOR.0, "演示数据编辑".to_owned(), &hashes.editor, Role::Editor, None),
    ];
    for (username, institution_name) in LIAISONS {
        let found = institution::Entity::find()
            .filter(institution::Column::Name.eq(institution_name))
            .one(db)
            .await?
            .ok_or_else(|| DbErr::RecordNotFound(format!("demo institution {institution_name}")))?;
        accounts.push(account(
            username,
            format!("{institution_name}联络员（演示）"),
            &hashes.liaison,
            Role::Liaison,
            Some(found.id),
        ));
    }
    user::Entity::insert_many(accounts).exec_without_returning(db).await?;
    Ok(())
}
