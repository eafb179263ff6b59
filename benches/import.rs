//! Import benchmark: a 50,000-feature, ~30 MB GeoJSON of mixed geometry into a new workspace,
//! wall time and peak memory of `linli import` (the release binary, as a user runs it), beside
//! GDAL's `ogr2ogr -f GPKG` on the same file when GDAL is installed.
//!
//! Run: `cargo bench --bench import` (optionally `-- N` for another feature count).

use std::process::Command;
use std::time::{Duration, Instant};

/// Runs a command to completion; returns wall time and the child's peak resident memory.
fn measure(cmd: &mut Command) -> Result<(Duration, u64), String> {
    let start = Instant::now();
    let child = cmd
        .stdout(std::process::Stdio::null())
        .spawn()
        .map_err(|e| e.to_string())?;
    let pid = child.id() as libc::pid_t;
    let mut status = 0;
    // SAFETY: an all-zero rusage is a valid value for wait4 to overwrite.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: pid is our own un-waited child; status and usage are valid for writes.
    let r = unsafe { libc::wait4(pid, &mut status, 0, &mut usage) };
    let wall = start.elapsed();
    std::mem::forget(child); // already reaped by wait4
    if r != pid || !libc::WIFEXITED(status) || libc::WEXITSTATUS(status) != 0 {
        return Err(format!("command failed (status {status})"));
    }
    Ok((wall, usage.ru_maxrss as u64 * 1024))
}

fn best_of(
    runs: usize,
    mut f: impl FnMut(usize) -> Result<(Duration, u64), String>,
) -> Result<(Duration, u64), String> {
    let mut best: Option<(Duration, u64)> = None;
    for i in 0..runs {
        let (t, m) = f(i)?;
        best = Some(match best {
            Some((bt, bm)) => (bt.min(t), bm.max(m)),
            None => (t, m),
        });
    }
    best.ok_or_else(|| "no runs".into())
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(50_000);
    let Ok(dir) = tempfile::tempdir() else {
        eprintln!("cannot create a temporary directory");
        std::process::exit(1);
    };
    let file = dir.path().join("mixed.geojson");
    if let Err(e) = std::fs::write(&file, linli::sample::synthetic::mixed_feature_collection(n)) {
        eprintln!("cannot write the input: {e}");
        std::process::exit(1);
    }
    let mb = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    println!("input: {n} features (points, lines, polygons), {mb:.1} MB");

    let linli = env!("CARGO_BIN_EXE_linli");
    let ours = best_of(3, |i| {
        let ws = dir.path().join(format!("linli{i}.gpkg"));
        let created = Command::new(linli)
            .args(["new"])
            .arg(&ws)
            .output()
            .map_err(|e| e.to_string())?;
        if !created.status.success() {
            return Err("linli new failed".into());
        }
        measure(
            Command::new(linli)
                .arg("import")
                .arg(&ws)
                .arg(&file)
                .args(["--layer", "bench"]),
        )
    });
    let Ok((t_ours, m_ours)) = ours else {
        eprintln!("linli import failed: {ours:?}");
        std::process::exit(1);
    };
    println!(
        "linli import:       {:7.3} s  peak {:6.1} MB  ({:.0} features/s)",
        t_ours.as_secs_f64(),
        m_ours as f64 / 1e6,
        n as f64 / t_ours.as_secs_f64()
    );

    let has_gdal = Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_gdal {
        println!("ogr2ogr -f GPKG:    skipped (GDAL is not installed: apt-get install gdal-bin)");
        return;
    }
    let gdal = best_of(3, |i| {
        let out = dir.path().join(format!("gdal{i}.gpkg"));
        measure(
            Command::new("ogr2ogr")
                .args(["-f", "GPKG"])
                .arg(&out)
                .arg(&file),
        )
    });
    match gdal {
        Ok((t, m)) => {
            println!(
                "ogr2ogr -f GPKG:    {:7.3} s  peak {:6.1} MB",
                t.as_secs_f64(),
                m as f64 / 1e6
            );
            println!(
                "ratio (ogr2ogr / linli): {:.2}× time, {:.2}× memory",
                t.as_secs_f64() / t_ours.as_secs_f64(),
                m as f64 / m_ours as f64
            );
        }
        Err(e) => println!("ogr2ogr failed: {e}"),
    }
}
