//! Charts drawn with plotters to SVG: the same file in the site (inline) and in the PDF (typst
//! reads SVG). Text uses the embedded Titillium Web, measured from the font itself; series are
//! told apart by fill pattern and direct labels, not by colour alone; figures are Italian.

use super::assets::fonts;
use super::escape;
use crate::compute::model::Chart;
use crate::content::model::ChartKind;
use crate::format;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::{FontStyle, register_font};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use std::sync::Once;

/// The family name the SVG asks for: the site's @font-face and the PDF's embedded font.
const FONT: &str = fonts::FAMILY;

const WIDTH: u32 = 760;
const INK: RGBColor = RGBColor(0x1b, 0x1f, 0x24);
const GRID: RGBColor = RGBColor(0xd0, 0xd7, 0xde);
const AXIS: RGBColor = RGBColor(0x5c, 0x6f, 0x82);
/// Series colours, each at least 4.5:1 against white (text-grade contrast for marks).
const PALETTE: [RGBColor; 4] = [
    RGBColor(0x17, 0x32, 0x4d),
    RGBColor(0x0b, 0x6e, 0x4f),
    RGBColor(0x9c, 0x4a, 0x00),
    RGBColor(0x6b, 0x3f, 0xa0),
];
/// The bars of a ranking that are not set apart (4.6:1 against white).
const MUTED: RGBColor = RGBColor(0x5c, 0x6f, 0x82);

/// Lets plotters measure text with the embedded font (once per process).
fn register_fonts() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = register_font(FONT, FontStyle::Normal, fonts::REGULAR);
        let _ = register_font(FONT, FontStyle::Bold, fonts::BOLD);
    });
}

/// plotters' SVG backend writes a font size of `size / 1.24`: sizes here are in pixels.
const PX: f64 = 1.24;

fn text(size: f64) -> TextStyle<'static> {
    (FONT, size * PX).into_font().color(&INK)
}

fn bold(size: f64) -> TextStyle<'static> {
    (FONT, size * PX, FontStyle::Bold).into_font().color(&INK)
}

/// Width of a text in pixels, with a margin: the estimate is a little short of what browsers
/// and typst lay out.
fn width_of(area: &Area, s: &str, style: &TextStyle) -> i32 {
    let w = area
        .estimate_text_size(s, style)
        .map(|(w, _)| w)
        .unwrap_or(8 * s.len() as u32);
    (w as f64 * 1.15).ceil() as i32
}

/// How a series' marks are filled, so they differ without colour.
#[derive(Clone, Copy)]
enum Fill {
    Solid,
    Hatched,
    Outline,
    Dotted,
}

fn fill_of(series: usize) -> Fill {
    [Fill::Solid, Fill::Hatched, Fill::Outline, Fill::Dotted][series % 4]
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// A figure as the chart prints it.
fn label(value: f64, chart: &Chart) -> String {
    let d = Decimal::from_f64_retain(value).unwrap_or_default();
    format::unit(d, chart.unit, chart.decimals)
}

/// Tick values from zero to at least `max`: about five round steps (1, 2, 2,5 or 5 × 10ⁿ),
/// never finer than the figures' decimals can print.
fn ticks(max: f64, decimals: u32) -> Vec<f64> {
    let max = if max <= 0.0 { 1.0 } else { max };
    let rough = max / 5.0;
    let magnitude = 10f64.powf(rough.log10().floor());
    let finest = 10f64.powi(-(decimals as i32));
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .filter(|s| (s / finest - (s / finest).round()).abs() < 1e-9 && *s >= finest)
        .find(|s| *s >= rough)
        .unwrap_or_else(|| (rough / finest).ceil() * finest);
    let mut out = vec![0.0];
    while *out.last().unwrap_or(&0.0) < max {
        let next = out.len() as f64 * step;
        out.push(next);
    }
    out
}

/// Splits a label into lines of at most `width` pixels.
fn wrap(
    area: &DrawingArea<SVGBackend, plotters::coord::Shift>,
    s: &str,
    style: &TextStyle,
    width: u32,
) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in s.split_whitespace() {
        let candidate = match lines.last() {
            Some(l) => format!("{l} {word}"),
            None => word.to_string(),
        };
        let fits = width_of(area, &candidate, style) <= width as i32;
        match lines.last_mut() {
            Some(l) if fits => *l = candidate,
            _ => lines.push(word.to_string()),
        }
    }
    lines
}

