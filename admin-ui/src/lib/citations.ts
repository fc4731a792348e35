// The playground's last step: search hits become numbered sources in a prompt, and the model's
// answer cites them as [1], [2], … which the page lists with their file and pages.

export interface SearchHit {
  text: string;
  score: number;
  chunk_id: string;
  file_name?: string;
  page_start?: number;
  page_end?: number;
}

/** "notes.pdf, p. 2–3" (or one page, or no page for formats without pages). */
export function sourceLabel(hit: Pick<SearchHit, 'file_name' | 'page_start' | 'page_end'>): string {
  const file = hit.file_name ?? 'unnamed source';
  if (hit.page_start === undefined) return file;
  return hit.page_end !== undefined && hit.page_end !== hit.page_start ? `${file}, p. ${hit.page_start}–${hit.page_end}` : `${file}, p. ${hit.page_start}`;
}

export function citedPrompt(question: string, hits: SearchHit[]): string {
  const sources = hits.map((hit, i) => `[${i + 1}] (${sourceLabel(hit)})\n${hit.text}`).join('\n\n');
  return `Answer the question using only the sources below. Cite each fact with its source number in brackets, like [1]. If the sources do not answer it, say so.\n\nSources:\n${sources}\n\nQuestion: ${question}`;
}
