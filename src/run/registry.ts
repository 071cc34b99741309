import { Registry } from '../registry.js';
import { type Claim, strategiesOf } from '../results/claims.js';
import type { SuiteOrder } from '../results/summary.js';
import type { SuiteDefinition } from './types.js';

/** A claim naming what its suite lacks would be "not run" whatever ran: refused when the suite is registered. */
export function checkClaims(suite: SuiteDefinition): void {
  const ids = new Set<string>();
  for (const claim of suite.claims ?? []) {
    const problems = [
      ...(ids.has(claim.id) ? ['its id is used twice'] : []),
      ...strategiesOf(claim)
        .filter((label) => !suite.strategies.some((s) => s.label === label))
        .map((label) => `no strategy "${label}"`),
      ...(suite.models.some((m) => m.label === claim.model) ? [] : [`no model "${claim.model}"`]),
      ...(claim.dataset === undefined || suite.datasets.includes(claim.dataset) ? [] : [`no dataset "${claim.dataset}"`]),
      ...(claim.kind === 'range' && !(claim.lo <= claim.hi) ? [`its range [${claim.lo}, ${claim.hi}] is empty`] : []),
    ];
    if (problems.length > 0) throw new Error(`suite ${suite.name}, claim ${claim.id}: ${problems.join('; ')}`);
    ids.add(claim.id);
  }
}

/** The suites this build knows, filled by the entry points' catalog (bin/catalog.ts) from suites/. */
const suites = new Registry<SuiteDefinition>('suite', [], checkClaims);

export const registerSuite = (suite: SuiteDefinition): void => suites.register(suite);

export const suiteNames = (): string[] => suites.names();
export const getSuite = (name: string): SuiteDefinition => suites.get(name);

/** What a matrix's suite label puts between the suite's name and a hash when it runs datasets, models or strategies the suite lacks. */
export const CUSTOM = '-custom-';

/** A registered suite by name, or the suite a custom matrix ("<suite>-custom-<hash>") was built from. */
function known(name: string): SuiteDefinition | undefined {
  const at = name.lastIndexOf(CUSTOM);
  const base = at > 0 && /^[0-9a-f]{8}$/.test(name.slice(at + CUSTOM.length)) ? name.slice(0, at) : name;
  return suites.names().includes(base) ? suites.get(base) : undefined;
}

/** The reference strategy of a registered suite; undefined for a suite this build does not know. */
export const suiteReference = (name: string): string | undefined => known(name)?.reference;

/** The claims of a registered suite; none for a suite this build does not know. */
export const suiteClaims = (name: string): readonly Claim[] => known(name)?.claims ?? [];

/** The order a suite defines its datasets, models and strategies in. */
export const orderOf = (suite: SuiteDefinition): SuiteOrder => ({
  datasets: suite.datasets,
  models: suite.models.map((m) => m.label),
  strategies: suite.strategies.map((s) => s.label),
});

/** The order of a registered suite; undefined for a suite this build does not know (first appearance in the runs then). */
export const suiteOrder = (name: string): SuiteOrder | undefined => {
  const suite = known(name);
  return suite && orderOf(suite);
};