type Area<'a> = DrawingArea<SVGBackend<'a>, plotters::coord::Shift>;

/// Draws a filled box in a series' style.
fn draw_box(area: &Area, (x0, y0): (i32, i32), (x1, y1): (i32, i32), color: RGBColor, fill: Fill) {
    let (x0, x1) = (x0.min(x1), x0.max(x1));
    let (y0, y1) = (y0.min(y1), y0.max(y1));
    match fill {
        Fill::Solid => {
            let _ = area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.filled()));
        }
        Fill::Outline => {
            let _ = area.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.filled()));
            let _ = area.draw(&Rectangle::new(
                [(x0 + 1, y0 + 1), (x1 - 1, y1)],
                color.stroke_width(2),
            ));
        }
        Fill::Hatched => {
            let _ = area.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.filled()));
            // Lines y = x + k, clipped to the box.
            let mut k = y0 - x1;
            while k <= y1 - x0 {
                let lo = x0.max(y0 - k);
                let hi = x1.min(y1 - k);
                if lo <= hi {
                    let _ = area.draw(&PathElement::new(
                        vec![(lo, lo + k), (hi, hi + k)],
                        color.stroke_width(2),
                    ));
                }
                k += 6;
            }
            let _ = area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(1)));
        }
        Fill::Dotted => {
            let _ = area.draw(&Rectangle::new([(x0, y0), (x1, y1)], WHITE.filled()));
            let mut y = y0 + 3;
            while y < y1 - 1 {
                let mut x = x0 + 3 + if (y - y0) % 10 == 3 { 0 } else { 3 };
                while x < x1 - 1 {
                    let _ = area.draw(&Circle::new((x, y), 1, color.filled()));
                    x += 6;
                }
                y += 5;
            }
            let _ = area.draw(&Rectangle::new([(x0, y0), (x1, y1)], color.stroke_width(1)));
        }
    }
}

/// Draws a line series' marker: circle, triangle, square, diamond.
fn draw_marker(area: &Area, (x, y): (i32, i32), color: RGBColor, series: usize) {
    let style = color.filled();
    let _ = match series % 4 {
        0 => area.draw(&Circle::new((x, y), 5, style)),
        1 => area.draw(&Polygon::new(
            vec![(x, y - 6), (x + 6, y + 5), (x - 6, y + 5)],
            style,
        )),
        2 => area.draw(&Rectangle::new([(x - 5, y - 5), (x + 5, y + 5)], style)),
        _ => area.draw(&Polygon::new(
            vec![(x, y - 7), (x + 7, y), (x, y + 7), (x - 7, y)],
            style,
        )),
    };
}

/// The chart as an SVG document with its title and description for screen readers.
pub fn svg(chart: &Chart) -> String {
    register_fonts();
    let horizontal = chart.kind == ChartKind::HorizontalBars;
    let rows = chart.categories.len() as u32;
    let height = if horizontal { 90 + 26 * rows } else { 430 };
    let mut out = String::new();
    {
        let area = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        let _ = area.fill(&WHITE);
        let title_lines = wrap(&area, &chart.title, &bold(17.0), WIDTH - 24);
        let mut top: u32 = 10;
        for line in &title_lines {
            let _ = area.draw(&Text::new(line.clone(), (12, top as i32), bold(17.0)));
            top += 22;
        }
        top += 4;
        if chart.series.len() > 1 {
            top = legend(&area, chart, top);
        }
        if horizontal {
            ranking(&area, chart, top as i32, height as i32);
        } else {
            columns(&area, chart, top as i32, height as i32);
        }
        let _ = area.present();
    }
    accessible(&out, chart)
}

