//! The Slack webhook read from an SSM SecureString by `Context::build`, and the quiet period
//! on DynamoDB's conditional writes.

use std::collections::HashMap;
use std::sync::Arc;

use aws_sdk_ssm::types::ParameterType;
use props_core::adapters::aws::read_secure_parameter;
use props_core::config::Config;
use props_core::ports::notifier::Delivery;
use props_core::ports::{Alert, Severity};
use props_core::webhook_stub::{CANARY, SlackStub};
use props_core::{Context, ManualClock};

#[tokio::test]
async fn webhook_comes_from_ssm_and_repeats_are_suppressed_on_dynamodb() {
    let Some(sdk) = crate::emulator().await else { return };
    let stub = SlackStub::start(&[]).await;
    let name = format!("/{}/slack-webhook-url", crate::unique("props"));
    let ssm = aws_sdk_ssm::Client::new(&sdk.0);
    ssm.put_parameter().name(&name).value(stub.url()).r#type(ParameterType::SecureString).send().await.unwrap();
    assert_eq!(read_secure_parameter(&sdk.0, &name).await.unwrap().expose(), stub.url());
    let key_name = format!("{}-odds-api-key", crate::unique("props"));
    ssm.put_parameter()
        .name(&key_name)
        .value("sk-from-ssm-0001")
        .r#type(ParameterType::SecureString)
        .send()
        .await
        .unwrap();

    let ns = crate::unique("props-slack");
    let vars: HashMap<&str, String> = HashMap::from([
        ("PROPS_BACKEND", "aws".to_string()),
        ("PROPS_BUCKET", ns.clone()),
        ("PROPS_STATE_TABLE", ns.clone()),
        ("PROPS_QUEUE_PREFIX", format!("{ns}-")),
        ("PROPS_AWS_CREATE_RESOURCES", "true".to_string()),
        ("SLACK_WEBHOOK_PARAM", name.clone()),
        ("ODDS_API_KEY_PARAM", key_name.clone()),
    ]);
    let config = Config::from_lookup(|k| vars.get(k).cloned().or_else(|| std::env::var(k).ok())).unwrap();
    let clock = ManualClock::new(chrono::Utc::now());
    let ctx = Context::build(config, Arc::new(clock.clone())).await.unwrap();
    // The Odds API key comes from its own SecureString, never from a plain variable.
    assert_eq!(ctx.config.odds_api_key.as_ref().map(|k| k.expose()), Some("sk-from-ssm-0001"));
    assert!(!format!("{:?}", ctx.config).contains("sk-from-ssm-0001"));
    let alert = Alert::new(Severity::Warning, "freshness-check", "rosters stale").line("latest partition 30 h old");
    assert_eq!(ctx.notifier.notify(&alert).await, Delivery::Sent { attempts: 1 });
    assert_eq!(ctx.notifier.notify(&alert).await, Delivery::Suppressed);
    clock.advance(chrono::Duration::minutes(61));
    assert_eq!(ctx.notifier.notify(&alert).await, Delivery::Sent { attempts: 1 });
    assert_eq!(stub.requests().len(), 2);
    assert!(stub.requests().iter().all(|r| !r.body.contains(CANARY)));
}

#[tokio::test]
async fn a_missing_parameter_is_named_and_not_fatal() {
    let Some(sdk) = crate::emulator().await else { return };
    let name = format!("/{}/nope", crate::unique("props"));
    let e = read_secure_parameter(&sdk.0, &name).await.unwrap_err().to_string();
    assert!(e.starts_with(&format!("cannot read SSM parameter `{name}`")), "{e}");
    let ns = crate::unique("props-slack");
    let vars: HashMap<&str, String> = HashMap::from([
        ("PROPS_BACKEND", "aws".to_string()),
        ("PROPS_BUCKET", ns.clone()),
        ("PROPS_STATE_TABLE", ns.clone()),
        ("PROPS_QUEUE_PREFIX", format!("{ns}-")),
        ("PROPS_AWS_CREATE_RESOURCES", "true".to_string()),
        ("SLACK_WEBHOOK_PARAM", name),
    ]);
    let config = Config::from_lookup(|k| vars.get(k).cloned().or_else(|| std::env::var(k).ok())).unwrap();
    let ctx = Context::build(config, Arc::new(props_core::SystemClock)).await.unwrap();
    let alert = Alert::new(Severity::Info, "daily-health", "all pass");
    assert_eq!(ctx.notifier.notify(&alert).await, Delivery::Logged, "alerts fall back to the log");
}
