//! The slide player: which slide is up, and the camera's eased move to its view.

use crate::model::meeting::Slide;
use crate::render::projection::MapView;

/// A camera move under way: from one view to another, eased in and out.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CameraMove {
    from: MapView,
    to: MapView,
    /// When it started, seconds (egui's clock).
    started: f64,
    /// How long it takes, seconds.
    seconds: f64,
}

impl CameraMove {
    /// A move from `from` to `to` starting at `now`, taking `seconds`.
    pub fn new(from: MapView, to: MapView, now: f64, seconds: f64) -> Self {
        Self {
            from,
            to,
            started: now,
            seconds,
        }
    }

    /// Where it ends.
    pub fn target(&self) -> MapView {
        self.to
    }

    /// The view at `now`, and whether the move has ended.
    ///
    /// The centre moves along a straight line in longitude/latitude and the zoom in the
    /// logarithm of the scale (so zooming out tenfold looks as even as zooming in tenfold);
    /// both follow a cubic ease in and out, as a clicker's jump should not start or stop with
    /// a jolt.
    pub fn at(&self, now: f64) -> (MapView, bool) {
        let u = if self.seconds <= 0.0 {
            1.0
        } else {
            ((now - self.started) / self.seconds).clamp(0.0, 1.0)
        };
        if u >= 1.0 {
            return (self.to, true);
        }
        let e = ease_in_out(u);
        let lerp = |a: f64, b: f64| a + (b - a) * e;
        let scale = (lerp(self.from.m_per_point.ln(), self.to.m_per_point.ln())).exp();
        let view = MapView {
            center_lon: lerp(self.from.center_lon, self.to.center_lon),
            center_lat: lerp(self.from.center_lat, self.to.center_lat),
            m_per_point: scale,
        };
        (view, false)
    }
}

/// Cubic ease in and out on 0..=1.
pub fn ease_in_out(u: f64) -> f64 {
    if u < 0.5 {
        4.0 * u * u * u
    } else {
        1.0 - (-2.0 * u + 2.0).powi(3) / 2.0
    }
}

/// The slides and where the player stands in them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Player {
    slides: Vec<Slide>,
    index: usize,
}

impl Player {
    /// A player at the first of `slides` (none: the mode shows the whole area).
    pub fn new(slides: Vec<Slide>) -> Self {
        Self { slides, index: 0 }
    }

    /// The slide up, if there are slides.
    pub fn current(&self) -> Option<&Slide> {
        self.slides.get(self.index)
    }

    /// Its position (0-based) and how many slides there are.
    pub fn position(&self) -> (usize, usize) {
        (self.index, self.slides.len())
    }

    /// Goes to slide `index`; the slide now up if that moved, `None` when it stays (past
    /// either end, or already there).
    pub fn go_to(&mut self, index: usize) -> Option<&Slide> {
        if index >= self.slides.len() || index == self.index {
            return None;
        }
        self.index = index;
        self.slides.get(index)
    }

    /// The next slide (see [`Player::go_to`]).
    pub fn step_on(&mut self) -> Option<&Slide> {
        self.go_to(self.index + 1)
    }

    /// The previous slide (see [`Player::go_to`]).
    pub fn step_back(&mut self) -> Option<&Slide> {
        self.index.checked_sub(1).and_then(|i| self.go_to(i))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::meeting::MapBookmark;

    fn slide(title: &str, zoom: f64) -> Slide {
        Slide {
            title: title.into(),
            view: MapBookmark {
                lon: 121.5,
                lat: 31.2,
                zoom,
            },
            layers: Vec::new(),
            highlight: Vec::new(),
            alternatives: Vec::new(),
        }
    }

    #[test]
    fn the_player_steps_and_stops_at_both_ends() {
        let mut p = Player::new(vec![slide("a", 12.0), slide("b", 14.0), slide("c", 16.0)]);
        assert_eq!(p.current().unwrap().title, "a");
        assert!(p.step_back().is_none());
        assert_eq!(p.step_on().unwrap().title, "b");
        assert_eq!(p.step_on().unwrap().title, "c");
        assert!(p.step_on().is_none());
        assert_eq!(p.position(), (2, 3));
        assert_eq!(p.go_to(0).unwrap().title, "a");
        assert!(p.go_to(0).is_none());
        let mut empty = Player::new(Vec::new());
        assert!(
            empty.step_on().is_none() && empty.step_back().is_none() && empty.current().is_none()
        );
    }

    #[test]
    fn a_move_eases_from_one_view_to_the_other() {
        let a = MapView {
            center_lon: 121.4,
            center_lat: 31.1,
            m_per_point: 100.0,
        };
        let b = MapView {
            center_lon: 121.6,
            center_lat: 31.3,
            m_per_point: 1.0,
        };
        let m = CameraMove::new(a, b, 10.0, 0.7);
        let (start, done) = m.at(10.0);
        assert!(!done);
        assert!((start.m_per_point - 100.0).abs() < 1e-9 && start.center_lon == a.center_lon);
        let (mid, done) = m.at(10.35);
        assert!(!done);
        assert!((mid.center_lon - 121.5).abs() < 1e-9);
        assert!((mid.m_per_point - 10.0).abs() < 1e-9, "{mid:?}");
        let (early, _) = m.at(10.07);
        // Eased: the first tenth of the time covers far less than a tenth of the way.
        assert!((early.center_lon - 121.4) < 0.2 * 0.1 / 2.0, "{early:?}");
        assert_eq!(m.at(10.8), (b, true));
        assert_eq!(ease_in_out(0.0), 0.0);
        assert_eq!(ease_in_out(1.0), 1.0);
    }
}