fn legend(area: &Area, chart: &Chart, top: u32) -> u32 {
    let mut x = 12;
    let mut y = top as i32;
    for (k, s) in chart.series.iter().enumerate() {
        let w = width_of(area, &s.name, &text(13.0));
        if x + 24 + w > WIDTH as i32 - 12 {
            x = 12;
            y += 22;
        }
        let color = PALETTE[k % PALETTE.len()];
        if chart.kind == ChartKind::Lines {
            let _ = area.draw(&PathElement::new(
                vec![(x, y + 8), (x + 18, y + 8)],
                color.stroke_width(2),
            ));
            draw_marker(area, (x + 9, y + 8), color, k);
        } else {
            draw_box(area, (x, y + 1), (x + 16, y + 15), color, fill_of(k));
        }
        let _ = area.draw(&Text::new(s.name.clone(), (x + 22, y), text(13.0)));
        x += 22 + w + 22;
    }
    (y + 26) as u32
}

/// Vertical bars (side by side or stacked) and lines, categories along the bottom.
fn columns(area: &Area, chart: &Chart, top: i32, height: i32) {
    let n = chart.categories.len();
    let stacked = chart.kind == ChartKind::StackedBars;
    let max = (0..n)
        .map(|i| {
            if stacked {
                chart
                    .series
                    .iter()
                    .map(|s| f(s.values[i]).max(0.0))
                    .sum::<f64>()
            } else {
                chart
                    .series
                    .iter()
                    .map(|s| f(s.values[i]))
                    .fold(0.0, f64::max)
            }
        })
        .fold(0.0, f64::max);
    let ticks = ticks(max * 1.08, chart.decimals);
    let top_value = *ticks.last().unwrap_or(&1.0);
    let tick_style = text(12.0);
    let left = 14
        + ticks
            .iter()
            .map(|t| width_of(area, &label(*t, chart), &tick_style))
            .max()
            .unwrap_or(40);
    let right_pad = if chart.kind == ChartKind::Lines {
        56 + chart
            .series
            .iter()
            .map(|s| width_of(area, &s.name, &text(12.0)))
            .max()
            .unwrap_or(60)
    } else {
        16
    };
    let plot_right = WIDTH as i32 - right_pad;
    let group = (plot_right - left) as f64 / n as f64;
    let label_lines: Vec<Vec<String>> = chart
        .categories
        .iter()
        .map(|c| wrap(area, c, &text(12.0), (group * 0.95) as u32))
        .collect();
    let bottom_lines = label_lines.iter().map(Vec::len).max().unwrap_or(1) as i32;
    let bottom = height - 12 - 15 * bottom_lines;
    let y_of = |v: f64| bottom - ((v / top_value) * (bottom - top - 18) as f64).round() as i32;

    for t in &ticks {
        let y = y_of(*t);
        let _ = area.draw(&PathElement::new(
            vec![(left, y), (plot_right, y)],
            GRID.stroke_width(1),
        ));
        let _ = area.draw(&Text::new(
            label(*t, chart),
            (left - 6, y),
            tick_style.pos(Pos::new(HPos::Right, VPos::Center)),
        ));
    }
    let _ = area.draw(&PathElement::new(
        vec![(left, bottom), (plot_right, bottom)],
        AXIS.stroke_width(1),
    ));
    for (i, lines) in label_lines.iter().enumerate() {
        let cx = left + (group * (i as f64 + 0.5)) as i32;
        for (l, line) in lines.iter().enumerate() {
            let _ = area.draw(&Text::new(
                line.clone(),
                (cx, bottom + 6 + 15 * l as i32),
                text(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
            ));
        }
    }

    let value_style = text(11.5);
    let fits = |s: &str, w: i32| width_of(area, s, &value_style) <= w;
    match chart.kind {
        ChartKind::Lines => {
            let x_of = |i: usize| left + (group * (i as f64 + 0.5)) as i32;
            let points: Vec<Vec<(i32, i32)>> = chart
                .series
                .iter()
                .map(|s| {
                    s.values
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (x_of(i), y_of(f(*v))))
                        .collect()
                })
                .collect();
            for (k, pts) in points.iter().enumerate() {
                let color = PALETTE[k % PALETTE.len()];
                let _ = area.draw(&PathElement::new(pts.clone(), color.stroke_width(3)));
                for p in pts {
                    draw_marker(area, *p, color, k);
                }
            }
            // Figures beside their points: the highest above, the lowest below, the others
            // to the right, so close values do not print over each other. (The category
            // index addresses the points of every series.)
            #[allow(clippy::needless_range_loop)]
            for i in 0..n {
                let mut order: Vec<usize> = (0..chart.series.len()).collect();
                order.sort_by_key(|k| points[*k][i].1);
                for (rank, k) in order.iter().enumerate() {
                    let (x, y) = points[*k][i];
                    let color = PALETTE[k % PALETTE.len()];
                    let v = label(f(chart.series[*k].values[i]), chart);
                    let (at, pos) = if rank == 0 {
                        ((x, y - 9), Pos::new(HPos::Center, VPos::Bottom))
                    } else if rank + 1 == order.len() {
                        ((x, y + 9), Pos::new(HPos::Center, VPos::Top))
                    } else {
                        ((x + 10, y), Pos::new(HPos::Left, VPos::Center))
                    };
                    let _ = area.draw(&Text::new(v, at, value_style.color(&color).pos(pos)));
                }
            }
            // Series names at the line ends, kept apart.
            let mut ends: Vec<(i32, usize)> = points
                .iter()
                .enumerate()
                .filter_map(|(k, pts)| pts.last().map(|p| (p.1, k)))
                .collect();
            ends.sort();
            let mut last_y = i32::MIN;
            for (y, k) in ends {
                let y = y.max(last_y + 16);
                last_y = y;
                let color = PALETTE[k % PALETTE.len()];
                let x = points[k].last().map(|p| p.0).unwrap_or(plot_right) + 40;
                let _ = area.draw(&Text::new(
                    chart.series[k].name.clone(),
                    (x, y),
                    bold(12.0)
                        .color(&color)
                        .pos(Pos::new(HPos::Left, VPos::Center)),
                ));
            }
        }
        ChartKind::StackedBars => {
            let bar = (group * 0.55) as i32;
            for i in 0..n {
                let cx = left + (group * (i as f64 + 0.5)) as i32;
                let mut base = 0.0;
                for (k, s) in chart.series.iter().enumerate() {
                    let v = f(s.values[i]).max(0.0);
                    let (y0, y1) = (y_of(base), y_of(base + v));
                    draw_box(
                        area,
                        (cx - bar / 2, y1),
                        (cx + bar / 2, y0),
                        PALETTE[k % PALETTE.len()],
                        fill_of(k),
                    );
                    let text_v = label(v, chart);
                    if y0 - y1 >= 16 && v > 0.0 && fits(&text_v, bar - 6) {
                        let (fg, bg) = match fill_of(k) {
                            Fill::Solid => (WHITE, PALETTE[k % PALETTE.len()]),
                            _ => (INK, WHITE),
                        };
                        let tw = width_of(area, &text_v, &value_style);
                        let my = (y0 + y1) / 2;
                        let _ = area.draw(&Rectangle::new(
                            [(cx - tw / 2 - 3, my - 8), (cx + tw / 2 + 3, my + 8)],
                            bg.filled(),
                        ));
                        let _ = area.draw(&Text::new(
                            text_v,
                            (cx, my),
                            value_style
                                .color(&fg)
                                .pos(Pos::new(HPos::Center, VPos::Center)),
                        ));
                    }
                    base += v;
                }
                let _ = area.draw(&Text::new(
                    label(base, chart),
                    (cx, y_of(base) - 4),
                    bold(12.0).pos(Pos::new(HPos::Center, VPos::Bottom)),
                ));
            }
        }
        _ => {
            let m = chart.series.len() as f64;
            let bar = ((group * 0.8) / m).floor() as i32;
            for i in 0..n {
                let start = left as f64 + group * i as f64 + group * 0.1;
                for (k, s) in chart.series.iter().enumerate() {
                    let v = f(s.values[i]);
                    let x0 = (start + bar as f64 * k as f64) as i32;
                    let y = y_of(v.max(0.0));
                    draw_box(
                        area,
                        (x0 + 1, y),
                        (x0 + bar - 1, bottom),
                        PALETTE[k % PALETTE.len()],
                        fill_of(k),
                    );
                    let text_v = label(v, chart);
                    if fits(&text_v, bar + 4) {
                        let _ = area.draw(&Text::new(
                            text_v,
                            (x0 + bar / 2, y - 3),
                            value_style.pos(Pos::new(HPos::Center, VPos::Bottom)),
                        ));
                    }
                }
            }
        }
    }
}

