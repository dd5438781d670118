//! `bidui check`'s configuration: the TOML file a county keeps for its
//! monthly check, read and validated into [`config::CheckOptions`].

pub mod config;
pub mod sources;
