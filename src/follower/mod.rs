//! The follower's code, as Lambda runs it: `follower.py`, embedded in this binary and
//! uploaded as a zip holding that one file, for Lambda's Python runtime (which brings
//! boto3, all it imports besides the standard library).
//!
//! Why Python and not this tool's own binary on a custom runtime: a binary built on a
//! customer's Mac or on a newer Linux than Amazon Linux 2023 would not run on Lambda,
//! and a static Linux build cannot be fetched at setup time (no download, no Docker).
//! A script runs wherever Lambda's runtime does, and its rule is held to the same cases
//! as `sync-targets`' ([`CASES`]).

use sha2::{Digest, Sha256};

/// The handler's source.
pub const SOURCE: &str = include_str!("follower.py");
/// The file the zip holds, and so the module of the handler.
pub const FILE_NAME: &str = "follower.py";
/// What Lambda calls: `handler` in `follower.py`.
pub const HANDLER: &str = "follower.handler";
/// The handler of a CloudFormation stack's function: CloudFormation writes inline code
/// to `index.py`.
pub const INLINE_HANDLER: &str = "index.handler";
/// A runtime AWS supports, with boto3 included ("Lambda runtimes", AWS Lambda developer guide).
pub const RUNTIME: &str = "python3.13";
/// The cases the follower's rule and `sync-targets`' are both tested against.
#[cfg(test)]
pub const CASES: &str = include_str!("cases.json");

/// The zip Lambda is given: [`SOURCE`] as [`FILE_NAME`], stored uncompressed with a fixed
/// date, so the same code always makes the same bytes and the SHA-256 Lambda reports
/// says whether the function runs this release's code.
pub fn package() -> Vec<u8> {
    zip_one(FILE_NAME, SOURCE.as_bytes())
}

/// What Lambda reports as the function's `CodeSha256` for [`package`]: the zip's SHA-256,
/// base64-encoded.
pub fn code_sha256() -> String {
    aws_smithy_types::base64::encode(Sha256::digest(package()))
}

/// A zip archive (PKWARE APPNOTE 6.3) of one file, stored (method 0). The date is
/// 1980-01-01, the format's first, and the file is readable by all (external
/// attributes 0644 from Unix), which Lambda needs to load it.
fn zip_one(name: &str, data: &[u8]) -> Vec<u8> {
    let crc = crc32(data);
    let size = u32::try_from(data.len()).expect("the follower is far below 4 GiB");
    let name_len = u16::try_from(name.len()).expect("a short file name");
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = (1 << 5) | 1; // 1980-01-01
    const VERSION: u16 = 20;
    let mut out = Vec::with_capacity(data.len() + 128);
    // Local file header.
    out.extend(0x0403_4b50u32.to_le_bytes());
    for half in [VERSION, 0, 0, DOS_TIME, DOS_DATE] {
        out.extend(half.to_le_bytes());
    }
    for word in [crc, size, size] {
        out.extend(word.to_le_bytes());
    }
    out.extend(name_len.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out.extend(name.as_bytes());
    out.extend(data);
    let central_at = u32::try_from(out.len()).expect("small archive");
    // Central directory header: made by Unix (3), so the external attributes are its mode.
    out.extend(0x0201_4b50u32.to_le_bytes());
    for half in [(3 << 8) | VERSION, VERSION, 0, 0, DOS_TIME, DOS_DATE] {
        out.extend(half.to_le_bytes());
    }
    for word in [crc, size, size] {
        out.extend(word.to_le_bytes());
    }
    for half in [name_len, 0, 0, 0, 0] {
        out.extend(half.to_le_bytes());
    }
    out.extend((0o100644u32 << 16).to_le_bytes());
    out.extend(0u32.to_le_bytes()); // where the local header is
    out.extend(name.as_bytes());
    let central_size = u32::try_from(out.len()).expect("small archive") - central_at;
    // End of central directory.
    out.extend(0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, 1, 1] {
        out.extend(half.to_le_bytes());
    }
    out.extend(central_size.to_le_bytes());
    out.extend(central_at.to_le_bytes());
    out.extend(0u16.to_le_bytes());
    out
}

/// The most CloudFormation takes inline as a function's code (`Code.ZipFile`: "up to
/// 4096 characters", AWS::Lambda::Function Code).
#[cfg(test)]
pub const INLINE_LIMIT: usize = 4096;

/// Where a Python docstring starts and ends.
const DOCSTRING: &str = "\"\"\"";

/// [`SOURCE`] without its comments, docstrings and blank lines, for a CloudFormation
/// template's inline code: the same statements, in fewer characters.
pub fn inline_source() -> String {
    let mut out = String::new();
    let mut in_docstring = false;
    for line in SOURCE.lines() {
        let code = line.trim();
        if in_docstring {
            in_docstring = !code.ends_with(DOCSTRING);
            continue;
        }
        if code.starts_with(DOCSTRING) {
            in_docstring = !(code.len() >= 2 * DOCSTRING.len() && code.ends_with(DOCSTRING));
            continue;
        }
        if code.is_empty() || code.starts_with('#') {
            continue;
        }
        // A block's indentation need only be consistent: one space a level, not four.
        let indent = line.len() - line.trim_start().len();
        out.push_str(&" ".repeat(indent.div_ceil(4)));
        out.push_str(code);
        out.push('\n');
    }
    out
}

/// CRC-32 (IEEE 802.3), as zip records it.
fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in data {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc32_matches_the_standard_check_value() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn the_package_is_the_same_bytes_every_time_and_holds_the_handler() {
        let zip = package();
        assert_eq!(zip, package());
        assert_eq!(&zip[..4], b"PK\x03\x04");
        let at = zip.windows(FILE_NAME.len()).position(|w| w == FILE_NAME.as_bytes()).unwrap();
        assert_eq!(&zip[at + FILE_NAME.len()..][..SOURCE.len()], SOURCE.as_bytes());
        assert!(SOURCE.contains("def handler("), "the handler Lambda is told to call is defined");
        assert_eq!(code_sha256().len(), 44);
    }

    #[test]
    fn the_inline_code_fits_cloudformation_and_keeps_every_statement() {
        let inline = inline_source();
        assert!(inline.len() <= INLINE_LIMIT, "{} characters", inline.len());
        assert!(!inline.contains(DOCSTRING) && !inline.lines().any(|l| l.trim_start().starts_with('#')));
        for statement in ["def handler(event, context):", "elbv2.register_targets(", "def reconcile("] {
            assert!(inline.contains(statement), "{statement}");
        }
    }
}
