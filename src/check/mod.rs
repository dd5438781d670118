//! `bidui check`'s configuration: the TOML file a county keeps for its
//! monthly check, read and validated into [`config::CheckOptions`], and the
//! check's [`period`] and deadline.

pub mod config;
pub mod period;
pub mod sources;
