//! Progress on standard error for long commands: a spinner with the current
//! step, drawn only on a terminal and never with `--quiet`.
//!
//! Takes step names and gives nothing on standard output, ever; and
//! [`Timings`], the seconds each stage took, for a summary to report.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

use serde_json::json;

use indicatif::{ProgressBar, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    pub fn new(quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::new_spinner();
            if let Ok(style) = ProgressStyle::with_template("{spinner} {elapsed} {msg}") {
                bar.set_style(style);
            }
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        });
        Progress { bar }
    }

    pub fn stage(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

/// How long each stage of the run took, in seconds, in order.
#[derive(Debug)]
pub struct Timings {
    stages: Vec<(String, f64)>,
    last: Instant,
}

impl Default for Timings {
    fn default() -> Self {
        Timings::new()
    }
}

impl Timings {
    pub fn new() -> Timings {
        Timings {
            stages: Vec::new(),
            last: Instant::now(),
        }
    }

    /// Ends the stage running since the last call.
    pub fn lap(&mut self, stage: &str) {
        let now = Instant::now();
        self.stages
            .push((stage.to_string(), (now - self.last).as_secs_f64()));
        self.last = now;
    }

    /// The stages and their seconds, in order.
    pub fn stages(&self) -> &[(String, f64)] {
        &self.stages
    }

    /// A list, not an object: the stages in the order they ran.
    pub fn json(&self) -> serde_json::Value {
        self.stages
            .iter()
            .map(|(k, v)| json!({"stage": k, "seconds": (v * 1000.0).round() / 1000.0}))
            .collect()
    }
}
