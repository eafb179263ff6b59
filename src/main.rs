//! The `linli` binary: command line and window over the same core.

fn main() -> std::process::ExitCode {
    linli::cli::run(std::env::args_os(), launch_gui)
}

#[cfg(feature = "gui")]
fn launch_gui(workspace: Option<std::path::PathBuf>) -> Result<(), String> {
    linli::gui::run(workspace)
}

#[cfg(not(feature = "gui"))]
fn launch_gui(_workspace: Option<std::path::PathBuf>) -> Result<(), String> {
    Err("this build has no window (built without the `gui` feature); use the subcommands, see --help".into())
}
