// c2py for VS Code: starts c2py-lsp for C and Python files, and adds the heap view and the lesson.
import * as fs from 'fs';
import * as vscode from 'vscode';
import {
  DidChangeConfigurationNotification,
  LanguageClient,
  LanguageClientOptions,
  RevealOutputChannelOn,
  ServerOptions,
  State,
  TransportKind,
} from 'vscode-languageclient/node';

import { HeapView } from './heapView';
import { Attempt, locateServer } from './serverLocator';
import { serverSection } from './settings';

let client: LanguageClient | undefined;
let output: vscode.OutputChannel;
let status: vscode.StatusBarItem;
let starting: Promise<void> | undefined;

export interface C2pyApi {
  /** The running client, for tests and other extensions. */
  client(): LanguageClient | undefined;
  /** The server binary in use, if one was found. */
  serverCommand(): string | undefined;
}

let serverCommand: string | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<C2pyApi> {
  output = vscode.window.createOutputChannel('c2py');
  status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Right, 10);
  status.command = 'c2py.showOutput';
  status.name = 'c2py language server';
  context.subscriptions.push(output, status);

  const heapView = new HeapView(context, () => (client && client.state === State.Running ? client : undefined));
  context.subscriptions.push(
    heapView,
    vscode.commands.registerCommand('c2py.restartServer', () => restart(context)),
    vscode.commands.registerCommand('c2py.showHeapView', () => heapView.show()),
    vscode.commands.registerCommand('c2py.openLesson', () => openLesson(context)),
    vscode.commands.registerCommand('c2py.showOutput', () => output.show(true)),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration('c2py.serverPath')) {
        void restart(context);
      } else if (event.affectsConfiguration('c2py') && client && client.state === State.Running) {
        // Pull model: the server answers with workspace/configuration, which the middleware fills.
        void client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
      }
    }),
  );
  await start(context);
  return { client: () => client, serverCommand: () => serverCommand };
}

export async function deactivate(): Promise<void> {
  await stop();
}

function workspaceFolder(): string | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder && folder.uri.scheme === 'file' ? folder.uri.fsPath : undefined;
}

function setStatus(text: string, tooltip: string, error = false): void {
  status.text = text;
  status.tooltip = tooltip;
  status.backgroundColor = error ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  status.show();
}

function reportNotFound(attempts: Attempt[]): void {
  output.appendLine('c2py-lsp could not be started. Tried, in order:');
  for (const a of attempts) output.appendLine(`  - ${a.source}: ${a.path} ${a.problem ?? 'works'}`);
  const tried = attempts.map((a) => `${a.source} (${a.path}: ${a.problem ?? 'works'})`).join('; ');
  setStatus('$(error) c2py', 'c2py-lsp not found: ' + tried, true);
  void vscode.window
    .showErrorMessage(
      `c2py: the language server c2py-lsp was not found. Tried ${tried}. ` +
        'Build it (bash scripts/c2py.sh run) and set "c2py.serverPath" to the binary, or put c2py-lsp on PATH.',
      'Open Settings',
      'Show Log',
    )
    .then((choice) => {
      if (choice === 'Open Settings') void vscode.commands.executeCommand('workbench.action.openSettings', 'c2py.serverPath');
      else if (choice === 'Show Log') output.show(true);
    });
}

async function start(context: vscode.ExtensionContext): Promise<void> {
  if (starting) return starting;
  starting = (async () => {
    const configured = vscode.workspace.getConfiguration('c2py').get<string>('serverPath', '');
    const located = locateServer({
      configured,
      workspaceFolder: workspaceFolder(),
      extensionPath: context.extensionPath,
      envPath: process.env.PATH,
    });
    serverCommand = located.command;
    if (!located.command) {
      reportNotFound(located.attempts);
      return;
    }
    const command = located.command;
    output.appendLine(`Starting ${command} (${located.attempts[located.attempts.length - 1].source})`);

    const serverOptions: ServerOptions = { command, transport: TransportKind.stdio };
    const clientOptions: LanguageClientOptions = {
      documentSelector: [
        { scheme: 'file', language: 'c' },
        { scheme: 'file', language: 'python' },
        { scheme: 'untitled', language: 'c' },
        { scheme: 'untitled', language: 'python' },
      ],
      initializationOptions: serverSection(),
      outputChannel: output,
      revealOutputChannelOn: RevealOutputChannelOn.Never,
      middleware: {
        workspace: {
          configuration: (params) =>
            params.items.map((item) =>
              item.section === 'c2py'
                ? serverSection(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
                : null,
            ),
        },
      },
    };
    const next = new LanguageClient('c2py', 'c2py', serverOptions, clientOptions);
    next.onDidChangeState((e) => {
      if (e.newState === State.Running) setStatus('$(check) c2py', `c2py-lsp running: ${command}`);
      else if (e.newState === State.Stopped) setStatus('$(circle-slash) c2py', `c2py-lsp stopped: ${command}`, true);
    });
    client = next;
    try {
      await next.start();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      output.appendLine(`c2py-lsp failed to start from ${command}: ${message}`);
      setStatus('$(error) c2py', `c2py-lsp failed to start: ${command}`, true);
      void vscode.window.showErrorMessage(`c2py: ${command} did not start: ${message}`, 'Show Log').then((choice) => {
        if (choice) output.show(true);
      });
    }
  })();
  try {
    await starting;
  } finally {
    starting = undefined;
  }
}

async function stop(): Promise<void> {
  const old = client;
  client = undefined;
  if (!old) return;
  try {
    if (old.state !== State.Stopped) await old.stop(2000);
  } catch (error) {
    output.appendLine(`stopping c2py-lsp: ${error instanceof Error ? error.message : String(error)}`);
  }
  await old.dispose(1000).catch(() => undefined);
}

async function restart(context: vscode.ExtensionContext): Promise<void> {
  output.appendLine('Restarting c2py-lsp');
  await stop();
  await start(context);
}

// The lesson's two examples, side by side: C on the left, its Python port on the right. They are
// copied out of the extension once, so the user may edit them and apply fixes.
async function openLesson(context: vscode.ExtensionContext): Promise<void> {
  const target = vscode.Uri.joinPath(context.globalStorageUri, 'lesson');
  await vscode.workspace.fs.createDirectory(target);
  const opened: vscode.Uri[] = [];
  for (const name of ['lesson.c', 'lesson.py']) {
    const copy = vscode.Uri.joinPath(target, name);
    if (!fs.existsSync(copy.fsPath)) {
      await vscode.workspace.fs.copy(vscode.Uri.joinPath(context.extensionUri, 'lesson', name), copy, { overwrite: false });
    }
    opened.push(copy);
  }
  await vscode.window.showTextDocument(opened[0], { viewColumn: vscode.ViewColumn.One, preview: false });
  await vscode.window.showTextDocument(opened[1], { viewColumn: vscode.ViewColumn.Two, preview: false });
}
