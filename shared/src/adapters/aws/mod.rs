//! AWS adapters. One `SdkConfig` per process, loaded once; `AWS_ENDPOINT_URL` (an emulator)
//! is honoured by the SDK itself, and S3 switches to path-style addressing when it is set.

pub mod dynamo;
pub mod s3;
pub mod sqs;
pub mod ssm;

pub use dynamo::DynamoStateStore;
pub use s3::S3BlobStore;
pub use sqs::SqsQueue;
pub use ssm::read_secure_parameter;

use aws_config::BehaviorVersion;

/// Loads region, credentials and endpoint from the environment (and the Lambda role).
pub async fn load_sdk_config() -> aws_config::SdkConfig {
    aws_config::defaults(BehaviorVersion::latest()).load().await
}

/// The error text of an SDK failure, including the service's code and message when there is one.
pub(crate) fn describe<E, R>(err: &aws_sdk_s3::error::SdkError<E, R>) -> String
where
    E: aws_sdk_s3::error::ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    use aws_sdk_s3::error::SdkError;
    match err {
        SdkError::ServiceError(se) => {
            let e = se.err();
            format!("{}: {}", e.code().unwrap_or("ServiceError"), e.message().unwrap_or("no message"))
        }
        SdkError::TimeoutError(_) => "timeout".to_string(),
        SdkError::DispatchFailure(d) => format!("dispatch failure: {d:?}").chars().take(300).collect(),
        SdkError::ResponseError(_) => "unreadable response".to_string(),
        other => other.to_string(),
    }
}

/// Whether an SDK failure is worth retrying later (throttling, 5xx, network).
pub(crate) fn is_transient<E, R>(err: &aws_sdk_s3::error::SdkError<E, R>) -> bool
where
    E: aws_sdk_s3::error::ProvideErrorMetadata,
{
    use aws_sdk_s3::error::SdkError;
    match err {
        SdkError::TimeoutError(_) | SdkError::DispatchFailure(_) | SdkError::ResponseError(_) => true,
        SdkError::ServiceError(se) => matches!(
            se.err().code(),
            Some(
                "ProvisionedThroughputExceededException"
                    | "ThrottlingException"
                    | "RequestLimitExceeded"
                    | "SlowDown"
                    | "InternalError"
                    | "InternalServerError"
                    | "ServiceUnavailable"
            )
        ),
        _ => false,
    }
}
