//! The blueprint's furniture and side panel: north arrow, scale bar, legend, project list.

use super::*;

pub(super) fn north_arrow(out: &mut Out<'_>, c: Pt, u: f32, lang: Lang) {
    let (hw, hh) = (4.0 * u, 9.0 * u);
    let tip = [c[0], c[1] - hh * 0.4];
    let base_y = c[1] + hh * 0.6;
    out.sheet.fill(
        vec![crate::print::draw::circle(
            [c[0], c[1] + 0.1 * hh],
            hh * 0.85,
        )],
        [235, 235, 235, 235],
    );
    out.sheet.fill(
        vec![vec![tip, [c[0] - hw, base_y], [c[0], base_y - hh * 0.3]]],
        look::INK,
    );
    out.sheet.fill(
        vec![vec![tip, [c[0], base_y - hh * 0.3], [c[0] + hw, base_y]]],
        look::PAPER,
    );
    out.sheet.line(
        vec![
            tip,
            [c[0] + hw, base_y],
            [c[0], base_y - hh * 0.3],
            [c[0] - hw, base_y],
        ],
        true,
        0.8 * u / PT_PER_MM,
        look::INK,
    );
    out.text(
        [c[0], tip[1] - 1.5 * u],
        PrintText::North.get(lang),
        look::BODY * u / PT_PER_MM,
        look::INK,
        Anchor::Middle,
    );
}

pub(super) fn scale_bar(out: &mut Out<'_>, at: Pt, ground_m_per_pt: f64, u: f32, lang: Lang) {
    let (length_m, length_pt) = scale_bar_length(ground_m_per_pt, 60.0 * u);
    let h = 2.2 * u;
    let size = look::SMALL * u / PT_PER_MM;
    let ratio = crate::i18n::scale_ratio_text(ground_m_per_pt * f64::from(PT_PER_MM) * 1000.0);
    let label = crate::i18n::scale_bar_text(lang, length_m);
    let backdrop = [
        at[0] - 3.0 * u,
        at[1] - h - 9.0 * u,
        at[0] + length_pt + 14.0 * u,
        at[1] + 3.0 * u,
    ];
    out.sheet
        .fill(vec![rect_ring(backdrop)], [240, 240, 240, 240]);
    for i in 0..4 {
        let x0 = at[0] + length_pt * i as f32 / 4.0;
        let x1 = at[0] + length_pt * (i + 1) as f32 / 4.0;
        let r = [x0, at[1] - h, x1, at[1]];
        out.sheet.fill(
            vec![rect_ring(r)],
            if i % 2 == 0 { look::INK } else { look::PAPER },
        );
    }
    out.sheet.line(
        rect_ring([at[0], at[1] - h, at[0] + length_pt, at[1]]),
        true,
        0.5 * u / PT_PER_MM * 2.0,
        look::INK,
    );
    out.text(
        [at[0], at[1] - h - 1.5 * u],
        "0",
        size,
        look::INK,
        Anchor::Middle,
    );
    out.text(
        [at[0] + length_pt, at[1] - h - 1.5 * u],
        &label,
        size,
        look::INK,
        Anchor::Middle,
    );
    out.text(
        [at[0] + length_pt / 2.0, at[1] - h - 5.0 * u],
        &ratio,
        size,
        look::MUTED,
        Anchor::Middle,
    );
}

pub(super) fn panel_block(
    out: &mut Out<'_>,
    input: &BlueprintInput,
    legend: &[String],
    panel: [f32; 4],
    u: f32,
    lang: Lang,
    side: bool,
) {
    // Portrait: legend on the left third, projects on the rest; landscape: stacked.
    let (legend_box, projects_box) = if side {
        let split = panel[1] + (panel[3] - panel[1]) * 0.45;
        (
            [panel[0], panel[1], panel[2], split],
            [panel[0], split + 3.0 * u, panel[2], panel[3] - 12.0 * u],
        )
    } else {
        let split = panel[0] + (panel[2] - panel[0]) * 0.36;
        (
            [panel[0], panel[1], split - 3.0 * u, panel[3] - 12.0 * u],
            [split + 3.0 * u, panel[1], panel[2], panel[3] - 12.0 * u],
        )
    };
    legend_block(out, input, legend, legend_box, u, lang);
    projects_block(out, input, projects_box, u, lang);
    // The data note along the bottom.
    let note = format!(
        "{}{} {}",
        PrintText::Data.get(lang),
        if lang == Lang::Zh { "：" } else { ":" },
        words::joined(lang, &input.attribution)
    );
    let y = panel[3] - 2.0 * u;
    let max = panel[2] - panel[0];
    let note = out.fitted(&note, look::SMALL * u / PT_PER_MM, max * 0.8);
    out.text(
        [panel[0], y],
        &note,
        look::SMALL * u / PT_PER_MM,
        look::MUTED,
        Anchor::Start,
    );
    out.text(
        [panel[2], y],
        PrintText::MadeWith.get(lang),
        look::SMALL * u / PT_PER_MM,
        look::MUTED,
        Anchor::End,
    );
}

