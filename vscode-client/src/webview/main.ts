// The heap view's page script: draws one `c2py/heapSnapshot` as an SVG picture, in the manner of
// Python Tutor: variable names on the left, objects as boxes (type, refcount, size, length and
// capacity), arrows for references labelled with how they are held, objects kept alive only by a
// cycle dashed, and the objects the line freed greyed at the bottom.
//
// Every text that comes from the user's code (names, types, `via` labels, the line itself) goes
// into the page through textContent or an SVG text node: never as HTML.
import type { HeapObject, HeapSnapshot, ToWebview } from '../protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SVG_NS = 'http://www.w3.org/2000/svg';
const MAX_OBJECTS = 150; // more than this is not a picture anyone reads
const MAX_REFS = 40; // arrows drawn per object
const MAX_LABELS = 8; // beyond this many references, arrows go unlabelled
const BOX_W = 170;
const LINE_H = 16;
const PAD = 8;
const NAME_W = 100;
const NAME_H = 24;
const COL_GAP = 80;
const ROW_GAP = 18;
const TOP = 12;
const LEFT = 8;

const api = acquireVsCodeApi();
const main = document.getElementById('heap') as HTMLElement;
const where = document.getElementById('where') as HTMLElement;
const note = document.getElementById('note') as HTMLElement;

type Attrs = Record<string, string | number>;

function svg<K extends keyof SVGElementTagNameMap>(tag: K, attrs: Attrs, parent?: Element, text?: string): SVGElementTagNameMap[K] {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  if (parent) parent.appendChild(node);
  return node;
}

