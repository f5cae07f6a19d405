/**
 * The change report: what a list blocks more and less than at a revision,
 * whose addresses, the entries added, removed and changed, and the findings
 * the change introduced and resolved, each linked to its line. A pure
 * function of the server's data, as the audit report is.
 */
import { formatAmount } from '../../../server/src/core/addresses/display';
import type { ChangeData, EntryData, FamilyDelta, OwnersData } from '../../../server/src/core/change/changeData';
import { organisationLabel } from '../../../server/src/core/ownership/organisations';
import { bars, escape, htmlPage, section } from './render';

const count = (n: string | number) => BigInt(n).toLocaleString('en-US');

export function changeHtml(data: ChangeData, fileName: string, cspSource: string, nonce: string): string {
  const label = escape(data.label);
  const delta = (version: 4 | 6, family: FamilyDelta) =>
    `<div class="total"><div class="muted">IPv${version}</div><div class="big"><span class="plus">+${escape(formatAmount(version, BigInt(family.added)))}</span> <span class="minus">−${escape(formatAmount(version, BigInt(family.removed)))}</span></div><div class="muted">addresses blocked more and less than at ${label}</div></div>`;
  // Links reveal lines of the document as it is now: removed entries and resolved findings are only in the old version.
  const entry = (sign: string, e: EntryData, linked: boolean) =>
    `<li><span class="${sign === '+' ? 'plus' : 'minus'}">${sign}</span> ${linked ? `<a href="#" data-line="${e.line}">line ${e.line + 1}</a>` : `line ${e.line + 1} at ${label}`}: ${escape(e.text)} <span class="muted">(${count(e.addresses)})</span></li>`;
  const scopes = data.scopes
    .map((scope) => {
      const more = (shown: number, all: number) => (all > shown ? `<li class="muted">… and ${count(all - shown)} more</li>` : '');
      const items = [
        ...scope.added.map((e) => entry('+', e, true)),
        more(scope.added.length, scope.counts.added),
        ...scope.changed.map((e) => `<li>~ <a href="#" data-line="${e.after.line}">line ${e.after.line + 1}</a>: ${escape(e.before.text)} → ${escape(e.after.text)}</li>`),
        more(scope.changed.length, scope.counts.changed),
        ...scope.removed.map((e) => entry('−', e, false)),
        more(scope.removed.length, scope.counts.removed),
      ];
      const title = `${escape(scope.label)} (${scope.status}): IPv4 +${count(scope.ipv4.added)} −${count(scope.ipv4.removed)} · IPv6 +${escape(formatAmount(6, BigInt(scope.ipv6.added)))} −${escape(formatAmount(6, BigInt(scope.ipv6.removed)))}`;
      return section(title, `<ul class="entries">${items.join('')}</ul>`, '');
    })
    .join('');
  const owners = (direction: string, byFamily: { readonly ipv4: OwnersData; readonly ipv6: OwnersData } | undefined) =>
    ([4, 6] as const)
      .map((version) => {
        const held = byFamily?.[version === 4 ? 'ipv4' : 'ipv6'];
        if (!held || held.addresses === '0') return '';
        const written = (n: string) => formatAmount(version, BigInt(n));
        const providers = held.providers.map((p) => ({ label: `${p.name} (${p.category})`, value: BigInt(p.addresses), detail: written(p.addresses) }));
        const organisations = [
          ...held.organisations.slice(0, 10).map((o) => ({ label: organisationLabel(o.name, o.asns), value: BigInt(o.addresses), detail: written(o.addresses) })),
          ...(held.unannounced !== '0' ? [{ label: 'unannounced', value: BigInt(held.unannounced), detail: written(held.unannounced) }] : []),
        ];
        return (
          section(`IPv${version} addresses ${direction}, by provider`, bars(providers), 'No known provider.') +
          section(`IPv${version} addresses ${direction}, by organisation`, bars(organisations), '')
        );
      })
      .join('');
  const findings = (title: string, list: ChangeData['introduced'], linked: boolean) =>
    section(
      title,
      list.length === 0
        ? ''
        : `<ul class="entries">${list.map((f) => `<li>${linked ? `<a href="#" data-line="${f.line}">line ${f.line + 1}</a>` : `line ${f.line + 1} at ${label}`}: <strong>${f.severity}</strong> ${escape(f.message)} <span class="muted">${escape(f.code)}</span></li>`).join('')}</ul>`,
      'None.',
    );
  return htmlPage(
    'Blocklist change',
    `<h1>Blocklist change: ${escape(fileName)} since ${label}</h1>
<div class="totals">${delta(4, data.ipv4)}${delta(6, data.ipv6)}</div>
${scopes || '<p class="empty">Nothing blocked changed.</p>'}
${owners('added', data.owners?.added)}${owners('removed', data.owners?.removed)}
${findings('Findings the change introduced', data.introduced, true)}
${findings('Findings the change resolved', data.resolved, false)}`,
    cspSource,
    nonce,
  );
}
