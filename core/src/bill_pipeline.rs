//! The pipeline: bytes → parsed bill → checks → report (spec §6).

#[allow(unused_imports)]
use crate::prelude::*;

use crate::Limits;
use crate::bill_signature::{self, Expected, decode_base64, role_key};
use crate::parse::{self, ParsedBill};
use crate::pki::TrustStore;
use crate::report::{
    NotABill,
    Check, CheckResult, Level, Message, Report, SignatureReport, SubIndication, Verdict,
};
use crate::report_build::{decide, failed_check, new_report, part_check, passed_check};
use crate::rules::{Broken, Rule, RuleChecks, check_content};
use crate::time::{Date, TimeOfDay, beijing_to_unix};

/// How early the InvoicingParty may sign before the issue time (§5.4).
const SIGN_BEFORE_ISSUE_TOLERANCE: i64 = 5 * 60;

/// What the pipeline itself finds; the signatures and the content rules
/// have words of their own (`bill_signature/messages.rs`,
/// `rules/messages.rs`).
enum Finding<'a> {
    /// The input is a well-formed bill of the profile.
    WellFormed,
    /// The input is no bill of the profile: the parser's reason.
    NotABill(&'a Message),
    /// Every content rule holds.
    ContentHolds,
    /// Both signatures VALID and every content rule holds.
    Valid,
}

impl Finding<'_> {
    fn message(&self) -> Message {
        match self {
            Finding::WellFormed => Message::new(
                "文件是本规范格式正确的票据",
                "the document is a well-formed bill of this profile",
            ),
            Finding::NotABill(why) => Message::new(
                format!("不是本规范的票据：{}", why.zh),
                format!("not a bill of this profile: {}", why.en),
            ),
            Finding::ContentHolds => Message::new("内容规则全部满足", "every content rule holds"),
            Finding::Valid => Message::new(
                "两个签名均有效，证书链到受信任的根，内容规则全部满足",
                "both signatures are valid, their certificates chain to trusted roots, and every content rule holds",
            ),
        }
    }
}

/// Verifies one input completely.
pub fn verify_bill(input: &[u8], trust: &TrustStore, limits: &Limits, now: Option<i64>) -> Report {
    match parse::parse(input, limits) {
        Err(e) => {
            let check = failed_check(
                e.check.to_string(),
                SubIndication::FormatFailure,
                e.message.clone(),
            );
            let reason = Finding::NotABill(&e.message).message();
            let verdict = (Verdict::Invalid, Some(SubIndication::FormatFailure), reason);
            let mut report = new_report("xml", verdict, vec![check]);
            if let Some(kind) = NotABill::of_bill_input(input, e.check) {
                report.mark_not_a_bill(kind);
            }
            report
        }
        Ok(parsed) => verify_parsed(input, parsed, trust, now),
    }
}

fn verify_parsed(input: &[u8], parsed: ParsedBill, trust: &TrustStore, now: Option<i64>) -> Report {
    let ParsedBill {
        bill,
        signed_range,
        signatures: [unit_xml, supervisor_xml],
        payer_code,
    } = parsed;
    let b = input.get(signed_range).unwrap_or_default();
    let main = &bill.main;

    let unit = bill_signature::verify_bill_signature(
        &unit_xml,
        Some(b),
        &Expected {
            identity: &main.invoicing_party.code,
        },
        trust,
        now,
    );
    let supervisor_message = decode_base64(&unit_xml.value).map(|octets| [b, &octets].concat());
    let supervisor = bill_signature::verify_bill_signature(
        &supervisor_xml,
        supervisor_message.as_deref(),
        &Expected {
            identity: &main.supervisor_area_code,
        },
        trust,
        now,
    );

    let mut checks = RuleChecks::default();
    checks.push(passed_check(
        "document.format".to_string(),
        Finding::WellFormed.message(),
    ));
    check_content(&bill, payer_code.as_deref(), &mut checks);
    let content_failure = checks
        .0
        .iter()
        .find(|c| c.level == Level::Failure && c.result == CheckResult::Fail)
        .map(|c| c.message.clone());

    for outcome in [&unit, &supervisor] {
        checks.push(signature_check(&outcome.report));
    }
    check_signing_order(
        &mut checks,
        unit.time,
        supervisor.time,
        &main.issue_date,
        &main.issue_time,
    );
    for outcome in [&unit, &supervisor] {
        for w in &outcome.warnings {
            checks.push(w.clone());
        }
    }

    let content = match content_failure {
        Some(message) => (
            Verdict::Invalid,
            Some(SubIndication::ContentFailure),
            message,
        ),
        None => (Verdict::Valid, None, Finding::ContentHolds.message()),
    };
    let parts = [
        (
            unit.report.verdict,
            unit.report.sub_indication,
            unit.report.message.clone(),
        ),
        (
            supervisor.report.verdict,
            supervisor.report.sub_indication,
            supervisor.report.message.clone(),
        ),
        content,
    ];
    let verdict = decide(&parts, Finding::Valid.message());
    Report {
        bill_key: Some(bill.key()),
        signatures: vec![unit.report, supervisor.report],
        bill: Some(bill),
        ..new_report("xml", verdict, checks.0)
    }
}

fn signature_check(report: &SignatureReport) -> Check {
    part_check(
        format!("signature.{}", role_key(report.role)),
        report.verdict,
        report.sub_indication,
        report.message.clone(),
    )
}

fn check_signing_order(
    checks: &mut RuleChecks,
    unit: Option<i64>,
    supervisor: Option<i64>,
    issue_date: &str,
    issue_time: &str,
) {
    checks.rule(
        Rule::SigningOrder,
        match (unit, supervisor) {
            (Some(u), Some(s)) => Some(if s >= u {
                Ok(())
            } else {
                Err(Broken::SupervisorFirst)
            }),
            _ => None,
        },
    );
    let issued = match (
        Date::parse_compact(issue_date),
        TimeOfDay::parse_colon(issue_time),
    ) {
        (Some(d), Some(t)) => Some(beijing_to_unix(d, t)),
        _ => None,
    };
    checks.rule(
        Rule::SignedAfterIssue,
        match (unit, issued) {
            (Some(u), Some(i)) => Some(if u >= i - SIGN_BEFORE_ISSUE_TOLERANCE {
                Ok(())
            } else {
                Err(Broken::SignedBeforeIssue)
            }),
            _ => None,
        },
    );
}
