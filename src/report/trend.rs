//! The trend sheet of summary.xlsx: month over month from the ledger.
//!
//! Takes every run the ledger holds (oldest first) and gives a worksheet
//! with one line per period — cases reported, new, persisting, overdue
//! (逾期未更正), resolved, confirmed and not sent — and a native Excel line
//! chart of new, persisting, overdue and resolved by period, which Excel
//! and WPS redraw from the cells (docs/import.md).

use rust_xlsxwriter::{Chart, ChartMarker, ChartMarkerType, Format, Worksheet, XlsxError};

use crate::ledger::Run;

/// The sheet's name.
pub const TREND: &str = "逐期趋势";

const HEADERS: [&str; 8] = [
    "期次",
    "比对日期",
    "报告的问题",
    "新发现",
    "上期仍在",
    "逾期未更正",
    "已解决",
    "已确认无误未再发",
];

/// The row of the header; the title is above it.
const HEADER_ROW: u32 = 2;

/// Writes the table and its chart into `ws`.
pub fn trend_sheet(
    ws: &mut Worksheet,
    runs: &[Run],
    title: &Format,
    header: &Format,
    text: &Format,
    number: &Format,
) -> Result<(), XlsxError> {
    ws.set_name(TREND)?;
    ws.write_string_with_format(
        0,
        0,
        "逐期变化：新发现、上期仍在、逾期未更正、已解决",
        title,
    )?;
    for (c, h) in HEADERS.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, *h, header)?;
        ws.set_column_width(c as u16, if c < 2 { 12 } else { 11 })?;
    }
    ws.set_column_width(HEADERS.len() as u16 - 1, 16)?;
    for (i, r) in runs.iter().enumerate() {
        let row = HEADER_ROW + 1 + i as u32;
        ws.write_string_with_format(row, 0, &r.period, text)?;
        ws.write_string_with_format(row, 1, r.as_of.to_string(), text)?;
        for (j, n) in r.counts.trend().into_iter().enumerate() {
            ws.write_number_with_format(row, 2 + j as u16, n as f64, number)?;
        }
    }
    if runs.is_empty() {
        return Ok(());
    }
    let last = HEADER_ROW + runs.len() as u32;
    let mut chart = Chart::new_line();
    // new, persisting, overdue, resolved: columns 3 to 6.
    for col in 3..=6u16 {
        chart
            .add_series()
            .set_name((TREND, HEADER_ROW, col))
            .set_categories((TREND, HEADER_ROW + 1, 0, last, 0))
            .set_values((TREND, HEADER_ROW + 1, col, last, col))
            .set_marker(ChartMarker::new().set_type(ChartMarkerType::Circle));
    }
    chart.title().set_name("逐期趋势");
    chart.x_axis().set_name("期次");
    chart.y_axis().set_name("问题数").set_min(0);
    chart.set_width(720).set_height(360);
    ws.insert_chart(last + 2, 0, &chart)?;
    ws.set_freeze_panes(HEADER_ROW + 1, 1)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::io::Read;

    use calamine::{Data, Reader};
    use rust_xlsxwriter::Workbook;

    use super::*;
    use crate::identity::Date;
    use crate::ledger::Counts;

    fn run(period: &str, day: u32, new: u64, resolved: u64) -> Run {
        Run {
            period: period.into(),
            county: "371326".into(),
            county_name: "平邑县".into(),
            as_of: Date::from_ymd(2026, 6, day).unwrap(),
            deadline: Date::from_ymd(2026, 7, 30).unwrap(),
            run_at: String::new(),
            previous: None,
            counts: Counts {
                found: new + 10,
                reported: new + 5,
                new,
                persisting: 4,
                overdue: 1,
                resolved,
                confirmed: 5,
            },
        }
    }

    #[test]
    fn the_table_reads_back_and_the_chart_plots_four_series_over_the_periods() {
        let runs = [run("2026-05", 1, 250, 0), run("2026-06", 30, 12, 40)];
        let mut wb = Workbook::new();
        let f = Format::new();
        trend_sheet(wb.add_worksheet(), &runs, &f, &f, &f, &f).unwrap();
        let bytes = wb.save_to_buffer().unwrap();

        let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes.clone())).unwrap();
        let range = book.worksheet_range(TREND).unwrap();
        assert_eq!(
            range.get_value((2, 6)),
            Some(&Data::String("已解决".into()))
        );
        assert_eq!(
            range.get_value((4, 0)),
            Some(&Data::String("2026-06".into()))
        );
        assert_eq!(range.get_value((4, 3)), Some(&Data::Float(12.0)));
        assert_eq!(range.get_value((4, 6)), Some(&Data::Float(40.0)));

        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut xml = String::new();
        zip.by_name("xl/charts/chart1.xml")
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(xml.contains("<c:lineChart>"), "not a line chart");
        assert_eq!(xml.matches("<c:ser>").count(), 4);
        for col in ["$D$4:$D$5", "$E$4:$E$5", "$F$4:$F$5", "$G$4:$G$5"] {
            assert!(xml.contains(col), "no series over {col}");
        }
        assert!(xml.contains("$A$4:$A$5"), "the periods are the categories");
    }

    #[test]
    fn an_empty_ledger_gives_the_headers_and_no_chart() {
        let mut wb = Workbook::new();
        let f = Format::new();
        trend_sheet(wb.add_worksheet(), &[], &f, &f, &f, &f).unwrap();
        let bytes = wb.save_to_buffer().unwrap();
        let zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        assert!(!zip.file_names().any(|n| n.unwrap().contains("charts/")));
    }
}
