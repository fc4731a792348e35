/** Lines a benchmark prints as it goes and returns at the end. */
export function report() {
  const lines: string[] = [];
  return {
    lines,
    say(line: string) {
      lines.push(line);
      process.stdout.write(`${line}\n`);
    },
  };
}
