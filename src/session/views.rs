//! The capability views a [`Session`] hands out: [`Records`] (the roster, tasks, meetings and
//! attachments, read-only) and [`Analysis`] (project tables, statistics, coverage and rule
//! checks). A view is a borrowed session and nothing more, so it is free to make; what it
//! returns borrows from the session, not from the view, so a caller may keep the results while
//! it goes on using the session.

use super::Session;

/// The records of the roster, tasks, meetings and attachments, read-only (see
/// [`Session::records`]). Changes go through [`Session::apply`].
#[derive(Debug, Clone, Copy)]
pub struct Records<'s> {
    pub(super) session: &'s Session,
}

/// Project tables and statistics, coverage and rule checks, computed from the session's data
/// and never stored (see [`Session::analysis`]).
#[derive(Debug, Clone, Copy)]
pub struct Analysis<'s> {
    pub(super) session: &'s Session,
}

impl Session {
    /// The roster, tasks, meetings and attachments, read-only.
    pub fn records(&self) -> Records<'_> {
        Records { session: self }
    }

    /// Project tables, statistics, coverage and rule checks.
    pub fn analysis(&self) -> Analysis<'_> {
        Analysis { session: self }
    }
}
