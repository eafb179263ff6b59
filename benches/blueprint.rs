//! The printed blueprint (issue 22, point 5): A3 at 150 dpi and A1 at 300 dpi as PNG, PDF and
//! SVG, of the sample workspace's whole plan over the district (what QGIS's print layout in
//! `/work/shared/bench/qgis_layout.py` frames: the communities' extent) and of one community;
//! the atlas of the sample's streets; each case's peak resident memory (a child process per
//! case, `getrusage` via `wait4`); QGIS's figures in the same run when it is installed.
//! `cargo bench --bench blueprint`.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use linli::cli::blueprint::{AreaChoice, gather, write_atlas};
use linli::i18n::Lang;
use linli::print::{AreaKind, BlueprintInput, Format, PageSpec, Paper, render};
use linli::session::Session;

const COMMUNITY: &str = "蓝村居委会";

fn a3() -> PageSpec {
    PageSpec::default()
}

fn a1_300() -> PageSpec {
    PageSpec {
        paper: Paper::A1,
        landscape: false,
        dpi: 300,
    }
}

/// The whole plan over the district: the district's outline frames the sheet.
fn whole(session: &Session) -> BlueprintInput {
    let mut input = gather(session, &AreaChoice::Community(COMMUNITY.into()), Lang::Zh).unwrap();
    let district = session
        .layers()
        .iter()
        .position(|l| l.name == "浦东新区界")
        .and_then(|i| session.read_layer(i).unwrap());
    input.boundary = district
        .map(|l| l.features.into_iter().map(|f| f.geometry).collect())
        .unwrap_or_default();
    input.name = "浦东新区".into();
    input.community.clear();
    input.street.clear();
    input
}

/// Runs one case in this process: seconds of the best of `runs`, and the output's size.
fn case(ws: &Path, name: &str, runs: usize) -> (f64, usize) {
    let session = Session::open_read_only(ws).unwrap();
    let (input, page, format) = match name {
        "whole-a3-png" => (whole(&session), a3(), Format::Png),
        "whole-a1-png" => (whole(&session), a1_300(), Format::Png),
        "whole-pdf" => (whole(&session), a3(), Format::Pdf),
        "whole-svg" => (whole(&session), a3(), Format::Svg),
        "community-a3-png" => (
            gather(&session, &AreaChoice::Community(COMMUNITY.into()), Lang::Zh).unwrap(),
            a3(),
            Format::Png,
        ),
        "community-a1-png" => (
            gather(&session, &AreaChoice::Community(COMMUNITY.into()), Lang::Zh).unwrap(),
            a1_300(),
            Format::Png,
        ),
        "community-pdf" => (
            gather(&session, &AreaChoice::Community(COMMUNITY.into()), Lang::Zh).unwrap(),
            a3(),
            Format::Pdf,
        ),
        "community-svg" => (
            gather(&session, &AreaChoice::Community(COMMUNITY.into()), Lang::Zh).unwrap(),
            a3(),
            Format::Svg,
        ),
        "atlas-streets-pdf" => {
            let dir = tempfile::tempdir().unwrap();
            let mut best = f64::INFINITY;
            let mut n = 0;
            for i in 0..runs {
                let out = dir.path().join(format!("run{i}"));
                let t = Instant::now();
                let files = write_atlas(
                    &session,
                    AreaKind::Street,
                    Format::Pdf,
                    &a3(),
                    &out,
                    false,
                    Lang::Zh,
                )
                .unwrap();
                best = best.min(t.elapsed().as_secs_f64());
                n = files.len();
            }
            return (best, n);
        }
        other => panic!("unknown case {other}"),
    };
    let mut best = f64::INFINITY;
    let mut size = 0;
    for _ in 0..runs {
        let t = Instant::now();
        let (bytes, _) = render(&input, &page, format, Lang::Zh).unwrap();
        best = best.min(t.elapsed().as_secs_f64());
        size = bytes.len();
        if name == "whole-a3-png" {
            let _ = std::fs::write("/tmp/blueprint_whole_a3.png", &bytes);
        }
    }
    (best, size)
}

