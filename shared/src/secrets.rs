//! Secrets: a wrapper that never prints, and a redactor for text that might carry one.
//!
//! Anything that leaves the process (log lines, table rows, object keys, alerts, error messages)
//! goes through [`Redactor::redact`] or never sees the secret at all.

use std::fmt;

/// A secret value. `Debug` and `Display` print a placeholder, never the value.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    /// The only way to the value: call sites that need it are easy to audit.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Query-parameter names whose values are secret wherever they appear.
pub const SECRET_PARAMS: &[&str] = &["apikey", "api_key", "token", "access_token", "key", "signature"];

/// Replaces known secret values and secret-looking query parameters in free text.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    values: Vec<Secret>,
}

impl Redactor {
    pub fn new(values: impl IntoIterator<Item = Secret>) -> Self {
        // Very short values would redact ordinary words; a real key or webhook is never that short.
        let values = values.into_iter().filter(|s| s.expose().len() >= 6).collect();
        Self { values }
    }

    pub fn redact(&self, text: &str) -> String {
        let mut out = redact_query_params(text);
        for s in &self.values {
            if out.contains(s.expose()) {
                out = out.replace(s.expose(), "***");
            }
        }
        out
    }
}

/// `...?apiKey=abc&x=1` → `...?apiKey=***&x=1`, case-insensitive on the parameter name.
pub fn redact_query_params(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(pos) = rest.find(['?', '&']) {
        let (head, tail) = rest.split_at(pos + 1);
        out.push_str(head);
        let name_end = tail.find('=').unwrap_or(tail.len());
        let name = &tail[..name_end];
        let is_param_name = !name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if is_param_name && name_end < tail.len() && SECRET_PARAMS.contains(&name.to_ascii_lowercase().as_str()) {
            out.push_str(name);
            out.push_str("=***");
            let value = &tail[name_end + 1..];
            let value_end = value
                .find(|c: char| c == '&' || c == '#' || c.is_whitespace() || c == '"' || c == '\'')
                .unwrap_or(value.len());
            rest = &value[value_end..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secret_never_formats() {
        let s = Secret::new("sk-canary-123");
        assert_eq!(format!("{s} {s:?}"), "*** Secret(***)");
    }

    #[test]
    fn redacts_values_and_query_params() {
        let r = Redactor::new([Secret::new("sk-canary-123"), Secret::new("ab")]);
        let text = "GET https://x/v4/events?apiKey=sk-canary-123&date=2024 failed about key sk-canary-123";
        let got = r.redact(text);
        assert!(!got.contains("sk-canary-123"), "{got}");
        assert!(got.contains("apiKey=***&date=2024"), "{got}");
        assert!(got.contains("about"), "short values are not treated as secrets: {got}");
        assert_eq!(redact_query_params("a?APIKEY=zz"), "a?APIKEY=***");
        assert_eq!(redact_query_params("no params here"), "no params here");
    }
}
