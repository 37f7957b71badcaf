//! A cursor over parsed JSON that remembers where it is, so every failure names its path.

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::sources::parse::error::{ParseError, Problem, describe};
use crate::sources::parse::payload;

#[derive(Clone, Debug)]
pub(crate) struct Cursor<'a> {
    pub value: &'a Value,
    pub path: String,
    pub parser: &'static str,
}

/// Decodes (gzip) and parses a raw payload.
pub(crate) fn parse_root(parser: &'static str, raw: &[u8]) -> Result<Value, ParseError> {
    let at = |problem| ParseError { parser, location: "payload".into(), problem };
    let bytes = payload::decode(raw).map_err(|e| at(Problem::Payload(e)))?;
    serde_json::from_slice(&bytes).map_err(|e| at(Problem::InvalidJson(e.to_string())))
}

impl<'a> Cursor<'a> {
    pub fn root(parser: &'static str, value: &'a Value) -> Self {
        Self { value, path: String::new(), parser }
    }

    pub fn err(&self, problem: Problem) -> ParseError {
        ParseError {
            parser: self.parser,
            location: if self.path.is_empty() { "(root)".into() } else { self.path.clone() },
            problem,
        }
    }

    pub fn wrong(&self, expected: &'static str) -> ParseError {
        self.err(Problem::WrongType { expected, found: describe(self.value) })
    }

    pub fn invalid(&self, reason: impl Into<String>) -> ParseError {
        self.err(Problem::Invalid { found: describe(self.value), reason: reason.into() })
    }

    fn child(&self, value: &'a Value, seg: &str) -> Cursor<'a> {
        let path = if self.path.is_empty() || seg.starts_with('[') {
            format!("{}{seg}", self.path)
        } else {
            format!("{}.{seg}", self.path)
        };
        Cursor { value, path, parser: self.parser }
    }

    /// A field that may be absent or null.
    pub fn opt(&self, key: &str) -> Result<Option<Cursor<'a>>, ParseError> {
        let obj = self.value.as_object().ok_or_else(|| self.wrong("an object"))?;
        Ok(obj.get(key).filter(|v| !v.is_null()).map(|v| self.child(v, key)))
    }

    /// A field that must be present and not null.
    pub fn get(&self, key: &str) -> Result<Cursor<'a>, ParseError> {
        self.opt(key)?.ok_or_else(|| ParseError {
            parser: self.parser,
            location: self.child(&Value::Null, key).path,
            problem: Problem::Missing,
        })
    }

    pub fn items(&self) -> Result<Vec<Cursor<'a>>, ParseError> {
        let arr = self.value.as_array().ok_or_else(|| self.wrong("an array"))?;
        Ok(arr.iter().enumerate().map(|(i, v)| self.child(v, &format!("[{i}]"))).collect())
    }

    pub fn str(&self) -> Result<&'a str, ParseError> {
        self.value.as_str().ok_or_else(|| self.wrong("a string"))
    }

    pub fn f64(&self) -> Result<f64, ParseError> {
        self.value.as_f64().filter(|f| f.is_finite()).ok_or_else(|| self.wrong("a number"))
    }

    /// A whole number; `5.0` is accepted (some feeds write counts as floats), `5.5` is not.
    pub fn i64(&self) -> Result<i64, ParseError> {
        if let Some(i) = self.value.as_i64() {
            return Ok(i);
        }
        match self.value.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(f as i64),
            Some(_) => Err(self.invalid("expected a whole number")),
            None => Err(self.wrong("a whole number")),
        }
    }

    pub fn u64(&self) -> Result<u64, ParseError> {
        u64::try_from(self.i64()?).map_err(|_| self.invalid("expected a non-negative number"))
    }

    pub fn u32(&self) -> Result<u32, ParseError> {
        u32::try_from(self.u64()?).map_err(|_| self.invalid("out of range"))
    }

    /// `true`/`false`, or the NBA feeds' `1`/`0`.
    pub fn flag(&self) -> Result<bool, ParseError> {
        match self.value {
            Value::Bool(b) => Ok(*b),
            Value::Number(n) if n.as_i64() == Some(1) => Ok(true),
            Value::Number(n) if n.as_i64() == Some(0) => Ok(false),
            _ => Err(self.wrong("a boolean or 0/1")),
        }
    }

    pub fn instant(&self) -> Result<DateTime<Utc>, ParseError> {
        parse_instant(self.str()?).ok_or_else(|| self.invalid("expected an ISO-8601 UTC time"))
    }

    pub fn opt_str(&self, key: &str) -> Result<Option<&'a str>, ParseError> {
        self.opt(key)?.map(|c| c.str()).transpose()
    }

    pub fn opt_f64(&self, key: &str) -> Result<Option<f64>, ParseError> {
        self.opt(key)?.map(|c| c.f64()).transpose()
    }

    pub fn opt_u64(&self, key: &str) -> Result<Option<u64>, ParseError> {
        self.opt(key)?.map(|c| c.u64()).transpose()
    }

    pub fn opt_instant(&self, key: &str) -> Result<Option<DateTime<Utc>>, ParseError> {
        self.opt(key)?.map(|c| c.instant()).transpose()
    }
}

/// RFC 3339, tolerating a missing seconds field (`2025-06-11T15:30Z`, as ESPN writes it).
pub(crate) fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    if let Ok(t) = DateTime::parse_from_rfc3339(s) {
        return Some(t.with_timezone(&Utc));
    }
    let t = s.strip_suffix('Z')?;
    chrono::NaiveDateTime::parse_from_str(t, "%Y-%m-%dT%H:%M").ok().map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn errors_name_the_path() {
        let v = json!({"a": {"b": [1, "x", null]}});
        let c = Cursor::root("t", &v);
        let items = c.get("a").unwrap().get("b").unwrap().items().unwrap();
        assert_eq!(items[0].u32().unwrap(), 1);
        let e = items[1].u32().unwrap_err().to_string();
        assert_eq!(e, "t parser: a.b[1]: expected a whole number, found string \"x\"");
        let e = c.get("a").unwrap().get("zz").unwrap_err().to_string();
        assert_eq!(e, "t parser: a.zz: missing or null");
        assert!(c.get("a").unwrap().opt("zz").unwrap().is_none());
        assert_eq!(items[0].opt("k").unwrap_err().to_string(), "t parser: a.b[0]: expected an object, found number 1");
        assert!(parse_instant("2025-06-11T15:30Z").is_some());
        assert!(parse_instant("2025-06-11T15:30:00Z").is_some());
        assert!(parse_instant("yesterday").is_none());
    }
}
