/** Where the command line writes: its output lines and its one-line errors and warnings (tests collect them in-process). */
export interface CliOutput {
  log: (line: string) => void;
  error: (line: string) => void;
}

export const processOutput: CliOutput = {
  log: (line) => process.stdout.write(`${line}\n`),
  error: (line) => process.stderr.write(`${line}\n`),
};