function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10240 ? 1 : 0)} KiB`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
}

function details(o: HeapObject): string[] {
  const out: string[] = [];
  if (o.immortal) {
    // Small ints, None, interned constants: never freed, so one compact line.
    out.push(o.size !== null ? `immortal · ${bytes(o.size)}` : 'immortal');
    return out;
  }
  out.push(o.refcount === null ? 'refcount ?' : `refcount ${o.refcount}`);
  if (o.size !== null) out.push(`size ${bytes(o.size)}`);
  if (o.length !== null) out.push(o.capacity !== null ? `len ${o.length} / cap ${o.capacity}` : `len ${o.length}`);
  if (o.unreachable) out.push('cycle: waits for the GC');
  return out;
}

interface Placed {
  object: HeapObject;
  column: number;
  x: number;
  y: number;
  h: number;
}

// Columns by distance from the names: named objects first, then what they refer to, and so on;
// objects no name reaches (cycles waiting for the GC, callers' locals) start their own chains.
function layout(objects: HeapObject[]): Map<string, Placed> {
  const byId = new Map(objects.map((o) => [o.id, o]));
  const column = new Map<string, number>();
  const order: string[] = [];
  const visit = (roots: HeapObject[]) => {
    const queue = roots.filter((o) => !column.has(o.id));
    for (const o of queue) {
      column.set(o.id, 0);
      order.push(o.id);
    }
    for (let i = 0; i < queue.length; i++) {
      const o = queue[i];
      const next = (column.get(o.id) ?? 0) + 1;
      for (const ref of o.refs.slice(0, MAX_REFS)) {
        const target = byId.get(ref.to);
        if (!target || column.has(target.id)) continue;
        column.set(target.id, next);
        order.push(target.id);
        queue.push(target);
      }
    }
  };
  visit(objects.filter((o) => o.names.length > 0));
  visit(objects.filter((o) => !column.has(o.id) && !o.referrers.some((r) => byId.has(r))));
  visit(objects.filter((o) => !column.has(o.id)));

  const heights: number[] = [];
  const placed = new Map<string, Placed>();
  for (const id of order) {
    const object = byId.get(id) as HeapObject;
    const c = column.get(id) ?? 0;
    const h = PAD * 2 + LINE_H * (1 + details(object).length);
    const y = heights[c] ?? TOP;
    heights[c] = y + h + ROW_GAP;
    placed.set(id, { object, column: c, x: LEFT + NAME_W + COL_GAP + c * (BOX_W + COL_GAP), y, h });
  }
  return placed;
}

function edge(parent: Element, x1: number, y1: number, x2: number, y2: number, backwards: boolean, label?: string): void {
  const g = svg('g', { class: 'edge' }, parent);
  let d: string;
  if (!backwards) {
    const dx = Math.max(30, (x2 - x1) / 2);
    d = `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`;
  } else {
    // To an object in the same or an earlier column: loop round the right-hand side.
    d = `M ${x1} ${y1} C ${x1 + 70} ${y1}, ${x2 + 70} ${y2}, ${x2} ${y2}`;
  }
  svg('path', { d, 'marker-end': 'url(#arrow)' }, g);
  if (label) svg('text', { x: x1 + 4, y: y1 - 4, class: 'via' }, g, label);
}

function render(file: string, line: number, lineText: string, snapshot: HeapSnapshot): void {
  where.textContent = `${file}:${line + 1}`;
  const code = document.createElement('code');
  code.textContent = lineText;
  where.appendChild(document.createTextNode('  '));
  where.appendChild(code);
  const notes: string[] = [];
  if (!snapshot.complete) notes.push(`Incomplete here: ${snapshot.reason ?? 'the model does not know everything at this line'}.`);
  const objects = snapshot.objects.slice(0, MAX_OBJECTS);
  if (snapshot.objects.length > MAX_OBJECTS) notes.push(`${snapshot.objects.length - MAX_OBJECTS} more objects are not drawn.`);
  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  notes.push(`${plural(snapshot.objects.length, 'object', 'objects')} alive, ${snapshot.freed.length} freed by this line.`);
  note.textContent = notes.join(' ');

  const placed = layout(objects);
  let width = LEFT + NAME_W + COL_GAP;
  let height = TOP;
  for (const p of placed.values()) {
    width = Math.max(width, p.x + BOX_W + 90);
    height = Math.max(height, p.y + p.h + ROW_GAP);
  }

  const picture = svg('svg', { class: 'heap', role: 'img', 'aria-label': `heap after line ${line + 1}` });
  const defs = svg('defs', {}, picture);
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }, marker);
  const edges = svg('g', { class: 'edges' }, picture);
  const boxes = svg('g', { class: 'boxes' }, picture);

  // Names, next to the object each is bound to.
  let nameY = TOP;
  const named = [...placed.values()].filter((p) => p.object.names.length > 0).sort((a, b) => a.y - b.y);
  for (const p of named) {
    for (const name of p.object.names) {
      nameY = Math.max(nameY, p.y);
      const g = svg('g', { class: 'name', 'data-name': name, 'data-object': p.object.id }, boxes);
      svg('rect', { x: LEFT, y: nameY, width: NAME_W, height: NAME_H, rx: 3 }, g);
      svg('text', { x: LEFT + 8, y: nameY + 16 }, g, name);
      edge(edges, LEFT + NAME_W, nameY + NAME_H / 2, p.x, p.y + PAD + LINE_H / 2, false);
      nameY += NAME_H + 6;
    }
  }
  height = Math.max(height, nameY + ROW_GAP);

  // Objects and their references.
  for (const p of placed.values()) {
    const o = p.object;
    const classes = ['object'];
    if (o.immortal) classes.push('immortal');
    if (o.unreachable) classes.push('cycle');
    const g = svg('g', { class: classes.join(' '), 'data-id': o.id, 'data-type': o.type }, boxes);
    svg('title', {}, g, `${o.type} ${o.id}` + (o.names.length ? ` (${o.names.join(', ')})` : ''));
    svg('rect', { x: p.x, y: p.y, width: BOX_W, height: p.h, rx: 4 }, g);
    svg('text', { x: p.x + PAD, y: p.y + PAD + 12, class: 'type' }, g, o.type);
    details(o).forEach((text, i) => svg('text', { x: p.x + PAD, y: p.y + PAD + 12 + LINE_H * (i + 1), class: 'detail' }, g, text));
    const refs = o.refs.slice(0, MAX_REFS);
    refs.forEach((ref, i) => {
      const target = placed.get(ref.to);
      if (!target) return;
      const y1 = p.y + ((i + 1) * p.h) / (refs.length + 1);
      const backwards = target.column <= p.column;
      const x2 = backwards ? target.x + BOX_W : target.x;
      edge(edges, p.x + BOX_W, y1, x2, target.y + PAD + LINE_H / 2, backwards, o.refs.length <= MAX_LABELS ? ref.via : undefined);
    });
    if (o.refs.length > MAX_LABELS) svg('text', { x: p.x + BOX_W - PAD, y: p.y + PAD + 12, class: 'count', 'text-anchor': 'end' }, g, `${o.refs.length} refs`);
    if (o.refs.length > MAX_REFS) svg('text', { x: p.x + BOX_W + 4, y: p.y + p.h, class: 'via' }, g, `+${o.refs.length - MAX_REFS} more`);
  }

  // What this line freed, greyed.
  if (snapshot.freed.length > 0) {
    const y = height;
    svg('text', { x: LEFT, y: y + 14, class: 'freed-label' }, boxes, 'freed by this line');
    snapshot.freed.slice(0, MAX_OBJECTS).forEach((f, i) => {
      const x = LEFT + NAME_W + COL_GAP + i * (BOX_W / 1.5 + 12);
      const g = svg('g', { class: 'object freed', 'data-id': f.id, 'data-type': f.type }, boxes);
      svg('rect', { x, y, width: BOX_W / 1.5, height: PAD * 2 + LINE_H * 2, rx: 4 }, g);
      svg('text', { x: x + PAD, y: y + PAD + 12, class: 'type' }, g, f.type);
      svg('text', { x: x + PAD, y: y + PAD + 12 + LINE_H, class: 'detail' }, g, f.size === null ? 'freed' : `freed ${bytes(f.size)}`);
      width = Math.max(width, x + BOX_W);
    });
    height = y + PAD * 2 + LINE_H * 2 + ROW_GAP;
  }

  picture.setAttribute('width', String(width));
  picture.setAttribute('height', String(height));
  picture.setAttribute('viewBox', `0 0 ${width} ${height}`);
  main.replaceChildren(picture);
  if (objects.length === 0 && snapshot.freed.length === 0) {
    const p = document.createElement('p');
    p.className = 'empty';
    p.textContent = 'No objects are alive after this line.';
    main.replaceChildren(p);
  }
}

function showMessage(text: string): void {
  where.textContent = 'Heap';
  note.textContent = '';
  const p = document.createElement('p');
  p.className = 'empty';
  p.textContent = text;
  main.replaceChildren(p);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
  const message = event.data;
  if (message.kind === 'snapshot') render(message.file, message.line, message.lineText, message.snapshot);
  else if (message.kind === 'message') showMessage(message.text);
});

api.postMessage({ kind: 'ready' });
