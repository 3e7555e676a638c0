//! The 18-character unified social credit code (统一社会信用代码, GB 32100-2015).
//!
//! Layout: registration authority (1), entity type (1), administrative division (6),
//! organisation code (9, itself ending in a GB 11714 check character) and a final check
//! character computed over the first 17 characters modulo 31.

use std::fmt;

/// The 31 characters a credit code may use, in the order of their numeric values.
/// The letters I, O, S, V and Z are excluded to avoid confusion with digits.
const ALPHABET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1..=17 for the final check character: 3^(i-1) mod 31.
const WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// Weights of the 8 body characters of a GB 11714 organisation code.
const ORG_WEIGHTS: [u32; 8] = [3, 7, 9, 10, 5, 8, 4, 2];

/// A unified social credit code whose format and check character have been verified.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CreditCode(String);

/// Why a string is not a valid unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CreditCodeError {
    /// The code does not have exactly 18 characters.
    #[error("a unified social credit code has 18 characters, this one has {0}")]
    WrongLength(usize),
    /// A character outside the code's alphabet (digits and capitals except I, O, S, V, Z).
    #[error("character {character:?} at position {position} is not allowed in a credit code")]
    InvalidCharacter { position: usize, character: char },
    /// The administrative division part (positions 3–8) is not six digits.
    #[error("positions 3 to 8 must be a six-digit administrative division code")]
    InvalidDivision,
    /// The final check character does not match the first 17 characters.
    #[error("check character is {found:?} but should be {expected:?}")]
    CheckDigitMismatch { expected: char, found: char },
}

fn value_of(character: u8) -> Option<u32> {
    ALPHABET.iter().position(|&c| c == character).map(|p| p as u32)
}

/// Computes the final (18th) check character of the first 17 characters.
fn check_character(first17: &[u8]) -> Option<char> {
    let mut sum = 0;
    for (byte, weight) in first17.iter().zip(WEIGHTS) {
        sum += value_of(*byte)? * weight;
    }
    let check = (31 - sum % 31) % 31;
    Some(ALPHABET[check as usize] as char)
}

/// Computes the GB 11714 check character of an 8-character organisation code body.
fn organisation_check_character(body: &[u8; 8]) -> Option<char> {
    let mut sum = 0;
    for (byte, weight) in body.iter().zip(ORG_WEIGHTS) {
        let value = match byte {
            b'0'..=b'9' => u32::from(byte - b'0'),
            b'A'..=b'Z' => u32::from(byte - b'A') + 10,
            _ => return None,
        };
        sum += value * weight;
    }
    Some(match 11 - sum % 11 {
        10 => 'X',
        11 => '0',
        digit => char::from_digit(digit, 10)?,
    })
}

impl CreditCode {
    /// Parses and verifies a code. Surrounding whitespace is ignored and lower-case letters
    /// are accepted, since codes are often typed by hand.
    pub fn parse(input: &str) -> Result<Self, CreditCodeError> {
        let code = input.trim().to_ascii_uppercase();
        let length = code.chars().count();
        if length != 18 {
            return Err(CreditCodeError::WrongLength(length));
        }
        let bytes = code.as_bytes();
        for (index, character) in code.chars().enumerate() {
            if !character.is_ascii() || value_of(character as u8).is_none() {
                return Err(CreditCodeError::InvalidCharacter { position: index + 1, character });
            }
        }
        if !bytes[2..8].iter().all(u8::is_ascii_digit) {
            return Err(CreditCodeError::InvalidDivision);
        }
        let expected = check_character(&bytes[..17]).ok_or(CreditCodeError::InvalidDivision)?;
        let found = bytes[17] as char;
        if expected != found {
            return Err(CreditCodeError::CheckDigitMismatch { expected, found });
        }
        Ok(Self(code))
    }

    /// Builds a valid code for a company (registration authority 9 = market regulation,
    /// type 1 = enterprise) in the given six-digit division from an 8-digit serial number.
    /// Used by the demo data generator; `serial` is taken modulo 10^8.
    pub fn for_enterprise(division: u32, serial: u32) -> Self {
        let body = format!("{:08}", serial % 100_000_000);
        let body_bytes: &[u8; 8] = body.as_bytes().try_into().expect("eight digits");
        let org_check = organisation_check_character(body_bytes).expect("digits only");
        let first17 = format!("91{:06}{body}{org_check}", division % 1_000_000);
        let check = check_character(first17.as_bytes()).expect("alphabet only");
        Self(format!("{first17}{check}"))
    }

    /// The six-digit administrative division code embedded in positions 3–8.
    pub fn division(&self) -> &str {
        &self.0[2..8]
    }

    /// The code as a string slice.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.0)
    }
}

impl AsRef<str> for CreditCode {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // A published code of a real company (Tencent, Shenzhen), used as a known-good example.
    const KNOWN_GOOD: &str = "9144030071526726XG";

    #[test]
    fn accepts_a_real_published_code() {
        let code = CreditCode::parse(KNOWN_GOOD).expect("valid");
        assert_eq!(code.division(), "440300");
    }

    #[test]
    fn accepts_lower_case_and_whitespace() {
        let code = CreditCode::parse("  9144030071526726xg ").expect("valid");
        assert_eq!(code.as_str(), KNOWN_GOOD);
    }

    #[test]
    fn rejects_a_changed_check_character() {
        let error = CreditCode::parse("9144030071526726XH").unwrap_err();
        assert_eq!(error, CreditCodeError::CheckDigitMismatch { expected: 'G', found: 'H' });
    }

    #[test]
    fn rejects_wrong_length_and_forbidden_letters() {
        assert_eq!(CreditCode::parse("91440300"), Err(CreditCodeError::WrongLength(8)));
        assert!(matches!(
            CreditCode::parse("9144030071526726IG"),
            Err(CreditCodeError::InvalidCharacter { position: 17, character: 'I' })
        ));
    }

    #[test]
    fn generated_codes_parse_and_are_distinct() {
        let first = CreditCode::for_enterprise(341502, 1);
        let second = CreditCode::for_enterprise(341502, 2);
        assert_ne!(first, second);
        for code in [first, second] {
            assert_eq!(CreditCode::parse(code.as_str()).as_ref(), Ok(&code));
            assert_eq!(code.division(), "341502");
        }
    }

    #[test]
    fn organisation_check_matches_gb_11714_example() {
        // Tencent's organisation code 71526726-X.
        assert_eq!(organisation_check_character(b"71526726"), Some('X'));
    }
}
