//! Any table as JSON rows, without knowing its row type (for `props query` and `status`).

use arrow::array::{Array, RecordBatch};
use arrow::datatypes::DataType;
use arrow::util::display::{ArrayFormatter, FormatOptions};
use serde_json::{Map, Value};

pub fn batches_to_json(batches: &[RecordBatch]) -> Result<Vec<Value>, arrow::error::ArrowError> {
    let opts = FormatOptions::default().with_null("");
    let mut out = Vec::new();
    for b in batches {
        let schema = b.schema();
        let formatters: Vec<ArrayFormatter> =
            b.columns().iter().map(|c| ArrayFormatter::try_new(c.as_ref(), &opts)).collect::<Result<_, _>>()?;
        for row in 0..b.num_rows() {
            let mut obj = Map::new();
            for (i, field) in schema.fields().iter().enumerate() {
                let col = b.column(i);
                let v = if col.is_null(row) {
                    Value::Null
                } else {
                    let s = formatters[i].value(row).to_string();
                    match field.data_type() {
                        DataType::Boolean => Value::Bool(s == "true"),
                        dt if dt.is_integer() => s.parse::<i64>().map(Value::from).unwrap_or(Value::String(s)),
                        dt if dt.is_floating() => s
                            .parse::<f64>()
                            .ok()
                            .and_then(serde_json::Number::from_f64)
                            .map(Value::Number)
                            .unwrap_or(Value::String(s)),
                        _ => Value::String(s),
                    }
                };
                obj.insert(field.name().clone(), v);
            }
            out.push(Value::Object(obj));
        }
    }
    Ok(out)
}