fn heading(out: &mut Out<'_>, r: [f32; 4], text: &str, u: f32) -> f32 {
    out.text(
        [r[0], r[1] + 6.0 * u],
        text,
        look::HEADING * u / PT_PER_MM,
        look::ACCENT,
        Anchor::Start,
    );
    out.sheet.line(
        vec![[r[0], r[1] + 8.5 * u], [r[2], r[1] + 8.5 * u]],
        false,
        0.5 * u,
        look::ACCENT,
    );
    r[1] + 15.0 * u
}

fn legend_block(
    out: &mut Out<'_>,
    input: &BlueprintInput,
    legend: &[String],
    r: [f32; 4],
    u: f32,
    lang: Lang,
) {
    let mut y = heading(out, r, PrintText::Legend.get(lang), u);
    let row = 6.6 * u;
    let sw = [9.0 * u, 4.4 * u];
    let cols = if (r[2] - r[0]) > 150.0 * u { 2 } else { 1 };
    let col_w = (r[2] - r[0]) / cols as f32;
    let mut entries: Vec<(Swatch, String)> = Vec::new();
    if !input.boundary.is_empty() {
        entries.push((Swatch::Area, PrintText::AreaBoundary.get(lang).to_string()));
    }
    for l in &input.layers {
        match l.role {
            LayerRole::Streets => entries.push((
                Swatch::Layer(l.role),
                PrintText::StreetBoundary.get(lang).to_string(),
            )),
            LayerRole::Communities => entries.push((
                Swatch::Layer(l.role),
                PrintText::CommunityBoundary.get(lang).to_string(),
            )),
            _ => {}
        }
    }
    for key in legend {
        if let Some(e) = input.catalog.get(key) {
            let name = match lang {
                Lang::Zh => e.name_zh.clone(),
                Lang::En => e.name_en.clone(),
            };
            entries.push((Swatch::Element(key.clone(), e.geometry), name));
        }
    }
    if legend.is_empty() {
        entries.push((Swatch::None, PrintText::NoElements.get(lang).to_string()));
    }
    let rows = (((r[3] - y) / row).floor() as usize).max(1);
    let capacity = rows * cols;
    let shown = if entries.len() > capacity {
        capacity - 1
    } else {
        entries.len()
    };
    let more = entries.len() - shown;
    for (i, (swatch, name)) in entries.into_iter().take(shown).enumerate() {
        let (col, line) = (i / rows, i % rows);
        let x = r[0] + col as f32 * col_w;
        let top = y + line as f32 * row;
        let b = [x, top, x + sw[0], top + sw[1]];
        draw_swatch(out, &input.catalog, &swatch, b, u);
        let name = out.fitted(&name, look::BODY * u / PT_PER_MM, col_w - sw[0] - 6.0 * u);
        out.text(
            [x + sw[0] + 3.0 * u, top + sw[1] * 0.9],
            &name,
            look::BODY * u / PT_PER_MM,
            look::INK,
            Anchor::Start,
        );
    }
    if more > 0 {
        y += (rows - 1) as f32 * row;
        let x = r[0] + (cols - 1) as f32 * col_w;
        out.text(
            [x, y + sw[1] * 0.9],
            &words::and_more(lang, more),
            look::BODY * u / PT_PER_MM,
            look::MUTED,
            Anchor::Start,
        );
    }
}

enum Swatch {
    Area,
    Layer(LayerRole),
    Element(String, GeometryKind),
    None,
}

