//! Times as planners read them. Every time is stored in UTC (RFC 3339 to the second,
//! `2026-12-06T19:00:51Z`, as [`crate::model::project::utc_text`] writes it) and shown in the
//! local zone with its offset (`2026-12-07 03:00:51 +08:00`): the window's change history,
//! the projects export, the command line.
//!
//! The local zone is the machine's own ([`LocalZone::system`]: `TZ`, else `/etc/localtime` on
//! Linux and macOS, else Windows' setting): a planner's machine is set to Asia/Shanghai. Only
//! when the system's zone cannot be told at all is Shanghai taken (UTC+8, with no daylight
//! saving since 1991), because that is where the users are. The offset is always printed, so a
//! time read on a machine set elsewhere is still unambiguous.

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

/// The zone times are shown in.
#[derive(Debug, Clone)]
pub struct LocalZone(TimeZone);

impl LocalZone {
    /// The machine's zone; Asia/Shanghai when the system's zone cannot be determined.
    pub fn system() -> Self {
        let zone = TimeZone::try_system()
            .or_else(|_| TimeZone::get("Asia/Shanghai"))
            .unwrap_or_else(|_| TimeZone::fixed(shanghai_offset()));
        Self(zone)
    }

    /// A fixed offset from UTC, in whole hours (tests, and machines with no zone database).
    pub fn fixed_hours(hours: i8) -> Self {
        let offset = Offset::from_hours(hours).unwrap_or(Offset::UTC);
        Self(TimeZone::fixed(offset))
    }

    /// A stored UTC time (RFC 3339) as local time with the offset, `YYYY-MM-DD HH:MM:SS
    /// +HH:MM`. Text that is not such a time (a record another program wrote) is returned as
    /// it is, never dropped.
    ///
    /// ```
    /// use linli::model::local_time::LocalZone;
    /// let shanghai = LocalZone::fixed_hours(8);
    /// assert_eq!(shanghai.local_text("2026-12-06T19:00:51Z"), "2026-12-07 03:00:51 +08:00");
    /// assert_eq!(shanghai.local_text("yesterday"), "yesterday");
    /// ```
    pub fn local_text(&self, utc: &str) -> String {
        match utc.trim().parse::<Timestamp>() {
            Ok(ts) => ts
                .to_zoned(self.0.clone())
                .strftime("%Y-%m-%d %H:%M:%S %:z")
                .to_string(),
            Err(_) => utc.to_string(),
        }
    }

    /// The local date of a moment given in seconds since 1970, `YYYY-MM-DD`.
    pub fn date_of(&self, unix_secs: i64) -> String {
        match Timestamp::from_second(unix_secs) {
            Ok(ts) => ts.to_zoned(self.0.clone()).strftime("%Y-%m-%d").to_string(),
            Err(_) => {
                let mut day = crate::model::project::utc_text(unix_secs);
                day.truncate(10);
                day
            }
        }
    }

    /// Today's local date, `YYYY-MM-DD`.
    pub fn today(&self) -> String {
        self.date_of(Timestamp::now().as_second())
    }
}

/// Shanghai's offset, UTC+8.
fn shanghai_offset() -> Offset {
    Offset::from_hours(8).unwrap_or(Offset::UTC)
}

/// Today's date in the machine's zone (see [`LocalZone::system`]), `YYYY-MM-DD`: what
/// "overdue" is measured against and what a stage or an attachment is dated.
pub fn today_local() -> String {
    LocalZone::system().today()
}

/// A stored UTC time shown in the machine's zone with its offset ([`LocalZone::local_text`]).
pub fn local_text(utc: &str) -> String {
    LocalZone::system().local_text(utc)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_utc_time_is_shown_as_local_time_with_its_offset() {
        let shanghai = LocalZone::fixed_hours(8);
        assert_eq!(
            shanghai.local_text("2026-12-06T19:00:51Z"),
            "2026-12-07 03:00:51 +08:00"
        );
        assert_eq!(
            LocalZone::fixed_hours(0).local_text("2026-12-06T19:00:51Z"),
            "2026-12-06 19:00:51 +00:00"
        );
        assert_eq!(
            LocalZone::fixed_hours(-5).local_text("2026-12-06T02:00:00Z"),
            "2026-12-05 21:00:00 -05:00"
        );
        // Not a time: kept as it is.
        assert_eq!(shanghai.local_text(""), "");
        assert_eq!(shanghai.local_text("2026-13-01"), "2026-13-01");
    }

    #[test]
    fn the_local_date_turns_at_local_midnight() {
        let shanghai = LocalZone::fixed_hours(8);
        // 2026-11-30T16:00:00Z is midnight in Shanghai: already 1 December there.
        assert_eq!(shanghai.date_of(1_796_054_400), "2026-12-01");
        assert_eq!(shanghai.date_of(1_796_054_399), "2026-11-30");
        assert_eq!(
            LocalZone::fixed_hours(0).date_of(1_796_054_400),
            "2026-11-30"
        );
        assert_eq!(today_local().len(), 10);
        // The system's zone is whatever the machine says; its output has the offset form.
        let shown = local_text("2026-12-06T19:00:51Z");
        assert_eq!(shown.len(), "2026-12-07 03:00:51 +08:00".len(), "{shown}");
    }
}
