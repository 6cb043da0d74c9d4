// The heap view's page script: draws one `c2py/heapSnapshot` as a learner's picture, in the manner
// of Python Tutor. On the left the names visible at the line, on the right the objects, each drawn
// once with a row per reference it holds ([0], .next, ['key']); small immutable values (ints,
// floats, short strings, None, booleans) sit inline in the slot that holds them instead of at the
// end of an arrow; every other reference is an arrow to the one box of its object. Compared with
// the previous picture of the same file, new objects and changed reference counts are marked, and
// what the line freed is greyed at the bottom. The legend under the picture explains every mark.
//
// Every text that comes from the user's code (names, types, `via` labels, the line itself) goes
// into the page through textContent or an SVG text node: never as HTML.
import type { HeapObject, HeapSnapshot, ToWebview } from '../protocol';

interface VsCodeApi {
  postMessage(message: unknown): void;
}
declare function acquireVsCodeApi(): VsCodeApi;

const SVG_NS = 'http://www.w3.org/2000/svg';
const MAX_OBJECTS = 120; // more than this is not a picture anyone reads
const MAX_ROWS = 16; // reference rows drawn per object; the rest are counted
const CHAR_W = 7.3; // width of one character of the 12px editor font
const ROW_H = 20;
const PAD = 8;
const TOP = 28;
const LEFT = 8;
const COL_GAP = 70;
const BOX_GAP = 18;
const MAX_LABEL = 22; // characters of a name or `via` label before it is cut with …
const MAX_VALUE = 24; // characters of an inline value before it is cut with …

// Immutable types whose small values a learner reads as values, not as objects to point at.
const INLINE_TYPES = new Set(['int', 'float', 'bool', 'NoneType', 'str', 'bytes', 'complex']);

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

function cut(text: string, max = MAX_LABEL): string {
  return text.length <= max ? text : text.slice(0, max - 1) + '…';
}

const textWidth = (text: string) => text.length * CHAR_W;

// A value drawn inline: an immutable scalar that holds no references.
function inline(o: HeapObject | undefined): boolean {
  return !!o && INLINE_TYPES.has(o.type) && o.refs.length === 0 && !o.unreachable;
}

// What an inline value shows: its repr, as Python prints it, when the server knows it; otherwise
// its type, and for strings their length.
function chip(o: HeapObject): string {
  if (o.value !== undefined && o.value !== null) return cut(o.value, MAX_VALUE);
  if (o.type === 'NoneType') return 'None';
  if ((o.type === 'str' || o.type === 'bytes') && o.length !== null) return `${o.type} (${o.length} ${o.length === 1 ? 'char' : 'chars'})`;
  return o.type;
}

function summary(o: HeapObject): string {
  const parts: string[] = [];
  if (o.immortal) parts.push('immortal');
  else if (o.refcount === null && o.type === 'type') parts.push('class');
  else if (o.refcount === null && o.value !== undefined && o.value !== null) parts.push('shared');
  else if (o.refcount === null) parts.push('refcount unknown');
  else if (o.interpreterRefs) parts.push(`refcount ${o.refcount} (+${o.interpreterRefs} interpreter)`);
  else parts.push(`refcount ${o.refcount}`);
  if (o.size !== null) parts.push(bytes(o.size));
  if (o.length !== null) parts.push(o.capacity !== null ? `len ${o.length} / cap ${o.capacity}` : `len ${o.length}`);
  return parts.join(' · ');
}

interface Change {
  isNew: boolean;
  refcountFrom?: number | null; // set when the refcount changed
}

interface Box {
  object: HeapObject;
  column: number;
  x: number;
  y: number;
  w: number;
  h: number;
  rows: { via: string; to: string }[];
  hidden: number; // rows not drawn
}

// The previous picture of the same file, to mark what changed.
let previous: { file: string; line: number; refcounts: Map<string, number | null> } | undefined;

