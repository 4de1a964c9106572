//! The user's mistakes: a [`UsageError`] is printed by `main` as one line on
//! stderr with exit status 2, as the runtime binaries do; every other error
//! exits 1.

/// A mistake of the user's (bad option, unreadable results file): `main`
/// prints it as one line and exits with status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

impl From<dispenser_core::limits::LimitError> for UsageError {
    fn from(e: dispenser_core::limits::LimitError) -> Self {
        UsageError(e.to_string())
    }
}

/// Shorthand for an `anyhow::Error` carrying a [`UsageError`].
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

/// True when `e` (or anything in its chain) is a [`UsageError`].
pub fn is_usage(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<UsageError>())
}
