// The `c2py` settings section of design.md, as the server expects it: the same object goes out as
// `initializationOptions` and as the answer to `workspace/configuration` for section `c2py`.
// The extension's own settings (serverPath, trace) are left out, so that the server does not
// report them as unknown.
import * as vscode from 'vscode';

export const serverKeys = ['pythonVersion', 'inlayHints', 'diagnostics', 'knowledgePaths', 'model', 'c'] as const;

export function serverSection(scope?: vscode.ConfigurationScope): Record<string, unknown> {
  const config = vscode.workspace.getConfiguration('c2py', scope);
  const section: Record<string, unknown> = {};
  for (const key of serverKeys) {
    const value = config.get<unknown>(key);
    if (value !== undefined) section[key] = value;
  }
  return section;
}
