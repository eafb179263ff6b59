//! The words of the first screen's aids, the help window (keys, tools, the workflow from
//! drawing to the blueprint), the coverage window's overlay entry and no-weight note, and the
//! statistics chart.

use super::Lang;

texts! {
    /// A fixed piece of the help window's, the coverage overlay's or the chart's text.
    ScreensText;
    /// The help window's title.
    HelpTitle => "帮助", "Help";
    /// The help button's tooltip.
    HelpHint => "打开帮助窗口：快捷键、工具与工作流程（F1）", "Open the help window: keys, tools and the workflow (F1)";
    /// The keys section.
    KeysHeading => "快捷键", "Keys";
    /// The tools section.
    ToolsHeading => "工具", "Tools";
    /// The element types sub-section.
    ElementsHeading => "要素类型（绘制工具）", "Element types (draw tools)";
    /// The workflow section.
    WorkflowHeading => "工作流程：从绘制到一张蓝图", "Workflow: from drawing to the blueprint";
    /// Key column.
    KeyColumn => "按键", "Key";
    /// Action column.
    ActionColumn => "作用", "Action";
    /// Drag / arrow keys.
    KeyPan => "拖动 / 方向键", "Drag / arrow keys";
    /// Panning.
    ActPan => "平移地图", "Pan the map";
    /// Wheel, +/-, double-click.
    KeyZoom => "滚轮 / + / - / 双击", "Wheel / + / - / double-click";
    /// Zooming.
    ActZoom => "以光标为中心缩放", "Zoom around the cursor";
    /// Click.
    KeyClick => "单击", "Click";
    /// What a click does.
    ActClick => "选择工具：选中要素；绘制工具：添加顶点", "Select tool: select a feature; draw tool: add a vertex";
    /// Finish a sketch.
    KeyFinish => "双击 / Enter", "Double-click / Enter";
    /// Finishing.
    ActFinish => "完成绘制", "Finish the drawing";
    /// Removing the last vertex.
    ActBackspace => "删除刚添加的顶点", "Remove the last vertex added";
    /// What Esc does.
    ActEsc => "取消拖动或绘制，再按退出绘制工具，再按取消选择", "Cancel the drag or drawing; again leaves the draw tool; again deselects";
    /// What Delete does.
    ActDelete => "删除选中的顶点；未选顶点时删除选中要素", "Delete the selected vertex, or the selected feature when no vertex is selected";
    /// Undoing.
    ActUndo => "撤销（不限步数，一次拖动为一步）", "Undo (without limit; one drag is one step)";
    /// Redoing.
    ActRedo => "重做", "Redo";
    /// S.
    KeySnap => "S / 按住 Alt", "S / hold Alt";
    /// Snapping.
    ActSnap => "开关吸附（10 像素，吸附到边界和规划要素）；按住 Alt 临时停用", "Toggle snapping (10 px, to boundaries and plan features); hold Alt to suspend it";
    /// Dragging a feature.
    KeyDrag => "拖动选中要素 / 顶点", "Drag the selected feature / a vertex";
    /// Moving and reshaping.
    ActDrag => "移动要素或顶点；单击边线插入顶点", "Move the feature or the vertex; click an edge to insert a vertex";
    /// Help.
    ActHelp => "打开或关闭本帮助", "Open or close this help";
    /// Quitting.
    ActQuit => "退出（所有编辑已写入工作空间文件）", "Quit (every edit is already in the workspace file)";
    /// The select tool.
    ToolSelectHelp => "选择：单击选中要素，属性显示在右侧；拖动移动，拖动白色顶点改形。", "Select: click a feature to see it in the inspector on the right; drag to move it, drag a white vertex to reshape it.";
    /// The draw tools.
    ToolDrawHelp => "要素类型按钮：按该类型绘制点、线或面；“绘制为”换用允许的其他几何。所在街道、社区和面积/长度自动计算，选址提示以黄色显示（仅供参考）。", "Element type buttons: draw a point, line or polygon of that type; \"Draw as\" picks another allowed geometry. Street, community and area/length are computed; siting notes show in yellow (guidance only).";
    /// Undo, redo and snapping.
    ToolEditHelp => "撤销 / 重做 / 吸附：每项编辑在显示“已保存”前已写入工作空间文件。", "Undo / Redo / Snap: every edit is written to the workspace file before the status bar says saved.";
    /// The top bar.
    ToolTopHelp => "顶栏：全图（整个工作空间，全区）、缩放至选中、放大、缩小；导入图层、底图、项目管理、人员·会议·任务、覆盖分析、项目统计；English / 中文 切换语言。", "Top bar: Whole workspace (the whole district), Zoom to selection, Zoom in, Zoom out; Import a layer, Basemap, Projects, People/meetings/tasks, Coverage, Statistics; the language button switches to Chinese.";
    /// The layers panel.
    ToolLayersHelp => "左侧图层面板：显示、顺序、不透明度、颜色、标注、缩放至图层；覆盖分析结果也在这里显示或清除。", "Layers panel (left): visibility, order, opacity, colours, labels, zoom to layer; the coverage analysis overlay is shown or cleared here too.";
    /// Workflow step 1.
    Step1 => "1. 绘制：在工具栏选一种要素类型，在地图上单击添加顶点，双击或 Enter 完成。", "1. Draw: pick an element type in the tool bar, click on the map to add vertices, double-click or Enter to finish.";
    /// Workflow step 2.
    Step2 => "2. 立项：选中要素，打开“项目管理”，点“由选中要素新建项目”（或“加入选中要素”），在项目档案中填写编号、名称、项目类型、批次、预算、资金来源和人员，保存。", "2. Make a project: select the feature, open Projects, click \"New project from selection\" (or add the selection to a project), fill in the record (code, name, programme, batch, budget, funding, people) and save.";
    /// Workflow step 3.
    Step3 => "3. 一图三会：在项目档案中“记录会议”——事前听证会、事中协调会、事后评议会；居民意见和投票可标注在地图上，并保存会议时展示的地图视图。", "3. One blueprint, three meetings: in the project record, Record a meeting (hearing, coordination, evaluation); residents' comments and votes can be pinned on the map, and the map view shown is kept.";
    /// Workflow step 4.
    Step4 => "4. 推进阶段：“进入下一阶段”按流程模板（浦东一图三会或杨浦四期）记录日期；流程提示指出缺少的会议（仅供参考）。", "4. Advance the stage: Next stage follows the workflow template (Pudong's one blueprint, three meetings or Yangpu's four phases) and dates it; workflow notes point out a missing meeting (guidance only).";
    /// Workflow step 5.
    Step5 => "5. 分析：“项目统计”按街道、要素类型、阶段、项目类型或年份汇总；“覆盖分析”按 5/10/15 分钟步行找出缺口和候选地点。", "5. Analyse: Statistics sums by street, element type, stage, programme or year; Coverage finds the gaps and candidate sites for a 5/10/15-minute walk.";
    /// Workflow step 6.
    Step6 => "6. 成图与报送：用“全图”或会议视图展示这张蓝图；项目统计、覆盖分析、项目管理和年度任务可导出 CSV 或 Excel；命令行 linli export 导出区局用的 GeoJSON 和项目 CSV 或 Excel（--format xlsx）；工作空间 .gpkg 可直接用 QGIS 打开排版出图。", "6. The blueprint and the bureau: show the plan with Whole workspace or a meeting's view; Statistics, Coverage, Projects and the annual task list export CSV or Excel; on the command line linli export writes the bureau's GeoJSON and the projects as CSV or Excel (--format xlsx); QGIS opens the workspace .gpkg as it is for a print layout.";
    /// The opening view's note in the status bar.
    OpenedAtPlan => "已缩放至规划要素；点“全图”查看全区", "Zoomed to the plan features; Whole workspace shows the whole district";
    /// The coverage overlay's entry in the layers panel.
    CoverageOverlay => "覆盖分析结果", "Coverage analysis";
    /// The coverage overlay's entry: what it is.
    CoverageOverlayNote => "未覆盖范围与候选地点（临时，不写入文件）", "uncovered area and candidate sites (temporary, not saved)";
    /// Clear the coverage overlay.
    ClearOverlay => "清除", "Clear";
    /// Clear the coverage analysis (in its window).
    ClearAnalysis => "清除结果", "Clear results";
    /// Candidates without a weight layer.
    NoWeightNote => "未选权重图层：候选地点只是面积最大的未覆盖格网，可能落在农田、水面或无人居住处。建议在“权重图层”中选人口或建筑图层，按服务人口排序。", "No weight layer chosen: the candidates are simply the largest uncovered cells, which may be fields, water or places nobody lives. Choose a population or building layer as the weight layer to rank them by the people served.";
    /// The chart's value axis.
    ChartAxis => "万元", "10k yuan";
}

