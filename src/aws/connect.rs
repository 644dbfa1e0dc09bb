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
}

/// Builds the SDK configuration. Neither the region (see [`region_of`]) nor credentials
/// (see [`check_credentials`]) are required yet, so the wizard can ask for the region and
/// input mistakes can be reported without credentials.
pub async fn load(options: &ConnectOptions) -> SdkConfig {
    // The SDK's standard retry backs off on throttling and transient 5xx errors;
    // more attempts than its default of 3 because setup is long and worth finishing.
    let mut loader =
        aws_config::defaults(BehaviorVersion::latest()).retry_config(RetryConfig::standard().with_max_attempts(6));
    if let Some(profile) = &options.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(region) = &options.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(url) = &options.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    loader.load().await
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
