//! Floating windows: the GeoJSON [`import`] form, the [`basemap`] window and the [`projects`]
//! window (table and form), the [`records`] window (people, meetings, the annual task list), the
//! [`stats`] window with its [`stats_chart`], [`coverage`], the [`export`] dialog and [`help`]. Each keeps its own form
//! state and returns what the user asked for.

pub mod alternatives;
pub mod attachments;
pub mod basemap;
pub mod compare;
pub mod coverage;
pub mod district;
pub mod export;
pub mod help;
pub mod import;
pub mod meeting_form;
pub mod pickers;
pub mod print;
pub mod project_form;
pub mod projects;
pub mod records;
pub mod roster_picker;
pub mod slides_form;
pub mod stats;
pub mod stats_chart;
pub mod table;
