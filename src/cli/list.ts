import { datasetNames, getDataset } from '../data/registry.js';
import { UsageError } from '../errors.js';
import { getModel, modelNames, resolveModelOptions } from '../model/registry.js';
import { getStrategy, strategyDefaults, strategyNames } from '../strategy/registry.js';
import { getProfile, profileNames } from '../run/profiles.js';
import { getSuite, suiteNames } from '../run/registry.js';

const topics = {
  datasets: () => datasetNames().map((n) => [n, `${getDataset(n).task}; ${getDataset(n).description}`]),
  strategies: () => strategyNames().map((n) => [n, `${getStrategy(n).summary}; options ${JSON.stringify(strategyDefaults(getStrategy(n)))}`]),
  // The options a run trains with are the profile's over the model's defaults.
  models: (profile) =>
    modelNames().map((n) => [
      n,
      `${getModel(n).summary}; options (${profile} profile) ${JSON.stringify(resolveModelOptions(getModel(n), getProfile(profile).models[n] ?? {}))}`,
    ]),
  suites: () =>
    suiteNames().map((n) => [
      n,
      `${getSuite(n).description}; datasets ${getSuite(n).datasets.join(', ')}; strategies ${getSuite(n)
        .strategies.map((s) => s.label)
        .join(', ')}`,
    ]),
  profiles: () => profileNames().map((n) => [n, getProfile(n).description]),
} satisfies Record<string, (profile: string) => string[][]>;

export const LIST_TOPICS = Object.keys(topics);

/** `profile`: whose model options are shown. */
export function listing(topic: string | undefined, profile: string): string {
  if (topic !== undefined && !(topic in topics)) throw new UsageError(`unknown list topic "${topic}"; valid: ${LIST_TOPICS.join(', ')}`);
  const chosen = topic ? [topic] : LIST_TOPICS;
  return chosen
    .map((t) => {
      const rows = topics[t as keyof typeof topics](profile);
      const width = Math.max(...rows.map(([n]) => n.length));
      return `${t}:\n${rows.map(([n, d]) => `  ${n.padEnd(width)}  ${d}`).join('\n')}`;
    })
    .join('\n\n');
}
