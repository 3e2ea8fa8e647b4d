import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';
import type { DestinationPreview } from './preview';
import type { ServerApi } from './server';

/** "Preview destination XML" above <domain>, with the chosen profile's name once there is one. */
export class PreviewCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(
    private readonly api: ServerApi,
    private readonly preview: DestinationPreview,
  ) {
    this.onDidChangeCodeLenses = preview.onDidChooseProfile;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const r = await this.api.readiness(document).catch(() => null);
    if (!r?.isDomain || !r.domainRange) return [];
    const range = new vscode.Range(
      r.domainRange.start.line,
      r.domainRange.start.character,
      r.domainRange.end.line,
      r.domainRange.end.character,
    );
    const profile = this.preview.chosen.get(document.uri.toString());
    const name = profile?.path
      .split('/')
      .pop()
      ?.replace(/(\.migration)?\.json$/i, '');
    return [
      new vscode.CodeLens(range, {
        title: name ? `Preview destination XML (${name})` : 'Preview destination XML',
        command: Commands.previewDestination,
        arguments: profile ? [profile] : [],
      }),
    ];
  }
}
