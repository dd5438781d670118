//! Test-only failpoints: kill the process at a chosen point, so a test can
//! prove that what was interrupted left nothing half-written.
//!
//! Takes the environment variable `BIDUI_FAILPOINT=NAME:N` (read once) and
//! gives [`hit`], which aborts the process — as a power cut or `kill -9`
//! would, no destructors, no rollback — when failpoint `NAME` is reached
//! for the N-th time. Nothing sets the variable but the tests; unset, a
//! failpoint costs one comparison. Failpoints: `import-after-rows:N`
//! (docs/import.md).

use std::sync::OnceLock;

/// The failpoint asked for, if any: its name and count.
fn armed() -> Option<&'static (String, u64)> {
    static ARMED: OnceLock<Option<(String, u64)>> = OnceLock::new();
    ARMED
        .get_or_init(|| {
            let v = std::env::var("BIDUI_FAILPOINT").ok()?;
            let (name, n) = v.rsplit_once(':')?;
            Some((name.to_string(), n.trim().parse().ok()?))
        })
        .as_ref()
}

/// Aborts the process when `name` is the armed failpoint and `count` has
/// reached its number.
pub fn hit(name: &str, count: u64) {
    if let Some((armed, n)) = armed()
        && armed == name
        && count >= *n
    {
        eprintln!("bidui: failpoint {name}:{n} reached, aborting (test only)");
        std::process::abort();
    }
}