// Columns by distance from the names: named objects first, then what they refer to, and so on;
// objects no name reaches (cycles waiting for the GC, callers' locals) start their own chains.
// Inline values get no box.
function layout(objects: HeapObject[], byId: Map<string, HeapObject>): { boxes: Map<string, Box>; widths: number[] } {
  const column = new Map<string, number>();
  const order: string[] = [];
  const visit = (roots: HeapObject[]) => {
    const queue = roots.filter((o) => !column.has(o.id) && !inline(o));
    for (const o of queue) {
      column.set(o.id, 0);
      order.push(o.id);
    }
    for (let i = 0; i < queue.length; i++) {
      const o = queue[i];
      for (const ref of o.refs.slice(0, MAX_ROWS)) {
        const target = byId.get(ref.to);
        if (!target || column.has(target.id) || inline(target)) continue;
        column.set(target.id, (column.get(o.id) ?? 0) + 1);
        order.push(target.id);
        queue.push(target);
      }
    }
  };
  visit(objects.filter((o) => o.names.length > 0));
  visit(objects.filter((o) => !column.has(o.id) && !o.referrers.some((r) => byId.has(r))));
  visit(objects.filter((o) => !column.has(o.id)));

  const boxes = new Map<string, Box>();
  const widths: number[] = [];
  for (const id of order) {
    const object = byId.get(id) as HeapObject;
    const rows = object.refs.slice(0, MAX_ROWS).filter((r) => byId.has(r.to));
    const labels = rows.map((r) => cut(r.via).length + 2 + (inline(byId.get(r.to)) ? chip(byId.get(r.to) as HeapObject).length : 1));
    const w = Math.max(150, PAD * 2 + CHAR_W * Math.max(object.type.length + 6, summary(object).length, ...labels, 0));
    const c = column.get(id) ?? 0;
    widths[c] = Math.max(widths[c] ?? 0, w);
    boxes.set(id, { object, column: c, x: 0, y: 0, w, h: ROW_H * (2 + rows.length) + PAD + (object.refs.length > rows.length ? ROW_H : 0), rows, hidden: object.refs.length - rows.length });
  }
  return { boxes, widths };
}

function edge(parent: Element, x1: number, y1: number, x2: number, y2: number, backwards: boolean): void {
  const g = svg('g', { class: 'edge' }, parent);
  let d: string;
  if (!backwards) {
    const dx = Math.max(25, (x2 - x1) / 2);
    d = `M ${x1} ${y1} C ${x1 + dx} ${y1}, ${x2 - dx} ${y2}, ${x2} ${y2}`;
  } else {
    // To an object in the same or an earlier column: round the right-hand side into its top.
    d = `M ${x1} ${y1} C ${x1 + 80} ${y1}, ${x2 + 40} ${y2 - 70}, ${x2} ${y2}`;
  }
  svg('circle', { cx: x1, cy: y1, r: 3, class: 'dot' }, g);
  svg('path', { d, 'marker-end': 'url(#arrow)' }, g);
}

// An inline value in a slot at (x, y): a chip holding the value's type.
function valueChip(parent: Element, o: HeapObject, x: number, y: number, holder: string, isNew: boolean): number {
  const text = chip(o);
  const w = textWidth(text) + 10;
  const g = svg('g', { class: isNew ? 'value new' : 'value', 'data-id': o.id, 'data-type': o.type, 'data-holder': holder }, parent);
  svg('title', {}, g, `${o.type} ${o.id}${o.value ? ' = ' + o.value : ''}: ${summary(o)}`);
  svg('rect', { x, y: y - 13, width: w, height: 17, rx: 8 }, g);
  svg('text', { x: x + 5, y }, g, text);
  return w;
}

