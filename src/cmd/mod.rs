//! One module per subcommand: each takes its options from the [`Config`]
//! and its input and output streams, and gives an exit code.
//!
//! [`Config`]: crate::config::Config

pub mod check;
pub mod corrections;
pub mod id;
pub mod import;
pub mod inspect;
pub mod link;
pub mod sample;
pub mod score;
pub mod status;
