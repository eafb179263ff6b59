//! Just enough of WKT (OGC 01-009 and ESRI's `.prj` dialect, WKT2's `ID`) to name a CRS:
//! a tree of `KEYWORD[...]` nodes whose arguments are quoted texts, numbers and nodes.

/// One `KEYWORD[args]` node.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The keyword, upper case (`PROJCS`, `GEOGCS`, `PARAMETER`...).
    pub keyword: String,
    /// The arguments in order.
    pub args: Vec<Arg>,
}

/// An argument of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Arg {
    /// A quoted text.
    Text(String),
    /// A number.
    Number(f64),
    /// A bare word (`EAST`, WKT2 enumerations).
    Word(String),
    /// A nested node.
    Node(Node),
}

impl Node {
    /// The first text argument: the node's name.
    pub fn name(&self) -> &str {
        self.args
            .iter()
            .find_map(|a| match a {
                Arg::Text(t) => Some(t.as_str()),
                _ => None,
            })
            .unwrap_or("")
    }

    /// The child nodes with `keyword` (any of them).
    pub fn children<'a>(&'a self, keywords: &'a [&'a str]) -> impl Iterator<Item = &'a Node> + 'a {
        self.args.iter().filter_map(move |a| match a {
            Arg::Node(n) if keywords.contains(&n.keyword.as_str()) => Some(n),
            _ => None,
        })
    }

    /// The first child node with one of `keywords`.
    pub fn child(&self, keywords: &[&str]) -> Option<&Node> {
        self.args.iter().find_map(|a| match a {
            Arg::Node(n) if keywords.contains(&n.keyword.as_str()) => Some(n),
            _ => None,
        })
    }

    /// This node's own `AUTHORITY["EPSG","n"]` / `ID["EPSG",n]` code.
    pub fn epsg(&self) -> Option<u32> {
        let id = self.child(&["AUTHORITY", "ID"])?;
        let mut args = id.args.iter();
        match args.next() {
            Some(Arg::Text(org)) if org.eq_ignore_ascii_case("EPSG") => {}
            _ => return None,
        }
        match args.next() {
            Some(Arg::Text(code)) => code.trim().parse().ok(),
            Some(Arg::Number(n)) if n.fract() == 0.0 && *n > 0.0 && *n <= f64::from(u32::MAX) => {
                Some(*n as u32)
            }
            _ => None,
        }
    }

    /// The value of `PARAMETER[name, value]`, the name compared without case or `_`/space.
    pub fn parameter(&self, name: &str) -> Option<f64> {
        let key = |s: &str| s.to_ascii_lowercase().replace([' ', '_'], "");
        let wanted = key(name);
        self.children(&["PARAMETER"]).find_map(|p| {
            if key(p.name()) != wanted {
                return None;
            }
            p.args.iter().find_map(|a| match a {
                Arg::Number(n) => Some(*n),
                _ => None,
            })
        })
    }
}

/// Parses WKT text; `None` when it is not WKT.
pub fn parse(text: &str) -> Option<Node> {
    let mut p = Parser {
        s: text.trim().trim_start_matches('\u{feff}').as_bytes(),
        i: 0,
    };
    let node = p.node(0)?;
    p.skip_space();
    (p.i == p.s.len()).then_some(node)
}

/// Nodes deeper than this are refused (a crafted file cannot exhaust the stack).
const MAX_DEPTH: usize = 32;

struct Parser<'a> {
    s: &'a [u8],
    i: usize,
}

impl Parser<'_> {
    fn skip_space(&mut self) {
        while self.s.get(self.i).is_some_and(u8::is_ascii_whitespace) {
            self.i += 1;
        }
    }

    fn word(&mut self) -> Option<String> {
        self.skip_space();
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'_')
        {
            self.i += 1;
        }
        (self.i > start).then(|| String::from_utf8_lossy(&self.s[start..self.i]).into_owned())
    }

    fn node(&mut self, depth: usize) -> Option<Node> {
        if depth > MAX_DEPTH {
            return None;
        }
        let keyword = self.word()?.to_ascii_uppercase();
        if !keyword.as_bytes()[0].is_ascii_alphabetic() {
            return None;
        }
        self.skip_space();
        let close = match self.s.get(self.i)? {
            b'[' => b']',
            b'(' => b')',
            _ => return None,
        };
        self.i += 1;
        let mut args = Vec::new();
        loop {
            self.skip_space();
            match *self.s.get(self.i)? {
                c if c == close && args.is_empty() => {
                    self.i += 1;
                    break;
                }
                b'"' => args.push(Arg::Text(self.text()?)),
                c if c == b'-' || c == b'+' || c == b'.' || c.is_ascii_digit() => {
                    args.push(Arg::Number(self.number()?))
                }
                c if c.is_ascii_alphabetic() => {
                    let save = self.i;
                    let word = self.word()?;
                    self.skip_space();
                    if matches!(self.s.get(self.i), Some(b'[' | b'(')) {
                        self.i = save;
                        args.push(Arg::Node(self.node(depth + 1)?));
                    } else {
                        args.push(Arg::Word(word));
                    }
                }
                _ => return None,
            }
            self.skip_space();
            match *self.s.get(self.i)? {
                b',' => self.i += 1,
                c if c == close => {
                    self.i += 1;
                    break;
                }
                _ => return None,
            }
        }
        Some(Node { keyword, args })
    }

    fn text(&mut self) -> Option<String> {
        self.i += 1; // the opening quote
        let mut out = Vec::new();
        loop {
            let c = *self.s.get(self.i)?;
            self.i += 1;
            if c == b'"' {
                // A doubled quote is a quote inside the text.
                if self.s.get(self.i) == Some(&b'"') {
                    self.i += 1;
                    out.push(b'"');
                    continue;
                }
                return Some(String::from_utf8_lossy(&out).into_owned());
            }
            out.push(c);
        }
    }

    fn number(&mut self) -> Option<f64> {
        let start = self.i;
        while self
            .s
            .get(self.i)
            .is_some_and(|c| c.is_ascii_digit() || b"+-.eE".contains(c))
        {
            self.i += 1;
        }
        std::str::from_utf8(&self.s[start..self.i])
            .ok()?
            .parse()
            .ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_esri_and_ogc_wkt() {
        let esri = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let n = parse(esri).unwrap();
        assert_eq!(n.keyword, "PROJCS");
        assert_eq!(n.name(), "CGCS2000_3_Degree_GK_CM_120E");
        assert_eq!(n.parameter("central meridian"), Some(120.0));
        assert_eq!(n.child(&["PROJECTION"]).unwrap().name(), "Gauss_Kruger");
        let ogc = r#"PROJCS["WGS 84 / UTM zone 51N",GEOGCS["WGS 84",AUTHORITY["EPSG","4326"]],PROJECTION["Transverse_Mercator"],AXIS["Easting",EAST],AUTHORITY["EPSG","32651"]]"#;
        assert_eq!(parse(ogc).unwrap().epsg(), Some(32651));
        assert!(parse("not wkt at all").is_none());
        assert!(parse("PROJCS[\"a\"").is_none());
        assert!(parse(&"A[".repeat(100)).is_none());
    }
}
