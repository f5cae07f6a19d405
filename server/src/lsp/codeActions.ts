/**
 * Code actions: the core's fixes for the entries in the requested range, as
 * quick fixes tied to their diagnostics or as rewrites; and the whole-file
 * `source.fixAll.blocklist` and "aggregate file" edits.
 */
import { CodeActionKind, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit as LspTextEdit } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { aggregate, fixAll, fixAllMayEdit, fixesForEntry, type Fix, type FixOptions } from '../core/fixes/fixes';
import type { TextEdit } from '../core/fixes/rewrite';
import type { Analysis } from './analysis';
import { SOURCE, toRange } from './convert';

export const FIX_ALL_KIND = `${CodeActionKind.SourceFixAll}.blocklist`;

/** Lines of a selection whose entries get fixes offered. */
const MAX_LINES = 20;

const FIX_ALL_TITLE = 'Fix all safe blocklist problems';

/** What a deferred Fix all carries to `codeAction/resolve`: the document it fixes. */
interface FixAllData {
  readonly uri: string;
}

/**
 * The code actions for the requested range. Where the client resolves code
 * actions' edits (`resolveSupport` of `edit`), Fix all is offered without
 * its edit, which `resolveFixAll` computes once it is chosen: the editor
 * asks for code actions whenever the cursor moves, and Fix all of a
 * million-line list takes seconds.
 */
export function codeActions(textDocument: TextDocument, analysis: Analysis, params: CodeActionParams, options: FixOptions, resolvesEdits: boolean): CodeAction[] {
  const only = params.context.only;
  const wants = (kind: string) => !only || only.some((requested) => kind === requested || kind.startsWith(`${requested}.`));
  const actions: CodeAction[] = [];
  if (wants(FIX_ALL_KIND)) {
    if (resolvesEdits) {
      if (fixAllMayEdit(analysis.document, analysis.result.facts)) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, data: { uri: textDocument.uri } satisfies FixAllData });
    } else {
      const edits = fixAll(analysis.document, analysis.result.facts);
      if (edits.length > 0) actions.push({ title: FIX_ALL_TITLE, kind: FIX_ALL_KIND, edit: workspaceEdit(textDocument, edits) });
    }
  }
  if (only && !wants(CodeActionKind.QuickFix) && !wants(CodeActionKind.RefactorRewrite)) return actions;
  const table = analysis.document.entries;
  // Each entry's fixes look at every other entry: a selection of the whole file gets the first entries' only.
  const lastLine = Math.min(params.range.end.line, params.range.start.line + MAX_LINES);
  for (let line = params.range.start.line; line <= lastLine; line++) {
    for (let k = table.entryAt(line); k >= 0 && k < table.count && table.line[k] === line; k++) {
      for (const fix of fixesForEntry(analysis.document, { index: analysis.index, facts: analysis.result.facts }, k, options, analysis.networks)) {
        const kind = fix.kind === 'quickfix' ? CodeActionKind.QuickFix : CodeActionKind.RefactorRewrite;
        if (!wants(kind)) continue;
        actions.push(toAction(textDocument, fix, kind, diagnosticsFor(fix, line, params.context.diagnostics)));
      }
    }
  }
  return actions;
}

/** The uri of the document a deferred Fix all fixes, if `action` is one. */
export function fixAllTarget(action: CodeAction): string | undefined {
  const data = action.data as Partial<FixAllData> | undefined;
  return action.kind === FIX_ALL_KIND && typeof data?.uri === 'string' ? data.uri : undefined;
}

/** A deferred Fix all with its edit, computed on the document as it is now. */
export function resolveFixAll(action: CodeAction, textDocument: TextDocument, analysis: Analysis): CodeAction {
  return { ...action, edit: workspaceEdit(textDocument, fixAll(analysis.document, analysis.result.facts)) };
}

/** The edits of "Aggregate file", as LSP edits. */
export function aggregateEdits(textDocument: TextDocument, analysis: Analysis): LspTextEdit[] {
  return aggregate(analysis.document, analysis.result.facts).map((edit) => toLspEdit(textDocument, edit));
}

function toAction(textDocument: TextDocument, fix: Fix, kind: string, diagnostics: Diagnostic[]): CodeAction {
  return {
    title: fix.title,
    kind,
    edit: workspaceEdit(textDocument, fix.edits),
    ...(diagnostics.length > 0 ? { diagnostics } : {}),
    ...(fix.preferred && diagnostics.length > 0 ? { isPreferred: true } : {}),
  };
}

/** The diagnostics on `line` that `fix` resolves: by their code, or for a reach diagnostic by any of its components. */
function diagnosticsFor(fix: Fix, line: number, diagnostics: Diagnostic[]): Diagnostic[] {
  const resolves = (code: unknown) => typeof code === 'string' && (fix.resolves ?? []).includes(code);
  return diagnostics.filter((d) => {
    if (d.source !== SOURCE || d.range.start.line !== line) return false;
    const codes = (d.data as { codes?: unknown } | undefined)?.codes;
    return resolves(d.code) || (Array.isArray(codes) && codes.some(resolves));
  });
}

function workspaceEdit(textDocument: TextDocument, edits: readonly TextEdit[]) {
  return { changes: { [textDocument.uri]: edits.map((edit) => toLspEdit(textDocument, edit)) } };
}

function toLspEdit(textDocument: TextDocument, edit: TextEdit): LspTextEdit {
  return { range: toRange(textDocument, edit.start, edit.end), newText: edit.newText };
}
