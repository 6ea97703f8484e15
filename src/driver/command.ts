/** One CLI sub-command: its help text and its entry point. */
export interface Command {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** Full `stan2ts <name> --help` text. */
  readonly help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: readonly string[]): Promise<number>;
}

/** A user mistake on the command line: printed without a stack trace, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/**
 * A mistake in what the user gave (an init value, an output path, a data file) rather than in the
 * command line's shape: printed as `Error: …`, exit code 1. Named "UserError", the name the CLI's
 * reporter classifies as a user error (as brms's data errors are).
 */
export class UserInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UserError";
  }
}
