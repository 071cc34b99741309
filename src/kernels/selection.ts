/**
 * Per column: the index of the candidate the strength selects, i.e. how many thresholds it has
 * reached, compared as tfjs compares them (candidateIndex in gates.ts): against float32 thresholds.
 */
export function selectedCandidates(s: Float32Array, thresholds: number[], cols: number): Int32Array {
  const t = thresholds.map(Math.fround);
  const picked = new Int32Array(cols);
  for (let j = 0; j < cols; j++) {
    let k = 0;
    while (k < t.length && s[j] >= t[k]) k++;
    picked[j] = k;
  }
  return picked;
}
