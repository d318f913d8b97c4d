//! botocore's HTML documentation → rustdoc text.

/// Converts botocore HTML to markdown-ish plain text safe for rustdoc:
/// no stray HTML, no accidental code blocks, no broken intra-doc links.
pub fn to_rustdoc(html: &str) -> Vec<String> {
    let mut out = String::new();
    let mut rest = html;
    let mut in_pre = false;
    while let Some(lt) = rest.find('<') {
        push_text(&mut out, &rest[..lt], in_pre);
        let Some(gt) = rest[lt..].find('>') else {
            push_text(&mut out, &rest[lt..], in_pre);
            rest = "";
            break;
        };
        let tag = &rest[lt + 1..lt + gt];
        let name = tag
            .trim_start_matches('/')
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_lowercase();
        let closing = tag.starts_with('/');
        match (name.as_str(), closing) {
            ("p", false) | ("br", _) | ("note", _) | ("important", _) | ("ul", _) | ("ol", _) => {
                if !out.ends_with("- ") {
                    out.push_str("\n\n")
                }
            }
            ("p", true) => out.push_str("\n\n"),
            ("li", false) => out.push_str("\n- "),
            ("code", _) | ("i", _) | ("b", _) | ("a", _) => {
                if name == "code" {
                    out.push('`')
                }
            }
            ("pre", false) => {
                in_pre = true;
                out.push_str("\n\n```text\n")
            }
            ("pre", true) => {
                in_pre = false;
                out.push_str("\n```\n\n")
            }
            _ => out.push(' '),
        }
        rest = &rest[lt + gt + 1..];
    }
    push_text(&mut out, rest, in_pre);
    let mut lines = Vec::new();
    let mut blank = true;
    let mut fenced = false;
    for line in out.lines() {
        let t = if fenced { line.trim_end() } else { line.trim() };
        let t = collapse_spaces(t);
        if t.starts_with("```") {
            fenced = !fenced;
        }
        if t.is_empty() {
            if !blank {
                lines.push(String::new());
            }
            blank = true;
        } else {
            lines.push(t);
            blank = false;
        }
    }
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    // Unbalanced backticks would swallow the rest of the item's docs.
    for l in lines.iter_mut() {
        if !l.starts_with("```") && l.matches('`').count() % 2 == 1 {
            *l = l.replace('`', "'");
        }
    }
    lines
}

/// The first paragraph, for field docs.
pub fn first_paragraph(html: &str) -> Vec<String> {
    to_rustdoc(html)
        .into_iter()
        .take_while(|l| !l.is_empty())
        .collect()
}

fn collapse_spaces(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_space = false;
    for c in s.chars() {
        if c == ' ' {
            if !prev_space {
                out.push(c)
            }
            prev_space = true;
        } else {
            out.push(c);
            prev_space = false;
        }
    }
    out
}

fn push_text(out: &mut String, text: &str, in_pre: bool) {
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&nbsp;", " ")
        .replace("&amp;", "&");
    if in_pre {
        out.push_str(&text);
        return;
    }
    for c in text.chars() {
        match c {
            '\n' | '\t' => out.push(' '),
            '[' => out.push_str("\\["),
            ']' => out.push_str("\\]"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '*' => out.push_str("\\*"),
            '_' => out.push('_'),
            '#' => out.push_str("\\#"),
            _ => out.push(c),
        }
    }
}

/// Renders doc lines as `///` comments with the given indent.
pub fn render(lines: &[String], indent: &str) -> String {
    let mut s = String::new();
    for l in lines {
        if l.is_empty() {
            s.push_str(indent);
            s.push_str("///\n");
        } else {
            s.push_str(indent);
            s.push_str("/// ");
            s.push_str(l);
            s.push('\n');
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_becomes_safe_markdown() {
        let lines = to_rustdoc(
            "<p>The <code>cluster</code> name [1-255].</p> <ul><li><p>a &lt;b&gt;</p></li></ul>",
        );
        assert_eq!(
            lines,
            vec!["The `cluster` name \\[1-255\\].", "", "- a &lt;b&gt;"]
        );
    }
}
