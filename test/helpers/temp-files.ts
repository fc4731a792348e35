// Files written to a fresh temporary folder, as an extractor reads them: { path, fileName }.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function tempFiles(prefix: string) {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    file(name: string, content: Uint8Array | string) {
      const path = join(dir, name);
      writeFileSync(path, content);
      return { path, fileName: name };
    },
  };
}
