//! The `posfee` binary: [`posfee_cli::run`] with the process's arguments, stdout and stderr.

fn main() {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    let status = posfee_cli::run(std::env::args_os().collect(), &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(status);
}
