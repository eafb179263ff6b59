//! Import benchmark: a 50,000-feature, ~30 MB GeoJSON of mixed geometry, 100,000 generated
//! polygons and the real OSM extracts of `../shared` (when it is here), each into a new
//! workspace: wall time and peak memory of `linli import` (the release binary, as a user runs
//! it), beside GDAL's `ogr2ogr -f GPKG` on the same file in the same run when GDAL is installed.
//!
//! Also 400,000 generated polygons (~240 MB) and a 200,000-feature OSM-like building extract
//! written by `common/osm_like.rs` (ogr2ogr's GeoJSON of an OSM `multipolygons` layer, with
//! the broken rings real extracts have), unless `-- --small`.
//!
//! And, when GDAL is installed, a mixed OSM extract of central Shanghai (~38 MB, 100,000
//! features) written as OSM XML by `common/osm_xml.rs` and turned into GeoJSON by GDAL's own
//! OSM driver: points, then lines, then multilinestrings and multipolygons, osmconf's columns.
//!
//! Run: `cargo bench --bench import` (optionally `-- N` for another mixed feature count,
//! `-- --only TEXT` for the inputs whose label holds TEXT, e.g. `--only "mixed OSM"`, and
//! `-- --keep` to leave the inputs and workspaces in a printed directory for a profiler).

#[path = "common/osm_like.rs"]
mod osm_like;
#[path = "common/osm_xml.rs"]
mod osm_xml;

use std::process::Command;
use std::time::{Duration, Instant};

/// Runs a command to completion, after flushing what is waiting to be written; returns wall
/// time and the child's peak resident memory.
///
/// The child is started by `fork` and `exec`, not `posix_spawn`: a spawned child shares this
/// process's memory until it execs, and Linux counts that memory's peak (this bench holds a
/// 28 MB input string at one point) into the child's `ru_maxrss`, so every command measured
/// at least this process's own peak. After a `fork` the child's peak starts at this process's
/// current size, a few MB.
fn measure(cmd: &mut Command) -> Result<(Duration, u64), String> {
    use std::os::unix::process::CommandExt;
    // SAFETY: the hook does nothing; it only makes the standard library fork and exec.
    unsafe {
        cmd.pre_exec(|| Ok(()));
    }
    // Each command starts on a quiet disk: what earlier steps wrote (the inputs just made,
    // the last run's output) is flushed first, not during this run's own writes and syncs.
    // SAFETY: sync takes no arguments and cannot fail.
    unsafe { libc::sync() };
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

/// The inputs: the synthetic mixed file, then, when `../shared` is here, 100,000 generated
/// polygons (`bench/gen_polygons.py`, ~60 MB) and the real OSM extracts.
fn inputs(
    dir: &std::path::Path,
    n: usize,
    large: bool,
    has_gdal: bool,
    want: &dyn Fn(&str) -> bool,
) -> Vec<(String, std::path::PathBuf)> {
    let mut out = Vec::new();
    let mixed = dir.join("mixed.geojson");
    match want("mixed features (synthetic)").then(|| {
        std::fs::write(
            &mixed,
            linli::sample::synthetic::mixed_feature_collection(n),
        )
    }) {
        None => {}
        Some(Ok(())) => out.push((format!("{n} mixed features (synthetic)"), mixed)),
        Some(Err(e)) => eprintln!("cannot write the synthetic input: {e}"),
    }
    let shared = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let script = shared.join("bench/gen_polygons.py");
    let counts: &[usize] = if large {
        &[100_000, 400_000]
    } else {
        &[100_000]
    };
    for &count in counts.iter().filter(|_| want("polygons (gen_polygons.py)")) {
        let polygons = dir.join(format!("polygons{count}.geojson"));
        if script.is_file()
            && Command::new("python3")
                .arg(&script)
                .arg(count.to_string())
                .arg(&polygons)
                .status()
                .is_ok_and(|s| s.success())
        {
            out.push((format!("{count} polygons (gen_polygons.py)"), polygons));
        } else {
            println!(
                "{count} polygons: skipped (../shared/bench/gen_polygons.py or python3 absent)"
            );
        }
    }
    if large && want("OSM-like buildings") {
        let osm = dir.join("osm_like.geojson");
        match osm_like::write(200_000, &osm) {
            Ok(()) => out.push((
                "200000 OSM-like buildings (common/osm_like.rs, ogr2ogr's multipolygons form)"
                    .into(),
                osm,
            )),
            Err(e) => eprintln!("cannot write the OSM-like input: {e}"),
        }
    }
    if !want("mixed OSM extract") {
    } else if has_gdal {
        let xml = dir.join("shanghai.osm");
        let geojson = dir.join("osm_mixed.geojson");
        let made = osm_xml::write_osm(1.0, &xml)
            .map_err(|e| e.to_string())
            .and_then(|()| osm_xml::to_geojson(&xml, &geojson));
        match made {
            Ok(()) => out.push((
                "mixed OSM extract (common/osm_xml.rs through GDAL's OSM driver: points, lines, multilinestrings, multipolygons)".into(),
                geojson,
            )),
            Err(e) => println!("mixed OSM extract: skipped ({e})"),
        }
    } else {
        println!(
            "mixed OSM extract: skipped (GDAL's ogr2ogr, which writes it from OSM XML, is not installed)"
        );
    }
    let osm = shared.join("data/osm_shanghai_west_evdata");
    let mut extracts: Vec<std::path::PathBuf> = std::fs::read_dir(&osm)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    extracts.sort();
    for path in extracts
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "geojson"))
    {
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if want("OSM extract") {
            out.push((format!("OSM extract {name}"), path));
        }
    }
    out
}