/// Horizontal bars of one series, a ranking: labels on the left, figures at the bar ends,
/// the categories set apart in bold and darker.
fn ranking(area: &Area, chart: &Chart, top: i32, height: i32) {
    let s = &chart.series[0];
    let n = chart.categories.len();
    let label_style = text(13.0);
    let left = 28
        + chart
            .categories
            .iter()
            .map(|c| width_of(area, c, &bold(13.0)))
            .max()
            .unwrap_or(80);
    let max = s.values.iter().map(|v| f(*v)).fold(0.0, f64::max);
    let ticks = ticks(max * 1.15, chart.decimals);
    let top_value = *ticks.last().unwrap_or(&1.0);
    let right = WIDTH as i32 - 20;
    let bottom = height - 30;
    let x_of = |v: f64| left + ((v / top_value) * (right - left) as f64).round() as i32;
    let row = (bottom - top) as f64 / n as f64;
    for t in &ticks {
        let x = x_of(*t);
        let _ = area.draw(&PathElement::new(
            vec![(x, top), (x, bottom)],
            GRID.stroke_width(1),
        ));
        let _ = area.draw(&Text::new(
            label(*t, chart),
            (x, bottom + 6),
            text(12.0).pos(Pos::new(HPos::Center, VPos::Top)),
        ));
    }
    for i in 0..n {
        let y0 = top + (row * i as f64 + row * 0.18) as i32;
        let y1 = top + (row * (i as f64 + 1.0) - row * 0.18) as i32;
        let set_apart = chart.emphasis.contains(&i);
        let color = if set_apart || chart.emphasis.is_empty() {
            PALETTE[0]
        } else {
            MUTED
        };
        let v = f(s.values[i]);
        draw_box(area, (left, y0), (x_of(v), y1), color, Fill::Solid);
        let style = if set_apart {
            bold(13.0)
        } else {
            label_style.clone()
        };
        let my = (y0 + y1) / 2;
        let _ = area.draw(&Text::new(
            chart.categories[i].clone(),
            (left - 8, my),
            style.pos(Pos::new(HPos::Right, VPos::Center)),
        ));
        let value_style = if set_apart { bold(12.0) } else { text(12.0) };
        let _ = area.draw(&Text::new(
            label(v, chart),
            (x_of(v) + 6, my),
            value_style.pos(Pos::new(HPos::Left, VPos::Center)),
        ));
    }
    let _ = area.draw(&PathElement::new(
        vec![(left, top), (left, bottom)],
        AXIS.stroke_width(1),
    ));
}

