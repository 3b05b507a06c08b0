//! The JSON report: the [`Report`] itself, serialised; every failing case also carries the
//! command that re-runs it alone (`rerun`) and its reproducer script (`reproduce`: a path when
//! scripts are written next to the report, the script itself otherwise).

use serde_json::Value;

use super::{Context, repro};
use crate::runner::Report;

/// The report as pretty JSON (no re-run context: see [`render_with`]).
pub fn render(report: &Report) -> String {
    render_with(report, &Context::default())
}

/// The report as pretty JSON.
pub fn render_with(report: &Report, ctx: &Context) -> String {
    let mut value = match serde_json::to_value(report) {
        Ok(v) => v,
        Err(e) => return format!("{{\"error\": {}}}", Value::String(e.to_string())),
    };
    if let Some(cases) = value.get_mut("cases").and_then(Value::as_array_mut) {
        for (c, v) in report.cases.iter().zip(cases.iter_mut()) {
            if !report.fails_run(&c.outcome) {
                continue;
            }
            let reproduce = match &ctx.repro_dir {
                Some(dir) => dir
                    .join(format!("{}.sh", repro::file_stem(&c.id)))
                    .display()
                    .to_string(),
                None => repro::script(report, ctx, c, false).0,
            };
            if let Some(obj) = v.as_object_mut() {
                obj.insert("rerun".into(), Value::String(repro::rerun(report, ctx, c)));
                obj.insert("reproduce".into(), Value::String(reproduce));
            }
        }
    }
    serde_json::to_string_pretty(&value).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}
