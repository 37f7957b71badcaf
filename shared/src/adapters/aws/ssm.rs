//! SSM Parameter Store: where the Slack webhook lives in AWS. A webhook URL is a credential
//! (anyone holding it can post), so it is a SecureString read once per cold start rather than
//! a plain environment variable visible in the Lambda console.

use aws_sdk_ssm::Client;

use crate::secrets::Secret;

#[derive(Debug, thiserror::Error)]
pub enum SsmError {
    /// The message names the parameter and the service's error code, never the value.
    #[error("cannot read SSM parameter `{name}`: {message}")]
    Read { name: String, message: String },
    #[error("SSM parameter `{name}` has no value")]
    Empty { name: String },
}

/// Reads a (decrypted) SecureString parameter.
pub async fn read_secure_parameter(sdk: &aws_config::SdkConfig, name: &str) -> Result<Secret, SsmError> {
    let client = Client::new(sdk);
    let out = client.get_parameter().name(name).with_decryption(true).send().await.map_err(|e| {
        let message = match e.as_service_error() {
            Some(se) => aws_sdk_ssm::error::ProvideErrorMetadata::code(se).unwrap_or("ServiceError").to_string(),
            None => "request failed (network or credentials)".to_string(),
        };
        SsmError::Read { name: name.chars().take(200).collect(), message }
    })?;
    match out.parameter.and_then(|p| p.value).filter(|v| !v.trim().is_empty()) {
        Some(v) => Ok(Secret::new(v.trim())),
        None => Err(SsmError::Empty { name: name.chars().take(200).collect() }),
    }
}
