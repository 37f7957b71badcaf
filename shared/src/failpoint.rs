//! Crash points for the fault suite: `PROPS_FAILPOINT=STEP[:QUALIFIER]` makes the process abort
//! (`std::process::abort`: no unwinding, no destructors, no flushing — what a killed Lambda
//! instance leaves behind) when it reaches the named step boundary. The steps are the places
//! where a crash leaves work half done and recovery has to notice: a payload stored but not
//! announced, a table written but its completion not sent, a completion sent but the message
//! not acknowledged, a trigger claimed but not sent.
//!
//! The variable is read once per process; unset (production), a step costs one load of an
//! initialised `OnceLock`.

use std::sync::OnceLock;

/// A step boundary a process can be made to crash at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// `scrape`: the raw payload is stored, `RawPayloadStored` not yet sent. Qualifier: the endpoint.
    AfterRawPayload,
    /// Processor runner: the output table is written, the run not finished and no completion sent.
    /// Qualifier: the processor.
    AfterTableWrite,
    /// Processor runner: `ProcessorCompleted` is sent, the job message not yet acknowledged.
    /// Qualifier: the processor.
    AfterCompletion,
    /// `orchestrate`: the trigger is claimed, the `PhaseTrigger` not yet sent. Qualifier: the
    /// transition (`3to4`, `4to5`).
    AfterTriggerClaim,
}

impl Step {
    pub const ALL: [Step; 4] =
        [Step::AfterRawPayload, Step::AfterTableWrite, Step::AfterCompletion, Step::AfterTriggerClaim];

    pub fn name(self) -> &'static str {
        match self {
            Step::AfterRawPayload => "after_raw_payload",
            Step::AfterTableWrite => "after_table_write",
            Step::AfterCompletion => "after_completion",
            Step::AfterTriggerClaim => "after_trigger_claim",
        }
    }
}

/// An armed fail point: a step, and optionally what it must be about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailPoint {
    pub step: Step,
    pub qualifier: Option<String>,
}

impl FailPoint {
    /// Parses `STEP[:QUALIFIER]`; `None` for anything else (named in the error).
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (step, qualifier) = match spec.split_once(':') {
            Some((s, q)) => (s, Some(q.to_string()).filter(|q| !q.is_empty())),
            None => (spec, None),
        };
        let step = Step::ALL.into_iter().find(|s| s.name() == step.trim()).ok_or_else(|| {
            let known: Vec<&str> = Step::ALL.iter().map(|s| s.name()).collect();
            format!("PROPS_FAILPOINT `{spec}`: unknown step (known: {})", known.join(", "))
        })?;
        Ok(Self { step, qualifier })
    }

    fn matches(&self, step: Step, qualifier: &str) -> bool {
        self.step == step && self.qualifier.as_deref().is_none_or(|q| q == qualifier)
    }
}

fn armed() -> Option<&'static FailPoint> {
    static ARMED: OnceLock<Option<FailPoint>> = OnceLock::new();
    ARMED
        .get_or_init(|| {
            let spec = std::env::var("PROPS_FAILPOINT").ok().filter(|s| !s.is_empty())?;
            FailPoint::parse(&spec).map_err(|e| tracing::error!("{e}; no fail point armed")).ok()
        })
        .as_ref()
}

/// Aborts the process if `PROPS_FAILPOINT` names this step (and this qualifier, when it has one).
pub fn hit(step: Step, qualifier: &str) {
    if let Some(fp) = armed() {
        if fp.matches(step, qualifier) {
            eprintln!("PROPS_FAILPOINT: aborting at {}:{qualifier}", step.name());
            std::process::abort();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_name_a_step_and_optionally_what_it_is_about() {
        let fp = FailPoint::parse("after_table_write:player_game_summary").unwrap();
        assert_eq!(fp, FailPoint { step: Step::AfterTableWrite, qualifier: Some("player_game_summary".into()) });
        assert!(fp.matches(Step::AfterTableWrite, "player_game_summary"));
        assert!(!fp.matches(Step::AfterTableWrite, "team_offense_game_summary"));
        assert!(!fp.matches(Step::AfterCompletion, "player_game_summary"));
        let any = FailPoint::parse("after_trigger_claim").unwrap();
        assert!(any.matches(Step::AfterTriggerClaim, "3to4") && any.matches(Step::AfterTriggerClaim, "4to5"));
        for s in Step::ALL {
            assert_eq!(FailPoint::parse(s.name()).unwrap().step, s);
        }
        let err = FailPoint::parse("after_lunch").unwrap_err();
        assert!(err.contains("after_lunch") && err.contains("after_raw_payload"), "{err}");
    }

    #[test]
    fn unarmed_steps_return() {
        // The test process has no PROPS_FAILPOINT: every step is a no-op.
        for s in Step::ALL {
            hit(s, "anything");
        }
    }
}
