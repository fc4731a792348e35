// A user's query text as a full-text query: its words, any of which may match (OR), each quoted so
// that no character of the input is read as query syntax. BM25 then ranks chunks holding more of
// the rarer words first.
export const MAX_QUERY_TERMS = 64;

export function queryTerms(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [])].slice(0, MAX_QUERY_TERMS);
}
