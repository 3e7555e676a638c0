//! The `.xlsx` template of an import table: the header row (Chinese labels; the English labels
//! and declared names are accepted too), one example row, drop-down lists for coded and yes/no
//! columns, and a second sheet explaining every column. Also the error report of rejected rows.

use rust_xlsxwriter::{DataValidation, Format, Workbook, Worksheet, XlsxError};
use shared::records::{Column, Record, ValueType};

use super::{PARTICIPANT_COLUMNS, RowProblem, files::Sheet};
use crate::error::{AppError, AppResult};

/// The columns a template offers, in order.
pub fn columns(record: &'static Record) -> Vec<&'static Column> {
    let mut columns: Vec<&'static Column> = record.written_columns().collect();
    if record.table == "projects" {
        columns.extend(PARTICIPANT_COLUMNS.iter());
    }
    columns
}

fn example(record: &Record, column: &Column) -> String {
    let text = match (record.table, column.name) {
        ("enterprises", "name") => "六安示例机械制造有限公司",
        ("enterprises", "credit_code") => "91341500MA2N0Q1U0B",
        ("institutions", "name") => "示例职业技术学院",
        ("institutions", "name_en") => "Example Vocational College",
        ("institutions", "province") => "安徽省",
        ("institutions", "city") => "六安市",
        ("projects", "title") => "示例：茶叶深加工联合研发",
        ("projects", "programme") => "校企合作",
        ("projects", "external_ref") => "LA-2024-001",
        ("projects", "participant_enterprises") => "91341500MA2N0Q1U0B",
        ("projects", "participant_institutions") => "皖西学院",
        ("training_sessions", "title") => "示例：企业家能力提升专题培训",
        ("training_sessions", "chain_id") => "",
        ("employment_needs", "enterprise_id") => "91341500MA2N0Q1U0B",
        _ => "",
    };
    if !text.is_empty() || column.name == "chain_id" {
        return text.to_owned();
    }
    match column.value {
        ValueType::Code(set) => {
            set.values().first().map(|(code, _)| set.label_zh_of(code)).unwrap_or_default().to_owned()
        }
        ValueType::Bool => "否".to_owned(),
        ValueType::Date => "2024-03-01".to_owned(),
        ValueType::Int if column.name.ends_with("year") => "2023".to_owned(),
        ValueType::Int | ValueType::BigInt => "10".to_owned(),
        _ => String::new(),
    }
}

fn failed(error: XlsxError) -> AppError {
    AppError::internal(format!("cannot write the workbook: {error}"))
}

/// The template workbook of a table.
pub fn workbook(record: &'static Record) -> AppResult<Vec<u8>> {
    let columns = columns(record);
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let sheet = workbook.add_worksheet();
    sheet.set_name(record.label_zh).map_err(failed)?;
    for (index, column) in columns.iter().enumerate() {
        let col = index as u16;
        sheet.write_string_with_format(0, col, column.label_zh, &bold).map_err(failed)?;
        sheet.write_string(1, col, example(record, column)).map_err(failed)?;
        sheet.set_column_width(col, 18).map_err(failed)?;
        let choices: Option<Vec<String>> = match column.value {
            ValueType::Code(set) => {
                Some(set.values().iter().map(|(code, _)| set.label_zh_of(code).to_owned()).collect())
            }
            ValueType::Bool => Some(vec!["是".to_owned(), "否".to_owned()]),
            _ => None,
        };
        if let Some(choices) = choices {
            let validation = DataValidation::new().allow_list_strings(&choices).map_err(failed)?;
            sheet.add_data_validation(1, col, 10_000, col, &validation).map_err(failed)?;
        }
    }
    let help = workbook.add_worksheet();
    help.set_name("说明 Help").map_err(failed)?;
    for (col, title) in ["列 Column", "名称 Name", "类型 Type", "必填 Required"].into_iter().enumerate() {
        help.write_string_with_format(0, col as u16, title, &bold).map_err(failed)?;
    }
    for (index, column) in columns.iter().enumerate() {
        let row = index as u32 + 1;
        help.write_string(row, 0, format!("{} / {}", column.label_zh, column.label_en)).map_err(failed)?;
        help.write_string(row, 1, column.name).map_err(failed)?;
        help.write_string(row, 2, type_help(column)).map_err(failed)?;
        let required = !column.optional && !record.natural_key.is_empty() && column.written;
        help.write_string(row, 3, if required { "是 yes" } else { "否 no" }).map_err(failed)?;
    }
    help.set_column_width(0, 30).map_err(failed)?;
    help.set_column_width(2, 60).map_err(failed)?;
    workbook.save_to_buffer().map_err(failed)
}

fn type_help(column: &Column) -> String {
    match column.value {
        ValueType::Code(set) => format!("{} (中文、English or code)", set.graphql_type()),
        ValueType::Ref("Enterprise") => "统一社会信用代码 or ID".to_owned(),
        ValueType::Ref("IndustryChain") => "产业链代码 chain code or ID".to_owned(),
        ValueType::Ref(other) => format!("{other} ID"),
        ValueType::Bool => "是/否 yes/no".to_owned(),
        ValueType::Date => "2024-03-31".to_owned(),
        ValueType::Int | ValueType::BigInt => "整数 whole number".to_owned(),
        _ if column.name.starts_with("participant_") => "分号分隔 separated by ;".to_owned(),
        _ => "文本 text".to_owned(),
    }
}

/// The rejected rows of a file, as they were, with a last column listing their problems.
pub fn error_report(sheet: &Sheet, problems: &[RowProblem]) -> AppResult<Vec<u8>> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let out: &mut Worksheet = workbook.add_worksheet();
    for (col, header) in sheet.headers.iter().enumerate() {
        out.write_string_with_format(0, col as u16, header, &bold).map_err(failed)?;
    }
    let last = sheet.headers.len() as u16;
    out.write_string_with_format(0, last, "问题 Problems", &bold).map_err(failed)?;
    out.write_string_with_format(0, last + 1, "原行号 Row", &bold).map_err(failed)?;
    let mut next = 1;
    for (row, cells) in &sheet.rows {
        let found: Vec<String> = problems
            .iter()
            .filter(|problem| problem.row == *row)
            .map(|problem| {
                format!("{}: {} [{}]", problem.column.as_deref().unwrap_or("-"), problem.message, problem.code)
            })
            .collect();
        if found.is_empty() {
            continue;
        }
        for (col, cell) in cells.iter().enumerate() {
            out.write_string(next, col as u16, cell).map_err(failed)?;
        }
        out.write_string(next, last, found.join("\n")).map_err(failed)?;
        out.write_number(next, last + 1, *row as f64).map_err(failed)?;
        next += 1;
    }
    workbook.save_to_buffer().map_err(failed)
}
