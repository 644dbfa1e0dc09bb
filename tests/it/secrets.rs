//! No secret is ever printed: every command, at the highest verbosity, with a secret
//! key and a session token the output is searched for.

use crate::support::{Emulator, setup_args_opening_group};

const REGION: &str = "us-west-2";
const SECRET: &str = "plinkSecretKeyThatMustNeverBePrinted0000";
const TOKEN: &str = "plinkSessionTokenThatMustNeverBePrinted1111";

#[tokio::test]
async fn no_command_prints_the_secret_key_or_the_session_token_even_at_vv() {
    let emulator = Emulator::start(&[REGION]);
    let seed = emulator.seed(REGION).clone();
    let setup = setup_args_opening_group(&seed, REGION, "orders-db");
    let day2 = |command: &str| vec![command.to_string(), "--name".into(), "orders-db".into()];
    // (arguments, environment, actions denied, whether it succeeds)
    type Run<'a> = (Vec<String>, Vec<(&'a str, &'a str)>, &'a [&'a str], bool);
    let runs: Vec<Run> = vec![
        ([setup.clone(), vec!["--dry-run".into()]].concat(), vec![], &[], true),
        ([vec!["plan".to_string()], setup[1..].to_vec()].concat(), vec![], &[], true),
        (setup.clone(), vec![], &[], true),
        (day2("status"), vec![], &[], true),
        (day2("verify"), vec![], &[], true),
        (day2("accept"), vec![], &[], true),
        (day2("sync-targets"), vec![], &[], true),
        ([day2("teardown"), vec!["--yes".into()]].concat(), vec![], &[], true),
        // Failures print the most: a refused key, a denied call, a cut connection.
        (setup.clone(), vec![("AWS_ACCESS_KEY_ID", "AKIAINVALIDEXAMPLE")], &[], false),
        (setup.clone(), vec![], &["CreateLoadBalancer"], false),
        (setup.clone(), vec![("AWS_ENDPOINT_URL", "http://127.0.0.1:9"), ("AWS_MAX_ATTEMPTS", "1")], &[], false),
    ];
    for (args, env, denied, succeeds) in &runs {
        emulator.allow_all();
        emulator.deny(denied);
        let mut command = emulator.plink();
        command.args(args).arg("-vv").env("AWS_REGION", REGION);
        command.env("AWS_SECRET_ACCESS_KEY", SECRET).env("AWS_SESSION_TOKEN", TOKEN);
        for (name, value) in env {
            command.env(name, value);
        }
        let output = command.output().expect("run airbyte-plink");
        assert_eq!(output.status.success(), *succeeds, "{args:?} {env:?}: {}", String::from_utf8_lossy(&output.stderr));
        let printed = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
        assert!(printed.len() > 1000, "{args:?}: -vv prints the SDK's requests ({} bytes)", printed.len());
        assert!(!printed.contains(SECRET), "{args:?} printed the secret key:\n{printed}");
        assert!(!printed.contains(TOKEN), "{args:?} printed the session token:\n{printed}");
    }
}
