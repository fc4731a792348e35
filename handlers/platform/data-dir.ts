// DATA_DIR is checked before anything is created in it, so a mistake stops start-up with one line.
// (Node's recursive mkdir loops forever on procfs, so /proc and /sys are refused before it runs.)
// It holds the signing key and hashed credentials, so what the platform creates there is readable
// by its own user only: the directory 0700, the files 0600.
import { accessSync, chmodSync, closeSync, constants, existsSync, mkdirSync, openSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ConfigError } from './config.ts';

const PSEUDO_FILESYSTEMS = ['/proc', '/sys', '/dev'];
export const PRIVATE_DIR = 0o700;
const PRIVATE_FILE = 0o600;

/**
 * Creates the file (empty, 0600) if it is missing, and makes those that exist 0600 too: versions
 * before this one left them 0644. Best effort on an existing file another user owns.
 */
export function keepPrivate(...paths: string[]): void {
  closeSync(openSync(paths[0]!, 'a', PRIVATE_FILE));
  for (const path of paths.filter((path) => existsSync(path))) {
    try {
      chmodSync(path, PRIVATE_FILE);
    } catch {
      // not ours to change; it was readable by whoever could read it before
    }
  }
}

/** Creates DATA_DIR if needed and proves it can be written; throws a ConfigError naming the cause. */
export function prepareDataDir(dir: string): void {
  const existing = nearestExisting(dir);
  const real = realpathSync(existing);
  const pseudo = PSEUDO_FILESYSTEMS.find((root) => real === root || real.startsWith(`${root}/`));
  if (pseudo) throw new ConfigError(`DATA_DIR "${dir}" is under ${pseudo}, which holds no files; choose a directory on a disk`);
  if (!statSync(existing).isDirectory()) {
    throw new ConfigError(existing === dir ? `DATA_DIR "${dir}" is a file, not a directory` : `DATA_DIR "${dir}" cannot be created: "${existing}" is a file`);
  }
  try {
    mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR });
    accessSync(dir, constants.R_OK | constants.W_OK | constants.X_OK);
    const probe = join(dir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    throw new ConfigError(`DATA_DIR "${dir}" is not writable by this user (${code}); choose another directory or fix its permissions`);
  }
}

function nearestExisting(path: string): string {
  for (let current = path; ; current = dirname(current)) {
    try {
      statSync(current);
      return current;
    } catch {
      if (dirname(current) === current) return current;
    }
  }
}
