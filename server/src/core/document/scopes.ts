/**
 * The scopes of a document: the file itself, and each set, table or block
 * its format evaluates on its own (an ipset save file's sets, a pf.conf's
 * tables). Entries name their scope as they are read; declarations and the
 * rules that use a scope say how it decides and whether it blocks or allows.
 */
import type { EntryRole, Evaluation, Format } from '../formats/format';
import type { Directives } from './directives';
import type { LineScopeFact } from './readEntries';

/** Scope names interned as small numbers. Append-only, so a document and its edits share one table. */
export class ScopeNames {
  private readonly names: string[] = [''];
  private readonly ids = new Map<string, number>([['', 0]]);

  /** The id of `name` ('' is the file's own scope, 0). */
  id(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.names.push(name);
      this.ids.set(name, id);
    }
    return id;
  }

  /** The id of `name`, if it has one. */
  find(name: string): number | undefined {
    return this.ids.get(name);
  }

  get count(): number {
    return this.names.length;
  }

  name(id: number): string {
    return this.names[id];
  }
}

export interface Scope {
  /** '' for the file itself. */
  readonly name: string;
  /** For people: `set bad`, `table bad`, `location /api` (a name that says its kind), or `the file`. */
  readonly label: string;
  readonly evaluation: Evaluation;
  /** Allowing scopes (an allowlist set, a table rules `pass`) are never counted as blocked. */
  readonly role: EntryRole;
  /** Where the scope is declared, or -1. */
  readonly line: number;
}

/**
 * Every scope of the document, indexed by its id in `names`. A scope blocks
 * unless the rules of the file that use it only allow (`pass from <t>`,
 * `--match-set s src -j ACCEPT`) or a `# blocklist-role: allow NAME` line
 * says so.
 */
export function resolveScopes(names: ScopeNames, facts: readonly LineScopeFact[], directives: Directives, format: Format): Scope[] {
  const said = new Map<string, { evaluation?: Evaluation; line: number; blocking: number; allowing: number }>();
  // One pass, by index: a file may have a scope per line, and two facts each.
  for (let f = 0; f < facts.length; f++) {
    const fact = facts[f];
    let about = said.get(fact.scope);
    if (!about) said.set(fact.scope, (about = { line: -1, blocking: 0, allowing: 0 }));
    if (fact.kind === 'declare') {
      if (about.line < 0) {
        about.evaluation = fact.evaluation;
        about.line = fact.line;
      }
      // A line-except scope may hold only rules whose entries carry another of their scopes (hosts.deny `vsftpd, sshd: …`), and a standing one none: a scope all the same.
      if (fact.evaluation === 'line-except' || fact.standing === true) names.id(fact.scope);
    } else if (fact.role === 'allow') about.allowing++;
    else about.blocking++;
  }
  const scopes: Scope[] = [];
  for (let id = 0; id < names.count; id++) {
    const name = names.name(id);
    const about = said.get(name);
    const allowed = (directives.allowing?.includes(name) ?? false) || (about !== undefined && about.allowing > 0 && about.blocking === 0);
    scopes.push({
      name,
      label: name === '' ? 'the file' : format.scopeKind ? `${format.scopeKind} ${name}` : name,
      evaluation: about?.evaluation ?? format.evaluation ?? 'union',
      role: allowed ? 'allow' : 'block',
      line: about?.line ?? -1,
    });
  }
  return scopes;
}
