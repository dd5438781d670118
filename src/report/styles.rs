//! The cell formats of bidui's workbooks, built once per run.
//!
//! Takes nothing and gives [`Styles`]: the formats the village workbooks and
//! summary.xlsx write with. Locked cells are white; the cells a village
//! fills in are unlocked and light yellow; a differing value is bold dark
//! red on pink, so it still stands out printed in black and white.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

/// A font every Chinese Windows and LibreOffice install has (or substitutes).
const FONT: &str = "宋体";
const INPUT_FILL: u32 = 0xFFF2CC;
const HEADER_FILL: u32 = 0xD9D9D9;
const DIFF_FILL: u32 = 0xFFC7CE;
const DIFF_FONT: u32 = 0x9C0006;

pub struct Styles {
    pub title: Format,
    pub hint: Format,
    pub header: Format,
    /// A locked text cell (number format `@`: stays text when retyped).
    pub text: Format,
    pub wrap: Format,
    pub number: Format,
    pub diff: Format,
    pub input_text: Format,
    pub input_date: Format,
    pub label: Format,
    pub bold_number: Format,
    pub date: Format,
    pub plain: Format,
}

fn base() -> Format {
    Format::new().set_font_name(FONT).set_font_size(11)
}

fn cell() -> Format {
    base()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::VerticalCenter)
}

impl Styles {
    pub fn new() -> Styles {
        Styles {
            title: base().set_bold().set_font_size(14),
            hint: base()
                .set_font_size(10)
                .set_text_wrap()
                .set_align(FormatAlign::VerticalCenter),
            header: cell()
                .set_bold()
                .set_text_wrap()
                .set_align(FormatAlign::Center)
                .set_background_color(HEADER_FILL),
            text: cell().set_num_format("@"),
            wrap: cell().set_num_format("@").set_text_wrap(),
            number: cell(),
            diff: cell()
                .set_num_format("@")
                .set_bold()
                .set_font_color(DIFF_FONT)
                .set_background_color(DIFF_FILL),
            input_text: cell()
                .set_num_format("@")
                .set_unlocked()
                .set_background_color(INPUT_FILL),
            input_date: cell()
                .set_num_format("yyyy-mm-dd")
                .set_unlocked()
                .set_background_color(INPUT_FILL),
            label: cell().set_bold().set_num_format("@"),
            bold_number: cell().set_bold(),
            date: cell().set_num_format("yyyy-mm-dd"),
            plain: base().set_num_format("@"),
        }
    }
}

impl Default for Styles {
    fn default() -> Styles {
        Styles::new()
    }
}
