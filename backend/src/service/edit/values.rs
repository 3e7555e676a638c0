//! Values of declared columns as edits and imports write them: text from a spreadsheet cell
//! parsed by the column's declared type, the product's rules on each column (credit codes,
//! ranges, lengths), and the public JSON form the record history keeps.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use sea_orm::Value as SqlValue;
use serde::Serialize;
use serde_json::{Map, Value as Json};
use shared::{
    CreditCode, ErrorCode,
    records::{CodeSet, Column, Record, ValueType},
};
use uuid::Uuid;

use crate::ids;

/// Stored values by declared column name.
pub type Values = BTreeMap<&'static str, SqlValue>;

/// Longest text a column takes, in characters.
pub const MAX_TEXT_CHARS: usize = 500;
/// The largest count or number of workers a record takes.
pub const MAX_COUNT: i64 = 10_000_000;
/// The largest amount of money (CNY) a record takes: a hundred billion.
pub const MAX_MONEY: i64 = 100_000_000_000;

/// What is wrong with one value, or one record: an edit answers it as an error, an import
/// reports it at its row and column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Problem {
    /// The declared column name, if the problem is in one column.
    pub column: Option<&'static str>,
    pub code: ErrorCode,
    pub message: String,
    /// The value found, as text.
    pub value: Option<String>,
}

impl Problem {
    pub fn new(column: Option<&'static Column>, code: ErrorCode, message: impl Into<String>) -> Self {
        Self { column: column.map(|column| column.name), code, message: message.into(), value: None }
    }

    pub fn with_value(mut self, value: impl Into<String>) -> Self {
        self.value = Some(value.into());
        self
    }
}

impl From<Problem> for crate::error::AppError {
    fn from(problem: Problem) -> Self {
        Self::bad_input(problem.code, problem.message)
    }
}

/// The unset value of a column's type (SeaORM checks the variant).
pub fn null_of(value: ValueType) -> SqlValue {
    match value {
        ValueType::Id | ValueType::Ref(_) => SqlValue::Uuid(None),
        ValueType::Text | ValueType::Code(_) => SqlValue::String(None),
        ValueType::Int => SqlValue::Int(None),
        ValueType::BigInt => SqlValue::BigInt(None),
        ValueType::Bool => SqlValue::Bool(None),
        ValueType::Date => SqlValue::ChronoDate(None),
        ValueType::DateTime => SqlValue::ChronoDateTimeUtc(None),
    }
}

/// Whether a stored value is unset.
pub fn is_null(value: &SqlValue) -> bool {
    matches!(
        value,
        SqlValue::Uuid(None)
            | SqlValue::String(None)
            | SqlValue::Int(None)
            | SqlValue::BigInt(None)
            | SqlValue::Bool(None)
            | SqlValue::ChronoDate(None)
            | SqlValue::ChronoDateTimeUtc(None)
    )
}

/// A cell's text parsed by its column's declared type. References are left as text: the caller
/// resolves them (a global ID or the natural key of the referenced record).
#[derive(Debug, Clone, PartialEq)]
pub enum Parsed {
    Value(SqlValue),
    Reference(String),
}

fn invalid(column: &'static Column, text: &str, expected: &str) -> Problem {
    Problem::new(Some(column), ErrorCode::InvalidValue, format!("`{}` must be {expected}", column.name))
        .with_value(text)
}

/// The date of an Excel serial day number (the 1900 date system, as Excel counts it).
pub fn excel_date(serial: f64) -> Option<NaiveDate> {
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    // Excel counts 1900-02-29, which did not exist: serial 60 and later are one day late.
    let days = serial.trunc() as i64 - if serial >= 60.0 { 1 } else { 0 };
    NaiveDate::from_ymd_opt(1899, 12, 31)?.checked_add_signed(chrono::Duration::days(days))
}

fn parse_date(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    let text = text.split(['T', ' ']).next().unwrap_or(text);
    for format in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日"] {
        if let Ok(date) = NaiveDate::parse_from_str(text, format) {
            return Some(date);
        }
    }
    // A spreadsheet date that arrived as its serial number.
    text.parse::<f64>().ok().filter(|serial| serial.fract() == 0.0 && *serial >= 1000.0).and_then(excel_date)
}

fn parse_integer(text: &str) -> Option<i64> {
    let text = text.trim().replace([',', '，'], "");
    if let Ok(number) = text.parse::<i64>() {
        return Some(number);
    }
    // Spreadsheets write whole numbers as `12.0`.
    text.parse::<f64>().ok().filter(|number| number.fract() == 0.0 && number.abs() < 9.0e15).map(|n| n as i64)
}

