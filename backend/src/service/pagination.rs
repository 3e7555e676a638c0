//! Relay-style pagination: `first`/`after`, `last`/`before`, opaque cursors, page sizes 1–100.
//!
//! Cursors encode an offset into the ordered result. They are opaque to clients, checked when
//! decoded, and stable as long as the ordered result does not change underneath.

use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use shared::ErrorCode;

use crate::error::{AppError, AppResult};

/// The page size when a client gives neither `first` nor `last`.
pub const DEFAULT_PAGE_SIZE: u64 = 20;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u64 = 100;

const CURSOR_PREFIX: &str = "lq1:";

/// The largest offset a cursor may hold: far beyond any table, and small enough that
/// `offset + page size` never overflows and every database binds it.
pub const MAX_CURSOR_OFFSET: u64 = u32::MAX as u64;

/// The pagination arguments of one connection field.
#[derive(Debug, Clone, Default)]
pub struct PageArgs {
    pub first: Option<i32>,
    pub after: Option<String>,
    pub last: Option<i32>,
    pub before: Option<String>,
}

/// The slice of the ordered result to fetch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    pub offset: u64,
    pub limit: u64,
    /// Whether items are known to exist after the window (a `before` bound was given).
    pub bounded_after: bool,
}

/// Encodes an offset as an opaque cursor.
pub fn encode_cursor(offset: u64) -> String {
    URL_SAFE_NO_PAD.encode(format!("{CURSOR_PREFIX}{offset}"))
}

/// Decodes a cursor made by [`encode_cursor`].
pub fn decode_cursor(cursor: &str) -> AppResult<u64> {
    let bad = || AppError::bad_input(ErrorCode::BadCursor, format!("{cursor:?} is not a cursor of this API"));
    let bytes = URL_SAFE_NO_PAD.decode(cursor).map_err(|_| bad())?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    text.strip_prefix(CURSOR_PREFIX)
        .and_then(|offset| offset.parse().ok())
        .filter(|offset| *offset <= MAX_CURSOR_OFFSET)
        .ok_or_else(bad)
}

fn page_size(value: i32, name: &str) -> AppResult<u64> {
    match u64::try_from(value) {
        Ok(size) if (1..=MAX_PAGE_SIZE).contains(&size) => Ok(size),
        _ => Err(AppError::bad_input(
            ErrorCode::PageSizeOutOfRange,
            format!("`{name}` must be between 1 and {MAX_PAGE_SIZE}, got {value}"),
        )),
    }
}

impl PageArgs {
    /// Whether the window can only be computed from the total count (`last` without `before`).
    pub fn needs_total(&self) -> bool {
        self.last.is_some() && self.before.is_none()
    }

    /// Computes the window. `total` must be given when [`Self::needs_total`] is true.
    pub fn window(&self, total: Option<u64>) -> AppResult<Window> {
        if self.first.is_some() && self.last.is_some() {
            return Err(AppError::bad_input(ErrorCode::BadUserInput, "give either `first` or `last`, not both"));
        }
        let start = match &self.after {
            Some(cursor) => decode_cursor(cursor)? + 1,
            None => 0,
        };
        let end = match &self.before {
            Some(cursor) => Some(decode_cursor(cursor)?),
            None => None,
        };
        if let Some(last) = self.last {
            let size = page_size(last, "last")?;
            let end = end.or(total).unwrap_or(0).max(start);
            let offset = end.saturating_sub(size).max(start);
            return Ok(Window { offset, limit: end - offset, bounded_after: self.before.is_some() });
        }
        let size = match self.first {
            Some(first) => page_size(first, "first")?,
            None => DEFAULT_PAGE_SIZE,
        };
        let limit = match end {
            Some(end) => size.min(end.saturating_sub(start)),
            None => size,
        };
        Ok(Window { offset: start, limit, bounded_after: end.is_some() })
    }
}

/// One page of items with their position in the ordered result.
#[derive(Debug, Clone)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub offset: u64,
    pub has_previous: bool,
    pub has_next: bool,
}

impl<T> Page<T> {
    /// Builds a page from rows fetched with `LIMIT window.limit + 1`: the extra row, if any,
    /// only says that a next page exists.
    pub fn from_fetched(window: Window, mut rows: Vec<T>) -> Self {
        let more = rows.len() as u64 > window.limit;
        rows.truncate(window.limit as usize);
        Self {
            items: rows,
            offset: window.offset,
            has_previous: window.offset > 0,
            has_next: more || window.bounded_after,
        }
    }

    /// Paginates a list held in memory.
    pub fn from_slice(all: &[T], args: &PageArgs) -> AppResult<Self>
    where
        T: Clone,
    {
        let total = all.len() as u64;
        let window = args.window(Some(total))?;
        let start = window.offset.min(total) as usize;
        let end = window.offset.saturating_add(window.limit).min(total) as usize;
        Ok(Self {
            items: all[start..end].to_vec(),
            offset: window.offset,
            has_previous: start > 0,
            has_next: (end as u64) < total,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(first: Option<i32>, after: Option<u64>, last: Option<i32>, before: Option<u64>) -> PageArgs {
        PageArgs { first, after: after.map(encode_cursor), last, before: before.map(encode_cursor) }
    }

    #[test]
    fn cursors_round_trip_and_garbage_is_rejected() {
        assert_eq!(decode_cursor(&encode_cursor(41)).unwrap(), 41);
        assert_eq!(decode_cursor("not-a-cursor").unwrap_err().code(), ErrorCode::BadCursor);
        assert_eq!(decode_cursor(&URL_SAFE_NO_PAD.encode("lq1:x")).unwrap_err().code(), ErrorCode::BadCursor);
        let huge = URL_SAFE_NO_PAD.encode(format!("lq1:{}", u64::MAX - 1));
        assert_eq!(decode_cursor(&huge).unwrap_err().code(), ErrorCode::BadCursor);
        assert_eq!(decode_cursor(&encode_cursor(MAX_CURSOR_OFFSET)).unwrap(), MAX_CURSOR_OFFSET);
    }

    #[test]
    fn forward_and_backward_windows() {
        assert_eq!(
            args(None, None, None, None).window(None).unwrap(),
            Window { offset: 0, limit: 20, bounded_after: false }
        );
        assert_eq!(
            args(Some(5), Some(9), None, None).window(None).unwrap(),
            Window { offset: 10, limit: 5, bounded_after: false }
        );
        assert_eq!(
            args(None, None, Some(5), None).window(Some(12)).unwrap(),
            Window { offset: 7, limit: 5, bounded_after: false }
        );
        assert_eq!(
            args(None, None, Some(5), Some(3)).window(None).unwrap(),
            Window { offset: 0, limit: 3, bounded_after: true }
        );
    }

    #[test]
    fn page_sizes_outside_one_to_hundred_are_refused() {
        for size in [0, -1, 101, 1000] {
            let error = args(Some(size), None, None, None).window(None).unwrap_err();
            assert_eq!(error.code(), ErrorCode::PageSizeOutOfRange);
        }
    }

    #[test]
    fn slices_page_in_memory() {
        let all: Vec<u32> = (0..7).collect();
        let page = Page::from_slice(&all, &args(Some(3), Some(2), None, None)).unwrap();
        assert_eq!(page.items, vec![3, 4, 5]);
        assert!(page.has_previous && page.has_next);
    }
}
