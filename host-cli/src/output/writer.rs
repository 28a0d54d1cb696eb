//! Writes records in the chosen format, as they come.

use std::io::{self, Write};

use super::csv::{CSV_HEADER, csv_cells, csv_row};
use super::record::{Lang, Record};
use super::table::{
    Columns, Row, TABLE_ALIGN_ROWS, TableStyle, columns, table_heading, table_row, write_table_row,
};

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Aligned columns for a person.
    Table,
    /// One JSON array of records.
    Json,
    /// One JSON record per line.
    Jsonl,
    /// Comma-separated values (RFC 4180), one row per record.
    Csv,
}

/// Writes records in one format, as they come.
pub struct Writer<W: Write> {
    pub(crate) out: W,
    format: Format,
    lang: Lang,
    count: usize,
    /// How the table is laid out.
    style: TableStyle,
    /// Table rows held back until the widths are known.
    rows: Vec<Row>,
    columns: Option<Columns>,
}

impl<W: Write> Writer<W> {
    /// A writer whose table shows every cell whole, without colour.
    pub fn new(out: W, format: Format, lang: Lang) -> Writer<W> {
        Writer::with_style(out, format, lang, TableStyle::WIDE)
    }

    /// A writer whose table is laid out in `style` (the other formats do
    /// not read it).
    pub fn with_style(out: W, format: Format, lang: Lang, style: TableStyle) -> Writer<W> {
        Writer {
            out,
            format,
            lang,
            count: 0,
            style,
            rows: Vec::new(),
            columns: None,
        }
    }

    /// Writes one record (`duplicate_of`: the first file with its bill key).
    pub fn record(&mut self, record: &Record, duplicate_of: Option<&str>) -> io::Result<()> {
        let first = self.count == 0;
        self.count += 1;
        match self.format {
            Format::Jsonl => {
                serde_json::to_writer(&mut self.out, &record.to_json(duplicate_of))?;
                self.out.write_all(b"\n")?;
                self.out.flush()
            }
            Format::Json => {
                // Decoded first: a report's text is written compact as it
                // came, and this format indents every level.
                let text = serde_json::to_value(record.to_json(duplicate_of))
                    .and_then(|value| serde_json::to_string_pretty(&value))
                    .map_err(io::Error::other)?;
                self.out.write_all(if first { b"[\n" } else { b",\n" })?;
                for (n, line) in text.lines().enumerate() {
                    if n > 0 {
                        self.out.write_all(b"\n")?;
                    }
                    self.out.write_all(b"  ")?;
                    self.out.write_all(line.as_bytes())?;
                }
                self.out.flush()
            }
            Format::Csv => {
                if first {
                    csv_row(&mut self.out, CSV_HEADER.iter().map(|s| s.to_string()))?;
                }
                csv_row(&mut self.out, csv_cells(record, duplicate_of, self.lang))?;
                self.out.flush()
            }
            Format::Table => {
                let row = table_row(record, duplicate_of, self.lang);
                match self.columns {
                    None => {
                        self.rows.push(row);
                        if self.rows.len() >= TABLE_ALIGN_ROWS {
                            self.flush_table()?;
                        }
                        Ok(())
                    }
                    Some(columns) => {
                        write_table_row(&mut self.out, &row, &columns, self.style.colour)?;
                        self.out.flush()
                    }
                }
            }
        }
    }

    pub(crate) fn flush_table(&mut self) -> io::Result<()> {
        let mut rows = vec![table_heading(self.lang)];
        rows.append(&mut self.rows);
        let columns = columns(&rows, self.style);
        for row in &rows {
            write_table_row(&mut self.out, row, &columns, self.style.colour)?;
        }
        self.columns = Some(columns);
        self.out.flush()
    }

    /// Ends the output (closes the JSON array, prints held table rows).
    pub fn finish(mut self) -> io::Result<W> {
        match self.format {
            Format::Json if self.count == 0 => self.out.write_all(b"[]\n")?,
            Format::Json => self.out.write_all(b"\n]\n")?,
            Format::Csv if self.count == 0 => {
                csv_row(&mut self.out, CSV_HEADER.iter().map(|s| s.to_string()))?
            }
            Format::Table if self.columns.is_none() => self.flush_table()?,
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}
