//! The words of presentation mode (放映) and of a meeting's slides (幻灯片).

use super::Lang;

texts! {
    /// A fixed piece of presentation mode's and the slides' text.
    PresentText;
    /// The always-visible button that leaves presentation mode.
    Exit => "退出放映", "Exit";
    /// Its hover text: the key that does the same.
    ExitHint => "或按 Esc 键", "or press Esc";
    /// The button that shows the previous slide.
    Previous => "上一页", "Previous";
    /// The button that shows the next slide.
    Next => "下一页", "Next";
    /// The title shown without slides.
    WholeArea => "全部范围", "Whole area";
    /// Shows the meeting's project's design alternatives side by side.
    CompareDesigns => "方案比较", "Compare designs";
    /// Goes back from the alternatives to the map.
    BackToMap => "返回地图", "Back to the map";
    /// The meeting form's section of slides.
    Slides => "幻灯片", "Slides";
    /// When a meeting has no slides yet.
    NoSlides => "还没有幻灯片：把地图调到要展示的范围，再点“添加当前视图”。", "No slides yet: set the map to a view to show, then click \"Add the current view\".";
    /// Adds the map's current view as a slide.
    AddCurrentView => "添加当前视图", "Add the current view";
    /// A slide's title field.
    SlideTitle => "标题", "Title";
    /// Moves a slide up.
    MoveUp => "上移", "Up";
    /// Moves a slide down.
    MoveDown => "下移", "Down";
    /// Deletes a slide.
    DeleteSlide => "删除", "Delete";
    /// Enters presentation mode on the meeting's slides.
    Present => "放映", "Present";
    /// The hover text of the "present" button.
    PresentHint => "全屏放映这次会议的幻灯片（F5 放映当前地图，Esc 退出）", "Show this meeting's slides full screen (F5 presents the current map, Esc leaves)";
    /// What a new slide is called before it is retitled.
    NewSlide => "视图", "View";
    /// How many projects a slide emphasises.
    Highlighted => "突出显示的项目", "Projects emphasised";
}

/// "n / m": the slide shown and how many there are.
pub fn slide_counter(n: usize, m: usize) -> String {
    format!("{n} / {m}")
}

/// The title a new slide gets: "视图 3" / "View 3".
pub fn new_slide_title(lang: Lang, number: usize) -> String {
    format!("{} {number}", PresentText::NewSlide.get(lang))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_presentation_text_is_translated() {
        for t in PresentText::ALL {
            crate::i18n::assert_translated(t, t.get(Lang::Zh), t.get(Lang::En));
        }
        assert_eq!(slide_counter(2, 5), "2 / 5");
        assert_eq!(new_slide_title(Lang::Zh, 3), "视图 3");
    }
}