/// Runs `case` in a child process of this benchmark: (its printed line, peak RSS bytes).
/// The child is reaped by `wait4`, which also gives its resource use.
#[allow(clippy::zombie_processes)]
fn in_child(ws: &Path, name: &str) -> (String, u64) {
    use std::os::unix::process::CommandExt;
    let exe = std::env::current_exe().unwrap();
    let mut cmd = Command::new(exe);
    cmd.args(["--child", name, ws.to_str().unwrap()]);
    // SAFETY: the hook does nothing; it makes the standard library fork and exec, so the
    // child's peak starts from this small process, not from a shared spawn image.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
    let mut child = cmd.stdout(std::process::Stdio::piped()).spawn().unwrap();
    let pid = child.id() as libc::pid_t;
    let out = child.stdout.take();
    let mut text = String::new();
    if let Some(mut out) = out {
        use std::io::Read;
        out.read_to_string(&mut text).unwrap();
    }
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own un-waited child; status and usage are valid for writes.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    std::mem::forget(child); // already reaped by wait4
    assert!(
        r == pid && libc::WIFEXITED(status) && libc::WEXITSTATUS(status) == 0,
        "{name} failed"
    );
    (text.trim().to_string(), usage.ru_maxrss as u64 * 1024)
}

fn qgis(ws: &Path, dpi: &str, size: &str) -> Option<serde_json::Value> {
    let script = Path::new("/work/shared/bench/qgis_layout.py");
    if !script.is_file() || !Path::new("/usr/bin/python3").is_file() {
        println!("QGIS: skipped ({} is missing)", script.display());
        return None;
    }
    let out_dir = tempfile::tempdir().ok()?;
    let out = Command::new("/usr/bin/python3")
        .env("QT_QPA_PLATFORM", "offscreen")
        .arg(script)
        .arg(ws)
        .arg(out_dir.path())
        .args([dpi, size])
        .output()
        .ok()?;
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        println!(
            "QGIS: skipped (not installed or failed: {})",
            err.lines().last().unwrap_or("")
        );
        return None;
    }
    let text = String::from_utf8_lossy(&out.stdout);
    text.lines()
        .rev()
        .find_map(|l| serde_json::from_str(l).ok())
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(i) = args.iter().position(|a| a == "--child") {
        let (name, ws) = (&args[i + 1], PathBuf::from(&args[i + 2]));
        let runs = if name.contains("a1") || name.starts_with("atlas") {
            2
        } else {
            5
        };
        let (secs, size) = case(&ws, name, runs);
        println!("{secs} {size}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("sample.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    println!("blueprint of the sample workspace ({})", ws.display());
    let mut linli_s = std::collections::BTreeMap::new();
    for name in [
        "whole-a3-png",
        "whole-a1-png",
        "whole-pdf",
        "whole-svg",
        "community-a3-png",
        "community-a1-png",
        "community-pdf",
        "community-svg",
        "atlas-streets-pdf",
    ] {
        let (line, rss) = in_child(&ws, name);
        let mut parts = line.split_whitespace();
        let secs: f64 = parts
            .next()
            .and_then(|s| s.parse().ok())
            .unwrap_or(f64::NAN);
        let size: usize = parts.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        let what = if name.starts_with("atlas") {
            "sheets"
        } else {
            "bytes"
        };
        println!(
            "  {name:<20} {:>9.1} ms   {size:>9} {what}   peak RSS {:>6.1} MB",
            secs * 1e3,
            rss as f64 / 1e6
        );
        linli_s.insert(name, secs);
    }
    let ratio = |ours: f64, theirs: Option<f64>| match theirs {
        Some(t) if t > 0.0 => format!("{:.2}× QGIS's time ({:.0} ms)", ours / t, t * 1e3),
        _ => "no QGIS figure".into(),
    };
    let a3 = qgis(&ws, "150", "A3");
    let a1 = qgis(&ws, "300", "A1");
    let get = |v: &Option<serde_json::Value>, k: &str| v.as_ref().and_then(|v| v[k].as_f64());
    println!("against QGIS's print layout of the same workspace, same run:");
    println!(
        "  A3 150 dpi PNG: Linli {:.0} ms, {}",
        linli_s["whole-a3-png"] * 1e3,
        ratio(linli_s["whole-a3-png"], get(&a3, "png_s"))
    );
    println!(
        "  A1 300 dpi PNG: Linli {:.0} ms, {}",
        linli_s["whole-a1-png"] * 1e3,
        ratio(linli_s["whole-a1-png"], get(&a1, "png_s"))
    );
    println!(
        "  A3 PDF:         Linli {:.0} ms, {}",
        linli_s["whole-pdf"] * 1e3,
        ratio(linli_s["whole-pdf"], get(&a3, "pdf_s"))
    );
}
