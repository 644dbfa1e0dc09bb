//! Loads the AWS configuration the way the AWS CLI does: `--profile`, `--region`,
//! `--endpoint-url` first, then aws-config's default chain (environment, profiles, SSO,
//! web identity for CI OIDC, instance metadata).

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::ProvideCredentials;

/// Where to find AWS, as given on the command line.
#[derive(Debug, Clone, Default)]
pub struct ConnectOptions {
    pub profile: Option<String>,
    pub region: Option<String>,
    pub endpoint_url: Option<String>,
}

#[derive(Debug, thiserror::Error)]
pub enum ConnectError {
    #[error(
        "no AWS region is configured: pass --region (e.g. --region us-east-1), set AWS_REGION, or set a region in your AWS profile"
    )]
    NoRegion,
    #[error(
        "no usable AWS credentials: {0}\n  Provide them as for the AWS CLI: `aws sso login --profile NAME` then --profile NAME, \
         or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, or a role via AWS_ROLE_ARN and AWS_WEB_IDENTITY_TOKEN_FILE in CI"
    )]
    NoCredentials(String),
    #[error("{variable}: {value:?} is not {expected}; {fix}")]
    BadSetting { variable: &'static str, value: String, expected: &'static str, fix: &'static str },
}

/// Builds the SDK configuration. Neither the region (see [`region_of`]) nor credentials
/// (see [`check_credentials`]) are required yet, so the wizard can ask for the region and
/// input mistakes can be reported without credentials.
pub async fn load(options: &ConnectOptions) -> Result<SdkConfig, ConnectError> {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .retry_config(retry_config(|name| std::env::var(name).ok().filter(|v| !v.is_empty()))?);
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    Ok(loader.load().await)
}

/// How many attempts a call gets when AWS_MAX_ATTEMPTS does not say.
const DEFAULT_MAX_ATTEMPTS: u32 = 6;

/// The SDK's standard retry: it backs off on throttling, 5xx answers and dropped
/// connections, with jitter, up to 20 s between attempts. More attempts than the SDK's
/// default of 3, because a setup cut short costs more than a wait. Not the adaptive mode,
/// which the SDK calls experimental: after a single throttled call its client-side rate
/// limiter held `status --all` over 50 deployments for up to 20 s, where standard
/// retries took 2 to 4 s (docs/benchmarks.md, "Throttling"). `AWS_RETRY_MODE` and
/// `AWS_MAX_ATTEMPTS` override it, as for the AWS CLI.
fn retry_config(env: impl Fn(&str) -> Option<String>) -> Result<RetryConfig, ConnectError> {
    let mode = match env("AWS_RETRY_MODE").as_deref() {
        None | Some("standard" | "legacy") => RetryConfig::standard(),
        Some("adaptive") => RetryConfig::adaptive(),
        Some(other) => {
            return Err(ConnectError::BadSetting {
                variable: "AWS_RETRY_MODE",
                value: other.to_string(),
                expected: "a retry mode",
                fix: "set it to standard or adaptive, or unset it",
            });
        }
    };
    let attempts = match env("AWS_MAX_ATTEMPTS") {
        None => DEFAULT_MAX_ATTEMPTS,
        Some(text) => text.parse::<u32>().ok().filter(|n| *n >= 1).ok_or(ConnectError::BadSetting {
            variable: "AWS_MAX_ATTEMPTS",
            value: text,
            expected: "a number of attempts",
            fix: "set it to a whole number from 1 (1 means no retries), or unset it",
        })?,
    };
    Ok(mode.with_max_attempts(attempts))
}

pub fn region_of(config: &SdkConfig) -> Result<String, ConnectError> {
    config.region().map(|r| r.to_string()).ok_or(ConnectError::NoRegion)
}

/// Makes sure credentials can be had, so a missing login is reported as such rather
/// than as the failure of whichever call came first.
pub async fn check_credentials(config: &SdkConfig) -> Result<(), ConnectError> {
    let provider = config
        .credentials_provider()
        .ok_or_else(|| ConnectError::NoCredentials("no credentials provider was found".into()))?;
    provider
        .provide_credentials()
        .await
        .map_err(|e| ConnectError::NoCredentials(aws_sdk_sts::error::DisplayErrorContext(&e).to_string()))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use aws_config::retry::RetryMode;

    use super::*;

    fn with(vars: &[(&str, &str)]) -> Result<RetryConfig, ConnectError> {
        let vars: Vec<(String, String)> = vars.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        retry_config(|name| vars.iter().find(|(k, _)| k == name).map(|(_, v)| v.clone()))
    }

    #[test]
    fn retries_six_times_in_standard_mode_unless_the_environment_says_otherwise() {
        let default = with(&[]).unwrap();
        assert_eq!((default.mode(), default.max_attempts()), (RetryMode::Standard, 6));
        let set = with(&[("AWS_RETRY_MODE", "adaptive"), ("AWS_MAX_ATTEMPTS", "1")]).unwrap();
        assert_eq!((set.mode(), set.max_attempts()), (RetryMode::Adaptive, 1));
    }

    #[test]
    fn a_bad_retry_setting_names_the_variable_and_the_fix() {
        for (variable, value) in [("AWS_MAX_ATTEMPTS", "0"), ("AWS_MAX_ATTEMPTS", "many"), ("AWS_RETRY_MODE", "eager")]
        {
            let message = with(&[(variable, value)]).unwrap_err().to_string();
            assert!(message.starts_with(&format!("{variable}: \"{value}\" is not")), "{message}");
            assert!(message.contains("unset it"), "{message}");
        }
    }
}
