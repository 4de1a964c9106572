//! Text helpers every renderer shares: escaping for HTML and Markdown, an
//! SVG made inline, and the display width, wrapping and padding that keep
//! terminal lines inside [`WIDTH`] (or a narrower terminal's width). A leaf: it imports nothing from the
//! rest of `render`, so the section renderers (fairness, latency, matrix)
//! and the page renderers (html, markdown) can both use it without a cycle.

use unicode_width::UnicodeWidthStr;

/// Columns the default terminal output stays within (`--wide` lifts it).
pub const WIDTH: usize = 100;
/// The narrowest a terminal is taken to be: below it, lines wrap anyway.
pub const MIN_WIDTH: usize = 60;

/// Columns to lay terminal output out in: [`WIDTH`], or the terminal's own
/// width when stdout is a terminal narrower than that (never below
/// [`MIN_WIDTH`]). Piped or captured output always gets [`WIDTH`], so files
/// and tests do not depend on the window.
pub fn columns() -> usize {
    comfy_table::Table::new().width().map_or(WIDTH, |w| usize::from(w).clamp(MIN_WIDTH, WIDTH))
}

/// Escapes text for HTML and XML alike.
pub fn html_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Keeps text inside its Markdown table cell and out of the page's markup:
/// pipes escaped, line breaks made spaces, HTML made inert (`<` becomes `&lt;`).
pub fn md_escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// An SVG document as an element inside a page: its XML prolog dropped.
pub fn inline_svg(svg: &str) -> &str {
    let svg = svg.trim_start();
    let svg = if svg.starts_with("<?xml") { svg.find("?>").map_or(svg, |i| &svg[i + 2..]) } else { svg };
    svg.trim()
}

/// Columns `s` takes in a terminal (what comfy-table counts too).
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// `s` padded with spaces on the right to `w` display columns.
pub fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s))))
}

/// `s` cut to at most `max` display columns, ending in `…` when cut.
pub fn fit(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        let next = format!("{out}{c}");
        if width(&next) + 1 > max {
            break;
        }
        out = next;
    }
    out.push('…');
    out
}

/// Words (or ` · `-separated parts) laid out in lines of at most `max`
/// columns: the first line starts with `first`, the others with `indent`;
/// `sep` goes between parts on one line. A part too long for a line of its
/// own wraps at its spaces; a single word longer than a line is cut (see
/// [`fit`]).
pub fn wrap(first: &str, parts: &[String], sep: &str, indent: &str, max: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = first.to_string();
    let mut empty = true;
    for part in parts {
        let candidate = if empty { format!("{line}{part}") } else { format!("{line}{sep}{part}") };
        if width(&candidate) <= max {
            line = candidate;
            empty = false;
            continue;
        }
        if !empty {
            lines.push(std::mem::replace(&mut line, indent.to_string()));
        }
        let alone = format!("{line}{part}");
        if width(&alone) <= max || !part.contains(' ') {
            line = alone;
        } else {
            let mut wrapped = wrap_words(&line, part, indent, max);
            line = wrapped.pop().unwrap_or_default();
            lines.extend(wrapped);
        }
        empty = false;
    }
    lines.push(line);
    lines.into_iter().map(|l| fit(&l, max)).collect()
}

/// A line of text wrapped at spaces to `max` columns, later lines indented.
pub fn wrap_words(first: &str, text: &str, indent: &str, max: usize) -> Vec<String> {
    let words: Vec<String> = text.split(' ').filter(|w| !w.is_empty()).map(String::from).collect();
    wrap(first, &words, " ", indent, max)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_svg() {
        assert_eq!(html_escape("<a href='x'>&\"</a>"), "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;");
        assert_eq!(md_escape("a|b\nc<d>"), "a\\|b c&lt;d&gt;");
        assert_eq!(inline_svg("<?xml version=\"1.0\"?>\n<svg/>\n"), "<svg/>");
    }

    #[test]
    fn lines_wrap_and_fit_within_their_width() {
        let parts: Vec<String> = ["machine: AMD EPYC", "2 logical cores", "24.0 GiB", "Linux"].map(String::from).into();
        assert_eq!(wrap("", &parts, " · ", "  ", 40), ["machine: AMD EPYC · 2 logical cores", "  24.0 GiB · Linux"]);
        assert_eq!(wrap("", &parts, " · ", "  ", 200).len(), 1);
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert!(wrap("", &["x".repeat(50)], " ", "", 10).iter().all(|l| width(l) <= 10));
        assert_eq!(wrap_words("- ", "one two three", "  ", 9), ["- one two", "  three"]);
        // A part too long for a line of its own wraps at its spaces, losing nothing.
        let long: Vec<String> = ["run: a", "five words in one part"].map(String::from).into();
        assert_eq!(wrap("", &long, " · ", "  ", 14), ["run: a", "  five words", "  in one part"]);
        assert_eq!((width("3.3× [2.8–4.0]"), pad("ab", 4)), (14, "ab  ".to_string()));
    }
}