fn main() {
    let n: usize = std::env::args()
        .skip(1)
        .find_map(|a| a.parse().ok())
        .unwrap_or(50_000);
    let args: Vec<String> = std::env::args().collect();
    let large = !args.iter().any(|a| a == "--small");
    // `--only TEXT`: only the inputs whose label holds TEXT (e.g. `--only OSM`).
    let only = args
        .iter()
        .position(|a| a == "--only")
        .and_then(|i| args.get(i + 1).cloned());
    // `--keep`: leave the inputs and outputs in their directory (printed) for a profiler.
    let keep = args.iter().any(|a| a == "--keep");
    let Ok(tmp) = tempfile::tempdir() else {
        eprintln!("cannot create a temporary directory");
        std::process::exit(1);
    };
    let (dir, _removed_at_exit) = if keep {
        let path = tmp.keep();
        println!("inputs and outputs kept in {}", path.display());
        (path, None)
    } else {
        (tmp.path().to_path_buf(), Some(tmp))
    };
    let has_gdal = Command::new("ogr2ogr")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_gdal {
        println!(
            "ogr2ogr -f GPKG: skipped (GDAL is not installed: apt-get install gdal-bin); no ratios"
        );
    }
    let linli = env!("CARGO_BIN_EXE_linli");
    for (k, (label, file)) in inputs(&dir, n, large, has_gdal, &|label| {
        only.as_deref().is_none_or(|o| label.contains(o))
    })
    .into_iter()
    .enumerate()
    {
        let mb = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
        println!("input: {label}, {mb:.1} MB");
        // The best of several runs of each, the two tools taking turns, so that both meet the
        // same moments of this machine's disk and scheduler (which vary by a third from run
        // to run). Big files twice (a run of ogr2ogr on them takes half a minute), mid-sized
        // ones five times, small ones, which take a tenth of a second, seven times.
        let runs = if mb > 100.0 {
            2
        } else if mb > 10.0 {
            5
        } else {
            7
        };
        let ours_run = |i: usize| {
            let ws = dir.join(format!("linli{k}-{i}.gpkg"));
            let created = Command::new(linli)
                .args(["new"])
                .arg(&ws)
                .output()
                .map_err(|e| e.to_string())?;
            if !created.status.success() {
                return Err("linli new failed".to_string());
            }
            measure(
                Command::new(linli)
                    .arg("import")
                    .arg(&ws)
                    .arg(&file)
                    .args(["--layer", "bench"]),
            )
        };
        let gdal_run = |i: usize| {
            let out = dir.join(format!("gdal{k}-{i}.gpkg"));
            measure(
                Command::new("ogr2ogr")
                    .args(["-f", "GPKG"])
                    .arg(&out)
                    .arg(&file)
                    .stderr(std::process::Stdio::null()),
            )
        };
        let mut gdal_runs = Vec::new();
        let ours = best_of(runs, |i| {
            let ours = ours_run(i);
            if has_gdal {
                gdal_runs.push(gdal_run(i));
            }
            ours
        });
        let Ok((t_ours, m_ours)) = ours else {
            println!("  linli import failed: {ours:?}");
            continue;
        };
        println!(
            "  linli import:     {:7.3} s  peak {:6.1} MB",
            t_ours.as_secs_f64(),
            m_ours as f64 / 1e6
        );
        if !has_gdal {
            continue;
        }
        let mut gdal_runs = gdal_runs.into_iter();
        let gdal = best_of(runs, |_| {
            gdal_runs
                .next()
                .unwrap_or_else(|| Err("ogr2ogr did not run".into()))
        });
        match gdal {
            Ok((t, m)) => {
                println!(
                    "  ogr2ogr -f GPKG:  {:7.3} s  peak {:6.1} MB",
                    t.as_secs_f64(),
                    m as f64 / 1e6
                );
                println!(
                    "  linli / ogr2ogr:  {:.2}x time, {:.2}x peak memory (targets: <= 0.30x, <= 1.00x)",
                    t_ours.as_secs_f64() / t.as_secs_f64(),
                    m_ours as f64 / m as f64
                );
            }
            Err(e) => println!("  ogr2ogr failed: {e}"),
        }
    }
}