/// The help window's table of keys: (key, what it does), in `lang`. Key caps (Backspace,
/// Ctrl+Z) read the same in both languages; the words around them are translated.
pub fn help_keys(lang: Lang) -> Vec<(&'static str, &'static str)> {
    use ScreensText as T;
    let t = |k: T| k.get(lang);
    vec![
        (t(T::KeyPan), t(T::ActPan)),
        (t(T::KeyZoom), t(T::ActZoom)),
        (t(T::KeyClick), t(T::ActClick)),
        (t(T::KeyFinish), t(T::ActFinish)),
        ("Backspace", t(T::ActBackspace)),
        ("Esc", t(T::ActEsc)),
        ("Delete", t(T::ActDelete)),
        (t(T::KeyDrag), t(T::ActDrag)),
        ("Ctrl+Z", t(T::ActUndo)),
        ("Ctrl+Shift+Z / Ctrl+Y", t(T::ActRedo)),
        (t(T::KeySnap), t(T::ActSnap)),
        ("F1", t(T::ActHelp)),
        ("Ctrl+Q", t(T::ActQuit)),
    ]
}

/// The help window's workflow, step by step, in `lang`.
pub fn workflow_steps(lang: Lang) -> [&'static str; 6] {
    use ScreensText as T;
    [T::Step1, T::Step2, T::Step3, T::Step4, T::Step5, T::Step6].map(|s| s.get(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_is_translated() {
        for t in ScreensText::ALL {
            crate::i18n::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
    }

    #[test]
    fn the_keys_table_lists_the_shortcuts_in_both_languages() {
        for lang in [Lang::Zh, Lang::En] {
            let keys: Vec<&str> = help_keys(lang).iter().map(|(k, _)| *k).collect();
            for k in ["Ctrl+Z", "Esc", "Delete", "Backspace", "F1"] {
                assert!(keys.contains(&k), "{lang:?}: {k}");
            }
        }
    }
}
