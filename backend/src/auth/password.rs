//! Password hashing with Argon2id (the `argon2` crate's defaults: 19 MiB, 2 passes), run on
//! the blocking pool so that hashing never stalls the async executor, and at most
//! [`MAX_CONCURRENT_HASHES`] at a time, so that a burst of logins cannot take the memory (each
//! takes 19 MiB) or every core; further ones wait their turn.

use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use shared::ErrorCode;

use tokio::sync::Semaphore;

use crate::error::{AppError, AppResult};

/// Argon2 computations that may run at once.
pub const MAX_CONCURRENT_HASHES: usize = 4;

static HASHING: Semaphore = Semaphore::const_new(MAX_CONCURRENT_HASHES);

/// Shortest accepted password, in characters.
pub const MIN_PASSWORD_CHARS: usize = 10;
/// Longest accepted password, in characters (bounds hashing work).
pub const MAX_PASSWORD_CHARS: usize = 128;

/// Refuses passwords that are too short or too long.
pub fn check_strength(password: &str) -> AppResult<()> {
    let length = password.chars().count();
    if (MIN_PASSWORD_CHARS..=MAX_PASSWORD_CHARS).contains(&length) {
        Ok(())
    } else {
        Err(AppError::bad_input(
            ErrorCode::WeakPassword,
            format!("a password has {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters"),
        ))
    }
}

/// Hashes a password into a PHC string (`$argon2id$...`).
pub async fn hash(password: String) -> AppResult<String> {
    let _permit = HASHING.acquire().await.map_err(|_| AppError::internal("the hashing semaphore closed"))?;
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default().hash_password(password.as_bytes(), &salt).map(|hash| hash.to_string())
    })
    .await
    .map_err(|error| AppError::internal(format!("hashing task failed: {error}")))?
    .map_err(|error| AppError::internal(format!("hashing failed: {error}")))
}

/// Checks a password against a stored hash. `None` verifies against a fixed dummy hash, so
/// that an unknown username costs as much time as a wrong password.
pub async fn verify(password: String, stored: Option<String>) -> bool {
    const DUMMY: &str =
        "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0U8Yw3cNqB4kyfKFLTqbYN2sW3lWKG3cpF0y2l3QhO8";
    let known = stored.is_some();
    let stored = stored.unwrap_or_else(|| DUMMY.to_owned());
    let Ok(_permit) = HASHING.acquire().await else { return false };
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .is_ok_and(|parsed| Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
    })
    .await
    .unwrap_or(false)
        && known
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_are_argon2id_salted_and_verify() {
        let first = hash("correct horse battery".into()).await.unwrap();
        let second = hash("correct horse battery".into()).await.unwrap();
        assert!(first.starts_with("$argon2id$"));
        assert_ne!(first, second, "each hash has its own salt");
        assert!(verify("correct horse battery".into(), Some(first.clone())).await);
        assert!(!verify("wrong horse battery".into(), Some(first)).await);
        assert!(!verify("correct horse battery".into(), None).await);
    }

    #[test]
    fn strength_bounds() {
        assert!(check_strength("short").is_err());
        assert!(check_strength("long enough pass").is_ok());
        assert!(check_strength(&"x".repeat(129)).is_err());
    }
}
