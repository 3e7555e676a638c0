//! How numbers and times read on the page.

/// An ISO date (`2024-05-18`) as people write it: `2024年5月18日`, `18 May 2024`; other
/// text as it is.
pub fn long_date(lang: crate::i18n::Lang, iso: &str) -> String {
    const MONTHS: [&str; 12] = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
    let mut parts = iso.get(..10).unwrap_or(iso).split('-').map(|part| part.parse::<u32>().ok());
    let (Some(Some(year)), Some(Some(month @ 1..=12)), Some(Some(day))) = (parts.next(), parts.next(), parts.next())
    else {
        return iso.to_owned();
    };
    match lang {
        crate::i18n::Lang::Zh => format!("{year}年{month}月{day}日"),
        crate::i18n::Lang::En => format!("{day} {} {year}", MONTHS[month as usize - 1]),
    }
}

/// Formats an integer with thousands separators, as the published figures are written.
pub fn thousands(value: i64) -> String {
    let digits = value.unsigned_abs().to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if value < 0 { format!("-{grouped}") } else { grouped }
}

/// The part of an RFC 3339 timestamp a reader needs: `2024-03-05 14:07`.
pub fn short_time(timestamp: &str) -> String {
    timestamp.get(..16).map_or_else(|| timestamp.to_owned(), |head| head.replacen('T', " ", 1))
}

/// `part` of `whole` as a whole percentage, rounded half up (0 for an empty whole).
pub fn percent(part: i64, whole: i64) -> i64 {
    if whole == 0 { 0 } else { (part * 100 + whole / 2) / whole }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_as_people_write_them() {
        use crate::i18n::Lang;
        assert_eq!(long_date(Lang::Zh, "2024-05-18"), "2024年5月18日");
        assert_eq!(long_date(Lang::En, "2024-05-18"), "18 May 2024");
        assert_eq!(long_date(Lang::Zh, "soon"), "soon");
    }

    #[test]
    fn groups_thousands_like_the_published_figures() {
        assert_eq!(thousands(17_553), "17,553");
        assert_eq!(thousands(1_402), "1,402");
        assert_eq!(thousands(186), "186");
        assert_eq!(thousands(-1_000_000), "-1,000,000");
    }

    #[test]
    fn timestamps_are_shortened_to_the_minute() {
        assert_eq!(short_time("2024-03-05T14:07:59.123Z"), "2024-03-05 14:07");
        assert_eq!(short_time("2024"), "2024");
    }

    #[test]
    fn coverage_is_a_rounded_percentage() {
        assert_eq!(percent(1, 3), 33);
        assert_eq!(percent(2, 3), 67);
        assert_eq!(percent(0, 0), 0);
    }
}
