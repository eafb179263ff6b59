//! Screen-space types of the scene: positions, vectors and rectangles in points (logical
//! pixels, y down). `f32`, since this is where coordinates stop being Mercator metres.

use std::ops::{Add, Mul, Neg, Sub};

/// A position on screen.
///
/// # Units
/// Points, y down.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScreenPos {
    /// Distance from the left.
    pub x: f32,
    /// Distance from the top.
    pub y: f32,
}

/// A displacement on screen.
///
/// # Units
/// Points, y down.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScreenVec {
    /// Rightwards.
    pub x: f32,
    /// Downwards.
    pub y: f32,
}

/// An axis-aligned rectangle on screen.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct ScreenRect {
    /// Top-left corner.
    pub min: ScreenPos,
    /// Bottom-right corner.
    pub max: ScreenPos,
}

/// A position from its coordinates (points).
pub const fn screen_pos(x: f32, y: f32) -> ScreenPos {
    ScreenPos { x, y }
}

/// A vector from its components (points).
pub const fn screen_vec(x: f32, y: f32) -> ScreenVec {
    ScreenVec { x, y }
}

impl ScreenVec {
    /// Its length.
    pub fn length(self) -> f32 {
        self.x.hypot(self.y)
    }
}

impl Add<ScreenVec> for ScreenPos {
    type Output = ScreenPos;
    #[inline(always)]
    fn add(self, v: ScreenVec) -> ScreenPos {
        screen_pos(self.x + v.x, self.y + v.y)
    }
}

impl Sub<ScreenVec> for ScreenPos {
    type Output = ScreenPos;
    #[inline(always)]
    fn sub(self, v: ScreenVec) -> ScreenPos {
        screen_pos(self.x - v.x, self.y - v.y)
    }
}

impl Sub for ScreenPos {
    type Output = ScreenVec;
    #[inline(always)]
    fn sub(self, o: ScreenPos) -> ScreenVec {
        screen_vec(self.x - o.x, self.y - o.y)
    }
}

impl Add for ScreenVec {
    type Output = ScreenVec;
    #[inline(always)]
    fn add(self, o: ScreenVec) -> ScreenVec {
        screen_vec(self.x + o.x, self.y + o.y)
    }
}

impl Mul<f32> for ScreenVec {
    type Output = ScreenVec;
    #[inline(always)]
    fn mul(self, k: f32) -> ScreenVec {
        screen_vec(self.x * k, self.y * k)
    }
}

impl Mul<ScreenVec> for f32 {
    type Output = ScreenVec;
    #[inline(always)]
    fn mul(self, v: ScreenVec) -> ScreenVec {
        v * self
    }
}

impl Neg for ScreenVec {
    type Output = ScreenVec;
    fn neg(self) -> ScreenVec {
        screen_vec(-self.x, -self.y)
    }
}

impl ScreenRect {
    /// The rectangle from a corner and a size.
    pub fn from_min_size(min: ScreenPos, size: ScreenVec) -> Self {
        Self {
            min,
            max: min + size,
        }
    }

    /// The rectangle centred on `c` with `size`.
    pub fn from_center_size(c: ScreenPos, size: ScreenVec) -> Self {
        let h = size * 0.5;
        Self {
            min: c - h,
            max: c + h,
        }
    }

    /// The smallest rectangle holding both points.
    pub fn from_two_pos(a: ScreenPos, b: ScreenPos) -> Self {
        Self {
            min: screen_pos(a.x.min(b.x), a.y.min(b.y)),
            max: screen_pos(a.x.max(b.x), a.y.max(b.y)),
        }
    }

    /// Width.
    pub fn width(&self) -> f32 {
        self.max.x - self.min.x
    }

    /// Height.
    pub fn height(&self) -> f32 {
        self.max.y - self.min.y
    }

    /// Width and height.
    pub fn size(&self) -> ScreenVec {
        self.max - self.min
    }

    /// The centre.
    pub fn center(&self) -> ScreenPos {
        screen_pos(
            (self.min.x + self.max.x) / 2.0,
            (self.min.y + self.max.y) / 2.0,
        )
    }

    /// Top-left corner.
    pub fn left_top(&self) -> ScreenPos {
        self.min
    }

    /// Top-right corner.
    pub fn right_top(&self) -> ScreenPos {
        screen_pos(self.max.x, self.min.y)
    }

    /// Bottom-left corner.
    pub fn left_bottom(&self) -> ScreenPos {
        screen_pos(self.min.x, self.max.y)
    }

    /// Bottom-right corner.
    pub fn right_bottom(&self) -> ScreenPos {
        self.max
    }

    /// The rectangle grown by `d` on every side.
    pub fn expand(&self, d: f32) -> Self {
        Self {
            min: screen_pos(self.min.x - d, self.min.y - d),
            max: screen_pos(self.max.x + d, self.max.y + d),
        }
    }

    /// True when the rectangles overlap (touching edges count).
    pub fn intersects(&self, o: ScreenRect) -> bool {
        self.min.x <= o.max.x
            && o.min.x <= self.max.x
            && self.min.y <= o.max.y
            && o.min.y <= self.max.y
    }

    /// True when `o` lies wholly inside.
    pub fn contains_rect(&self, o: ScreenRect) -> bool {
        self.min.x <= o.min.x
            && self.min.y <= o.min.y
            && o.max.x <= self.max.x
            && o.max.y <= self.max.y
    }
}
