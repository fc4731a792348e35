# PyMuPDF's side of bench/document-extraction.ts: for each PDF, the time of get_text('dict') on
# every page (one core; wall and CPU time), each page's text in PyMuPDF's block order, and its lines rebuilt from
# spans on one baseline (for the table rows). Prints one JSON object.
import json, sys, time
import fitz

rounds = int(sys.argv[1])
files = sys.argv[2:]
docs = [fitz.open(f) for f in files]
pages = sum(d.page_count for d in docs)
times, cpu = [], []
for _ in range(rounds):
    start, start_cpu = time.perf_counter(), time.process_time()
    for doc in docs:
        for page in doc:
            page.get_text('dict')
    times.append((time.perf_counter() - start) * 1000 / pages)
    cpu.append((time.process_time() - start_cpu) * 1000 / pages)

out = {}
for name, doc in zip(files, docs):
    texts, lines = [], []
    for page in doc:
        d = page.get_text('dict')
        blocks = [b for b in d['blocks'] if b.get('type') == 0]
        texts.append('\n\n'.join(' '.join(''.join(s['text'] for s in l['spans']) for l in b['lines']) for b in blocks))
        rows = {}
        for b in blocks:
            for l in b['lines']:
                for s in l['spans']:
                    rows.setdefault(round(s['origin'][1]), []).append((s['origin'][0], s['text']))
        lines.append(['  '.join(t for _, t in sorted(spans)) for _, spans in sorted(rows.items())])
    out[name] = {'texts': texts, 'lines': lines}
print(json.dumps({'ms_per_page': sorted(times)[len(times) // 2], 'cpu_ms_per_page': sorted(cpu)[len(cpu) // 2], 'files': out}))
