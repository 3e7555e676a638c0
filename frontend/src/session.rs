//! Who is signed in, asked once when the app starts and changed by signing in and out. The
//! session itself is an HttpOnly cookie the app never sees.

use leptos::{prelude::*, task::spawn_local};
use shared::domain::Role;

use crate::{api, codes};

/// The signed-in user as the pages need it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub username: String,
    pub display_name: String,
    pub role: Option<Role>,
    /// The institution a liaison acts for: ID and name.
    pub institution: Option<(String, String)>,
}

/// Converts a generated user type (each operation has its own) into a `User`.
macro_rules! user_from {
    ($user:expr) => {{
        let user = $user;
        User {
            role: Role::from_code(&codes::code_of(&user.role)),
            username: user.username,
            display_name: user.display_name,
            institution: user.institution.map(|institution| (institution.id, institution.name)),
        }
    }};
}

/// The session: `None` until the server answered, then the user or `Some(None)`.
#[derive(Debug, Clone, Copy)]
pub struct Session(RwSignal<Option<Option<User>>>);

impl Session {
    /// The user, once known; `None` also while asking.
    pub fn user(&self) -> Option<User> {
        self.0.get().flatten()
    }

    /// Whether the server has answered who is signed in.
    pub fn known(&self) -> bool {
        self.0.with(Option::is_some)
    }

    pub fn signed_in(&self) -> bool {
        self.0.with(|user| matches!(user, Some(Some(_))))
    }

    /// Signs in; the error carries the API's code (`UNAUTHENTICATED`, `RATE_LIMITED`).
    pub async fn login(self, username: String, password: String) -> Result<(), api::Error> {
        let user = api::run::<api::Login>(api::login::Variables { username, password }).await?.login;
        self.0.set(Some(Some(user_from!(user))));
        Ok(())
    }

    pub async fn logout(self) -> Result<(), api::Error> {
        api::run::<api::Logout>(api::logout::Variables).await?;
        self.0.set(Some(None));
        Ok(())
    }
}

/// Provides the session to the app and asks the server who is signed in.
pub fn provide() {
    let session = Session(RwSignal::new(None));
    provide_context(session);
    spawn_local(async move {
        let user = api::run::<api::Me>(api::me::Variables).await.ok().and_then(|data| data.me);
        session.0.set(Some(user.map(|user| user_from!(user))));
    });
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}
