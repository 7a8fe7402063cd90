//! A plotters backend that records what plotters draws (lines, rectangles,
//! polygons, circles, text) as shapes, which Leptos then renders as SVG
//! elements: plotters lays out the axes, ticks and labels; the page gets real
//! SVG with text as text nodes, never markup built from strings.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use plotters::prelude::*;
use plotters_backend::text_anchor::{HPos, VPos};
use plotters_backend::{BackendColor, BackendCoord, BackendStyle, BackendTextStyle, DrawingErrorKind, FontTransform};

/// One recorded shape, in pixels of the chart.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    Line {
        from: BackendCoord,
        to: BackendCoord,
        colour: String,
        width: u32,
    },
    Rect {
        from: BackendCoord,
        to: BackendCoord,
        colour: String,
        fill: bool,
    },
    Path {
        points: String,
        colour: String,
        width: u32,
    },
    Polygon {
        points: String,
        colour: String,
    },
    Circle {
        at: BackendCoord,
        radius: u32,
        colour: String,
        fill: bool,
    },
    Text {
        at: BackendCoord,
        text: String,
        colour: String,
        size: f64,
        anchor: &'static str,
        baseline: &'static str,
        rotate: i32,
    },
}

/// A chart's recorded shapes and size.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Drawing {
    pub width: u32,
    pub height: u32,
    pub shapes: Vec<Shape>,
}

/// Never fails: recording cannot.
#[derive(Debug)]
pub struct Never;

impl std::fmt::Display for Never {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("never")
    }
}

impl std::error::Error for Never {}

/// The recording backend: plotters draws on it, the shapes land in `shapes`.
pub struct Recorder {
    size: (u32, u32),
    shapes: Rc<RefCell<Vec<Shape>>>,
}

fn colour(c: BackendColor) -> String {
    let (r, g, b) = c.rgb;
    if c.alpha >= 1.0 {
        format!("#{r:02x}{g:02x}{b:02x}")
    } else {
        format!("rgba({r},{g},{b},{:.2})", c.alpha)
    }
}

fn points(path: impl IntoIterator<Item = BackendCoord>) -> String {
    path.into_iter().map(|(x, y)| format!("{x},{y}")).collect::<Vec<_>>().join(" ")
}

type Result<T = ()> = std::result::Result<T, DrawingErrorKind<Never>>;

impl DrawingBackend for Recorder {
    type ErrorType = Never;

    fn get_size(&self) -> (u32, u32) {
        self.size
    }

    fn ensure_prepared(&mut self) -> Result {
        Ok(())
    }

    fn present(&mut self) -> Result {
        Ok(())
    }

    fn draw_pixel(&mut self, point: BackendCoord, color: BackendColor) -> Result {
        if color.alpha > 0.0 {
            let to = (point.0 + 1, point.1 + 1);
            self.shapes.borrow_mut().push(Shape::Rect { from: point, to, colour: colour(color), fill: true });
        }
        Ok(())
    }

    fn draw_line<S: BackendStyle>(&mut self, from: BackendCoord, to: BackendCoord, style: &S) -> Result {
        if style.color().alpha > 0.0 {
            let (colour, width) = (colour(style.color()), style.stroke_width());
            self.shapes.borrow_mut().push(Shape::Line { from, to, colour, width });
        }
        Ok(())
    }

    fn draw_rect<S: BackendStyle>(
        &mut self,
        upper_left: BackendCoord,
        bottom_right: BackendCoord,
        style: &S,
        fill: bool,
    ) -> Result {
        if style.color().alpha > 0.0 {
            let colour = colour(style.color());
            self.shapes.borrow_mut().push(Shape::Rect { from: upper_left, to: bottom_right, colour, fill });
        }
        Ok(())
    }

