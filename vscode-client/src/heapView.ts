// The heap view: a webview beside the editor that draws `c2py/heapSnapshot` for the cursor's line
// of the Python file being edited, and follows the cursor and the edits.
//
// Security: the page has a strict Content-Security-Policy (only this extension's own script and
// style files; no inline script or style, no network), and the webview script puts every text
// that comes from the user's code into the page with textContent, never as HTML.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';

import { FromWebview, HeapSnapshot, HeapSnapshotParams, heapSnapshotMethod, ToWebview } from './protocol';

const debounceMs = 120;

export class HeapView implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private editor: vscode.TextEditor | undefined; // the Python editor the view follows
  private timer: ReturnType<typeof setTimeout> | undefined;
  private sequence = 0;
  private ready = false;
  private readonly listeners: vscode.Disposable[] = [];

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly client: () => LanguageClient | undefined,
  ) {}

  show(): void {
    const active = vscode.window.activeTextEditor;
    if (active && active.document.languageId === 'python') this.editor = active;
    if (this.panel) {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
      this.schedule();
      return;
    }
    const media = vscode.Uri.joinPath(this.context.extensionUri, 'media');
    const dist = vscode.Uri.joinPath(this.context.extensionUri, 'dist');
    const panel = vscode.window.createWebviewPanel(
      'c2py.heapView',
      'Heap · c2py',
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
      { enableScripts: true, localResourceRoots: [media, dist], retainContextWhenHidden: false },
    );
    this.panel = panel;
    this.ready = false;
    panel.iconPath = vscode.Uri.joinPath(media, 'heap.svg');
    panel.webview.html = this.html(panel.webview, media, dist);
    panel.webview.onDidReceiveMessage((message: FromWebview) => {
      if (message.kind === 'ready') {
        this.ready = true;
        this.schedule(0);
      }
    });
    panel.onDidChangeViewState(() => {
      if (panel.visible) this.schedule(0);
    });
    panel.onDidDispose(() => {
      this.panel = undefined;
      for (const l of this.listeners.splice(0)) l.dispose();
    });
    this.listeners.push(
      vscode.window.onDidChangeTextEditorSelection((e) => {
        if (e.textEditor.document.languageId !== 'python') return;
        this.editor = e.textEditor;
        this.schedule();
      }),
      vscode.window.onDidChangeActiveTextEditor((e) => {
        if (e && e.document.languageId === 'python') {
          this.editor = e;
          this.schedule();
        }
      }),
      vscode.workspace.onDidChangeTextDocument((e) => {
        if (this.editor && e.document === this.editor.document) this.schedule();
      }),
    );
  }

  dispose(): void {
    this.panel?.dispose();
    if (this.timer) clearTimeout(this.timer);
  }

  private post(message: ToWebview): void {
    if (this.panel && this.ready) void this.panel.webview.postMessage(message);
  }

  private schedule(delay = debounceMs): void {
    if (!this.panel) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.refresh(), delay);
  }

  private async refresh(): Promise<void> {
    if (!this.panel || !this.ready) return;
    const editor = this.editor;
    if (!editor || editor.document.isClosed) {
      this.post({ kind: 'message', text: 'Put the cursor in a Python file: the heap view draws the objects alive right after that line runs.' });
      return;
    }
    const client = this.client();
    if (!client) {
      this.post({ kind: 'message', text: 'The c2py language server is not running (see the output channel "c2py").' });
      return;
    }
    const document = editor.document;
    const line = editor.selection.active.line;
    const params: HeapSnapshotParams = {
      textDocument: { uri: client.code2ProtocolConverter.asUri(document.uri) },
      position: { line, character: 0 },
    };
    const mine = ++this.sequence;
    try {
      const snapshot = await client.sendRequest<HeapSnapshot>(heapSnapshotMethod, params);
      if (mine !== this.sequence) return; // the cursor moved on meanwhile
      this.post({
        kind: 'snapshot',
        file: vscode.workspace.asRelativePath(document.uri),
        line,
        lineText: line < document.lineCount ? document.lineAt(line).text.trim() : '',
        snapshot,
      });
    } catch (error) {
      if (mine !== this.sequence) return;
      const message = error instanceof Error ? error.message : String(error);
      this.post({ kind: 'message', text: `c2py/heapSnapshot failed: ${message}` });
    }
  }

  private html(webview: vscode.Webview, media: vscode.Uri, dist: vscode.Uri): string {
    const script = webview.asWebviewUri(vscode.Uri.joinPath(dist, 'webview.js'));
    const style = webview.asWebviewUri(vscode.Uri.joinPath(media, 'heapView.css'));
    const csp = [
      "default-src 'none'",
      `script-src ${webview.cspSource}`,
      `style-src ${webview.cspSource}`,
      `img-src ${webview.cspSource}`,
      `font-src ${webview.cspSource}`,
      "connect-src 'none'",
      "form-action 'none'",
      "base-uri 'none'",
    ].join('; ');
    // Only values made by VS Code go in here; the user's code reaches the page through
    // postMessage and textContent.
    return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${style.toString()}">
<title>Heap</title>
</head>
<body>
<header><h1 id="where">Heap</h1><p id="note"></p></header>
<main id="heap" aria-live="polite"></main>
<footer id="legend">
<dl>
<dt><span class="key name">arr</span></dt><dd>a name visible at this line (a variable, a parameter); its slot holds a reference</dd>
<dt><span class="key object">list</span></dt><dd>an object, drawn once: its type, refcount (references the program holds), size (sys.getsizeof), length / capacity; a row per reference it holds ([0], .next, ['key'])</dd>
<dt><span class="key">●→</span></dt><dd>a reference: every arrow to one box is one more reference to that same object</dd>
<dt><span class="key value">42</span></dt><dd>a small immutable value (int, float, short str, None, bool) drawn as Python prints it, in the slot that holds it; the heap has it as an object too (hover it for its size and refcount)</dd>
<dt><span class="key">refcount 2 (+1 interpreter)</span></dt><dd>2 references held by the program, 1 more held by the interpreter at this line (a call's arguments, a for loop's iterator): sys.getrefcount(x) would print 2 + 1 + 1, the last one its own argument</dd>
<dt><span class="key new">new</span></dt><dd>created since the previous line you looked at in this file</dd>
<dt><span class="key changed">was 1</span></dt><dd>its refcount changed since then (was 1)</dd>
<dt><span class="key">immortal</span></dt><dd>never freed: on CPython 3.12 and later, None, True, False, small ints (-5 to 256) and some strings are immortal and their references are not counted</dd>
<dt><span class="key">shared</span></dt><dd>a cached or constant value (a small int, a literal of your code) that other code may reference too, so its count is not your program's alone</dd>
<dt><span class="key">refcount unknown</span></dt><dd>the model lost count of it here (e.g. it went through code the model does not follow)</dd>
<dt><span class="key cycle">cycle</span></dt><dd>no name reaches it: only a reference cycle keeps it alive, until the cyclic GC frees it</dd>
<dt><span class="key freed">freed</span></dt><dd>freed by this line: its last reference went</dd>
</dl>
</footer>
<script src="${script.toString()}"></script>
</body>
</html>`;
  }
}