fn parse_bool(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "是" | "√" | "✓" => Some(true),
        "false" | "no" | "n" | "0" | "否" | "×" => Some(false),
        _ => None,
    }
}

/// The stored code of a coded value written as its public name (`HUOSHAN_COUNTY`), its stored
/// code (`huoshan`) or its Chinese or English label.
fn parse_code(set: CodeSet, text: &str) -> Option<&'static str> {
    let text = text.trim();
    set.values()
        .into_iter()
        .find(|(code, name)| name.eq_ignore_ascii_case(text) || code.eq_ignore_ascii_case(text))
        .map(|(code, _)| code)
        .or_else(|| set.code_of_label(text))
}

/// Parses a cell's text for `column`. Empty text is the unset value (a missing required value
/// is found by [`check_record`]).
pub fn parse(column: &'static Column, text: &str) -> Result<Parsed, Problem> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Ok(Parsed::Value(null_of(column.value)));
    }
    let value = match column.value {
        ValueType::Id | ValueType::Ref(_) => return Ok(Parsed::Reference(trimmed.to_owned())),
        ValueType::Text => SqlValue::String(Some(trimmed.to_owned())),
        ValueType::Code(set) => SqlValue::String(Some(
            parse_code(set, trimmed)
                .ok_or_else(|| invalid(column, trimmed, &format!("one of the {} values", set.graphql_type())))?
                .to_owned(),
        )),
        ValueType::Int => {
            let number = parse_integer(trimmed).ok_or_else(|| invalid(column, trimmed, "a whole number"))?;
            SqlValue::Int(Some(i32::try_from(number).map_err(|_| invalid(column, trimmed, "a smaller number"))?))
        }
        ValueType::BigInt => {
            SqlValue::BigInt(Some(parse_integer(trimmed).ok_or_else(|| invalid(column, trimmed, "a whole number"))?))
        }
        ValueType::Bool => SqlValue::Bool(Some(
            parse_bool(trimmed).ok_or_else(|| invalid(column, trimmed, "yes or no (true/false, 是/否)"))?,
        )),
        ValueType::Date => SqlValue::ChronoDate(Some(
            parse_date(trimmed).ok_or_else(|| invalid(column, trimmed, "a date (2024-03-31)"))?,
        )),
        ValueType::DateTime => return Err(invalid(column, trimmed, "left empty (the server sets it)")),
    };
    Ok(Parsed::Value(value))
}

/// The product's rules on one stored value: lengths, ranges, credit codes. Returns the value
/// in its normal form (a credit code in upper case).
pub fn check_value(record: &'static Record, column: &'static Column, value: SqlValue) -> Result<SqlValue, Problem> {
    let shown = |value: &SqlValue| json_of(column, value).to_string().trim_matches('"').to_owned();
    match (&value, column.name) {
        (SqlValue::String(Some(text)), "credit_code") if record.table == "enterprises" => {
            return CreditCode::parse(text).map(|code| SqlValue::String(Some(code.as_str().to_owned()))).map_err(
                |error| {
                    Problem::new(Some(column), ErrorCode::InvalidCreditCode, format!("`credit_code`: {error}"))
                        .with_value(text.clone())
                },
            );
        }
        (SqlValue::String(Some(text)), "disciplines" | "needs") => {
            return shared::Disciplines::parse(text).map(|set| SqlValue::String(Some(set.codes()))).map_err(
                |unknown| {
                    let known: Vec<&str> = shared::Discipline::ALL.iter().map(|one| one.code()).collect();
                    invalid(
                        column,
                        &unknown,
                        &format!("discipline codes separated by commas, among {}", known.join(", ")),
                    )
                },
            );
        }
        (SqlValue::String(Some(text)), _) if text.chars().count() > MAX_TEXT_CHARS => {
            return Err(invalid(column, &shown(&value), &format!("at most {MAX_TEXT_CHARS} characters")));
        }
        (SqlValue::String(Some(text)), _) if text.trim().is_empty() || text.chars().any(char::is_control) => {
            return Err(invalid(column, text, "text without control characters"));
        }
        (SqlValue::Int(Some(number)), name) => {
            let range = if name.ends_with("year") { 1800..=2100 } else { 0..=MAX_COUNT };
            if !range.contains(&i64::from(*number)) {
                return Err(invalid(
                    column,
                    &number.to_string(),
                    &format!("between {} and {}", range.start(), range.end()),
                ));
            }
        }
        (SqlValue::BigInt(Some(number)), _) if !(0..=MAX_MONEY).contains(number) => {
            return Err(invalid(column, &number.to_string(), &format!("between 0 and {MAX_MONEY}")));
        }
        (SqlValue::ChronoDate(Some(date)), _) if !(1900..=2100).contains(&date.year()) => {
            return Err(invalid(column, &date.to_string(), "a date between 1900 and 2100"));
        }
        _ => {}
    }
    Ok(value)
}

