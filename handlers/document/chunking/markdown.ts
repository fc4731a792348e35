// `markdown`: a chunk never spans two sections. A section is an ATX heading (`#` … `######`, outside
// fenced code) and what follows it up to the next heading; its chunks carry the heading path
// (outermost first). A section longer than chunk_size is split like `recursive`.
import type { MergeSizes } from './langchain-merge.ts';
import { splitRecursive } from './recursive.ts';
import { forEachLine, type Drafts } from './spans.ts';

const HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

interface Section {
  start: number;
  path: readonly string[];
}

export function splitMarkdown(text: string, start: number, end: number, sizes: MergeSizes, out: Drafts) {
  const sections = findSections(text, start, end);
  sections.forEach((section, i) => {
    const sectionEnd = sections[i + 1]?.start ?? end;
    const first = out.length;
    splitRecursive(text, section.start, sectionEnd, sizes, out);
    if (section.path.length) for (let c = first; c < out.length; c++) out.headingPaths.set(c, section.path);
  });
}

function findSections(text: string, start: number, end: number): Section[] {
  const sections: Section[] = [{ start, path: [] }];
  const stack: { level: number; title: string }[] = [];
  let fence: string | undefined;
  forEachLine(text, start, end, (lineStart, lineEnd) => {
    const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
    const fenceMatch = FENCE.exec(line);
    if (fenceMatch) {
      const marker = fenceMatch[1]!;
      if (fence === undefined) fence = marker;
      else if (marker[0] === fence[0] && marker.length >= fence.length) fence = undefined;
    } else if (fence === undefined) {
      const heading = HEADING.exec(line);
      if (heading) {
        const level = heading[1]!.length;
        while (stack.length && stack[stack.length - 1]!.level >= level) stack.pop();
        stack.push({ level, title: (heading[2] ?? '').trim() });
        const path = stack.map((h) => h.title);
        if (sections[sections.length - 1]!.start === lineStart) sections.pop();
        sections.push({ start: lineStart, path });
      }
    }
  });
  return sections;
}
