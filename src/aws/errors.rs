//! AWS failures, sorted into the few kinds a person acts on differently.

use std::fmt;

use aws_sdk_ec2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};

pub type CloudResult<T> = Result<T, CloudError>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CloudErrorKind {
    /// The identity lacks an IAM permission (or an SCP denies it).
    AccessDenied,
    /// Credentials are missing, invalid or expired.
    Credentials,
    /// An account or service quota would be exceeded.
    Quota,
    /// AWS is throttling us even after the SDK's retries.
    Throttled,
    /// The endpoint could not be reached (network, DNS, TLS).
    Unreachable,
    Other,
}

/// A failed AWS call, with the IAM action it needed so the message can name it.
#[derive(Debug, Clone)]
pub struct CloudError {
    /// The IAM action of the call, e.g. `elasticloadbalancing:CreateLoadBalancer`.
    pub action: &'static str,
    pub kind: CloudErrorKind,
    pub code: Option<String>,
    pub message: String,
}

impl CloudError {
    pub fn is_code(&self, code: &str) -> bool {
        self.code.as_deref() == Some(code)
    }
}

impl fmt::Display for CloudError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} failed: {code}: {}", self.action, self.message),
            None => write!(f, "{} failed: {}", self.action, self.message),
        }
    }
}

impl std::error::Error for CloudError {}

pub(crate) fn kind_of_code(code: &str) -> CloudErrorKind {
    match code {
        "AccessDenied" | "AccessDeniedException" | "UnauthorizedOperation" | "UnauthorizedAccess" => {
            CloudErrorKind::AccessDenied
        }
        "InvalidClientTokenId"
        | "SignatureDoesNotMatch"
        | "ExpiredToken"
        | "ExpiredTokenException"
        | "InvalidAccessKeyId"
        | "AuthFailure"
        | "UnrecognizedClientException"
        | "RequestExpired"
        | "InvalidToken" => CloudErrorKind::Credentials,
        "Throttling" | "ThrottlingException" | "RequestLimitExceeded" | "TooManyRequestsException" => {
            CloudErrorKind::Throttled
        }
        code if code.starts_with("TooMany") || code.ends_with("LimitExceeded") => CloudErrorKind::Quota,
        _ => CloudErrorKind::Other,
    }
}

/// Turns any SDK error into a [`CloudError`] for the IAM `action` that was attempted.
pub fn classify<E, R>(action: &'static str, err: SdkError<E, R>) -> CloudError
where
    E: ProvideErrorMetadata + std::error::Error + Send + Sync + 'static,
    R: fmt::Debug + Send + Sync + 'static,
{
    if let Some(code) = err.code() {
        let message = err.message().unwrap_or("no message from AWS").to_string();
        return CloudError { action, kind: kind_of_code(code), code: Some(code.to_string()), message };
    }
    let kind = match &err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => CloudErrorKind::Unreachable,
        _ => CloudErrorKind::Other,
    };
    let mut message = DisplayErrorContext(&err).to_string();
    if message.contains("credentials") || message.contains("identity") {
        return CloudError { action, kind: CloudErrorKind::Credentials, code: None, message };
    }
    if kind == CloudErrorKind::Unreachable {
        message = format!("could not reach AWS: {message}");
    }
    CloudError { action, kind, code: None, message }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorts_codes_into_kinds() {
        assert_eq!(kind_of_code("UnauthorizedOperation"), CloudErrorKind::AccessDenied);
        assert_eq!(kind_of_code("AccessDenied"), CloudErrorKind::AccessDenied);
        assert_eq!(kind_of_code("ExpiredToken"), CloudErrorKind::Credentials);
        assert_eq!(kind_of_code("RequestLimitExceeded"), CloudErrorKind::Throttled);
        assert_eq!(kind_of_code("TooManyLoadBalancers"), CloudErrorKind::Quota);
        assert_eq!(kind_of_code("VpcEndpointServiceLimitExceeded"), CloudErrorKind::Quota);
        assert_eq!(kind_of_code("DuplicateTargetGroupName"), CloudErrorKind::Other);
    }
}