/// What a new record holds in a column its creator left out: a new project is `PROPOSED`
/// with no outcomes yet, yes/no columns are no; other columns have no default.
pub fn creation_default(column: &Column) -> Option<SqlValue> {
    match (column.value, column.name) {
        (_, "status") => Some(SqlValue::String(Some(shared::ProjectStatus::Proposed.code().to_owned()))),
        (_, "occupation") => Some(SqlValue::String(Some(migrations::ANY_OCCUPATION.to_owned()))),
        (ValueType::Bool, _) => Some(SqlValue::Bool(Some(false))),
        (ValueType::Int, name) if !name.ends_with("year") && column.sum => Some(SqlValue::Int(Some(0))),
        (ValueType::BigInt, _) => Some(SqlValue::BigInt(Some(0))),
        _ => None,
    }
}

/// Completes a new record's values with the defaults of the columns left out.
pub fn with_defaults(record: &'static Record, mut values: Values) -> Values {
    for column in record.written_columns() {
        if !values.contains_key(column.name)
            && let Some(value) = creation_default(column)
        {
            values.insert(column.name, value);
        }
    }
    values
}

/// The rules on a whole record as it would be stored: required values present, dates in order.
pub fn check_record(record: &'static Record, values: &Values) -> Vec<Problem> {
    let mut problems = Vec::new();
    for column in record.written_columns().filter(|column| !column.optional) {
        if values.get(column.name).is_none_or(is_null) {
            problems.push(Problem::new(
                Some(column),
                ErrorCode::MissingValue,
                format!("`{}` ({}) is required", column.name, column.label_zh),
            ));
        }
    }
    if let (Some(SqlValue::ChronoDate(Some(start))), Some(SqlValue::ChronoDate(Some(end)))) =
        (values.get("start_date"), values.get("end_date"))
        && end < start
    {
        problems.push(
            Problem::new(record.column("end_date"), ErrorCode::InvalidValue, "the end date is before the start date")
                .with_value(end.to_string()),
        );
    }
    if let (Some(SqlValue::Int(Some(trainees))), Some(SqlValue::Int(Some(first))), Some(SqlValue::Int(Some(second)))) =
        (values.get("trainees"), values.get("entrepreneurs"), values.get("executives"))
        && first + second != *trainees
    {
        problems.push(
            Problem::new(
                record.column("entrepreneurs"),
                ErrorCode::InvalidValue,
                format!("entrepreneurs ({first}) and executives ({second}) add up to the trainees ({trainees})"),
            )
            .with_value(format!("{first} + {second}")),
        );
    }
    problems
}

/// A stored value in its public JSON form: codes by their GraphQL names, references as global
/// IDs, dates in ISO 8601.
pub fn json_of(column: &Column, value: &SqlValue) -> Json {
    let uuid =
        |id: &Option<Uuid>, type_name: &str| id.map_or(Json::Null, |id| Json::from(ids::encode_named(type_name, id)));
    match (column.value, value) {
        (ValueType::Ref(type_name), SqlValue::Uuid(id)) => uuid(id, type_name),
        (ValueType::Code(set), SqlValue::String(Some(code))) => {
            Json::from(set.name_of(code).map_or_else(|| code.clone(), str::to_owned))
        }
        (_, SqlValue::String(text)) => text.clone().map_or(Json::Null, Json::from),
        (_, SqlValue::Int(number)) => number.map_or(Json::Null, Json::from),
        (_, SqlValue::BigInt(number)) => number.map_or(Json::Null, Json::from),
        (_, SqlValue::Bool(flag)) => flag.map_or(Json::Null, Json::from),
        (_, SqlValue::ChronoDate(date)) => date.map_or(Json::Null, |date| Json::from(date.to_string())),
        (_, SqlValue::ChronoDateTimeUtc(time)) => time.map_or(Json::Null, |time| Json::from(time.to_rfc3339())),
        (_, SqlValue::Uuid(id)) => uuid(id, "?"),
        _ => Json::Null,
    }
}

/// Values as a JSON object of declared names, in declaration order.
pub fn json_object(record: &'static Record, values: &Values) -> Map<String, Json> {
    record
        .columns
        .iter()
        .filter_map(|column| values.get(column.name).map(|value| (column.name.to_owned(), json_of(column, value))))
        .collect()
}
