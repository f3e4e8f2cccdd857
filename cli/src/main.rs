//! The `posfee` binary: [`posfee_cli::run`] with the process's arguments, stdout and stderr.

fn main() {
    let stdout = std::io::stdout();
    let stderr = std::io::stderr();
    // Both are locked for the whole run: whatever another thread (a worker of the thread pool)
    // prints to stdout or stderr waits until the run is over, which the main thread, waiting
    // for that worker, never is. Everything the command prints goes through `run`'s writers,
    // from the main thread (a step timer added for a profile must print there too).
    let status = posfee_cli::run(std::env::args_os().collect(), &mut stdout.lock(), &mut stderr.lock());
    std::process::exit(status);
}