function render(file: string, line: number, lineText: string, snapshot: HeapSnapshot): void {
  where.textContent = `${file}:${line + 1}`;
  const code = document.createElement('code');
  code.textContent = lineText;
  where.appendChild(document.createTextNode('  '));
  where.appendChild(code);

  const objects = snapshot.objects.slice(0, MAX_OBJECTS);
  const byId = new Map(objects.map((o) => [o.id, o]));
  const compared = previous && previous.file === file && previous.line !== line ? previous : undefined;
  const changes = new Map<string, Change>();
  if (compared) {
    for (const o of objects) {
      if (!compared.refcounts.has(o.id)) changes.set(o.id, { isNew: true });
      else if (compared.refcounts.get(o.id) !== o.refcount) changes.set(o.id, { isNew: false, refcountFrom: compared.refcounts.get(o.id) });
    }
  }
  previous = { file, line, refcounts: new Map(snapshot.objects.map((o) => [o.id, o.refcount])) };

  const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const notes: string[] = [];
  if (!snapshot.complete) notes.push(`Incomplete here: ${snapshot.reason ?? 'the model does not know everything at this line'}.`);
  notes.push(`${plural(snapshot.objects.length, 'object', 'objects')} alive after this line, ${snapshot.freed.length} freed by it.`);
  if (compared) {
    const added = [...changes.values()].filter((c) => c.isNew).length;
    const counted = changes.size - added;
    notes.push(`Since line ${compared.line + 1}: ${plural(added, 'new object', 'new objects')}, ${plural(counted, 'refcount', 'refcounts')} changed.`);
  }
  if (snapshot.objects.length > MAX_OBJECTS) notes.push(`${snapshot.objects.length - MAX_OBJECTS} more objects are not drawn.`);
  note.textContent = notes.join(' ');

  const { boxes, widths } = layout(objects, byId);

  // The names, in a frame box on the left, one row each.
  const names: { name: string; object: HeapObject }[] = [];
  for (const o of objects) for (const name of o.names) names.push({ name, object: o });
  const nameW = Math.max(...names.map((n) => cut(n.name).length), 5) * CHAR_W + PAD * 2;
  const slotW = Math.max(...names.map((n) => (inline(n.object) ? chip(n.object).length + 2 : 2)), 4) * CHAR_W + PAD * 2;
  const frameW = nameW + slotW;
  const frameH = ROW_H * (names.length + 1) + PAD;

  // Columns of boxes to the right of the frame; each column stacked top-down.
  let x = LEFT + frameW + COL_GAP;
  const columnX: number[] = [];
  widths.forEach((w, c) => {
    columnX[c] = x;
    x += w + COL_GAP;
  });
  const columnY: number[] = [];
  // Named objects in the order of their names, so arrows from the frame run roughly level.
  const firstRow = new Map<string, number>();
  names.forEach((n, i) => {
    if (!firstRow.has(n.object.id)) firstRow.set(n.object.id, i);
  });
  const ordered = [...boxes.values()].sort((a, b) => a.column - b.column || (firstRow.get(a.object.id) ?? 1e9) - (firstRow.get(b.object.id) ?? 1e9));
  for (const box of ordered) {
    box.x = columnX[box.column];
    const wanted = box.column === 0 && firstRow.has(box.object.id) ? TOP + ROW_H * (1 + (firstRow.get(box.object.id) as number)) - ROW_H : TOP;
    box.y = Math.max(columnY[box.column] ?? TOP, wanted);
    columnY[box.column] = box.y + box.h + BOX_GAP;
  }
  let width = Math.max(LEFT + frameW + 20, x);
  let height = Math.max(TOP + frameH, ...columnY.map((y) => y ?? TOP)) + BOX_GAP;

  const picture = svg('svg', { class: 'heap', role: 'img', 'aria-label': `heap after line ${line + 1}` });
  const defs = svg('defs', {}, picture);
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, defs);
  svg('path', { d: 'M 0 0 L 10 5 L 0 10 z', class: 'arrowhead' }, marker);
  svg('text', { x: LEFT, y: TOP - 10, class: 'heading' }, picture, 'Names');
  svg('text', { x: LEFT + frameW + COL_GAP, y: TOP - 10, class: 'heading' }, picture, 'Objects');
  const edges = svg('g', { class: 'edges' }, picture);
  const layer = svg('g', { class: 'boxes' }, picture);

  // A slot that holds a reference: an inline value, or a dot with an arrow to the object's box.
  const slot = (from: Element, holder: string, to: HeapObject, sx: number, sy: number, fromBox?: Box) => {
    if (inline(to)) {
      valueChip(from, to, sx, sy + 4, holder, changes.get(to.id)?.isNew === true);
      return;
    }
    const target = boxes.get(to.id);
    if (!target) return;
    // From a box's row the arrow leaves at the box's right edge (the row's end), so that it never
    // runs under the box; from the names' frame it leaves the slot.
    const backwards = fromBox !== undefined && target.column <= fromBox.column;
    const x1 = fromBox ? fromBox.x + fromBox.w : sx + 6;
    edge(edges, x1, sy, backwards ? target.x + target.w - 20 : target.x, backwards ? target.y : target.y + ROW_H / 2 + 4, backwards);
  };

  // The frame.
  const frame = svg('g', { class: 'frame' }, layer);
  svg('rect', { x: LEFT, y: TOP, width: frameW, height: frameH, rx: 4 }, frame);
  svg('text', { x: LEFT + PAD, y: TOP + 14, class: 'frame-title' }, frame, 'at this line');
  names.forEach((n, i) => {
    const y = TOP + ROW_H * (i + 1);
    const g = svg('g', { class: 'name', 'data-name': n.name, 'data-object': n.object.id }, frame);
    svg('line', { x1: LEFT, y1: y, x2: LEFT + frameW, y2: y, class: 'rule' }, g);
    svg('text', { x: LEFT + PAD, y: y + 14 }, g, cut(n.name));
    slot(g, n.name, n.object, LEFT + nameW, y + 10);
  });

  // The objects.
  for (const box of boxes.values()) {
    const o = box.object;
    const change = changes.get(o.id);
    const classes = ['object'];
    if (o.immortal) classes.push('immortal');
    if (o.unreachable) classes.push('cycle');
    if (change?.isNew) classes.push('new');
    else if (change) classes.push('changed');
    const g = svg('g', { class: classes.join(' '), 'data-id': o.id, 'data-type': o.type }, layer);
    svg('title', {}, g, `${o.type} ${o.id}` + (o.names.length ? ` (${o.names.join(', ')})` : '') + (o.unreachable ? ': kept alive only by a cycle' : ''));
    svg('rect', { x: box.x, y: box.y, width: box.w, height: box.h, rx: 4 }, g);
    svg('text', { x: box.x + PAD, y: box.y + 15, class: 'type' }, g, o.type);
    const marks = [change?.isNew ? 'new' : change ? `was ${change.refcountFrom ?? 'unknown'}` : '', o.unreachable ? 'cycle' : ''];
    const badge = marks.filter(Boolean).join(' · ');
    if (badge) svg('text', { x: box.x + box.w - PAD, y: box.y + 15, class: 'badge', 'text-anchor': 'end' }, g, badge);
    svg('text', { x: box.x + PAD, y: box.y + 15 + ROW_H - 4, class: 'detail' }, g, summary(o));
    box.rows.forEach((row, i) => {
      const y = box.y + ROW_H * (i + 2);
      svg('line', { x1: box.x, y1: y, x2: box.x + box.w, y2: y, class: 'rule' }, g);
      svg('text', { x: box.x + PAD, y: y + 14, class: 'via' }, g, cut(row.via));
      slot(g, o.id, byId.get(row.to) as HeapObject, box.x + PAD + textWidth(cut(row.via)) + 10, y + 10, box);
    });
    if (box.hidden > 0) svg('text', { x: box.x + PAD, y: box.y + ROW_H * (box.rows.length + 2) + 14, class: 'via' }, g, `+${box.hidden} more references`);
  }

  // What this line freed, greyed.
  if (snapshot.freed.length > 0) {
    const y = height;
    svg('text', { x: LEFT, y: y + 14, class: 'heading' }, layer, 'Freed by this line');
    let fx = LEFT;
    for (const f of snapshot.freed.slice(0, MAX_OBJECTS)) {
      const text = f.size === null ? 'freed' : `freed ${bytes(f.size)}`;
      const w = Math.max(110, PAD * 2 + CHAR_W * Math.max(f.type.length, text.length));
      const g = svg('g', { class: 'object freed', 'data-id': f.id, 'data-type': f.type }, layer);
      svg('rect', { x: fx, y: y + 22, width: w, height: ROW_H * 2 + 4, rx: 4 }, g);
      svg('text', { x: fx + PAD, y: y + 22 + 15, class: 'type' }, g, f.type);
      svg('text', { x: fx + PAD, y: y + 22 + 15 + ROW_H - 2, class: 'detail' }, g, text);
      fx += w + 12;
      width = Math.max(width, fx);
    }
    height = y + 22 + ROW_H * 2 + 4 + BOX_GAP;
  }

  picture.setAttribute('width', String(Math.ceil(width)));
  picture.setAttribute('height', String(Math.ceil(height)));
  picture.setAttribute('viewBox', `0 0 ${Math.ceil(width)} ${Math.ceil(height)}`);
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
