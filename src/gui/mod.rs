//! The window.
pub fn run(_workspace: Option<std::path::PathBuf>) -> Result<(), String> { Err("todo".into()) }
