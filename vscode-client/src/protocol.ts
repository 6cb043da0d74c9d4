// The custom request of design.md, `c2py/heapSnapshot`: the runtime model's heap right after the
// statement on a line first executes. Shared by the extension and the webview (types only).

export interface HeapRef {
  to: string;
  via: string;
}

export interface HeapObject {
  id: string;
  type: string;
  refcount: number | null; // references the program holds
  interpreterRefs?: number | null; // references the interpreter holds there (call arguments, iterators)
  immortal: boolean;
  size: number | null;
  length: number | null;
  capacity: number | null;
  value?: string | null; // repr() of a small immutable value (None, bool, int, float, short str)
  names: string[];
  refs: HeapRef[];
  referrers: string[];
  unreachable: boolean;
}

export interface FreedObject {
  id: string;
  type: string;
  size: number | null;
}

export interface HeapSnapshot {
  line: number;
  complete: boolean;
  objects: HeapObject[];
  freed: FreedObject[];
  reason?: string; // not part of the contract: why the snapshot is incomplete
}

export interface HeapSnapshotParams {
  textDocument: { uri: string };
  position: { line: number; character: number };
}

export const heapSnapshotMethod = 'c2py/heapSnapshot';

// Extension → webview messages.
export type ToWebview =
  | { kind: 'snapshot'; file: string; line: number; lineText: string; snapshot: HeapSnapshot }
  | { kind: 'message'; text: string };

// Webview → extension messages.
export type FromWebview = { kind: 'ready' };
