//! The printed blueprint: a sample community as PDF, PNG and SVG, what each holds (the PDF's
//! font embedded as a subset and its text recoverable, the SVG well-formed, the PNG's pixel
//! size), the legend's element types, the atlas, and the errors of bad input.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Command;

use linli::cli::blueprint::{AreaChoice, area_names, gather};
use linli::i18n::Lang;
use linli::print::{AreaKind, Format, PageSpec, Paper, render};

const COMMUNITY: &str = "蓝村居委会";

fn workspace(dir: &Path) -> std::path::PathBuf {
    let ws = dir.join("ws.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    ws
}

fn has(program: &str) -> bool {
    Command::new(program)
        .arg("-v")
        .output()
        .is_ok_and(|o| o.status.success() || !o.stderr.is_empty())
}

#[test]
fn a_community_as_pdf_png_and_svg() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let ws_s = ws.to_str().unwrap();
    for ext in ["pdf", "png", "svg"] {
        let out = dir.path().join(format!("sheet.{ext}"));
        let text = common::stdout(&[
            "blueprint",
            ws_s,
            "--community",
            COMMUNITY,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert!(text.contains("wrote the blueprint"), "{text}");
        assert!(out.is_file());
    }

    // PDF: vector, small, the font embedded as a subset, the text recoverable.
    let pdf = dir.path().join("sheet.pdf");
    let bytes = std::fs::read(&pdf).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() <= 1_000_000, "{} bytes", bytes.len());
    if has("pdffonts") && has("pdftotext") {
        let fonts = Command::new("pdffonts").arg(&pdf).output().unwrap();
        let fonts = String::from_utf8_lossy(&fonts.stdout).to_string();
        let droid = fonts
            .lines()
            .find(|l| l.contains("DroidSansFallback"))
            .unwrap_or_else(|| panic!("the CJK font is not in the PDF:\n{fonts}"));
        // name: a subset tag "ABCDEF+"; columns emb and sub: yes yes.
        let name = droid.split_whitespace().next().unwrap();
        assert!(name.len() > 7 && name.as_bytes()[6] == b'+', "{droid}");
        assert!(droid.contains("yes yes"), "embedded and subset: {droid}");
        let text = Command::new("pdftotext")
            .args([pdf.to_str().unwrap(), "-"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&text.stdout).to_string();
        assert!(text.contains("Community planning blueprint"), "{text}");
        assert!(text.contains(COMMUNITY), "{text}");
        assert!(text.contains("PD-2022-TQ-01"), "{text}");
    } else {
        println!("skipped pdffonts/pdftotext checks: poppler-utils is not installed");
    }

    // SVG: well-formed XML with the title and the community's name as text.
    let svg = std::fs::read_to_string(dir.path().join("sheet.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).expect("the SVG parses");
    let texts: Vec<&str> = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text())
        .collect();
    assert!(texts.iter().any(|t| t.contains(COMMUNITY)), "{texts:?}");
    assert_eq!(doc.root_element().tag_name().name(), "svg");

    // PNG: A3 portrait at 150 dpi.
    let png = std::fs::File::open(dir.path().join("sheet.png")).unwrap();
    let info = png::Decoder::new(std::io::BufReader::new(png))
        .read_info()
        .unwrap();
    let (w, h) = (info.info().width, info.info().height);
    assert_eq!((w, h), (1754, 2480));
}

#[test]
fn the_legend_lists_exactly_the_element_types_in_the_frame() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let session = linli::session::Session::open_read_only(&ws).unwrap();
    let all: std::collections::BTreeSet<&str> =
        session.plan().iter().map(|f| f.element.as_str()).collect();
    let input = gather(&session, &AreaChoice::Community(COMMUNITY.into()), Lang::Zh).unwrap();
    let (_, laid) = render(&input, &PageSpec::default(), Format::Svg, Lang::Zh).unwrap();
    let legend: std::collections::BTreeSet<&str> = laid.legend.iter().map(String::as_str).collect();
    // 蓝村: two public facilities and a slow-travel line cross its frame, nothing else.
    assert_eq!(
        legend,
        ["public_facility", "slow_network"].into_iter().collect(),
        "all: {all:?}"
    );
    assert!(
        legend.len() < all.len(),
        "the area has fewer types than the plan"
    );
    // Every type listed is drawn in the frame, and the legend names it in the sheet's words.
    let svg = linli::print::svg::to_svg(&laid.sheet);
    for key in &laid.legend {
        let name = &session.catalog().get(key).unwrap().name_zh;
        assert!(svg.contains(name.as_str()), "{name}");
    }
    // The whole plan, framed by a street with more types, lists more.
    let street = gather(&session, &AreaChoice::Street("陆家嘴街道".into()), Lang::En).unwrap();
    let (_, laid) = render(&street, &PageSpec::default(), Format::Svg, Lang::En).unwrap();
    assert!(!laid.legend.is_empty());
    for key in &laid.legend {
        assert!(all.contains(key.as_str()));
    }
}

#[test]
fn png_sizes_follow_paper_and_dpi() {
    let a3 = PageSpec::default();
    assert_eq!(a3.size_px(), (1754, 2480));
    let a3_landscape = PageSpec {
        landscape: true,
        ..a3
    };
    assert_eq!(a3_landscape.size_px(), (2480, 1754));
    let a1 = PageSpec {
        paper: Paper::A1,
        landscape: false,
        dpi: 300,
    };
    assert_eq!(a1.size_px(), (7016, 9933));
}

#[test]
fn an_atlas_writes_one_sheet_per_street() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let session = linli::session::Session::open_read_only(&ws).unwrap();
    let streets = area_names(&session, AreaKind::Street);
    drop(session);
    assert!(streets.len() > 1);
    let out = dir.path().join("atlas");
    let text = common::stdout(&[
        "blueprint",
        ws.to_str().unwrap(),
        "--atlas",
        "street",
        "--format",
        "svg",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(
        text.contains(&format!("wrote {} blueprint sheets", streets.len())),
        "{text}"
    );
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = streets.iter().map(|s| format!("{s}.svg")).collect();
    expected.sort();
    assert_eq!(files, expected);
    // A second run refuses to replace them without --force.
    let again = common::run(&[
        "blueprint",
        ws.to_str().unwrap(),
        "--atlas",
        "street",
        "--format",
        "svg",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(!again.status.success());
}

#[test]
fn bad_inputs_give_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ws = workspace(dir.path());
    let ws_s = ws.to_str().unwrap();
    let err = |args: &[&str]| {
        let out = common::run(args);
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    let out_pdf = dir.path().join("x.pdf");
    let e = err(&[
        "blueprint",
        ws_s,
        "--community",
        "蓝村",
        "-o",
        out_pdf.to_str().unwrap(),
    ]);
    assert!(e.contains("no community named \"蓝村\""), "{e}");
    assert!(e.contains("蓝村居委会"), "close names listed: {e}");
    let e = err(&[
        "blueprint",
        ws_s,
        "--street",
        "Nowhere",
        "-o",
        out_pdf.to_str().unwrap(),
    ]);
    assert!(e.contains("no street named"), "{e}");
    let jpg = dir.path().join("x.jpg");
    let e = err(&[
        "blueprint",
        ws_s,
        "--community",
        COMMUNITY,
        "-o",
        jpg.to_str().unwrap(),
    ]);
    assert!(e.contains(".pdf, .png or .svg"), "{e}");
    let e = err(&[
        "blueprint",
        ws_s,
        "--project",
        "NOPE-1",
        "-o",
        out_pdf.to_str().unwrap(),
    ]);
    assert!(e.contains("NOPE-1"), "{e}");
    // The workspace itself is never the output.
    let e = err(&["blueprint", ws_s, "--community", COMMUNITY, "-o", ws_s]);
    assert!(!e.is_empty());
    // No area at all is a usage error.
    let usage = common::run(&["blueprint", ws_s, "-o", out_pdf.to_str().unwrap()]);
    assert_eq!(usage.status.code(), Some(2));
    // A project's sheet works.
    let p = dir.path().join("p.svg");
    common::stdout(&[
        "blueprint",
        ws_s,
        "--project",
        "PD-2022-TQ-01",
        "-o",
        p.to_str().unwrap(),
    ]);
    assert!(
        std::fs::read_to_string(&p)
            .unwrap()
            .contains("PD-2022-TQ-01")
    );
}
