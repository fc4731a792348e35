// What a registered file may be called: the AWS sample's rules (its forbidden characters, an
// extension it reads) kept so its clients see the same refusals, plus path safety, since the name
// becomes part of blob keys and of result URLs.
import { ProblemError } from '../platform/problems.ts';

export const MAX_FILE_NAME_LENGTH = 255;

/** The AWS sample's list, exactly (`register_file`), plus the backquote its message names. */
const SEED_FORBIDDEN = ['&', '$', '@', '=', ';', '/', ':', '+', ' ', ',', '?', '\\', '{', '}', '^', ']', '"', '>', '[', '~', '<', '#', '|', '%', '`'];
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

export function checkFileName(fileName: string, readableExtension: (name: string) => boolean): string {
  if (fileName.trim() === '') throw new ProblemError('INVALID_FILE_NAME', 'Invalid file name: it is empty.', { errors: [{ path: '/body/file_name', message: 'must not be empty' }] });
  const refuse = (why: string) => new ProblemError('INVALID_FILE_NAME', `Invalid file name: ${why}`, { errors: [{ path: '/body/file_name', message: why }] });
  if (fileName.length > MAX_FILE_NAME_LENGTH) throw refuse(`it has more than ${MAX_FILE_NAME_LENGTH} characters.`);
  const forbidden = SEED_FORBIDDEN.filter((c) => fileName.includes(c));
  if (forbidden.length > 0) {
    throw refuse(`these characters are not allowed in a file name: ${forbidden.map((c) => (c === ' ' ? 'space' : c)).join(' ')}.`);
  }
  if (UNSAFE.test(fileName)) throw refuse('it has a control or bidirectional-override character.');
  if (fileName === '.' || fileName === '..') throw refuse('"." and ".." are not file names.');
  if (!readableExtension(fileName)) {
    throw new ProblemError('UNSUPPORTED_FILE_TYPE', `"${fileName}" is not a type the service reads: pdf, png, jpg, jpeg, tif, tiff, docx, html, htm, md, markdown, txt, json, jsonl, csv.`, {
      errors: [{ path: '/body/file_name', message: 'unsupported extension' }],
    });
  }
  return fileName;
}
