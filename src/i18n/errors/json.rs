//! The JSON parser's words (serde_json's, already put in GeoJSON's terms by the importer) in
//! Chinese. The parser only speaks English, so its messages are matched here by their fixed
//! shapes; one this table does not know is shown as it is.

/// `detail` (an English serde_json message, without its position) in Chinese.
pub(super) fn json_detail_zh(detail: &str) -> String {
    let fixed = [
        ("expected value", "此处应为一个 JSON 值"),
        ("invalid number", "数字格式无效"),
        ("number out of range", "数字超出范围"),
        ("expected ident", "此处应为 true、false 或 null"),
        ("key must be a string", "对象的键必须是字符串"),
        ("trailing characters", "JSON 结束后还有多余字符"),
        ("trailing comma", "多余的逗号"),
        ("invalid escape", "无效的转义序列"),
        (
            "lone leading surrogate in hex escape",
            "\\u 转义中有孤立的代理项",
        ),
        ("unexpected end of hex escape", "\\u 转义不完整"),
        ("invalid unicode code point", "无效的 Unicode 码位"),
        ("recursion limit exceeded", "嵌套层数过多"),
        (
            "control character (\\u0000-\\u001F) found while parsing a string",
            "字符串中含有控制字符（\\u0000-\\u001F）",
        ),
        ("EOF while parsing a string", "读取字符串时文件结束"),
        ("EOF while parsing a value", "读取值时文件结束"),
        ("EOF while parsing a list", "读取数组时文件结束"),
        ("EOF while parsing an object", "读取对象时文件结束"),
        (
            "a position needs 2 numbers, found none",
            "坐标点需要 2 个数字，一个也没有",
        ),
        (
            "a position needs 2 numbers, found 1",
            "坐标点需要 2 个数字，只有 1 个",
        ),
    ];
    if let Some((_, zh)) = fixed.iter().find(|(en, _)| *en == detail) {
        return (*zh).to_string();
    }
    if let Some(rest) = detail.strip_prefix("invalid type: ")
        && let Some(i) = rest.rfind(", expected ")
    {
        let (found, expected) = (&rest[..i], &rest[i + ", expected ".len()..]);
        return format!(
            "类型不符：此处为{}，应为{}",
            found_zh(found),
            expected_zh(expected)
        );
    }
    if let Some(rest) = detail.strip_prefix("invalid length ")
        && let Some(i) = rest.find(", expected ")
    {
        let (n, expected) = (&rest[..i], &rest[i + ", expected ".len()..]);
        return format!("长度 {n} 不符，应为{}", expected_zh(expected));
    }
    for (prefix, zh) in [
        ("missing field ", "缺少字段"),
        ("duplicate field ", "字段重复："),
    ] {
        if let Some(name) = detail.strip_prefix(prefix) {
            return format!("{zh} “{}”", name.trim_matches('`'));
        }
    }
    if let Some(tokens) = detail.strip_prefix("expected ")
        && tokens.starts_with('`')
    {
        let tokens: Vec<String> = tokens
            .split(" or ")
            .map(|t| format!("“{}”", t.trim_matches('`')))
            .collect();
        return format!("此处应为 {}", tokens.join(" 或 "));
    }
    detail.to_string()
}

/// What the parser found ("string \"a\"", "number `3`", "null", "object").
fn found_zh(found: &str) -> String {
    let kinds = [
        ("string ", "字符串"),
        ("number ", "数字"),
        ("integer ", "数字"),
        ("boolean ", "布尔值"),
    ];
    for (en, zh) in kinds {
        if let Some(value) = found.strip_prefix(en) {
            return format!("{zh} {}", value.trim_matches('`'));
        }
    }
    match found {
        "null" => "null".to_string(),
        "object" => "对象".to_string(),
        "array" => "数组".to_string(),
        "string" => "字符串".to_string(),
        "number" => "数字".to_string(),
        other => other.to_string(),
    }
}

/// What the parser expected ("a Feature object", "an array").
fn expected_zh(expected: &str) -> String {
    match expected {
        "a Feature object" => " Feature 对象".to_string(),
        "a geometry object" => "几何对象".to_string(),
        "a GeoJSON object" => " GeoJSON 对象".to_string(),
        "a number" => "数字".to_string(),
        "an array" => "数组".to_string(),
        "an object" => "对象".to_string(),
        "a string" => "字符串".to_string(),
        "a position: an array of 2 or 3 numbers" => {
            "坐标点（由 2 或 3 个数字组成的数组）".to_string()
        }
        other => match other.strip_prefix("a Feature object with ") {
            Some(n) => format!(" Feature 对象（{}）", n.replace(" elements", " 个成员")),
            None => format!(" {other}"),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::json_detail_zh;

    #[test]
    fn the_parsers_common_words_are_chinese() {
        let cases = [
            ("expected value", "此处应为一个 JSON 值"),
            ("expected `,` or `]`", "此处应为 “,” 或 “]”"),
            (
                "invalid type: string \"abc\", expected a Feature object",
                "类型不符：此处为字符串 \"abc\"，应为 Feature 对象",
            ),
            (
                "invalid type: number `3`, expected a position: an array of 2 or 3 numbers",
                "类型不符：此处为数字 3，应为坐标点（由 2 或 3 个数字组成的数组）",
            ),
            ("EOF while parsing a list", "读取数组时文件结束"),
            ("missing field `elements`", "缺少字段 “elements”"),
            ("something new", "something new"),
        ];
        for (en, zh) in cases {
            assert_eq!(json_detail_zh(en), zh, "{en}");
        }
    }
}