/// Gives the SVG its accessible name and description, and lets it scale with the page.
fn accessible(svg: &str, chart: &Chart) -> String {
    let Some(start) = svg.find("<svg") else {
        return svg.to_string();
    };
    let Some(end) = svg[start..].find('>').map(|e| start + e) else {
        return svg.to_string();
    };
    let id = format!("grafico-{}", chart.id);
    let mut summary = String::new();
    for s in &chart.series {
        let values: Vec<String> = chart
            .categories
            .iter()
            .zip(&s.values)
            .map(|(c, v)| format!("{c}: {}", label(f(*v), chart)))
            .collect();
        summary.push_str(&format!(" {}: {}.", s.name, values.join("; ")));
    }
    format!(
        "{}<svg{} role=\"img\" aria-labelledby=\"{id}-titolo {id}-desc\"><title id=\"{id}-titolo\">{}</title><desc id=\"{id}-desc\">{}{}</desc>{}",
        &svg[..start],
        &svg[start + 4..end],
        escape::html(&chart.title),
        escape::html(&chart.description),
        escape::html(&summary),
        &svg[end + 1..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ticks_are_round_and_cover_the_maximum() {
        assert_eq!(ticks(9.0, 0), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(
            ticks(1_130.0, 0),
            vec![0.0, 250.0, 500.0, 750.0, 1000.0, 1250.0]
        );
        // Whole numbers never get a 2,5 step.
        assert_eq!(ticks(12.0, 0), vec![0.0, 5.0, 10.0, 15.0]);
        assert_eq!(ticks(0.0, 0), vec![0.0, 1.0]);
    }
}