fn draw_swatch(out: &mut Out<'_>, catalog: &Catalog, swatch: &Swatch, b: [f32; 4], u: f32) {
    let mid = (b[1] + b[3]) / 2.0;
    match swatch {
        Swatch::None => {}
        Swatch::Area => out.sheet.items.push(Item::Line {
            points: vec![[b[0], mid], [b[2], mid]],
            closed: false,
            width: look::AREA_LINE * u / PT_PER_MM,
            colour: look::AREA,
            dash: Some([3.0 * u, 1.2 * u]),
        }),
        Swatch::Layer(role) => {
            let l = crate::render::layers::LayerStyle::for_role(*role);
            out.sheet
                .fill(vec![rect_ring(b)], style::colour(l.fill, 1.0));
            out.sheet.line(
                rect_ring(b),
                true,
                l.stroke_width * u / PT_PER_MM,
                style::colour(l.stroke, 1.0),
            );
        }
        Swatch::Element(key, kind) => {
            let plan = plan_look(catalog, key);
            let [r, g, bl] = plan.rgb;
            match kind {
                GeometryKind::Polygon => {
                    out.sheet.fill(
                        vec![rect_ring(b)],
                        style::colour([r, g, bl, style::PLAN_FILL_ALPHA], 1.0),
                    );
                    out.sheet.line(
                        rect_ring(b),
                        true,
                        style::PLAN_STROKE_WIDTH * u / PT_PER_MM,
                        style::colour(style::darker(plan.rgb), 1.0),
                    );
                }
                GeometryKind::Line => out.sheet.items.push(Item::Line {
                    points: vec![[b[0], mid], [b[2], mid]],
                    closed: false,
                    width: style::PLAN_LINE_WIDTH * u / PT_PER_MM,
                    colour: style::colour([r, g, bl, 255], 1.0),
                    dash: plan.dashed.then_some([
                        style::PLAN_DASH[0] * u / PT_PER_MM,
                        style::PLAN_DASH[1] * u / PT_PER_MM,
                    ]),
                }),
                GeometryKind::Point => {
                    // The map's own symbol, as the legend panel of the window draws it.
                    let scale = u / PT_PER_MM;
                    let rect = ScreenRect {
                        min: screen_pos(b[0] / scale, b[1] / scale),
                        max: screen_pos(b[2] / scale, b[3] / scale),
                    };
                    let prims = legend_primitives(
                        plan.symbol,
                        ScreenRect::from_center_size(
                            rect.center(),
                            screen_vec(rect.height() * 1.2, rect.height() * 1.2),
                        ),
                        style::colour([r, g, bl, 255], 1.0),
                        style::colour(style::darker(plan.rgb), 1.0),
                    );
                    out.sheet.push_scene(&prims, scale, [0.0, 0.0], out.font);
                }
            }
        }
    }
}

fn projects_block(out: &mut Out<'_>, input: &BlueprintInput, r: [f32; 4], u: f32, lang: Lang) {
    let mut y = heading(out, r, PrintText::ProjectList.get(lang), u);
    let size = look::BODY * u / PT_PER_MM;
    let small = look::SMALL * u / PT_PER_MM;
    let width = r[2] - r[0];
    // Columns: code, name, stage; each project's meetings on a second line under its name,
    // the whole width, so their dates are never cut.
    let cols = [0.0, 0.26, 0.78].map(|f| r[0] + width * f);
    let ends = [cols[1], cols[2], r[2]];
    for (i, label) in [PrintText::Code, PrintText::Name, PrintText::Stage]
        .iter()
        .enumerate()
    {
        out.text(
            [cols[i], y],
            label.get(lang),
            size,
            look::MUTED,
            Anchor::Start,
        );
    }
    y += 2.0 * u;
    out.sheet.line(
        vec![[r[0], y], [r[2], y]],
        false,
        0.3 * u / PT_PER_MM,
        look::RULE,
    );
    y += 5.5 * u;
    if input.projects.is_empty() {
        out.text(
            [r[0], y],
            PrintText::NoProjects.get(lang),
            size,
            look::MUTED,
            Anchor::Start,
        );
        return;
    }
    let row = 10.0 * u;
    let rows = (((r[3] - y) / row).floor() as usize).max(1);
    let shown = if input.projects.len() > rows {
        rows - 1
    } else {
        input.projects.len()
    };
    for p in input.projects.iter().take(shown) {
        for (i, value) in [&p.code, &p.name, &p.stage].into_iter().enumerate() {
            let v = out.fitted(value, size, ends[i] - cols[i] - 2.0 * u);
            out.text([cols[i], y], &v, size, look::INK, Anchor::Start);
        }
        if !p.meetings.is_empty() {
            let meetings = format!(
                "{}{} {}",
                PrintText::Meetings.get(lang),
                if lang == Lang::Zh { "：" } else { ":" },
                words::joined(lang, &p.meetings)
            );
            let m = out.fitted(&meetings, small, r[2] - cols[1]);
            out.text(
                [cols[1], y + 4.2 * u],
                &m,
                small,
                look::MUTED,
                Anchor::Start,
            );
        }
        y += row;
    }
    if input.projects.len() > shown {
        out.text(
            [r[0], y],
            &words::and_more(lang, input.projects.len() - shown),
            size,
            look::MUTED,
            Anchor::Start,
        );
    }
}
