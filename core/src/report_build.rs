//! What bills and OFD documents report alike: checks, the recorder of one
//! signature's checks, and the verdict and report of several parts. The
//! words of each check come from the table of the stage that made it.

#[allow(unused_imports)]
use crate::prelude::*;

use crate::VERSION;
use crate::report::{
    Check, CheckResult, Level, Message, PROFILE, Report, SubIndication, Verdict, Warning,
};

/// A failed step: sub-indication and reason.
#[derive(Clone)]
pub(crate) struct Failure {
    pub sub: SubIndication,
    pub message: Message,
}

pub(crate) fn passed_check(id: String, message: Message) -> Check {
    Check {
        id,
        level: Level::Failure,
        result: CheckResult::Pass,
        code: None,
        message,
    }
}

pub(crate) fn failed_check(id: String, sub: SubIndication, message: Message) -> Check {
    Check {
        id,
        level: Level::Failure,
        result: CheckResult::Fail,
        code: Some(sub.as_str().to_string()),
        message,
    }
}

pub(crate) fn warning_check(id: String, code: &str, message: Message) -> Check {
    Check {
        id,
        level: Level::Warning,
        result: CheckResult::Fail,
        code: Some(code.to_string()),
        message,
    }
}

/// The check of a whole part (a signature, an embedded bill): passed when
/// VALID, its sub-indication as code.
pub(crate) fn part_check(
    id: String,
    verdict: Verdict,
    sub: Option<SubIndication>,
    message: Message,
) -> Check {
    Check {
        id,
        level: Level::Failure,
        result: if verdict == Verdict::Valid {
            CheckResult::Pass
        } else {
            CheckResult::Fail
        },
        code: sub.map(|s| s.as_str().to_string()),
        message,
    }
}

/// A report of `format` with its verdict and checks, the failed warnings
/// also listed apart; no bill, signatures or document.
pub(crate) fn new_report(
    format: &str,
    (verdict, sub_indication, reason): (Verdict, Option<SubIndication>, Message),
    checks: Vec<Check>,
) -> Report {
    Report {
        profile: PROFILE.to_string(),
        verifier_version: VERSION.to_string(),
        format: format.to_string(),
        verdict,
        sub_indication,
        reason,
        bill_key: None,
        signatures: Vec::new(),
        warnings: warnings_of(&checks),
        checks,
        bill: None,
        document: None,
        demo_trust: false,
        not_a_bill: None,
    }
}

/// The failed warning-level checks, as the report lists them apart.
fn warnings_of(checks: &[Check]) -> Vec<Warning> {
    checks
        .iter()
        .filter(|c| c.level == Level::Warning && c.result == CheckResult::Fail)
        .map(|c| Warning {
            code: c.code.clone().unwrap_or_default(),
            message: c.message.clone(),
        })
        .collect()
}

/// The verdict of several parts: the worst one decides, the first part with
/// that verdict gives the sub-indication and reason; `valid` is the reason
/// when every part is VALID.
pub(crate) fn decide(
    parts: &[(Verdict, Option<SubIndication>, Message)],
    valid: Message,
) -> (Verdict, Option<SubIndication>, Message) {
    let verdict = parts
        .iter()
        .map(|p| p.0)
        .fold(Verdict::Valid, Verdict::worst);
    match parts.iter().find(|p| p.0 == verdict) {
        Some((Verdict::Valid, _, _)) | None => (verdict, None, valid),
        Some((_, sub, message)) => (verdict, *sub, message.clone()),
    }
}

/// How a finding of a step counts in the report.
#[derive(Clone, Copy)]
pub(crate) enum Counts {
    /// A check that passed.
    Pass,
    /// A failed check, with its sub-indication.
    Fail(SubIndication),
    /// A failed warning-level check, with its code.
    Warn(&'static str),
}

/// The checks of one signature, with ids under one prefix; failures and
/// warnings are also kept apart.
pub(crate) struct Recorder {
    prefix: String,
    pub checks: Vec<Check>,
    pub failures: Vec<Failure>,
    pub warnings: Vec<Check>,
}

impl Recorder {
    pub fn new(prefix: String) -> Recorder {
        Recorder {
            prefix,
            checks: Vec::new(),
            failures: Vec::new(),
            warnings: Vec::new(),
        }
    }

    fn id(&self, id: &str) -> String {
        format!("{}.{id}", self.prefix)
    }

    pub fn pass(&mut self, id: &str, message: Message) {
        self.checks.push(passed_check(self.id(id), message));
    }

    /// Records a failed check and hands the failure back, to end the steps.
    pub fn reject(&mut self, id: &str, failure: Failure) -> Failure {
        let check = failed_check(self.id(id), failure.sub, failure.message.clone());
        self.checks.push(check);
        self.failures.push(failure.clone());
        failure
    }

    pub fn warn(&mut self, id: &str, code: &str, message: Message) {
        let check = warning_check(self.id(id), code, message);
        self.checks.push(check.clone());
        self.warnings.push(check);
    }

    /// Records a finding under `id` as it counts; a failure comes back.
    pub fn note(&mut self, id: &str, counts: Counts, message: Message) -> Result<(), Failure> {
        match counts {
            Counts::Pass => self.pass(id, message),
            Counts::Warn(code) => self.warn(id, code, message),
            Counts::Fail(sub) => return Err(self.reject(id, Failure { sub, message })),
        }
        Ok(())
    }
}
