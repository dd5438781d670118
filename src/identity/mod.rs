//! The normalising stage: the identity core every other stage speaks.
//!
//! Takes raw cell texts and gives typed values: [`id_number`] for citizen ID
//! numbers and the permits that stand in their column, [`region`] for the
//! GB/T 2260 codes inside them, [`name`] for personal names and their pinyin
//! keys, [`date`] for dates in every format the registers write, and
//! [`codes`] for sex, marital status, household status and ethnicity.

pub mod codes;
pub mod date;
pub mod id_number;
pub mod name;
pub mod region;

pub use codes::{Coded, Ethnicity, HouseholdStatus, Marital, Sex, parse_code};
pub use date::{Date, DateError, parse_date};
pub use id_number::{IdKind, IdNumber, IdParser, IdProblem, mask};
pub use name::{NameStatus, PersonName, normalize_name};
pub use region::Region;
