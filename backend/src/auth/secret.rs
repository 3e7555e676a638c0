//! Random secrets for session cookies and API tokens. Only their SHA-256 digests are stored,
//! so a leaked database does not leak usable credentials.

use argon2::password_hash::rand_core::{OsRng, RngCore};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

/// A new secret of 256 random bits, base64url-encoded after `prefix`.
pub fn generate(prefix: &str) -> String {
    let mut bytes = [0_u8; 32];
    OsRng.fill_bytes(&mut bytes);
    format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes))
}

/// The stored form of a secret.
pub fn digest(secret: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(secret.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_and_digests_stable() {
        let first = generate("lqt_");
        assert!(first.starts_with("lqt_") && first.len() > 40);
        assert_ne!(first, generate("lqt_"));
        assert_eq!(digest(&first), digest(&first));
        assert_ne!(digest(&first), first);
    }
}