    fn draw_path<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, path: I, style: &S) -> Result {
        if style.color().alpha > 0.0 {
            let (colour, width) = (colour(style.color()), style.stroke_width());
            self.shapes.borrow_mut().push(Shape::Path { points: points(path), colour, width });
        }
        Ok(())
    }

    fn draw_circle<S: BackendStyle>(&mut self, at: BackendCoord, radius: u32, style: &S, fill: bool) -> Result {
        if style.color().alpha > 0.0 {
            let colour = colour(style.color());
            self.shapes.borrow_mut().push(Shape::Circle { at, radius, colour, fill });
        }
        Ok(())
    }

    fn fill_polygon<S: BackendStyle, I: IntoIterator<Item = BackendCoord>>(&mut self, vert: I, style: &S) -> Result {
        if style.color().alpha > 0.0 {
            let colour = colour(style.color());
            self.shapes.borrow_mut().push(Shape::Polygon { points: points(vert), colour });
        }
        Ok(())
    }

    fn draw_text<T: BackendTextStyle>(&mut self, text: &str, style: &T, pos: BackendCoord) -> Result {
        let anchor = style.anchor();
        let anchor_word = match anchor.h_pos {
            HPos::Left => "start",
            HPos::Right => "end",
            HPos::Center => "middle",
        };
        let baseline = match anchor.v_pos {
            VPos::Top => "hanging",
            VPos::Center => "middle",
            VPos::Bottom => "alphabetic",
        };
        let rotate = match style.transform() {
            FontTransform::Rotate90 => 90,
            FontTransform::Rotate180 => 180,
            FontTransform::Rotate270 => 270,
            _ => 0,
        };
        self.shapes.borrow_mut().push(Shape::Text {
            at: pos,
            text: text.to_owned(),
            colour: colour(style.color()),
            size: style.size(),
            anchor: anchor_word,
            baseline,
            rotate,
        });
        Ok(())
    }

    /// An estimate (no font is loaded to measure with): wide enough for
    /// Vazirmatn's digits and Latin letters, so labels do not collide.
    fn estimate_text_size<T: BackendTextStyle>(&self, text: &str, style: &T) -> Result<(u32, u32)> {
        let size = style.size();
        let width = text.chars().count() as f64 * size * 0.6;
        Ok((width.ceil() as u32, size.ceil() as u32))
    }
}

/// Records what `draw` draws on a `width` × `height` area.
pub fn record(
    width: u32,
    height: u32,
    draw: impl FnOnce(
        &DrawingArea<Recorder, plotters::coord::Shift>,
    ) -> std::result::Result<(), DrawingAreaErrorKind<Never>>,
) -> Drawing {
    let shapes = Rc::new(RefCell::new(Vec::new()));
    {
        let area = Recorder { size: (width, height), shapes: shapes.clone() }.into_drawing_area();
        // Recording cannot fail; a layout plotters refuses (say, too small) leaves the chart partial.
        let _ = draw(&area);
        let _ = area.present();
    }
    let shapes = shapes.take();
    Drawing { width, height, shapes }
}

/// The shapes as SVG elements.
pub fn render(shapes: Vec<Shape>) -> impl IntoView {
    shapes
        .into_iter()
        .map(|s| match s {
            Shape::Line { from, to, colour, width } => view! {
                <line x1=from.0 y1=from.1 x2=to.0 y2=to.1 stroke=colour stroke-width=width></line>
            }
            .into_any(),
            Shape::Rect { from, to, colour, fill } => {
                let (x, y) = (from.0.min(to.0), from.1.min(to.1));
                let (w, h) = ((to.0 - from.0).abs(), (to.1 - from.1).abs());
                let (fill_colour, stroke) =
                    if fill { (colour, "none".to_owned()) } else { ("none".to_owned(), colour) };
                view! { <rect x=x y=y width=w height=h fill=fill_colour stroke=stroke></rect> }.into_any()
            }
            Shape::Path { points, colour, width } => view! {
                <polyline points=points fill="none" stroke=colour stroke-width=width></polyline>
            }
            .into_any(),
            Shape::Polygon { points, colour } => view! { <polygon points=points fill=colour></polygon> }.into_any(),
            Shape::Circle { at, radius, colour, fill } => {
                let (fill_colour, stroke) =
                    if fill { (colour, "none".to_owned()) } else { ("none".to_owned(), colour) };
                view! { <circle cx=at.0 cy=at.1 r=radius fill=fill_colour stroke=stroke></circle> }.into_any()
            }
            Shape::Text { at, text, colour, size, anchor, baseline, rotate } => {
                let transform = (rotate != 0).then(|| format!("rotate({rotate} {} {})", at.0, at.1));
                view! {
                    <text
                        x=at.0
                        y=at.1
                        fill=colour
                        font-size=format!("{size:.0}")
                        text-anchor=anchor
                        dominant-baseline=baseline
                        transform=transform
                    >
                        {text}
                    </text>
                }
                .into_any()
            }
        })
        .collect_view()
}
