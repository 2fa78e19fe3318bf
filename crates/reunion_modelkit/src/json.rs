//! JSON text written the same way every time: object keys sorted, each number written
//! as the shortest text that reads back to the same `f32` (integers as integers).
//!
//! serde_json's own writer would do nearly this, but its key order depends on a cargo
//! feature another crate in the build may switch on, and it writes `f32`s widened to
//! `f64` (`0.10000000149011612`). Here the order and the digits are ours.

use serde_json::Value;

/// `value` as compact JSON text.
pub fn to_text(value: &Value) -> String {
    let mut out = String::new();
    write(value, &mut out);
    out
}

fn write(value: &Value, out: &mut String) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_u64() {
                out.push_str(&i.to_string());
            } else if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else {
                let f = n.as_f64().unwrap_or(0.0);
                assert!(f.is_finite(), "a model wrote a number that is not finite");
                // Every float in a model is an f32; write the f32's shortest form.
                let g = f as f32;
                if f64::from(g) == f {
                    out.push_str(&g.to_string());
                } else {
                    out.push_str(&f.to_string());
                }
            }
        }
        Value::String(s) => write_string(s, out),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_string(key, out);
                out.push(':');
                write(&map[key], out);
            }
            out.push('}');
        }
    }
}

fn write_string(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn keys_are_sorted_and_floats_are_short() {
        let v = json!({ "b": 0.1f32, "a": [1, -2, 1.0f32, 2.5e-3f32], "c": "q\"" });
        assert_eq!(to_text(&v), r#"{"a":[1,-2,1,0.0025],"b":0.1,"c":"q\""}"#);
    }

    #[test]
    fn the_text_reads_back_to_the_same_f32s() {
        let xs = [0.1f32, 1.0 / 3.0, 1e-7, 123456.79, -0.0, 7.0e-5];
        let text = to_text(&json!(xs));
        let back: Vec<f32> = serde_json::from_str(&text).expect("JSON");
        assert_eq!(back, xs);
    }
}
